import { modelValueOfText, propertySchema, type SchemaNode } from '@macaron/core';
import { modelNameOf } from './model-name.js';
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
 * Parsed JSON read by its schema as a model's `fromJSON` reads it (core's `propertySchema`
 * given the object, and `modelValueOfText`), so an inline schema takes what a named one does: base64 of
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
  if (typeof json === 'string') return modelValueOfText(schema, json);
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
  const name = modelNameOf(schema);
  return named && name !== undefined ? named(name, values) : values;
}

/** The schema of a list's item: its `prefixItems` one, else `items`, here or in an allOf member. */
export function itemSchema(schema: SchemaNode, index: number): SchemaNode | undefined {
  const prefix = schema.prefixItems;
  if (prefix !== undefined && index < prefix.length) return prefix[index];
  return schema.items ?? schema.allOf?.find((part) => part.items)?.items;
}
