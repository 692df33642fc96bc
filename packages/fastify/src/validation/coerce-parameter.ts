import { type SchemaNode, type SchemaType, validateValue } from '@macaron/core';
import { JsonNumberRangeError, readNumberExactly } from './exact-json.js';
import { withoutFieldSpace } from './field-space.js';
import { modelValues } from './model-values.js';
import { pythonNumberText } from './python-number-text.js';

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
   * Reads integers and numbers as Python's `int()` and `float()` did for PyMacaron: spaces
   * around them and underscores between digits (`1_000`) are not part of them.
   */
  pythonNumbers?: boolean;
  /**
   * Reads an array as an HTTP field's list (RFC 9110 §5.6.1): spaces and tabs around an item
   * are not part of it, and empty items are none. A header sent on several lines is given as
   * its lines (see `headerLines`), each split by the separator.
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
  const { separator, fieldList = false, decode = same } = syntax;
  const reading: ScalarReading = {
    digitBooleans: syntax.digitBooleans ?? false,
    pythonNumbers: syntax.pythonNumbers ?? false,
  };
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
            ...reading,
            fieldList,
            decode,
          })
        : coerceScalar(schema.items, decode(item), reading),
    );
    const refused = values.findIndex((value) => value instanceof JsonNumberRangeError);
    if (refused < 0) return values;
    const error = values[refused] as JsonNumberRangeError;
    return new JsonNumberRangeError(error.message, `/${refused}${error.pointer}`);
  }
  // A repeated parameter that is not an array stays a list: validation refuses it.
  if (!Array.isArray(raw)) return coerceScalar(schema, decode(raw), reading);
  const texts = raw.map(decode);
  const values = texts.map((item) => coerceScalar(schema, item, reading));
  return values.some((value) => value instanceof JsonNumberRangeError) ? texts : values;
}

const same = (text: string) => text;

/** How PyMacaron's compatibility reads the text of one value (see `ParameterSyntax`). */
export type ScalarReading = Pick<ParameterSyntax, 'digitBooleans' | 'pythonNumbers'>;

/**
 * Parses one parameter text by its schema's type; `string` (or no type) keeps the text, but
 * base64 of `format: binary` becomes bytes, as in a JSON body.
 * `reading` takes PyMacaron's spellings too (`1` and `0` as booleans, Python's numbers). A
 * number that no property holds as written is the `JsonNumberRangeError` saying why; a text
 * that does not parse is returned as it was given.
 */
export function coerceScalar(
  schema: SchemaNode | undefined,
  text: string,
  reading: ScalarReading = {},
  depth = 0,
): unknown {
  const types = schema?.types;
  if (schema?.format === 'binary') return modelValues(schema, text);
  if (schema !== undefined && types === undefined) {
    const listed = listedValues(schema);
    return listed === undefined
      ? memberReading(schema, text, reading, depth)
      : listedReading(listed, text, reading);
  }
  if (types === undefined || types.includes('string')) return text;
  const numeric = types.includes('integer') || types.includes('number');
  const digits = numeric && reading.pythonNumbers ? pythonNumberText(text) : text;
  // An integer beyond 2^53 is a bigint, for a number property too: never a rounded number.
  if (numeric && integerText.test(digits)) {
    const value = Number(digits);
    return Number.isSafeInteger(value) ? value : BigInt(digits);
  }
  // An integer written with an exponent or a fraction (`1e+20`, as Python writes a large
  // float) is read exactly too. A number no property stores (`1e400`, `1e-400`), or that no
  // number holds as written (`0.30000000000000001`), is the error saying so: never read as
  // Infinity, 0 or the nearest number.
  if (types.includes('number') && numberText.test(digits)) {
    try {
      return readNumberExactly(digits);
    } catch (error) {
      return error as JsonNumberRangeError; // nothing else is thrown
    }
  }
  if (types.includes('boolean')) {
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (reading.digitBooleans && text === '1') return true;
    if (reading.digitBooleans && text === '0') return false;
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
  reading: ScalarReading,
  depth: number,
): unknown {
  if (depth >= maxMemberDepth) return text;
  for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
    const value = coerceScalar(part, text, reading, depth + 1);
    if (value === text || value instanceof JsonNumberRangeError) continue;
    if (validateValue(schema, value, '').length === 0) return value;
  }
  return text;
}

// The values an untyped schema lists (its `const`, else its `enum`): every value it takes is one.
function listedValues(schema: SchemaNode): readonly unknown[] | undefined {
  return schema.const ? [schema.const.value] : schema.enum;
}

// The types a text may be read as to be one of the values listed: not `string`, whose values
// are their own text.
const listedTypes = new WeakMap<readonly unknown[], SchemaNode>();

/**
 * The text of a parameter whose untyped schema lists its values (`enum: [1, 2]`,
 * `const: true`): a string listed is the text itself, so a text equal to one stays a string
 * (`"1"` under `enum: [1, "1"]` is the string, as under `type: [string, integer]`); any other
 * text is read by the types of the other values listed (integer, number, boolean, null), as a
 * parameter of those types is read. Validation refuses what is not listed.
 */
function listedReading(listed: readonly unknown[], text: string, reading: ScalarReading): unknown {
  if (listed.includes(text)) return text;
  let typed = listedTypes.get(listed);
  if (typed === undefined) {
    const types = new Set<SchemaType>();
    for (const value of listed) {
      if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)))
        types.add('integer');
      else if (typeof value === 'number') types.add('number');
      else if (typeof value === 'boolean') types.add('boolean');
      else if (value === null) types.add('null');
    }
    typed = { types: [...types], properties: {}, required: [], pointer: '' };
    listedTypes.set(listed, typed);
  }
  return typed.types!.length === 0 ? text : coerceScalar(typed, text, reading);
}

// Members of members looked into at most (schemas may be recursive).
export const maxMemberDepth = 8;
