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

/**
 * Deep-copies a model value for storage, JSON or the model. Undefined properties are
 * dropped, and so is null where the property's schema does not allow it (PyMacaron's
 * rule); everything else is kept, so validation still sees it.
 */
export function copyValue(schema: SchemaNode | undefined, value: unknown, mode: CopyMode): unknown {
  if (value === null || typeof value !== 'object') return copyLeaf(schema, value, mode);
  if (value instanceof Uint8Array) {
    return mode === 'json' ? Buffer.from(value).toString('base64') : new Uint8Array(value);
  }
  if (Array.isArray(value)) {
    const items = schema?.items ?? memberItems(schema);
    return value.map((item) => copyValue(items, item, mode));
  }
  if (!isPlainObject(value)) return value;
  const source = value;
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(source)) {
    const property = source[name];
    if (property === undefined) continue;
    const propertyNode = schema ? propertySchema(schema, name) : undefined;
    if (property === null && propertyNode && !allowsNull(propertyNode)) continue;
    copy[name] = copyValue(propertyNode, property, mode);
  }
  return copy;
}

function copyLeaf(schema: SchemaNode | undefined, value: unknown, mode: CopyMode): unknown {
  if (mode === 'json' && typeof value === 'bigint') return value.toString();
  if (mode === 'model' && typeof value === 'string' && schema) {
    if (schema.format === 'binary' && isBase64(value))
      return new Uint8Array(Buffer.from(value, 'base64'));
    if (schema.format === 'int64' && /^-?\d+$/.test(value) && schema.types?.includes('integer')) {
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
  const direct = schema.properties[name];
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
