import { types } from 'node:util';
import {
  type Api,
  propertySchema,
  type SchemaNode,
  type ValidationProblem,
  validateValue,
} from '@macaron/core';
import { appendPointer } from '../spec/json-pointer.js';
import {
  isMarked,
  MarkedTooDeep,
  reaches,
  withoutMarked,
} from '../validation/marked-properties.js';
import { modelNameOf } from '../validation/model-name.js';
import { itemSchema, modelValues } from '../validation/model-values.js';
import { ownValue, setOwnValue } from '../validation/own-properties.js';
import { isBoxedValue, isPlainRecord, isValidationError } from '../validation/plain-values.js';

// How deep writeOnly properties are looked for (as `withoutMarked` does), and how deep a
// response is serialised at all: the call stack's bound, far past what JSON APIs send.
const maxDepth = 64;
const maxSerialisedDepth = 2000;

/** A response nests deeper than it is serialised: answered 500. */
class ResponseTooDeep extends Error {
  constructor() {
    super(`the response nests deeper than ${maxSerialisedDepth} levels`);
  }
}

/** A response holds a Blob below its top: answered 500. */
class UnreadBlob extends Error {
  constructor() {
    super(
      'the response holds a Blob, whose bytes cannot be read as it is serialised: give them as a Uint8Array (`new Uint8Array(await blob.arrayBuffer())`)',
    );
  }
}

/**
 * How a response writes a bigint beyond 2^53 (a bigint a number holds is a number either way):
 * `'string'` as a decimal string, `'number'` as a JSON number with its exact digits.
 */
export type BigintForm = 'string' | 'number';

/**
 * What becomes of the `writeOnly` properties: `'strip'` leaves them out (what is sent),
 * `'keep'` keeps them (the value the handler answered, as validation reads it).
 */
export type WriteOnlyForm = 'strip' | 'keep';

/**
 * Turns a handler's result into JSON following the response schema: model objects through
 * `toJSON()`, plain objects of a named schema through that model (PyMacaron's rules: null
 * left out where the schema does not allow it), lists and inline objects item by item,
 * bigints as numbers (beyond 2^53, decimal strings; or, with `bigints: 'number'`, the bigints
 * themselves, for `stringifyWithBigints` to write as numbers), bytes as base64.
 */
export function serializeResult(
  api: Api,
  schema: SchemaNode | undefined,
  value: unknown,
  bigints: BigintForm = 'string',
  writeOnly: WriteOnlyForm = 'strip',
  depth = 0,
  // Whether the response is checked: then every value in it is, by its schema or as JSON.
  described = schema !== undefined,
  // The value's name or index in what holds it, as JSON.stringify passes it to `toJSON()`.
  key = '',
): unknown {
  if (value === null || typeof value !== 'object') return jsonLeaf(value, bigints);
  // Any other object (a Date, a class instance) is left for validation to refuse in a response
  // the spec describes, as in a model object: its toJSON() would retype it silently (a Date to
  // a UTC string). Where nothing checks it, what JSON.stringify would write of it takes its
  // place, serialised in turn: a model object there keeps its writeOnly properties out.
  if (isOtherObject(value)) {
    // Bytes in an ArrayBuffer or a DataView are bytes as a Buffer's are (JSON.stringify writes {}).
    if (types.isArrayBuffer(value)) return Buffer.from(value).toString('base64');
    if (types.isDataView(value))
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    // A Blob's bytes are read asynchronously: the handler's result itself is read before it is
    // serialised, one within it is refused, never written as JSON.stringify writes it ({}).
    if (value instanceof Blob) throw new UnreadBlob();
    // A typed array holds numbers alone: JSON.stringify writes it as it is, far faster.
    if (described || ArrayBuffer.isView(value)) return value;
    value = jsonWritten(value, key);
    if (value === null || typeof value !== 'object') return jsonLeaf(value, bigints);
  }
  // Deeper, writeOnly properties are not looked for: a response that may hold some there is
  // refused. Checked once, at the first level past it (below a value without them, there are
  // none); any other is serialised on.
  if (
    depth === maxDepth + 1 &&
    ((schema && reaches(schema, 'writeOnly')) || holdsMarkedModel(value))
  )
    throw new MarkedTooDeep('writeOnly');
  if (depth > maxSerialisedDepth) throw new ResponseTooDeep();
  if (types.isUint8Array(value)) return Buffer.from(value).toString('base64');
  // A model's writeOnly properties are never sent, whatever schema the response declares.
  if (isModelObject(value)) {
    const json = modelJson(value, bigints);
    return writeOnly === 'keep' ? json : withoutMarked(modelSchema(value), json, 'writeOnly');
  }
  // A set is sent as a list, as a model's `toJSON()` writes it (JSON.stringify would write {}).
  if (Array.isArray(value) || types.isSet(value)) {
    return [...value].map((item, index) =>
      serializeResult(
        api,
        schema && itemSchema(schema, index),
        item,
        bigints,
        writeOnly,
        depth + 1,
        described,
        String(index),
      ),
    );
  }
  const name = modelNameOf(schema);
  if (name !== undefined) {
    const model = api.model(name);
    const json = modelJson(new model(value as never), bigints);
    if (writeOnly === 'keep') return json;
    // The model objects in `value` became plain data of this model: their own writeOnly
    // properties are stripped by their own schemas, whatever this one says of that place.
    return withoutModelsMarks(withoutMarked(model.schema, json, 'writeOnly'), value);
  }
  const json: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(value)) {
    if (property === undefined) continue;
    const serialized = serializeResult(
      api,
      schema && propertySchema(schema, name, value),
      property,
      bigints,
      writeOnly,
      depth + 1,
      described,
      name,
    );
    setOwnValue(json, name, serialized);
  }
  return json;
}

