import {
  InvalidRequestError,
  type StoredItem,
  type StoredValue,
  type TableDescriptor,
} from '@macaron/core';
import { checkJsonItemToWrite } from '@macaron/core/backend';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeItem, decodeItemPage } from './decode-item.js';
import { encodeItem } from './encode-item.js';
import { parseExactJson, parseJsonbTextExactly } from './exact-json.js';
import { checkMembersNamedOnce, namesTopMemberTwice } from './member-names.js';
import { escapeKeyText, unescapeKeyText } from './nul-escape.js';

const roundTrip = (item: StoredItem) => {
  const { json, types } = encodeItem(item);
  return decodeItem(json, types);
};

/**
 * Where two stored values differ (`undefined` when they are equal), compared with a stack of
 * its own: expect's matchers recurse, and these values are nested 100,000 levels deep.
 */
function difference(left: StoredValue, right: StoredValue): string | undefined {
  const pending: [StoredValue, StoredValue, string][] = [[left, right, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [a, b, at] = next;
    if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') {
      if (a !== b) return `${at}: ${String(a)} and ${String(b)}`;
    } else if (a instanceof Uint8Array || b instanceof Uint8Array) {
      if (!(a instanceof Uint8Array && b instanceof Uint8Array) || Buffer.compare(a, b) !== 0)
        return `${at}: bytes`;
    } else if (a instanceof Set || b instanceof Set) {
      if (!(a instanceof Set && b instanceof Set)) return `${at}: a set and no set`;
      const members = (set: ReadonlySet<unknown>) =>
        [...set].map((member) => (member instanceof Uint8Array ? [...member] : member));
      expect(members(a)).toEqual(members(b));
    } else if (Array.isArray(a) || Array.isArray(b)) {
      if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return `${at}: lists`;
      a.forEach((member, index) => {
        pending.push([member, (b as StoredValue[])[index]!, `${at}/${index}`]);
      });
    } else {
      const [x, y] = [a as StoredItem, b as StoredItem];
      if (Object.keys(x).sort().join('\u0000') !== Object.keys(y).sort().join('\u0000'))
        return `${at}: names ${Object.keys(x)} and ${Object.keys(y)}`;
      for (const name of Object.keys(x)) pending.push([x[name]!, y[name]!, `${at}/${name}`]);
    }
  }
  return undefined;
}

