import type { SchemaNode } from '@macaron/core';
import { readNumberExactly } from './exact-json.js';

const integerText = /^[+-]?\d+$/;
const numberText = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Turns the text of a parameter into the value its schema describes: integers, numbers,
 * booleans, and arrays of them (split by `separator`, or one item per occurrence). Text that
 * does not parse is left as it is, so validation reports it against the schema.
 */
export function coerceParameter(
  schema: SchemaNode | undefined,
  raw: string | string[],
  separator: string | undefined,
  digitBooleans = false,
): unknown {
  if (schema?.types?.includes('array')) {
    const occurrences = Array.isArray(raw) ? raw : [raw];
    const items =
      separator === undefined
        ? occurrences
        : occurrences.flatMap((occurrence) =>
            occurrence === '' ? [] : occurrence.split(separator),
          );
    return items.map((item) => coerceScalar(schema.items, item, digitBooleans));
  }
  // A repeated parameter that is not an array stays a list: validation refuses it.
  return Array.isArray(raw)
    ? raw.map((item) => coerceScalar(schema, item, digitBooleans))
    : coerceScalar(schema, raw, digitBooleans);
}

/**
 * Parses one parameter text by its schema's type; `string` (or no type) keeps the text.
 * `digitBooleans` reads `1` and `0` as booleans too, as PyMacaron (bravado-core) did.
 */
export function coerceScalar(
  schema: SchemaNode | undefined,
  text: string,
  digitBooleans = false,
): unknown {
  const types = schema?.types;
  if (types === undefined || types.includes('string')) return text;
  // An integer beyond 2^53 is a bigint, for a number property too: never a rounded number.
  if ((types.includes('integer') || types.includes('number')) && integerText.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : BigInt(text);
  }
  // An integer written with an exponent or a fraction (`1e+20`, as Python writes a large
  // float) is read exactly too. A number no property stores (`1e400`, `1e-400`) is left as
  // text for validation to refuse, never read as Infinity or 0.
  if (types.includes('number') && numberText.test(text)) {
    try {
      return readNumberExactly(text);
    } catch {
      return text;
    }
  }
  if (types.includes('boolean')) {
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (digitBooleans && text === '1') return true;
    if (digitBooleans && text === '0') return false;
  }
  if (types.includes('null') && text === '') return null;
  return text;
}
