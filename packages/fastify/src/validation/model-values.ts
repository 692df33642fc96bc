import { propertySchema, type SchemaNode } from '@macaron/core';
import { setOwnValue } from './own-properties.js';
import { isPlainRecord } from './plain-values.js';

// core's copy stops there too: deeper values are left for validation to report.
const maxDepth = 40;

/**
 * Called on each object of a named schema the read meets (deeper ones are in its values, as
 * `fromJSON` leaves them): what it returns takes the object's place.
 */
export type NamedObject = (name: string, values: Record<string, unknown>) => unknown;

/**
 * Parsed JSON read by its schema as a model's `fromJSON` reads it (core's model copy, which
 * core does not export), so an inline schema takes what a named one does: base64 of
 * `format: binary` becomes bytes, a decimal string of `format: int64` (or of a number beyond
 * 2^53) an integer. Everything else is kept, nulls included, for validation to judge; what
 * nothing changes is not copied.
 */
export function modelValues(
  schema: SchemaNode | undefined,
  json: unknown,
  named?: NamedObject,
  depth = 0,
): unknown {
  if (schema === undefined || depth > maxDepth) return json;
  if (typeof json === 'string') return modelLeaf(schema, json);
  if (Array.isArray(json)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < json.length; index++) {
      const item = modelValues(itemSchema(schema, index), json[index], named, depth + 1);
      if (item !== json[index]) (copy ??= [...json])[index] = item;
    }
    return copy ?? json;
  }
  if (!isPlainRecord(json)) return json;
  // A model object holds the objects of named schemas within it as plain values.
  const within = schema.name === undefined ? named : undefined;
  let copy: Record<string, unknown> | undefined;
  for (const name of Object.keys(json)) {
    const property = json[name];
    const value = modelValues(propertySchema(schema, name, json), property, within, depth + 1);
    if (value === property) continue;
    if (copy === undefined) {
      copy = {};
      for (const own of Object.keys(json)) setOwnValue(copy, own, json[own]);
    }
    setOwnValue(copy, name, value);
  }
  const values = copy ?? json;
  // Its own values are read by then, as fromJSON reads them before building the object.
  return named && schema.name !== undefined ? named(schema.name, values) : values;
}

function modelLeaf(schema: SchemaNode, text: string): unknown {
  // A string where strings are allowed stays one: `"0123"` under `[string, integer]` is text.
  if (schema.types?.includes('string') && schema.format !== 'binary') return text;
  if (schema.format === 'binary' && isBase64(text))
    return new Uint8Array(Buffer.from(text, 'base64'));
  const integerText =
    /^-?\d+$/.test(text) &&
    (schema.format === 'int64'
      ? schema.types?.includes('integer')
      : schema.types?.includes('number') && !Number.isSafeInteger(Number(text)));
  if (!integerText) return text;
  const exact = BigInt(text);
  return Number.isSafeInteger(Number(exact)) ? Number(exact) : exact;
}

function isBase64(text: string): boolean {
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text);
}

/** The schema of a list's item: its `prefixItems` one, else `items`, here or in an allOf member. */
export function itemSchema(schema: SchemaNode, index: number): SchemaNode | undefined {
  const prefix = schema.prefixItems;
  if (prefix !== undefined && index < prefix.length) return prefix[index];
  return schema.items ?? schema.allOf?.find((part) => part.items)?.items;
}