describe('item encoding', () => {
  it('writes plain JSON values as the object JSON, with no type annotations', () => {
    const item = { id: 'a', n: 1.5, list: [1, 'x', null, true], map: { deep: { x: 1e-130 } } };
    expect(encodeItem(item)).toEqual({ json: JSON.stringify(item), types: null });
    expect(roundTrip(item)).toEqual(item);
  });

  it('encodes an item checkJsonItemToWrite says holds JSON values alone as it encodes it unsaid (random items, U+0000 included)', () => {
    const table = {
      name: 't',
      partitionKey: { name: 'id', type: 'string' },
      indexes: [],
    } as unknown as TableDescriptor;
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.constantFrom('\u0000', 'a\u0000', '\\u0000', '\\0'),
    );
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(text, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    let said = 0;
    fc.assert(
      fc.property(fc.dictionary(text, json, { maxKeys: 4 }), (attributes) => {
        const item = { ...attributes, id: 'x' } as StoredItem;
        let jsonAlone = false;
        try {
          jsonAlone = checkJsonItemToWrite(item, table, 'putItem');
        } catch (error) {
          if (error instanceof InvalidRequestError) return; // refused: never encoded
          throw error;
        }
        if (!jsonAlone) return;
        said++;
        expect(encodeItem(item, true)).toEqual(encodeItem(item));
        expect(roundTrip(item)).toEqual(item);
      }),
      { numRuns: 500 },
    );
    // Most such items are JSON's alone: the hint was taken, not only skipped.
    expect(said).toBeGreaterThan(100);
  });

  it('keeps bigints, bytes, sets and U+0000 exactly, and names them in item_types', () => {
    const item: StoredItem = {
      big: 123456789012345678901234567890n,
      bytes: Uint8Array.of(0, 255),
      tags: new Set(['a', 'b\u0000']),
      scores: new Set([1, 2.5, 12345678901234567890n]),
      blobs: new Set([Uint8Array.of(1), Uint8Array.of(2)]),
      nul: 'a\u0000b\\0',
      'k\u0000ey': { 'in\u0000ner': Uint8Array.of(7) },
      list: [Uint8Array.of(3), 'x\u0000'],
    };
    const { json, types } = encodeItem(item);
    expect(json).not.toContain('\\u0000');
    expect(JSON.parse(types!)).toEqual({
      '/bytes': 'B',
      '/tags': 'SSZ',
      '/scores': 'NS',
      '/blobs': 'BS',
      '/nul': 'Z',
      '/k\\0ey': 'K',
      '/k\\0ey/in\\0ner': 'KB',
      '/list/0': 'B',
      '/list/1': 'Z',
    });
    expect(roundTrip(item)).toEqual(item);
  });

  it('finds U+0000 in an otherwise plain item, in a value or a name, at any depth', () => {
    for (const item of [
      { s: 'a\u0000' },
      { 'n\u0000': 1 },
      { deep: { list: [{ s: '\u0000' }] } },
      { deep: [{ 'x\u0000y': true }] },
    ] as StoredItem[]) {
      const { json, types } = encodeItem(item);
      expect(json).not.toContain('\\u0000');
      expect(types).not.toBeNull();
      expect(roundTrip(item)).toEqual(item);
    }
  });

  it('writes a backslash before `u0000` in a string or a name as it is, unannotated', () => {
    // JSON.stringify spells it `\\u0000`, in which `\u0000` can be read: it is no U+0000.
    const item = { s: 'a\\u0000b', 'n\\u0000': 'x', deep: ['\\u0000'] };
    expect(encodeItem(item)).toEqual({ json: JSON.stringify(item), types: null });
    expect(roundTrip(item)).toEqual(item);
  });

  it('never lets an escaped name meet a name the map holds (a U+0000 name beside a backslash one)', () => {
    // `a` U+0000 is stored as `a\0`: the names spelt with a backslash are escaped too.
    const maps: StoredItem[] = [
      { 'a\u0000': 1, 'a\\0': 2 },
      { 'a\\0': 2, 'a\u0000': 1 },
      { '\u0000': 1, '\\0': 2, '\\': 3, '\\\\0': 4, plain: 5 },
      { 'x\\\u0000': 1, 'x\\\\0': 2, 'x\\0': 3 },
    ];
    for (const map of maps) {
      const item: StoredItem = { ...map, nested: { ...map }, list: [{ ...map }] };
      const back = roundTrip(item);
      expect(back).toEqual(item);
      expect(Object.keys(back.nested as StoredItem).sort()).toEqual(Object.keys(map).sort());
    }
    // Without a U+0000 name, backslash names stay as they are, unannotated.
    expect(encodeItem({ 'a\\0': 1 })).toEqual({ json: '{"a\\\\0":1}', types: null });
  });

  it.each([
    ['bytes that are not base64', '{"b": "hello world!"}', '{"/b": "B"}'],
    ['base64 missing its padding', '{"b": "yes"}', '{"/b": "B"}'],
    ['item_types that is no object', '{"b": 1}', '5'],
    ['item_types that is a list', '{"b": 1}', '["/b"]'],
    ['an unknown type code', '{"b": "x"}', '{"/b": "Q"}'],
    ['a code that is no string', '{"b": "x"}', '{"/b": 1}'],
    ['a number set holding one number twice', '{"s": [1, 1.0]}', '{"/s": "NS"}'],
    ['a string set holding one string twice', '{"s": ["a", "a"]}', '{"/s": "SS"}'],
    ['a binary set holding the same bytes twice', '{"s": ["AQ==", "AQ=="]}', '{"/s": "BS"}'],
    ['base64 whose last character holds bits past the bytes', '{"b": "QR=="}', '{"/b": "B"}'],
    ['base64 of two bytes with stray bits', '{"b": "QUJ="}', '{"/b": "B"}'],
    ['an empty list marked a string set', '{"s": []}', '{"/s": "SS"}'],
    ['an empty list marked a number set', '{"s": []}', '{"/s": "NS"}'],
    ['an empty list marked a binary set', '{"s": []}', '{"/s": "BS"}'],
    ['a pointer without its leading slash', '{"tags": ["a"]}', '{"xtags": "SS"}'],
    ['the empty pointer (the item itself)', '{"b": "QQ=="}', '{"": "B"}'],
    ['the empty pointer marked a map key', '{"b": 1}', '{"": "K"}'],
    ['a ~ escape RFC 6901 does not have', '{"a~2": "QQ=="}', '{"/a~2": "B"}'],
    ['a list index with a leading zero', '{"l": ["x", "QQ=="]}', '{"/l/01": "B"}'],
    ['a list index written as a number text', '{"l": ["x", "QQ=="]}', '{"/l/1e0": "B"}'],
    ['a list index with a space', '{"l": ["x", "QQ=="]}', '{"/l/ 1": "B"}'],
    ['an empty list step', '{"l": ["QQ=="]}', '{"/l/": "B"}'],
    ['a map key marked in a list', '{"l": ["a"]}', '{"/l/0": "K"}'],
    ['an empty type code', '{"g": "x"}', '{"/g": ""}'],
    ['a map key marked escaped in a map without U+0000', '{"g": "x"}', '{"/g": "K"}'],
    ['a string marked escaped that holds no U+0000', '{"s": "a\\\\\\\\b"}', '{"/s": "Z"}'],
    ['a backslash that escapes nothing', '{"s": "\\\\0\\\\q"}', '{"/s": "Z"}'],
    ['a backslash ending an escaped string', '{"s": "\\\\0\\\\"}', '{"/s": "Z"}'],
    ['a string set marked escaped with no U+0000', '{"s": ["a"]}', '{"/s": "SSZ"}'],
    [
      'a map with a U+0000 name and a backslash name left unescaped',
      '{"m": {"a\\\\0": 1, "b\\\\c": 2}}',
      '{"/m/a\\\\0": "K"}',
    ],
    [
      'a map key given back under the name of another key of its map',
      '{"m": {"a\\\\": 1, "a\\\\\\\\": 2}}',
      '{"/m/a\\\\\\\\": "K"}',
    ],
  ])(
    'refuses a row another client wrote with %s, never reading it otherwise',
    (_label, json, types) => {
      expect(() => decodeItem(json, types)).toThrow(TypeError);
    },
  );

  it('reads what it writes for U+0000 in strings, sets and map keys, backslashes beside it', () => {
    const item = {
      s: 'a\u0000\\b',
      set: new Set(['x\u0000', 'y\\']),
      m: { 'k\u0000': 1, 'b\\c': 2, plain: 3 },
    };
    const { json, types } = encodeItem(item);
    expect(decodeItem(json, types)).toEqual(item);
  });

  it('reads a list step RFC 6901 writes, and escaped names, as they are', () => {
    const item = decodeItem(
      '{"l": ["x", "QQ=="], "a/b~": {"c": "QUI="}}',
      '{"/l/1": "B", "/a~1b~0/c": "B"}',
    );
    expect(item.l).toEqual(['x', new Uint8Array([0x41])]);
    expect((item['a/b~'] as Record<string, unknown>).c).toEqual(new Uint8Array([0x41, 0x42]));
  });

  it('reads back bytes under names that spell pointer escapes (`~1`, `~0`, `~01`, `/`)', () => {
    // RFC 6901 unescapes `~1` before `~0`: `~01` names `~1`, never `/`.
    const item: StoredItem = {
      '~1': Uint8Array.of(1),
      '~0': Uint8Array.of(2),
      '~01': Uint8Array.of(3),
      '/': Uint8Array.of(4),
      '~': { '/~1': Uint8Array.of(5) },
    };
    expect(roundTrip(item)).toEqual(item);
  });

  it('says a page holds a NULL item (a table another client made), not some other fault', () => {
    expect(() => decodeItemPage('{"a": 1},\n', '\u0001')).toThrow(/item column is NULL/);
  });

  it('refuses to encode an empty set, which no engine stores', () => {
    expect(() => encodeItem({ s: new Set<string>() })).toThrow(TypeError);
  });

  it('reads base64 bytes and sets another client wrote well', () => {
    expect(decodeItem('{"b": "AAH/", "s": [1, 2]}', '{"/b": "B", "/s": "NS"}')).toEqual({
      b: Uint8Array.of(0, 1, 255),
      s: new Set([1, 2]),
    });
  });

  it('keeps __proto__ and other prototype names as plain data', () => {
    const item = JSON.parse('{"__proto__":{"polluted":true},"constructor":1,"toString":"x"}');
    const back = roundTrip(item);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(back).toEqual(item);
  });
});

