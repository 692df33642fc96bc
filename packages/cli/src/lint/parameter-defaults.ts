import {
  type Api,
  modelValueOfText,
  propertySchema,
  type SchemaNode,
  SpecError,
  validateValue,
  wrappedSchema,
} from '@macaron/core';
import { servedParameters } from './served-schemas.js';
import type { SpecFinding } from './spec-finding.js';

/**
 * Parameters whose `default` is no value of their own schema, which @macaron/fastify refuses to
 * serve (its handler would be given a value no client could send): `default: off` on a boolean
 * is the text "off" in YAML 1.2, where PyMacaron's YAML 1.1 read false. A default the adapter
 * reads is none of them: one its schema takes as a model reads JSON (base64 of a binary, the
 * decimal text of an int64), and a scalar written as text (`"100"` on an integer, `"false"` on
 * a boolean), which it reads as a client's text. The lint reads such text a little more
 * narrowly than the adapter (not lists, nor numbers in exponent form), so that it never passes
 * what registration refuses. A schema that cannot be used at all is the schema rule's finding.
 */
export function parameterDefaultFindings(api: Api): SpecFinding[] {
  const findings = new Map<string, SpecFinding>();
  for (const parameters of servedParameters(api)) {
    for (const { defaultValue, schemaPointer } of parameters) {
      if (defaultValue === undefined || schemaPointer === undefined) continue;
      if (findings.has(defaultValue.pointer)) continue;
      let schema: ReturnType<Api['schemaAt']>;
      try {
        schema = api.schemaAt(schemaPointer);
      } catch (error) {
        if (SpecError.isInstance(error)) continue;
        throw error;
      }
      const written = defaultValue.value;
      // As the adapter reads it: JSON as a model reads it, in lists and objects too.
      const value = modelReading(schema, written, 0);
      const [problem] = validateValue(schema, value, '');
      if (problem === undefined) continue;
      if (typeof written === 'string') {
        const read = scalarOfText(schema, written);
        if (read !== undefined && validateValue(schema, read, '').length === 0) continue;
      }
      findings.set(defaultValue.pointer, {
        rule: 'schema',
        pointer: defaultValue.pointer,
        message: `the default ${shown(written)} is not a value of the parameter's schema (${problem.pointer === '' ? '' : `${problem.pointer} `}${problem.message}): @macaron/fastify refuses to serve the operation, whose handler would be given it when the parameter is left out`,
      });
    }
  }
  return [...findings.values()];
}

const integerText = /^[+-]?\d+$/;
const decimalText = /^[+-]?\d+\.\d+$/;

// The adapter's validation/model-values.ts: strings read by their schema as `fromJSON` reads
// them, through list items and object properties.
function modelReading(schema: SchemaNode | undefined, json: unknown, depth: number): unknown {
  if (schema === undefined || depth > 40) return json;
  if (typeof json === 'string') return modelValueOfText(schema, json);
  if (Array.isArray(json))
    return json.map((item, index) => {
      const prefix = schema.prefixItems;
      const items =
        prefix !== undefined && index < prefix.length
          ? prefix[index]
          : (schema.items ?? schema.allOf?.find((part) => part.items)?.items);
      return modelReading(items, item, depth + 1);
    });
  if (typeof json !== 'object' || json === null || Object.getPrototypeOf(json) !== Object.prototype)
    return json;
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(json)) {
    const property = (json as Record<string, unknown>)[name];
    Object.defineProperty(copy, name, {
      value: modelReading(
        propertySchema(schema, name, json as Record<string, unknown>),
        property,
        depth + 1,
      ),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

// The integer, number, boolean or null a client's text reads as under a scalar schema, as the
// adapter reads it (through a `{ allOf: [$ref] }` wrapper, by the values an untyped schema
// lists, or by its members); undefined where the lint does not follow it.
function scalarOfText(given: SchemaNode, text: string, depth = 0): unknown {
  const schema = wrappedSchema(given);
  const types = schema.types;
  if (types === undefined) {
    if (depth >= 8) return undefined;
    const listed = schema.const ? [schema.const.value] : schema.enum;
    if (listed !== undefined) {
      if (listed.includes(text)) return undefined;
      // Booleans, and numbers written as JavaScript writes them, without an exponent.
      for (const value of listed) {
        const number =
          typeof value === 'number' &&
          (Number.isSafeInteger(value) || !Number.isInteger(value)) &&
          !/e/i.test(String(value));
        if ((typeof value === 'boolean' || number) && String(value) === text) return value;
      }
      return undefined;
    }
    for (const part of [
      ...(schema.allOf ?? []),
      ...(schema.oneOf ?? []),
      ...(schema.anyOf ?? []),
    ]) {
      const value = scalarOfText(part, text, depth + 1);
      if (value !== undefined && validateValue(given, value, '').length === 0) return value;
    }
    return undefined;
  }
  if (types.includes('string') || types.includes('array')) return undefined;
  // The adapter reads '' as null where the type says null (not through a wrapper's nullable).
  if (types.includes('null') && text === '' && schema === given) return null;
  const numeric = types.includes('integer') || types.includes('number');
  if (numeric && integerText.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : BigInt(text);
  }
  // A fraction only where the number holds it as written.
  if (types.includes('number') && decimalText.test(text)) {
    const value = Number(text);
    // Up to 15 significant digits a number is the one written (`1.0` is 1).
    const held =
      value !== 0 &&
      (Number.isSafeInteger(value) || !Number.isInteger(value)) &&
      text.replace(/^[+-]/, '').replace('.', '').replace(/^0+/, '').length <= 15;
    if (held || String(value) === text.replace(/^\+/, '')) return value;
  }
  if (types.includes('boolean')) {
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // a bigint, a cycle: a spec built in code
  }
}
