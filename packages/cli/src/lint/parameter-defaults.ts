import {
  type Api,
  modelValueOfText,
  type SchemaNode,
  SpecError,
  validateValue,
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
      const value = typeof written === 'string' ? modelValueOfText(schema, written) : written;
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

// The integer, number or boolean a client's text reads as under a typed scalar schema, as the
// adapter reads it; undefined where the lint does not follow it.
function scalarOfText(schema: SchemaNode, text: string): unknown {
  const types = schema.types;
  if (types === undefined || types.includes('string') || types.includes('array')) return undefined;
  const numeric = types.includes('integer') || types.includes('number');
  if (numeric && integerText.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : BigInt(text);
  }
  // A fraction only where the number holds it as written.
  if (types.includes('number') && decimalText.test(text)) {
    const value = Number(text);
    if (String(value) === text.replace(/^\+/, '')) return value;
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