describe('a page of items read as one list', () => {
  // A stored item of any shape, with what item_types names (bigints, bytes, sets, U+0000 in
  // names) and numbers JSON.parse would round.
  const storedValue: fc.Arbitrary<StoredValue> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
      fc
        .bigInt({ min: -(10n ** 30n), max: 10n ** 30n })
        .filter((n) => n > 2n ** 53n || n < -(2n ** 53n)),
      fc.uint8Array({ maxLength: 4 }),
      fc
        .uniqueArray(fc.string(), { minLength: 1, maxLength: 3 })
        .map((members) => new Set(members)),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 }),
    ),
  })).value as fc.Arbitrary<StoredValue>;
  const storedItem = fc.dictionary(fc.string(), storedValue, {
    maxKeys: 4,
  }) as fc.Arbitrary<StoredItem>;
  // One item's row: its texts as encodeItem writes them, or a NULL item, or a text that is no
  // object (another client's rows).
  const row = fc.oneof(
    { weight: 8, arbitrary: storedItem.map((item) => encodeItem(item)) },
    { weight: 1, arbitrary: fc.constant({ json: '', types: null }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('[1]', '"x"', '7', 'null').map((json) => ({ json, types: null })),
    },
  );
  const outcome = (read: () => StoredItem[]) => {
    try {
      return { items: read() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it('reads every page as its items read one by one, failures alike', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), (rows) => {
        const page = outcome(() =>
          decodeItemPage(
            rows.map(({ json }) => json).join(',\n'),
            rows.map(({ types }) => types ?? '').join('\u0001'),
          ),
        );
        const oneByOne = outcome(() =>
          rows.map(({ json, types }) => decodeItem(json === '' ? null : json, types || undefined)),
        );
        if ('error' in oneByOne) expect(page).toEqual(oneByOne);
        else {
          expect('items' in page).toBe(true);
          const items = (page as { items: StoredItem[] }).items;
          expect(items).toHaveLength(oneByOne.items.length);
          items.forEach((item, index) => {
            expect(difference(item, oneByOne.items[index]!)).toBeUndefined();
            // An own property, as JSON.parse makes `__proto__`: never a prototype.
            expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
          });
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reads a number JSON.parse would round exactly, and `__proto__` as an own member', () => {
    const items = decodeItemPage(
      '{"a": 1},\n{"n": 12345678901234567890},\n{"__proto__": {"x": 1}}',
      '\u0001\u0001',
    );
    expect(items[1]).toEqual({ n: 12345678901234567890n });
    expect(Object.hasOwn(items[2]!, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(items[2])).toBe(Object.prototype);
  });
});

describe('items nested far deeper than DynamoDB allows (PostgreSQL holds them)', () => {
  const levels = 100_000;

  it('encodes and decodes one 100,000 levels deep, what JSON loses included, at any depth', () => {
    // What JSON loses near the top, past the depth the encoder stops recursing, and at the bottom.
    const marked = (level: number) => level < 3 || (level > 60 && level < 70) || level > levels - 3;
    let value: StoredValue = { big: 12345678901234567890n, 'k\u0000': Uint8Array.of(1) };
    for (let level = levels - 1; level >= 0; level--) {
      if (level % 2 === 0) value = [value, marked(level) ? new Set(['a\u0000', 'b']) : 'x'];
      else if (marked(level))
        value = { 'n\u0000': value, '\\': 'a\u0000b', b: Uint8Array.of(level % 256) };
      else value = { next: value, n: level };
    }
    const item: StoredItem = { id: 'deep', value };
    const { json, types } = encodeItem(item);
    expect(types).not.toBeNull();
    // The escaped names and bytes at the bottom are named by their whole path.
    const bottom = Object.entries(JSON.parse(types!) as Record<string, string>).filter(
      ([pointer]) => pointer.endsWith('/k\\0'),
    );
    expect(bottom.map(([pointer, code]) => [pointer.split('/').length, code])).toEqual([
      [levels + 3, 'KB'],
    ]);
    expect(difference(decodeItem(json, types), item)).toBeUndefined();
    // Plain JSON as deep (JSON.stringify would overflow): the same text JSON.parse reads back.
    let plain: StoredValue = 1;
    for (let level = 0; level < levels; level++) plain = level % 2 ? [plain] : { d: plain };
    const encoded = encodeItem({ plain });
    expect(encoded.types).toBeNull();
    expect(difference(JSON.parse(encoded.json), { plain })).toBeUndefined();
  });

  it('encodes maps nested in maps alone as deep, with no list on the way down', () => {
    // Every step a map: the walk must leave recursion for maps too, not for lists alone.
    let value: StoredValue = { b: Uint8Array.of(1) };
    for (let level = 0; level < levels; level++) value = { next: value };
    const item: StoredItem = { id: 'maps', value };
    const { json, types } = encodeItem(item);
    expect(difference(decodeItem(json, types), item)).toBeUndefined();
  });
});

describe('exact JSON', () => {
  it('reads integers beyond 2^53 as bigints and refuses numbers no double holds', () => {
    expect(parseExactJson('{"a":12345678901234567890,"b":[1e-130,0.1]}')).toEqual({
      a: 12345678901234567890n,
      b: [1e-130, 0.1],
    });
    expect(() => parseExactJson('0.12345678901234567890123')).toThrow(/exact/);
    // The message says where: a JSON pointer, as RFC 6901 escapes it.
    expect(() => parseExactJson('{"a":[1,{"b~/":0.12345678901234567890123}]}')).toThrow(
      '(at /a/1/b~0~1)',
    );
  });

  it('reads jsonb text exactly: long digit runs take the exact parser, wherever they are', () => {
    expect(parseJsonbTextExactly('{"a": "2026-11-26T10:00:00.000Z", "n": 123}')).toEqual({
      a: '2026-11-26T10:00:00.000Z',
      n: 123,
    });
    expect(parseJsonbTextExactly('{"n": 9007199254740993}')).toEqual({ n: 9007199254740993n });
    // Every offset of the run against the 16-character stride.
    for (let pad = 0; pad < 16; pad++)
      expect(parseJsonbTextExactly(`{"${'p'.repeat(pad)}": 12345678901234567}`)).toEqual({
        ['p'.repeat(pad)]: 12345678901234567n,
      });
    // The shortest run that can round (16 digits: 2^53 + 1), at every offset too: a run exactly
    // as long as the stride is found only when every stride's worth of text is looked at.
    for (let pad = 0; pad < 17; pad++) {
      const text = `{"${'p'.repeat(pad)}": 9007199254740993}`;
      expect(parseJsonbTextExactly(text)).toEqual({ ['p'.repeat(pad)]: 9007199254740993n });
      expect(decodeItemPage(text, '')).toEqual([{ ['p'.repeat(pad)]: 9007199254740993n }]);
    }
    expect(parseJsonbTextExactly('{"s": "1234567890123456789", "n": 0.5}')).toEqual({
      s: '1234567890123456789',
      n: 0.5,
    });
    // jsonb's text of 1e-7 and of 1e400: plain decimals, the second beyond any double.
    expect(parseJsonbTextExactly('{"n": 0.0000001}')).toEqual({ n: 1e-7 });
    expect(parseJsonbTextExactly(`{"n": 1${'0'.repeat(400)}}`)).toEqual({ n: 10n ** 400n });
    expect(() => parseJsonbTextExactly(`{"n": 0.1234567890123456789}`)).toThrow(/exact/);
    // 17 significant digits, split by the point into runs shorter than 16: the run counts it.
    expect(() => parseJsonbTextExactly(`{"n": 12345678.123456789}`)).toThrow(/exact/);
    expect(() => decodeItemPage(`{"n": 12345678.123456789}`, '')).toThrow(/exact/);
  });

  it('reads what JSON.parse reads, as JSON.parse reads it, integers beyond 2^53 as bigints', () => {
    const asNumbers = (value: unknown) =>
      JSON.stringify(value, (_name, member) =>
        typeof member === 'bigint' ? Number(member) : member,
      );
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 1 : undefined);
        expect(asNumbers(parseExactJson(text))).toBe(asNumbers(JSON.parse(text)));
      }),
    );
    for (const text of ['', '[', '[1,', '[1 2]', '[1}', '{"a"', '{"a" 1}', '{"a":1,}', '{"a":1]'])
      expect(() => parseExactJson(text), text).toThrow(SyntaxError);
    for (const text of ['{1:2}', 'tru', '[1]x', '"a', '{"a":1 "b":2}'])
      expect(() => parseExactJson(text), text).toThrow(SyntaxError);
  });

  it('reads any depth JSON.parse reads: a 20-digit number 100,000 levels down is exact', () => {
    const levels = 100_000;
    // jsonb's text, spaces included: lists and maps in turn, with a member beside.
    const deep = (number: string) =>
      `${'{"a": ['.repeat(levels / 2)}${number}${', 1]}'.repeat(levels / 2)}`;
    const exact = parseJsonbTextExactly(deep('12345678901234567890'));
    const plain = JSON.parse(deep('7')) as StoredValue;
    expect(difference(exact, plain)).toBe(
      `${'/a/0'.repeat(levels / 2)}: 12345678901234567890 and 7`,
    );
    const unreadable = deep('0.12345678901234567890123');
    expect(() => parseJsonbTextExactly(unreadable)).toThrow(/has no exact JavaScript value/);
  });
});

