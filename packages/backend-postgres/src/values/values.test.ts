import type { StoredItem } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { decodeItem } from './decode-item.js';
import { encodeItem } from './encode-item.js';
import { parseExactJson, parseJsonbTextExactly } from './exact-json.js';
import { escapeKeyText, unescapeKeyText } from './nul-escape.js';

const roundTrip = (item: StoredItem) => {
  const { json, types } = encodeItem(item);
  return decodeItem(json, types);
};

describe('item encoding', () => {
  it('writes plain JSON values as the object JSON, with no type annotations', () => {
    const item = { id: 'a', n: 1.5, list: [1, 'x', null, true], map: { deep: { x: 1e-130 } } };
    expect(encodeItem(item)).toEqual({ json: JSON.stringify(item), types: null });
    expect(roundTrip(item)).toEqual(item);
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
  ])(
    'refuses a row another client wrote with %s, never reading it otherwise',
    (_label, json, types) => {
      expect(() => decodeItem(json, types)).toThrow(TypeError);
    },
  );

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

describe('exact JSON', () => {
  it('reads integers beyond 2^53 as bigints and refuses numbers no double holds', () => {
    expect(parseExactJson('{"a":12345678901234567890,"b":[1e-130,0.1]}')).toEqual({
      a: 12345678901234567890n,
      b: [1e-130, 0.1],
    });
    expect(() => parseExactJson('0.12345678901234567890123')).toThrow(/exact/);
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
    expect(parseJsonbTextExactly('{"s": "1234567890123456789", "n": 0.5}')).toEqual({
      s: '1234567890123456789',
      n: 0.5,
    });
    // jsonb's text of 1e-7 and of 1e400: plain decimals, the second beyond any double.
    expect(parseJsonbTextExactly('{"n": 0.0000001}')).toEqual({ n: 1e-7 });
    expect(parseJsonbTextExactly(`{"n": 1${'0'.repeat(400)}}`)).toEqual({ n: 10n ** 400n });
    expect(() => parseJsonbTextExactly(`{"n": 0.1234567890123456789}`)).toThrow(/exact/);
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
