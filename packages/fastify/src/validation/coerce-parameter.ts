import { type SchemaNode, validateValue } from '@macaron/core';
import { JsonNumberRangeError, readNumberExactly } from './exact-json.js';
import { withoutFieldSpace } from './field-space.js';
import { modelValues } from './model-values.js';

const integerText = /^[+-]?\d+$/;
const numberText = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** How the text of a parameter is read. */
export interface ParameterSyntax {
  /** What separates the items of an array in one occurrence; none: one item per occurrence. */
  separator?: string | undefined;
  /** What separates the items of an item that is an array in turn, level by level. */
  itemSeparators?: readonly string[];
  /** Reads `1` and `0` as booleans too, as PyMacaron (bravado-core) did. */
  digitBooleans?: boolean;
  /**
   * Reads an array as an HTTP field's list (RFC 9110 §5.6.1): spaces and tabs around an item
   * are not part of it, and empty items are none. Node.js joins a header sent on several lines
   * with `, ` too.
   */
  fieldList?: boolean;
  /**
   * Decodes each item once split (an array's) or the whole text (any other value): the
   * percent-decoding of a text split while still encoded, so that `%2C` is data, never a
   * delimiter. None: the text is read as it is.
   */
  decode?: ((text: string) => string) | undefined;
}

/**
 * Turns the text of a parameter into the value its schema describes: integers, numbers,
 * booleans, and arrays of them (split by `separator`, or one item per occurrence). Text that
 * does not parse is left as it is, so validation reports it against the schema; a number that
 * no property holds as written is a `JsonNumberRangeError`, whose pointer is the item's.
 */
export function coerceParameter(
  schema: SchemaNode | undefined,
  raw: string | string[],
  syntax: ParameterSyntax = {},
): unknown {
  const { separator, digitBooleans = false, fieldList = false, decode = same } = syntax;
  if (schema?.types?.includes('array')) {
    const occurrences = Array.isArray(raw) ? raw : [raw];
    let items =
      separator === undefined
        ? occurrences
        : occurrences.flatMap((occurrence) =>
            occurrence === '' ? [] : occurrence.split(separator),
          );
    if (fieldList) items = items.map(withoutFieldSpace).filter(Boolean);
    const [itemSeparator, ...deeper] = syntax.itemSeparators ?? [];
    const values = items.map((item) =>
      itemSeparator !== undefined && schema.items?.types?.includes('array')
        ? coerceParameter(schema.items, item, {
            separator: itemSeparator,
            itemSeparators: deeper,
            digitBooleans,
            fieldList,
            decode,
          })
        : coerceScalar(schema.items, decode(item), digitBooleans),
    );
    const refused = values.findIndex((value) => value instanceof JsonNumberRangeError);
    if (refused < 0) return values;
    const error = values[refused] as JsonNumberRangeError;
    return new JsonNumberRangeError(error.message, `/${refused}${error.pointer}`);
  }
  // A repeated parameter that is not an array stays a list: validation refuses it.
  if (!Array.isArray(raw)) return coerceScalar(schema, decode(raw), digitBooleans);
  const texts = raw.map(decode);
  const values = texts.map((item) => coerceScalar(schema, item, digitBooleans));
  return values.some((value) => value instanceof JsonNumberRangeError) ? texts : values;
}

const same = (text: string) => text;

/**
 * Parses one parameter text by its schema's type; `string` (or no type) keeps the text, but
 * base64 of `format: binary` becomes bytes, as in a JSON body.
 * `digitBooleans` reads `1` and `0` as booleans too, as PyMacaron (bravado-core) did. A number
 * that no property holds as written is the `JsonNumberRangeError` saying why.
 */
export function coerceScalar(
  schema: SchemaNode | undefined,
  text: string,
  digitBooleans = false,
  depth = 0,
): unknown {
  const types = schema?.types;
  if (schema?.format === 'binary') return modelValues(schema, text);
  if (schema !== undefined && types === undefined)
    return memberReading(schema, text, digitBooleans, depth);
  if (types === undefined || types.includes('string')) return text;
  // An integer beyond 2^53 is a bigint, for a number property too: never a rounded number.
  if ((types.includes('integer') || types.includes('number')) && integerText.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : BigInt(text);
  }
  // An integer written with an exponent or a fraction (`1e+20`, as Python writes a large
  // float) is read exactly too. A number no property stores (`1e400`, `1e-400`), or that no
  // number holds as written (`0.30000000000000001`), is the error saying so: never read as
  // Infinity, 0 or the nearest number.
  if (types.includes('number') && numberText.test(text)) {
    try {
      return readNumberExactly(text);
    } catch (error) {
      return error as JsonNumberRangeError; // nothing else is thrown
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

/**
 * The text of a parameter whose schema is made of others (`allOf` parts, `oneOf` or `anyOf`
 * members): read as the first of them reads it, where the whole schema takes that value (`5`
 * under `oneOf: [integer, string]`, `true` under `anyOf: [integer, boolean]`); else the text,
 * for validation to judge.
 */
function memberReading(
  schema: SchemaNode,
  text: string,
  digitBooleans: boolean,
  depth: number,
): unknown {
  if (depth >= maxMemberDepth) return text;
  for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
    const value = coerceScalar(part, text, digitBooleans, depth + 1);
    if (value === text || value instanceof JsonNumberRangeError) continue;
    if (validateValue(schema, value, '').length === 0) return value;
  }
  return text;
}

// Members of members looked into at most (schemas may be recursive).
export const maxMemberDepth = 8;
