import { type Api, SpecError, validateValue } from '@macaron/core';
import { servedParameters } from './served-schemas.js';
import type { SpecFinding } from './spec-finding.js';

/**
 * Parameters whose `default` their own schema refuses, which @macaron/fastify refuses to serve
 * (its handler would be given a value no client could send): `default: off` on a boolean is
 * the text "off" in YAML 1.2, where PyMacaron's YAML 1.1 read false. A schema that cannot be
 * used at all is the schema rule's finding.
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
      const [problem] = validateValue(schema, defaultValue.value, '');
      if (problem === undefined) continue;
      findings.set(defaultValue.pointer, {
        rule: 'schema',
        pointer: defaultValue.pointer,
        message: `the default ${shown(defaultValue.value)} is not a value of the parameter's schema (${problem.pointer === '' ? '' : `${problem.pointer} `}${problem.message}): @macaron/fastify refuses to serve the operation, whose handler would be given it when the parameter is left out`,
      });
    }
  }
  return [...findings.values()];
}

function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // a bigint, a cycle: a spec built in code
  }
}
