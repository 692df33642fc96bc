import {
  BackendError,
  ConditionFailedError,
  ConflictError,
  ItemNotFoundError,
  type StorageBackend,
  type StoredItem,
  ValidationError,
} from '@macaron/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** Every name `Object.prototype` has: each must be an ordinary property name. */
export const prototypeNames: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

/** An object with the own property `name`, built as JSON.parse builds one (`__proto__` included). */
function withOwn(base: Record<string, unknown>, name: string, value: unknown): StoredItem {
  const object = { ...base } as StoredItem;
  Object.defineProperty(object, name, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return object;
}

/** The own property `name` of a value, never an inherited one. */
function own(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, name)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/** A backend whose reads fail: the write that explains itself by a read must not lose its meaning. */
function withFailingReads(inner: StorageBackend): StorageBackend & { reads: number } {
  const proxy = Object.create(inner) as StorageBackend & { reads: number };
  proxy.reads = 0;
  proxy.getItem = async () => {
    proxy.reads += 1;
    throw new BackendError('injected: the read that explains the failure failed');
  };
  return proxy;
}

/**
 * P-88 to P-95: hostile and foreign input. Property names are data, items other clients
 * wrote keep their types and stay writable, and a failed condition keeps its meaning when
 * the read that explains it fails.
 */
export function describeHostileInput(
  factory: ConformanceFactory,
  options: ConformanceOptions,
): void {
  describe('hostile and foreign input', suiteOptions(options), () => {
    const fixture = useFixture(factory);
    const protoDropped =
      options.engineDifferences?.includes('attributes-named-proto-dropped') === true;
    let prototypeBefore: string[];
    beforeEach(() => {
      prototypeBefore = Object.getOwnPropertyNames(Object.prototype);
    });
    afterEach(() => {
      // Nothing may ever reach Object.prototype.
      expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeBefore);
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    });

    it.skipIf(protoDropped)(
      '[P-88] every Object.prototype name is an ordinary property of an open schema, on every path (skipped where the engine drops attributes named __proto__)',
      async () => {
        const { Note } = fixture().models;
        for (const [index, name] of prototypeNames.entries()) {
          const note_id = `n${index}`;
          const value = { nested: name, list: [1, 2] };
          const json = JSON.parse(
            `{"note_id":${JSON.stringify(note_id)},"text":"t",${JSON.stringify(name)}:${JSON.stringify(value)}}`,
          );
          const object = Note.fromJSON(json);
          expect(own(object, name), name).toEqual(value);
          expect(Object.getPrototypeOf(object), name).toBe(Note.prototype);
          await object.create();
          const stored = await fixture().stored(Note, { note_id });
          expect(own(stored, name), name).toEqual(value);

          const loaded = await Note.load(note_id);
          expect(own(loaded, name), name).toEqual(value);
          expect(Object.getPrototypeOf(loaded), name).toBe(Note.prototype);
          expect(own(loaded.toJSON(), name), name).toEqual(value);
          expect(await Note.exists(note_id)).toBe(true);
          const [many] = await Note.getMany([note_id]);
          expect(own(many, name), name).toEqual(value);

          await loaded.save();
          expect(own(await fixture().stored(Note, { note_id }), name), name).toEqual(value);

          const updated = await Note.update(note_id, { set: withOwn({}, name, 'set') });
          expect(own(updated, name), name).toBe('set');
          expect(own(await fixture().stored(Note, { note_id }), name), name).toBe('set');
        }
        const scanned = [];
        for await (const note of Note.scanAll()) scanned.push(note);
        expect(scanned).toHaveLength(prototypeNames.length);
        expect(scanned.every((note) => Object.getPrototypeOf(note) === Note.prototype)).toBe(true);

        for (const [index, name] of prototypeNames.entries()) {
          const note_id = `n${index}`;
          const removed = await Note.update(note_id, { remove: [name] as never });
          expect(Object.hasOwn(removed, name), name).toBe(false);
          expect(await (await Note.load(note_id)).delete(), name).toBe(true);
          expect(await fixture().stored(Note, { note_id }), name).toBeUndefined();
        }

        await Note.saveMany(
          prototypeNames.map((name, index) =>
            withOwn({ note_id: `m${index}`, text: 't' }, name, { saved: 'many' }),
          ),
        );
        for (const [index, name] of prototypeNames.entries()) {
          const stored = await fixture().stored(Note, { note_id: `m${index}` });
          expect(own(stored, name), name).toEqual({ saved: 'many' });
        }
      },
    );

    it("[P-88] a name holding a line break or a bidi control is escaped in an error message, and kept exactly in the error's data", async () => {
      const { Bird, Message, Note } = fixture().models;
      const backend = fixture().backend;
      const name = 'a\nb\u202ec\u2028';
      const unsafe = /[\n\u202e\u2028]/;
      const refusals: [string, () => Promise<unknown>][] = [
        ['save', () => new Bird({ owner: 'o', name: 'n', [name]: 1 } as never).save()],
        [
          'update',
          () => Note.update('n', { set: { text: 't', nested: { [name]: Number.NaN } } } as never),
        ],
        ['load', () => Note.load({ note_id: 'n', [name]: 1 } as never)],
        // The same name changed twice: refused before any schema looks at it.
        ['update twice', () => Note.update('n', { remove: [name, name] } as never)],
        ['query', () => Message.query({ index: name, partition: 'p' } as never)],
        [
          'getItem',
          () => backend.getItem({ model: Note.descriptor, key: { note_id: 'n', [name]: 1 } }),
        ],
        [
          'putItem',
          () =>
            backend.putItem({ model: Note.descriptor, item: { note_id: 'n', [name]: Number.NaN } }),
        ],
        [
          'updateItem',
          () =>
            backend.updateItem({
              model: Note.descriptor,
              key: { note_id: 'n' },
              operations: [
                { action: 'set', path: [name], value: 1 },
                { action: 'set', path: [name, 'x'], value: 1 },
              ],
            }),
        ],
        [
          'query index',
          () => backend.query({ model: Message.descriptor, index: name, partition: 'p' }),
        ],
      ];
      for (const [what, refusal] of refusals) {
        const error = await refusal().then(
          () => expect.fail(`${what} was not refused`),
          (failure: Error) => failure,
        );
        expect(error.message, what).not.toMatch(unsafe);
        // Named, escaped: bare in a pointer, quoted as JSON elsewhere.
        const shown = ['a\\u000ab\\u202ec\\u2028', '"a\\nb\\u202ec\\u2028"'];
        expect(
          shown.some((text) => error.message.includes(text)),
          `${what}: ${error.message}`,
        ).toBe(true);
      }
      const invalid = await new Bird({ owner: 'o', name: 'n', [name]: 1 } as never)
        .save()
        .catch((error: ValidationError) => error);
      expect(invalid).toBeInstanceOf(ValidationError);
      expect((invalid as ValidationError).problems.map((problem) => problem.pointer)).toContain(
        `/${name}`,
      );
      expect(await fixture().stored(Note, { note_id: 'n' })).toBeUndefined();
    });

    it.skipIf(!options.capabilities.transactions)(
      '[P-88] every Object.prototype name is an ordinary property in a transaction (needs capabilities.transactions)',
      async () => {
        const { Note } = fixture().models;
        await fixture().api.transaction((transaction) => {
          for (const [index, name] of prototypeNames.entries())
            transaction.create(
              new Note(withOwn({ note_id: `t${index}`, text: 't' }, name, { in: 'tx' }) as never),
            );
        });
        for (const [index, name] of prototypeNames.entries()) {
          const stored = await fixture().stored(Note, { note_id: `t${index}` });
          expect(own(stored, name), name).toEqual({ in: 'tx' });
        }
      },
    );

    it.skipIf(protoDropped)(
      '[P-88] a closed schema refuses every undeclared Object.prototype name, and checks a required one (skipped where the engine drops attributes named __proto__)',
      async () => {
        const { Hostile } = fixture().models;
        const declared = new Set(['constructor', '__proto__', 'toString', 'valueOf']);
        for (const name of prototypeNames.filter((candidate) => !declared.has(candidate))) {
          const data = withOwn({ hostile_id: 'h1', constructor: { a: 'b' } }, name, 'x');
          const error = await expectError(Hostile.create(data as never), ValidationError);
          expect(
            error.problems.map((problem) => problem.pointer),
            name,
          ).toContain(`/${name}`);
        }
        // Declared names are accepted and typed like any property.
        const valid = withOwn(
          { hostile_id: 'h1', constructor: { a: 'b' }, toString: 'text', valueOf: 3 },
          '__proto__',
          { n: 1 },
        );
        await Hostile.create(valid as never);
        const loaded = await Hostile.load('h1');
        expect(own(loaded, 'constructor')).toEqual({ a: 'b' });
        expect(own(loaded, '__proto__')).toEqual({ n: 1 });
        expect(own(loaded, 'toString')).toBe('text');
        expect(own(loaded, 'valueOf')).toBe(3);
        const wrongType = withOwn({ hostile_id: 'h2', constructor: { a: 'b' } }, '__proto__', {
          n: 'not an integer',
        });
        await expectError(Hostile.create(wrongType as never), ValidationError);
        // `constructor` is required: the inherited Object constructor does not count.
        const missing = await expectError(
          Hostile.create({ hostile_id: 'h3' } as never),
          ValidationError,
        );
        expect(missing.problems.map((problem) => problem.pointer)).toContain('/constructor');
        expect(await fixture().stored(Hostile, { hostile_id: 'h2' })).toBeUndefined();
        expect(await fixture().stored(Hostile, { hostile_id: 'h3' })).toBeUndefined();
      },
    );

    it.skipIf(protoDropped)(
      '[P-89] an item another client wrote with __proto__ attributes, top-level and nested, loads and saves back exactly (skipped where the engine drops attributes named __proto__)',
      async () => {
        const { Note } = fixture().models;
        const nested = withOwn({ keep: 'yes' }, '__proto__', { polluted: true });
        const foreign = withOwn({ note_id: 'f1', text: 't', meta: { k: 'v' } }, '__proto__', {
          deep: nested,
        });
        await fixture().seed(Note, foreign);
        const loaded = await Note.load('f1');
        expect(Object.getPrototypeOf(loaded)).toBe(Note.prototype);
        expect(own(own(own(loaded, '__proto__'), 'deep'), '__proto__')).toEqual({ polluted: true });
        const [many] = await Note.getMany(['f1']);
        expect(own(many, '__proto__')).toEqual({ deep: nested });
        const page = await Note.scan();
        expect(page.items.map((note) => own(note, '__proto__'))).toEqual([{ deep: nested }]);
        await loaded.save();
        const stored = await fixture().stored(Note, { note_id: 'f1' });
        expect(own(stored, '__proto__')).toEqual({ deep: nested });
        expect(own(own(own(stored, '__proto__'), 'deep'), '__proto__')).toEqual({ polluted: true });
      },
    );

    it('[P-90] sets another client stored load as sets, print as lists and save back as sets', async () => {
      const { Note } = fixture().models;
      const bytes = [new Uint8Array([1, 2]), new Uint8Array([3])];
      await fixture().seed(Note, {
        note_id: 's1',
        text: 't',
        tags: new Set(['a', 'b']),
        scores: new Set([1, 2.5, 12345678901234567890n]),
        blobs: new Set(bytes),
      });
      const loaded = await Note.load('s1');
      expect(loaded.tags).toBeInstanceOf(Set);
      expect([...(loaded.tags as unknown as Set<string>)].sort()).toEqual(['a', 'b']);
      const json = loaded.toJSON();
      expect([...(json.tags as string[])].sort()).toEqual(['a', 'b']);
      expect(Array.isArray(json.scores)).toBe(true);
      await loaded.save();
      const stored = (await fixture().stored(Note, { note_id: 's1' }))!;
      expect(stored.tags).toEqual(new Set(['a', 'b']));
      expect(stored.scores).toEqual(new Set([1, 2.5, 12345678901234567890n]));
      expect(stored.blobs).toBeInstanceOf(Set);
      expect([...(stored.blobs as Set<Uint8Array>)].map((member) => [...member]).sort()).toEqual([
        [1, 2],
        [3],
      ]);
      // A set that cannot be stored is refused before anything is written.
      (loaded as unknown as { tags: Set<string> }).tags = new Set();
      await expectError(loaded.save(), ValidationError);
      (loaded as unknown as { tags: Set<unknown> }).tags = new Set(['a', 1]);
      await expectError(loaded.save(), ValidationError);
      // One member twice, as JavaScript's Set keeps them: 1 and 1n, or two arrays of equal bytes.
      (loaded as unknown as { tags: Set<string> }).tags = new Set(['a', 'b']);
      (loaded as unknown as { scores: Set<unknown> }).scores = new Set([1, 1n]);
      await expectError(loaded.save(), ValidationError);
      (loaded as unknown as { scores: Set<unknown> }).scores = new Set([1]);
      (loaded as unknown as { blobs: Set<Uint8Array> }).blobs = new Set([
        new Uint8Array([7]),
        new Uint8Array([7]),
      ]);
      await expectError(loaded.save(), ValidationError);
      await expectError(
        Note.update('s1', { set: { scores: new Set([2, 2n]) } as never }),
        ValidationError,
      );
      expect((await fixture().stored(Note, { note_id: 's1' }))!.tags).toEqual(new Set(['a', 'b']));
      expect((await fixture().stored(Note, { note_id: 's1' }))!.scores).toEqual(
        new Set([1, 2.5, 12345678901234567890n]),
      );
    });

    it('[P-91] an item of a closed schema with undeclared attributes loads without them and saves them back unchanged', async () => {
      const { Hostile } = fixture().models;
      await fixture().seed(Hostile, {
        hostile_id: 'h1',
        constructor: { a: 'b' },
        legacy: 'kept',
        legacyTags: new Set(['x']),
      });
      const loaded = await Hostile.load('h1');
      expect(Object.hasOwn(loaded, 'legacy')).toBe(false);
      expect(Object.hasOwn(loaded.toJSON(), 'legacy')).toBe(false);
      expect(loaded.validate()).toEqual([]);
      loaded.tags = ['new'];
      await loaded.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h1' })).toEqual({
        hostile_id: 'h1',
        constructor: { a: 'b' },
        tags: ['new'],
        legacy: 'kept',
        legacyTags: new Set(['x']),
      });
      // An object built by the application has no such attributes: it writes what it holds.
      await new Hostile({ hostile_id: 'h1', constructor: {} } as never).save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h1' })).toEqual({
        hostile_id: 'h1',
        constructor: {},
      });
    });

    it('[P-91] given to saveMany of the same model of another API on the same backend and table (the spec loaded again), a loaded object writes back what its closed schema set aside', async () => {
      const { Hostile } = fixture().models;
      const written = {
        hostile_id: 'h30',
        constructor: { a: 'b' },
        settings: { theme: 'dark', legacy: 'x' },
        legacy: 'kept',
      };
      await fixture().seed(Hostile, written as never);
      const loaded = await Hostile.load('h30');
      const reloaded = await fixture().reopen(fixture().backend);
      loaded.tags = ['new'];
      await reloaded.Hostile.saveMany([loaded]);
      expect(await fixture().stored(Hostile, { hostile_id: 'h30' })).toEqual({
        ...written,
        tags: ['new'],
      });
    });

    it('[P-91] what the object leaves out deeper in the item (NULLs, what a nested closed object does not declare) is written back too', async () => {
      const { Hostile } = fixture().models;
      const written = {
        hostile_id: 'h2',
        constructor: { a: 'b', gone: null },
        toString: null,
        settings: { theme: 'dark', legacy: 'x', old: null },
      };
      await fixture().seed(Hostile, written as never);
      const loaded = await Hostile.load('h2');
      expect(Object.hasOwn(loaded, 'toString')).toBe(false);
      expect(loaded.constructor).toEqual({ a: 'b' });
      expect(loaded.settings).toEqual({ theme: 'dark' });
      expect(loaded.validate()).toEqual([]);
      await loaded.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h2' })).toEqual(written);
      // A key asked twice: the second object, copied from the first's item, keeps it too.
      const [, second] = await Hostile.getMany(['h2', 'h2']);
      await second!.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h2' })).toEqual(written);
      // What the object sets wins over what was set aside.
      loaded.toString = 'now set';
      loaded.constructor.gone = 'back';
      await loaded.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h2' })).toEqual({
        ...written,
        toString: 'now set',
        constructor: { a: 'b', gone: 'back' },
      });
    });

    it('[P-91] what a nested closed object built with allOf does not declare is set aside and written back too', async () => {
      const { Hostile } = fixture().models;
      const written = {
        hostile_id: 'h11',
        constructor: {},
        preferences: { theme: 'dark', region: 'eu', legacy: 'x', old: null, deep: { a: [1] } },
      };
      await fixture().seed(Hostile, written as never);
      const loaded = await Hostile.load('h11');
      expect(loaded.preferences).toEqual({ theme: 'dark', region: 'eu' });
      expect(loaded.validate()).toEqual([]);
      loaded.preferences!.region = 'us';
      await loaded.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h11' })).toEqual({
        ...written,
        preferences: { ...written.preferences, region: 'us' },
      });
    });

    it('[P-12, P-22, P-98] a property written as the 3.0 wrapper of a $ref (allOf: [{ $ref }] beside a description) is read as the $ref: its NULL set aside and written back, its int64 and bytes through JSON, its bounds and list limits kept by update()', async () => {
      const { Hostile } = fixture().models;
      const written = {
        hostile_id: 'h20',
        constructor: {},
        place: null,
        serial: 2n ** 60n + 1n,
        blob: new Uint8Array([0, 1, 255]),
        limit: 5,
        labels: ['x'],
      };
      await fixture().seed(Hostile, written as never);
      const loaded = await Hostile.load('h20');
      expect(Object.hasOwn(loaded, 'place')).toBe(false);
      expect(loaded.validate()).toEqual([]);
      const json = JSON.parse(JSON.stringify(loaded));
      expect(json).toMatchObject({ serial: '1152921504606846977', blob: 'AAH/' });
      expect(Hostile.fromJSON(json)).toEqual(loaded);
      await loaded.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h20' })).toEqual(written);
      // As for a plain $ref: a NULL the application sets is left out of the object.
      const made = new Hostile({ hostile_id: 'h21', constructor: {}, place: null } as never);
      expect(Object.hasOwn(made, 'place')).toBe(false);
      await made.save();
      // Nothing a later save() would refuse is stored by update(): refused, or not applied.
      await expectError(Hostile.update('h20', { add: { limit: 100 } } as never), ValidationError);
      await expectError(
        Hostile.update('h20', { append: { labels: ['a', 'b', 'c', 'd'] } }),
        ValidationError,
      );
      await expectError(
        Hostile.update('h20', { add: { limit: 6 } } as never),
        ConditionFailedError,
      );
      await expectError(
        Hostile.update('h20', { append: { labels: ['y', 'x'] } }),
        ConditionFailedError,
      );
      await expectError(
        Hostile.update('h20', { append: { labels: ['y', 'z', 'w'] } }),
        ConditionFailedError,
      );
      expect(await fixture().stored(Hostile, { hostile_id: 'h20' })).toEqual(written);
      const updated = await Hostile.update('h20', {
        add: { limit: 5 },
        append: { labels: ['y'] },
      } as never);
      expect(updated).toMatchObject({ limit: 10, labels: ['x', 'y'] });
      expect(updated.validate()).toEqual([]);
    });

    it('[P-91] in a oneOf variant, the properties only it declares are read with its schema: bytes, int64s and NULLs it does not allow, from the store and from JSON', async () => {
      const { Hostile } = fixture().models;
      const written = {
        hostile_id: 'h9',
        constructor: {},
        attachment: {
          via: 'upload',
          data: new Uint8Array([0, 1, 255]),
          size: 2n ** 60n + 1n,
          caption: null,
        },
      };
      await fixture().seed(Hostile, written as never);
      const loaded = await Hostile.load('h9');
      expect(loaded.attachment).toEqual({
        via: 'upload',
        data: new Uint8Array([0, 1, 255]),
        size: 2n ** 60n + 1n,
      });
      expect(loaded.validate()).toEqual([]);
      await loaded.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h9' })).toEqual(written);
      // Through JSON and back, as an HTTP body carries it: base64 and a decimal string.
      const json = JSON.parse(JSON.stringify(loaded.toJSON()));
      expect(json.attachment).toEqual({ via: 'upload', data: 'AAH/', size: '1152921504606846977' });
      expect(Hostile.fromJSON(json).attachment).toEqual(loaded.attachment);
      // The other variant's string stays a string, though it reads as base64.
      const link = Hostile.fromJSON({
        hostile_id: 'h10',
        constructor: {},
        attachment: { via: 'link', url: 'AAH/', caption: 'AAAA' },
      });
      expect(link.attachment).toEqual({ via: 'link', url: 'AAH/', caption: 'AAAA' });
      await link.save();
      expect((await Hostile.load('h10')).attachment).toEqual(link.attachment);
    });

    it('[P-91] inside a list too, what a closed object leaves out is set aside: held by that object wherever it moves', async () => {
      const { Hostile } = fixture().models;
      const written = {
        hostile_id: 'h3',
        constructor: {},
        entries: [{ a: 'x', foreign: 'keep me' }, { a: null, other: 1 }, { a: 'z' }],
      };
      await fixture().seed(Hostile, written as never);
      const loaded = await Hostile.load('h3');
      expect(loaded.entries).toEqual([{ a: 'x' }, {}, { a: 'z' }]);
      expect(loaded.validate()).toEqual([]);
      await loaded.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h3' })).toEqual(written);
      // A key asked twice: the second object, copied from the first's item, keeps them too.
      const [, second] = await Hostile.getMany(['h3', 'h3']);
      await second!.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h3' })).toEqual(written);
      // The items move, one leaves, one is new: what each held goes with it; what it sets wins.
      const [first, emptied, last] = loaded.entries!;
      emptied!.a = 'set';
      loaded.entries = [last!, { a: 'new' }, first!, emptied!];
      await loaded.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h3' })).toEqual({
        ...written,
        entries: [{ a: 'z' }, { a: 'new' }, { a: 'x', foreign: 'keep me' }, { a: 'set', other: 1 }],
      });
      // A copy the application made is its own object: it holds only what it was given.
      loaded.entries = [{ ...first! }];
      await loaded.save();
      expect((await fixture().stored(Hostile, { hostile_id: 'h3' }))!.entries).toEqual([
        { a: 'x' },
      ]);
    });

    it('[P-91] under a oneOf of closed members, what every member the object may be of refuses is set aside and written back, alone, inside a list and behind an allOf wrapper', async () => {
      const { Hostile } = fixture().models;
      const written = {
        hostile_id: 'h12',
        constructor: {},
        shape: { side: 2, legacy: 'x', radius_cm: 4 },
        shapes: [{ radius: 1, old: true }, { side: 3 }, { side: 5, old: null }],
        framed: { radius: 7, legacy: 'y' },
      };
      await fixture().seed(Hostile, written as never);
      const loaded = await Hostile.load('h12');
      expect(loaded.shape).toEqual({ side: 2 });
      expect(loaded.framed).toEqual({ radius: 7 });
      expect(loaded.shapes).toEqual([{ radius: 1 }, { side: 3 }, { side: 5 }]);
      expect(loaded.validate()).toEqual([]);
      (loaded.shape as { side: number }).side = 4;
      loaded.shapes = [loaded.shapes![2]!, loaded.shapes![0]!];
      await loaded.save();
      expect(await fixture().stored(Hostile, { hostile_id: 'h12' })).toEqual({
        ...written,
        shape: { side: 4, legacy: 'x', radius_cm: 4 },
        shapes: [
          { side: 5, old: null },
          { radius: 1, old: true },
        ],
      });
      // A key asked twice: the second object, copied from the first's item, keeps them too.
      const [, second] = await Hostile.getMany(['h12', 'h12']);
      expect(second!.shape).toEqual({ side: 4 });
      (second!.shape as { side: number }).side = 6;
      await second!.save();
      expect((await fixture().stored(Hostile, { hostile_id: 'h12' }))!.shape).toEqual({
        side: 6,
        legacy: 'x',
        radius_cm: 4,
      });
      // Neither member may be the object's (it has neither required property): nothing is set
      // aside, and validation refuses the object.
      await fixture().seed(Hostile, {
        ...written,
        hostile_id: 'h13',
        shape: { legacy: 'x' },
      } as never);
      const unknown = await Hostile.load('h13');
      expect(unknown.shape).toEqual({ legacy: 'x' });
      await expectError(unknown.save(), ValidationError);
    });

    it('[P-92] an item another client wrote without the version property is saved over, once, at version 1', async () => {
      const { Account } = fixture().models;
      await fixture().seed(Account, { account_id: 'a1', owner: 'ann', balance: 10 });
      const first = await Account.load('a1');
      const second = await Account.load('a1');
      first.balance = 20;
      await first.save();
      expect(first.revision).toBe(1);
      expect(await fixture().stored(Account, { account_id: 'a1' })).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: 20,
        revision: 1,
      });
      // The other copy was read without a version too: its save would overwrite the first.
      second.balance = 30;
      await expectError(second.save(), ConflictError);
      // A new object without a version is still a create: it never overwrites.
      await expectError(
        new Account({ account_id: 'a1', owner: 'bob', balance: 0 }).save(),
        ConflictError,
      );
      expect((await fixture().stored(Account, { account_id: 'a1' }))?.balance).toBe(20);
    });

    it('[P-92] a NULL version (PyMacaron stored unset properties as NULL) counts as none', async () => {
      const { Account } = fixture().models;
      await fixture().seed(Account, {
        account_id: 'a1',
        owner: 'ann',
        balance: 10,
        revision: null,
      } as never);
      const first = await Account.load('a1');
      const second = await Account.load('a1');
      expect(first.revision).toBeUndefined();
      first.balance = 20;
      await first.save();
      expect(first.revision).toBe(1);
      expect((await fixture().stored(Account, { account_id: 'a1' }))?.revision).toBe(1);
      second.balance = 30;
      await expectError(second.save(), ConflictError);
      expect((await fixture().stored(Account, { account_id: 'a1' }))?.balance).toBe(20);
    });

    it('[P-93] a version never grows past its property: 2^53 for an integer without int64', async () => {
      const { Account } = fixture().models;
      const largest = Number.MAX_SAFE_INTEGER;
      await fixture().seed(Account, {
        account_id: 'a1',
        owner: 'ann',
        balance: 10,
        revision: largest,
      });
      const loaded = await Account.load('a1');
      loaded.balance = 20;
      const error = await expectError(loaded.save(), ValidationError);
      expect(error.problems[0]).toMatchObject({ pointer: '/revision', keyword: 'type' });
      expect(loaded.revision).toBe(largest);
      expect(await fixture().stored(Account, { account_id: 'a1' })).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: 10,
        revision: largest,
      });
    });

    it('[P-93] an int64 version beyond 2^53 is a bigint, compared and incremented exactly', async () => {
      const { Ledger } = fixture().models;
      const big = 2n ** 60n;
      await fixture().seed(Ledger, { ledger_id: 'l1', revision: big, total: 1 });
      const loaded = await Ledger.load('l1');
      expect(loaded.revision).toBe(big);
      const stale = await Ledger.load('l1');
      loaded.total = 2;
      await loaded.save();
      expect(loaded.revision).toBe(big + 1n);
      expect((await fixture().stored(Ledger, { ledger_id: 'l1' }))?.revision).toBe(big + 1n);
      stale.total = 3;
      const conflict = await expectError(stale.save(), ConflictError);
      expect(conflict.expectedVersion).toBe(big);
    });

    it('[P-94] a failed condition keeps its meaning when the read that would explain it fails', async () => {
      const { Account, Note } = fixture().models;
      await Account.create({ account_id: 'a1', owner: 'ann', balance: 10 });
      await Note.create({ note_id: 'n1', text: 't' });
      const failing = withFailingReads(fixture().backend);
      const models = await fixture().reopen(failing);
      const stale = new models.Account({ account_id: 'a1', owner: 'ann', balance: 5, revision: 0 });
      // Only the version can have failed: a conflict, with no read at all.
      await expectError(stale.save(), ConflictError);
      // Only "the item exists" can have failed: not found, with no read at all.
      await expectError(models.Note.update('missing', { set: { text: 'x' } }), ItemNotFoundError);
      expect(failing.reads).toBe(0);
      // With a caller's condition too, which one failed cannot be read back: still a 409.
      const error = await expectError(
        stale.save({ condition: { attr: 'owner', eq: 'ann' } }),
        ConditionFailedError,
      );
      expect(error.cause).toBeInstanceOf(BackendError);
      await expectError(
        models.Note.update(
          'missing',
          { set: { text: 'x' } },
          { condition: { attr: 'text', eq: 't' } },
        ),
        ConditionFailedError,
      );
      expect(failing.reads).toBeGreaterThan(0);
      expect((await fixture().stored(Account, { account_id: 'a1' }))?.balance).toBe(10);
      expect(await fixture().stored(Note, { note_id: 'missing' })).toBeUndefined();
    });
  });
}