// An object `serializeResult` has no rule of its own for.
function isOtherObject(value: object): boolean {
  return !(
    isPlainRecord(value) ||
    Array.isArray(value) ||
    types.isSet(value) ||
    types.isUint8Array(value) ||
    isModelObject(value)
  );
}

/**
 * What JSON.stringify writes for an object that is no plain record, one step down: what its
 * `toJSON()` returns (whose own `toJSON()` is not called again), a boxed primitive's value, or
 * else its own enumerable properties, as a plain record. Lists, sets, bytes and model objects
 * are left for `serializeResult`, which writes them as it writes any.
 */
function jsonWritten(value: object, key: string): unknown {
  const toJson = (value as { toJSON?: unknown }).toJSON;
  const json: unknown = typeof toJson === 'function' ? toJson.call(value, key) : value;
  if (json === null || typeof json !== 'object') return json;
  if (isBoxedValue(json)) return json.valueOf();
  return isOtherObject(json) ? { ...json } : json;
}

// A model object's JSON: `toJSON()` writes bigints beyond 2^53 as decimal strings; to send
// them as numbers, the object's own bigints are put back in their place.
function modelJson(object: ModelObject, bigints: BigintForm): unknown {
  const json = prototypeToJson(object)!.call(object);
  return bigints === 'number' ? withBigints(json, object) : json;
}

/**
 * `json` (a model's `toJSON()`) with each decimal string that stands for a bigint of `source`
 * (the model object) replaced by that bigint.
 */
function withBigints(json: unknown, source: unknown): unknown {
  return rewriteAlong(json, source, (node, from) =>
    typeof from === 'bigint' && node === from.toString() ? from : node,
  );
}

/**
 * `json` (a named model's `toJSON()` of `source`) without the writeOnly properties of the
 * model objects `source` holds, each stripped by its own schema; properties stripped from
 * `json` already are skipped.
 */
function withoutModelsMarks(json: unknown, source: unknown): unknown {
  return rewriteAlong(json, source, (node, from) =>
    typeof from === 'object' && from !== null && isModelObject(from)
      ? withoutMarked(modelSchema(from), node, 'writeOnly')
      : node,
  );
}

/**
 * `json` walked along `source`, the value it was written from: both have one shape
 * (`toJSON()` leaves out properties, writes sets as lists and bytes as base64, but moves
 * nothing). `rewrite` gives each node's replacement, and the walk goes on into it. Copies only
 * what it changes.
 */
function rewriteAlong(
  json: unknown,
  source: unknown,
  rewrite: (node: unknown, from: unknown) => unknown,
  depth = 0,
): unknown {
  const node = rewrite(json, source);
  if (typeof node !== 'object' || node === null || typeof source !== 'object' || source === null)
    return node;
  if (types.isUint8Array(source)) return node;
  if (depth === maxDepth + 1 && holdsMarkedModel(source)) throw new MarkedTooDeep('writeOnly');
  if (depth > maxSerialisedDepth) throw new ResponseTooDeep();
  if (Array.isArray(node)) {
    const items = Array.isArray(source) ? source : types.isSet(source) ? [...source] : undefined;
    if (items === undefined) return node;
    let copy: unknown[] | undefined;
    for (let index = 0; index < node.length; index++) {
      const item = rewriteAlong(node[index], items[index], rewrite, depth + 1);
      if (item !== node[index]) (copy ??= [...node])[index] = item;
    }
    return copy ?? node;
  }
  if (!isPlainRecord(node)) return node;
  let copy: Record<string, unknown> | undefined;
  for (const name of Object.keys(node)) {
    const property = rewriteAlong(node[name], ownValue(source, name), rewrite, depth + 1);
    if (property === node[name]) continue;
    if (copy === undefined) {
      copy = {};
      for (const own of Object.keys(node)) setOwnValue(copy, own, node[own]);
    }
    setOwnValue(copy, name, property);
  }
  return copy ?? node;
}

