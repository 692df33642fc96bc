import type { SchemaNode } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { coerceParameter, coerceScalar } from './coerce-parameter.js';
import { JsonNumberRangeError } from './exact-json.js';

const node = (types: SchemaNode['types'], items?: SchemaNode): SchemaNode => ({
  types,
  items,
  properties: {},
  required: [],
  pointer: '',
});

describe('coerceScalar', () => {
  it('parses integers, numbers and booleans by the schema type', () => {
    expect(coerceScalar(node(['integer']), '42')).toBe(42);
    expect(coerceScalar(node(['integer']), '-7')).toBe(-7);
    expect(coerceScalar(node(['integer']), '9007199254740993')).toBe(9007199254740993n);
    expect(coerceScalar(node(['number']), '2.5e3')).toBe(2500);
    expect(coerceScalar(node(['number']), '.5')).toBe(0.5);
    expect(coerceScalar(node(['boolean']), 'TRUE')).toBe(true);
    expect(coerceScalar(node(['boolean']), 'false')).toBe(false);
  });

  it('gives the error for a number no property holds as written, never a rounded one', () => {
    for (const text of ['1e999', '1e-400', '0.30000000000000001', '9007199254740993.5']) {
      expect(coerceScalar(node(['number']), text)).toBeInstanceOf(JsonNumberRangeError);
    }
  });

  it('leaves text that does not parse, for validation to refuse', () => {
    expect(coerceScalar(node(['integer']), '4.2')).toBe('4.2');
    expect(coerceScalar(node(['integer']), '')).toBe('');
    expect(coerceScalar(node(['number']), 'NaN')).toBe('NaN');
    expect(coerceScalar(node(['boolean']), 'yes')).toBe('yes');
  });

  it('keeps text for strings, unions with string and untyped schemas', () => {
    expect(coerceScalar(node(['string']), '42')).toBe('42');
    expect(coerceScalar(node(['string', 'integer']), '42')).toBe('42');
    expect(coerceScalar(node(undefined), '42')).toBe('42');
    expect(coerceScalar(undefined, 'true')).toBe('true');
  });
});

describe('coerceParameter', () => {
  const integers = node(['array'], node(['integer']));

  it('splits one occurrence by the separator and parses each item', () => {
    expect(coerceParameter(integers, '1,2,3', { separator: ',' })).toEqual([1, 2, 3]);
    expect(coerceParameter(integers, '1|2', { separator: '|' })).toEqual([1, 2]);
    expect(coerceParameter(integers, '', { separator: ',' })).toEqual([]);
  });

  it('keeps one item per occurrence without a separator', () => {
    expect(coerceParameter(integers, ['1', '2'])).toEqual([1, 2]);
    expect(coerceParameter(integers, '1,2')).toEqual(['1,2']);
  });

  it('reads a header list as HTTP does: spaces and tabs around items, empty items dropped', () => {
    const list = { separator: ',', fieldList: true };
    expect(coerceParameter(integers, '1, 2,\t3 ', list)).toEqual([1, 2, 3]);
    expect(coerceParameter(integers, ', 1,, 2 ,', list)).toEqual([1, 2]);
    expect(coerceParameter(node(['array'], node(['string'])), 'a b, c', list)).toEqual([
      'a b',
      'c',
    ]);
    // Outside a header, spaces are data, which validation refuses for an integer.
    expect(coerceParameter(integers, '1, 2', { separator: ',' })).toEqual([1, ' 2']);
  });

  it('says which item is a number no property holds as written', () => {
    const numbers = node(['array'], node(['number']));
    const refused = coerceParameter(numbers, '1,0.30000000000000001', { separator: ',' });
    expect(refused).toBeInstanceOf(JsonNumberRangeError);
    expect((refused as JsonNumberRangeError).pointer).toBe('/1');
    expect(coerceParameter(node(['number']), ['1', '1e999'])).toEqual(['1', '1e999']);
  });

  it('keeps a repeated scalar parameter as a list, which validation refuses', () => {
    expect(coerceParameter(node(['integer']), ['1', '2'])).toEqual([1, 2]);
  });

  it('decodes each item once split, so that an encoded delimiter is data', () => {
    const strings = node(['array'], node(['string']));
    const decode = decodeURIComponent;
    expect(coerceParameter(strings, 'a%2Cb,c', { separator: ',', decode })).toEqual(['a,b', 'c']);
    expect(coerceParameter(node(['integer']), '%31%32', { decode })).toBe(12);
    expect(coerceParameter(node(['string']), ['a%20', 'b'], { decode })).toEqual(['a ', 'b']);
  });
});
