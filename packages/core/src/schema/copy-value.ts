import { ownProperty, setOwnProperty } from './own-property.js';
import { isPlainObject } from './same-value.js';
import { allowsNull, type SchemaNode } from './schema-node.js';

/**
 * How a copy treats leaves:
 * - `store`: the value as backends keep it (bytes stay bytes, bigints stay bigints);
 * - `json`: JSON-safe (bytes become base64, bigints decimal strings);
 * - `model`: from JSON back to model values (base64 of `format: binary` becomes bytes,
 *   decimal strings of `format: int64` become bigints).
 */
export type CopyMode = 'store' | 'json' | 'model';

const maxCopyDepth = 40;

/**
 * Deep-copies a model value for storage, JSON or the model. Undefined properties are
 * dropped, and so is null where the property's schema does not allow it (PyMacaron's
 * rule); everything else is kept, so validation still sees it.
 */
export function copyValue(
  schema: SchemaNode | undefined,
  value: unknown,
  mode: CopyMode,
  depth = 0,
): unknown {
  if (value === null || typeof value !== 'object') return copyLeaf(schema, value, mode);
  // Past the nesting DynamoDB allows, validation reports the depth; copying further would only overflow the stack.
  if (depth > maxCopyDepth) return value;
  if (value instanceof Uint8Array) {
    return mode === 'json' ? Buffer.from(value).toString('base64') : new Uint8Array(value);
  }
  if (Array.isArray(value)) {
    const items = schema?.items ?? memberItems(schema);
    return value.map((item) => copyValue(items, item, mode, depth + 1));
  }
  // A set (DynamoDB's SS, NS and BS, as another client wrote it) stays a set in the model and
  // the store, so an unchanged object is written back with the type it was read with.
  if (value instanceof Set) {
    const items = schema?.items ?? memberItems(schema);
    const members = [...value].map((item) => copyValue(items, item, mode, depth + 1));
    return mode === 'json' ? members : new Set(members);
  }
  // Dates, maps and other class instances are not JSON: left as they are, validation refuses them.
  if (!isPlainObject(value) || !(isPlainRecord(value) || isModelObject(value))) return value;
  const source = value;
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(source)) {
    const property = source[name];
    if (property === undefined) continue;
    const propertyNode = schema ? propertySchema(schema, name) : undefined;
    if (property === null && propertyNode && !allowsNull(propertyNode)) continue;
    setOwnProperty(copy, name, copyValue(propertyNode, property, mode, depth + 1));
  }
  return copy;
}

/**
 * Takes over a stored value nothing else holds (an item a backend has just built for one
 * read) as a model value without copying it: the normalisation `copyValue(schema, value,
 * 'store')` applies, done in place: null dropped where the property's schema does not allow
 * it. Stored values never hold undefined (backends build them from the wire or from JSON), so
 * the walk goes only where a schema is. A value someone else may still hold must be copied.
 */
export function adoptValue(schema: SchemaNode, value: unknown, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > maxCopyDepth) return;
  if (value instanceof Uint8Array) return;
  if (Array.isArray(value) || value instanceof Set) {
    const items = schema.items ?? memberItems(schema);
    if (items) for (const item of value) adoptValue(items, item, depth + 1);
    return;
  }
  if (!isPlainRecord(value)) return;
  const record = value as Record<string, unknown>;
  const declared = declaredOnly(schema);
  // Only the declared properties have a schema: the others keep whatever they hold.
  const names = declared ?? Object.keys(record);
  for (const name of names) {
    if (declared && !Object.hasOwn(record, name)) continue;
    const property = record[name];
    if (property === undefined) delete record[name];
    else if (property === null) {
      const propertyNode = propertySchema(schema, name);
      if (propertyNode && !allowsNull(propertyNode)) delete record[name];
    } else if (typeof property === 'object') {
      const propertyNode = propertySchema(schema, name);
      if (propertyNode) adoptValue(propertyNode, property, depth + 1);
    }
  }
}

// A schema's declared property names when they are the only ones with a schema (no allOf,
// no additionalProperties schema): computed once a schema node.
const declaredNames = new WeakMap<SchemaNode, readonly string[] | null>();

function declaredOnly(schema: SchemaNode): readonly string[] | undefined {
  let names = declaredNames.get(schema);
  if (names === undefined) {
    const typedExtras =
      schema.allOf !== undefined ||
      (schema.additionalProperties !== undefined && schema.additionalProperties !== false);
    names = typedExtras ? null : Object.keys(schema.properties);
    declaredNames.set(schema, names);
  }
  return names ?? undefined;
}

function copyLeaf(schema: SchemaNode | undefined, value: unknown, mode: CopyMode): unknown {
  if (mode === 'json' && typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (mode === 'model' && typeof value === 'string' && schema) {
    if (schema.format === 'binary' && isBase64(value))
      return new Uint8Array(Buffer.from(value, 'base64'));
    // toJSON writes bigints as decimal strings: int64 properties, and number properties beyond 2^53.
    const bigIntegerText =
      /^-?\d+$/.test(value) &&
      (schema.format === 'int64'
        ? schema.types?.includes('integer')
        : schema.types?.includes('number') && !Number.isSafeInteger(Number(value)));
    if (bigIntegerText) {
      const exact = BigInt(value);
      return Number.isSafeInteger(Number(exact)) ? Number(exact) : exact;
    }
  }
  return value;
}

function isBase64(value: string): boolean {
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value);
}

/** The schema of an object's property, looking through allOf members. */
export function propertySchema(schema: SchemaNode, name: string): SchemaNode | undefined {
  const direct = ownProperty(schema.properties, name);
  if (direct) return direct;
  for (const part of schema.allOf ?? []) {
    const found = propertySchema(part, name);
    if (found) return found;
  }
  if (schema.additionalProperties) return schema.additionalProperties;
  return undefined;
}

function memberItems(schema: SchemaNode | undefined): SchemaNode | undefined {
  for (const part of schema?.allOf ?? []) if (part.items) return part.items;
  return undefined;
}

function isPlainRecord(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}

// An object of a Macaron model class: its own properties are its values. Its class is read
// from its prototype, never from `value.constructor`, which may be a property of the model.
function isModelObject(value: object): boolean {
  return modelClassOf(value) !== undefined;
}

/** The Macaron model class an object is an instance of, or undefined for any other object. */
export function modelClassOf(
  value: object,
): { readonly modelName: string; readonly descriptor?: unknown } | undefined {
  const type = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor as
    | { modelName?: unknown }
    | undefined;
  return typeof type?.modelName === 'string'
    ? (type as { readonly modelName: string; readonly descriptor?: unknown })
    : undefined;
}
