import { describe, expect, it } from 'vitest';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { EverythingShape } from '../fixtures/fixture-models.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** Every byte value from 0 to 255. */
function allBytes(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, index) => index);
}

/** An Everything with a value for every property. */
function fullEverything(): EverythingShape {
  return {
    id: 'e1',
    text: 'plain text',
    day: '2024-02-29',
    moment: '2024-02-29T23:59:59.123+01:00',
    email: 'ann@example.com',
    uuid: '123e4567-e89b-12d3-a456-426614174000',
    encoded: 'aGVsbG8gd29ybGQ=',
    blob: allBytes(),
    small: -2147483648,
    big: 2n ** 62n + 1n,
    huge: 10n ** 37n + 7n,
    ratio: 0.1,
    precise: 0.30000000000000004,
    flag: true,
    maybe: null,
    maybeCount: null,
    color: 'green',
    level: 3,
    nested: { name: 'outer', inner: { depth: 2, labels: ['x', 'y'] } },
    lines: [
      { sku: 'A1', qty: 2, price: 9.99 },
      { sku: 'B2', qty: 1 },
    ],
    matrix: [[1, 2.5], [], [-3]],
    attributes: {
      colour: 'blue',
      'with.dot': 'd',
      'with#hash': 'h',
      'with:colon': 'c',
      'with space': 's',
    },
    counters: { zero: 0, negative: -5, largest: Number.MAX_SAFE_INTEGER },
    empties: { list: [], map: {} },
  };
}