describe('key text escape', () => {
  it('round-trips and keeps UTF-8 byte order', () => {
    const values = [
      '',
      'a',
      'a\u0000',
      'a\u0000b',
      'a\u0001',
      'a\u0001\u0000',
      'a\u0002',
      'a!',
      'b',
    ];
    for (const value of values) expect(unescapeKeyText(escapeKeyText(value))).toBe(value);
    const escaped = values.map(escapeKeyText);
    expect([...escaped].sort()).toEqual(escaped);
    expect(escaped.every((value) => !value.includes('\u0000'))).toBe(true);
  });
});

describe('members named twice in json text', () => {
  const twice = (text: string) => {
    try {
      checkMembersNamedOnce(text, 'the stored item');
      return undefined;
    } catch (error) {
      return (error as Error).message.match(/\(at (.*?)\)/)?.[1];
    }
  };

  it('finds one at any depth, escaped or not, and names where', () => {
    expect(twice('{"a": 1, "a": 2}')).toBe('/a');
    expect(twice('{"a":1,"\\u0061":1}')).toBe('/a');
    expect(twice('{"x": [1, {"b": 1}, {"c": {"d": null, "d": []}}]}')).toBe('/x/2/c/d');
    expect(twice('{"a/b~": 1, "a/b~": 1}')).toBe('/a~1b~0');
    expect(twice(' { "a" : 1 , "a" : 1 } ')).toBe('/a');
    expect(twice('[{"a": 1}, {"a": 1, "a": 1}]')).toBe('/1/a');
  });

  it('reads what only looks like one, and any nesting', () => {
    for (const text of [
      '{"a": {"a": 1}, "b": {"a": 2}}',
      '{"a": "\\"a\\": 1, {\\"a\\"", "b": "}", "c": "\\\\", "d": ["a", "a"]}',
      '{"a": [{"a": 1}, {"a": 1}], "A": 1}',
      '{"": 1, " ": 2}',
      '[]',
      '"a"',
      '{}',
    ])
      expect(twice(text)).toBeUndefined();
    const depth = 200_000;
    expect(twice(`${'{"a": ['.repeat(depth)}1${']}'.repeat(depth)}`)).toBeUndefined();
    const deep = twice(`${'{"a": ['.repeat(depth)}{"z": 1, "z": 2}${']}'.repeat(depth)}`);
    // The message bounds what it shows: the pointer's start.
    expect(deep?.startsWith('/a/0/a/0')).toBe(true);
  });

  it('makes an item, or its item_types, unreadable exactly when given as its column holds them', () => {
    expect(() => decodeItem('{"a": 2}', null, { item: '{"a": 1, "a": 2}', types: false })).toThrow(
      /the stored item names one member twice \(at \/a\)/,
    );
    expect(() => decodeItem('{"b": "QQ=="}', '{"/b": "B", "/b": "B"}', { types: true })).toThrow(
      /its item_types names one member twice \(at \/~1b\)/,
    );
    expect(decodeItem('{"b": "QQ=="}', '{"/b": "B", "/b": "B"}')).toEqual({
      b: new Uint8Array([65]),
    });
    expect(() =>
      decodeItemPage('{"a": 1},\n{"a": 2}', '\u0001', {
        item: '{"a": 1}\u0001{"a": 1, "a": 2}',
        types: false,
      }),
    ).toThrow(/names one member twice/);
  });
});

describe('a top-level member named twice in json text (a discriminator)', () => {
  it('counts the top level alone, escaped names alike', () => {
    expect(namesTopMemberTwice('{"kind":"a","x":1,"kind":"b"}', 'kind')).toBe(true);
    expect(namesTopMemberTwice('{"kind":"a","k\\u0069nd":"b"}', 'kind')).toBe(true);
    expect(namesTopMemberTwice(' { "kind" : "a" , "kind" : "a" } ', 'kind')).toBe(true);
    expect(namesTopMemberTwice('{"kind":"a","name":"b","name":"c"}', 'kind')).toBe(false);
    // Deeper objects, lists and string values are not the top level's members.
    expect(namesTopMemberTwice('{"kind":"a","x":{"kind":"b"},"y":[{"kind":"c"}]}', 'kind')).toBe(
      false,
    );
    expect(namesTopMemberTwice('{"kind":"kind","note":"\\"kind\\":1"}', 'kind')).toBe(false);
    expect(namesTopMemberTwice('[{"kind":"a"},{"kind":"b"}]', 'kind')).toBe(false);
  });
});