/**
 * Checks serialised JSON against the response schema as a client would read it: objects of a
 * named schema through that model's `fromJSON`, lists and inline objects item by item, the
 * rest read as `fromJSON` reads JSON (base64 as bytes, int64 decimal strings as integers).
 */
export function responseProblems(
  api: Api,
  schema: SchemaNode,
  json: unknown,
  pointer = '',
  depth = 0,
): ValidationProblem[] {
  if (depth > maxDepth) return [];
  const name = modelNameOf(schema);
  if (name !== undefined && isPlainRecord(json)) {
    try {
      api.model(name).fromJSON(json, { direction: 'response' });
      return [];
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return error.problems.map((problem) => ({ ...problem, pointer: pointer + problem.pointer }));
    }
  }
  const combined = schema.allOf || schema.anyOf || schema.oneOf || schema.not;
  // Items under prefixItems take their own schemas: the whole list is read below.
  if (Array.isArray(json) && schema.items && !schema.prefixItems && !combined) {
    return [
      ...validateValue({ ...schema, items: undefined }, json, pointer, { direction: 'response' }),
      ...json.flatMap((item, index) =>
        responseProblems(api, schema.items!, item, `${pointer}/${index}`, depth + 1),
      ),
    ];
  }
  if (isPlainRecord(json) && Object.keys(schema.properties).length > 0 && !combined) {
    const shallow: SchemaNode = { ...schema, properties: {} };
    for (const name of Object.keys(schema.properties)) {
      // Nested values are checked below; what stays is whether a missing one may be missing.
      const property = schema.properties[name]!;
      setOwnValue(shallow.properties, name, {
        properties: {},
        required: [],
        pointer: schema.pointer,
        ...(isMarked(property, 'writeOnly') ? { writeOnly: true } : {}),
      });
    }
    return distinct([
      // Undeclared properties are checked here, by additionalProperties or patternProperties.
      ...validateValue(shallow, modelValues(shallow, json), pointer, { direction: 'response' }),
      ...Object.entries(schema.properties).flatMap(([name, property]) => {
        const value = ownValue(json, name);
        return value === undefined
          ? []
          : responseProblems(api, property, value, appendPointer(pointer, name), depth + 1);
      }),
    ]);
  }
  return validateValue(schema, modelValues(schema, json), pointer, { direction: 'response' });
}

// The shallow check above sees a declared property's value too (what no schema allows, such as
// NaN, it refuses anywhere), and its own check again: each problem once.
function distinct(problems: ValidationProblem[]): ValidationProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const id = `${problem.pointer}\u0000${problem.keyword}\u0000${problem.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function jsonLeaf(value: unknown, bigints: BigintForm): unknown {
  // JSON has one zero (JSON.stringify writes -0 as 0): a computed -0 (Math.round(-0.4)) is 0.
  if (value === 0) return 0;
  if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value);
  if (typeof value === 'bigint' && bigints === 'string') return value.toString();
  return value;
}

// Whether a value holds, at any depth, a model object whose schema marks writeOnly properties.
// Looked into at the first level past `maxDepth`, where they are no longer looked for along the
// way; walked without recursion, as the value may nest far deeper.
function holdsMarkedModel(value: unknown): boolean {
  const seen = new Set<object>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    if (types.isUint8Array(next)) continue;
    if (isModelObject(next)) {
      const schema = modelSchema(next);
      if (schema && reaches(schema, 'writeOnly')) return true;
    }
    if (Array.isArray(next) || types.isSet(next)) for (const item of next) pending.push(item);
    else
      for (const name of Object.keys(next)) pending.push((next as Record<string, unknown>)[name]);
  }
  return false;
}

interface ModelObject {
  toJSON(): Record<string, unknown>;
}

// A model object's schema, from its class.
function modelSchema(value: ModelObject): SchemaNode | undefined {
  return classOf(value)?.schema;
}

// Model classes carry their schema's name (core recognises model objects the same way).
function isModelObject(value: object): value is ModelObject {
  return typeof classOf(value)?.modelName === 'string' && prototypeToJson(value) !== undefined;
}

// The class's `toJSON`: a property named `toJSON` is the model's data (a client may send one),
// and must not stand for the method, or the object would be sent as it is, writeOnly and all.
function prototypeToJson(value: object): (() => Record<string, unknown>) | undefined {
  const method = (Object.getPrototypeOf(value) as Partial<ModelObject> | null)?.toJSON;
  return typeof method === 'function' ? method : undefined;
}

// The class, read from the prototype: `value.constructor` may be a property of the model.
function classOf(value: object): { modelName?: unknown; schema?: SchemaNode } | undefined {
  return (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor as
    | { modelName?: unknown; schema?: SchemaNode }
    | undefined;
}