/** P-16 to P-22: the stored form and exact round trips of every value type. */
export function describeValues(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('values round-trip exactly', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    /** Saves an Everything and returns it as read back raw and through core. */
    async function roundTrip(data: EverythingShape) {
      const { models, stored } = fixture();
      await new models.Everything(data).save();
      const raw = await stored(models.Everything, { id: data.id });
      const loaded = await models.Everything.load(data.id);
      return { raw: raw as Record<string, unknown>, loaded };
    }

    it("[P-16] the stored item is the object's own properties as plain attributes, nothing more", async () => {
      const data = fullEverything();
      const { raw } = await roundTrip(data);
      expect(Object.keys(raw).sort()).toEqual(Object.keys(data).sort());
      expect(raw).toEqual(data);
    });

    it('[P-16] undefined properties are absent from the stored item, not null', async () => {
      const { raw } = await roundTrip({
        id: 'e1',
        text: undefined,
        flag: false,
        nested: { name: undefined },
      });
      expect(raw).toEqual({ id: 'e1', flag: false, nested: {} });
      expect('text' in raw).toBe(false);
    });

    it('[P-17] strings round-trip exactly: all of Unicode, NUL, empty, astral characters', async () => {
      const strings = {
        ascii: 'plain',
        astral: '😀𝄞🀄',
        cjk: '中文字',
        combining: 'e\u0301 vs \u00e9',
        nul: 'a\u0000b',
        empty: '',
        rtl: 'שלום',
        bom: '\uFEFF',
        lastBmp: '\uFFFD\uFFFF',
        controls: 'tab\tnewline\nreturn\r',
        quotes: `"'\\`,
      };
      const text = Object.values(strings).join('|');
      const { raw, loaded } = await roundTrip({ id: 'e1', text, attributes: strings });
      expect(raw.text).toBe(text);
      expect(raw.attributes).toEqual(strings);
      expect(loaded.text).toBe(text);
      expect(loaded.attributes).toEqual(strings);
    });

    it('[P-17] date, date-time, email, uuid and byte formats stay the strings the spec wrote', async () => {
      const data: EverythingShape = {
        id: 'e1',
        day: '1999-12-31',
        moment: '2024-06-01T08:30:00.000001-07:00',
        email: 'first.last+tag@example.co.uk',
        uuid: 'A987FBC9-4BED-3078-CF07-9141BA07C9F3',
        encoded: 'AAEC/w==',
      };
      const { raw, loaded } = await roundTrip(data);
      expect(raw).toEqual(data);
      expect(loaded.toJSON()).toEqual(data);
      expect(typeof loaded.moment).toBe('string');
    });

    it('[P-17] a byte-format string another client stored as binary validates as its base64 and is written back as binary', async () => {
      const { models, seed, stored } = fixture();
      const written = { id: 'e2', encoded: new Uint8Array([0, 1, 2, 255]) };
      await seed(models.Everything, written as never);
      const loaded = await models.Everything.load('e2');
      expect(loaded.encoded as unknown).toEqual(new Uint8Array([0, 1, 2, 255]));
      expect(loaded.validate()).toEqual([]);
      expect(loaded.toJSON()).toEqual({ id: 'e2', encoded: 'AAEC/w==' });
      loaded.text = 'saved';
      await loaded.save();
      expect(await stored(models.Everything, { id: 'e2' })).toEqual({ ...written, text: 'saved' });
      // Its base64 is what string keywords see: bytes whose base64 breaks none are accepted.
      expect(
        new models.Everything({ id: 'e3', encoded: new Uint8Array([]) as never }).validate(),
      ).toEqual([]);
    });

    it('[P-18] integers round-trip exactly, int64 beyond 2^53 as bigint in storage and model', async () => {
      const data: EverythingShape = {
        id: 'e1',
        small: 2147483647,
        big: -(2n ** 63n),
        huge: 10n ** 38n - 1n,
        counters: { zero: 0, negative: -9007199254740991, largest: 9007199254740991 },
      };
      const { raw, loaded } = await roundTrip(data);
      expect(raw.small).toBe(2147483647);
      expect(raw.big).toBe(-(2n ** 63n));
      expect(raw.huge).toBe(10n ** 38n - 1n);
      expect(raw.counters).toEqual(data.counters);
      expect(loaded.big).toBe(-(2n ** 63n));
      expect(loaded.huge).toBe(10n ** 38n - 1n);
      expect(loaded.small).toBe(2147483647);
    });

    it('[P-13] an integer of up to 38 significant digits is stored exactly, whatever its trailing zeros', async () => {
      for (const huge of [10n ** 40n, -(10n ** 125n), (10n ** 38n - 1n) * 10n ** 88n]) {
        const { raw, loaded } = await roundTrip({ id: 'e1', huge });
        expect(BigInt(raw.huge as bigint)).toBe(huge);
        expect(loaded.huge).toBe(huge);
      }
    });

    it('[P-18] a bigint a number holds, given for a plain integer, is read back as that number on every path', async () => {
      const { models } = fixture();
      const { Note } = models;
      await Note.create({ note_id: 'b1', text: 't', count: 5n as never });
      expect((await Note.load('b1')).count).toBe(5);
      const updated = await Note.update('b1', { set: { count: 7n as never } });
      expect(updated.count).toBe(7);
      expect((await Note.load('b1')).count).toBe(7);
      await Note.saveMany([{ note_id: 'b2', text: 't', count: -3n as never }]);
      const [found] = await Note.getMany(['b2']);
      expect(found?.count).toBe(-3);
      // Beyond 2^53 a bigint stays a bigint.
      const huge = 2n ** 60n;
      await Note.update('b1', { set: { huge } });
      expect((await Note.load('b1')).huge).toBe(huge);
    });

    it('[P-18] an int64 within 2^53 keeps its value, whether read back as number or bigint', async () => {
      const { raw, loaded } = await roundTrip({ id: 'e1', big: 42 });
      expect(BigInt(raw.big as number | bigint)).toBe(42n);
      expect(BigInt(loaded.big as number | bigint)).toBe(42n);
    });

    it('[P-18] floats round-trip exactly, from 1e-130 to the largest safe magnitudes', async () => {
      const matrix = [
        [0.1, -2.5, 1e-7, 123456.789],
        [1e-130, -1e-130, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
        [Math.PI, Number.EPSILON, 2 ** -400, 1 / 3],
        [4503599627370495.5, -1.7976931348623157e-100, 1.0000000000000002, 5e-324 * 2 ** 700],
      ];
      const { raw, loaded } = await roundTrip({ id: 'e1', ratio: 1.5, precise: 0.1 + 0.2, matrix });
      expect(raw.matrix).toEqual(matrix);
      expect(raw.precise).toBe(0.1 + 0.2);
      expect(loaded.matrix).toEqual(matrix);
      expect(loaded.precise).toBe(0.30000000000000004);
      expect(loaded.ratio).toBe(1.5);
    });

    it('[P-19] binary is a Uint8Array in storage and in the model, every byte kept, empty too', async () => {
      const { raw, loaded } = await roundTrip({ id: 'e1', blob: allBytes() });
      expect(raw.blob).toBeInstanceOf(Uint8Array);
      expect([...(raw.blob as Uint8Array)]).toEqual([...allBytes()]);
      expect(loaded.blob).toBeInstanceOf(Uint8Array);
      expect([...(loaded.blob as Uint8Array)]).toEqual([...allBytes()]);
      const empty = await roundTrip({ id: 'e2', blob: new Uint8Array(0) });
      expect(empty.raw.blob).toBeInstanceOf(Uint8Array);
      expect((empty.raw.blob as Uint8Array).length).toBe(0);
      expect((empty.loaded.blob as Uint8Array).length).toBe(0);
    });

    it('[P-20] booleans, enums and null (where the schema allows it) round-trip', async () => {
      const data: EverythingShape = {
        id: 'e1',
        flag: false,
        maybe: null,
        maybeCount: null,
        color: 'red',
        level: 1,
      };
      const { raw, loaded } = await roundTrip(data);
      expect(raw).toEqual(data);
      expect(raw.maybe).toBeNull();
      expect(loaded.maybe).toBeNull();
      expect(loaded.maybeCount).toBeNull();
      expect(loaded.flag).toBe(false);
      const set = await roundTrip({ id: 'e2', flag: true, maybe: 'now set', maybeCount: 0 });
      expect(set.raw).toEqual({ id: 'e2', flag: true, maybe: 'now set', maybeCount: 0 });
    });

    it('[P-21] nested objects, lists of objects, lists of lists and maps round-trip deep-equal', async () => {
      const data = fullEverything();
      const { raw, loaded } = await roundTrip(data);
      for (const name of [
        'nested',
        'lines',
        'matrix',
        'attributes',
        'counters',
        'empties',
      ] as const) {
        expect(raw[name]).toEqual(data[name]);
        expect(loaded[name]).toEqual(data[name]);
      }
      expect(loaded.empties).toEqual({ list: [], map: {} });
    });

    it('[P-22] toJSON of a loaded object gives bytes as base64 and int64 bigints as decimal strings', async () => {
      const { loaded } = await roundTrip({
        id: 'e1',
        blob: new Uint8Array([104, 105]),
        big: 2n ** 62n,
      });
      expect(loaded.toJSON()).toEqual({ id: 'e1', blob: 'aGk=', big: '4611686018427387904' });
      const again = fixture().models.Everything.fromJSON(loaded.toJSON());
      expect(again.big).toBe(2n ** 62n);
      expect([...(again.blob as Uint8Array)]).toEqual([104, 105]);
    });

    it('[P-10] an item in plain form written by another client loads with its types', async () => {
      const { models, seed } = fixture();
      await seed(models.Everything, {
        id: 'e1',
        small: 7,
        ratio: 2.5,
        flag: true,
        nested: { name: 'n', inner: { depth: 1, labels: [] } },
        lines: [{ sku: 'A', qty: 1 }],
        attributes: { k: 'v' },
        blob: new Uint8Array([1, 2]),
      });
      const loaded = await models.Everything.load('e1');
      expect(loaded.small).toBe(7);
      expect(loaded.ratio).toBe(2.5);
      expect(loaded.flag).toBe(true);
      expect(loaded.nested).toEqual({ name: 'n', inner: { depth: 1, labels: [] } });
      expect(loaded.lines).toEqual([{ sku: 'A', qty: 1 }]);
      expect(loaded.blob).toBeInstanceOf(Uint8Array);
      expect(loaded.validate()).toEqual([]);
    });
  });
}
