import { type LocationObject, type NormalizedProblem, parseYaml } from '@redocly/openapi-core';
import { fragmentTokens } from '../spec/fragment-tokens.js';

/**
 * True for redocly's `no-unresolved-refs` on a discriminator mapping value that names a schema
 * of the document (`mapping: { cat: Cat }`): OpenAPI allows a schema name there, and Macaron
 * reads it so, while redocly resolves it as a file. A name no schema has stays reported (and
 * Macaron's own rule reports it too).
 */
export function isSchemaNameInMapping(problem: NormalizedProblem): boolean {
  if (problem.ruleId !== 'no-unresolved-refs') return false;
  const location = problem.location[0] as LocationObject | undefined;
  const pointer = location?.pointer?.replace(/^#/, '') ?? '';
  if (!/\/discriminator\/mapping\/[^/]+$/.test(pointer)) return false;
  const document = parsedBody(location!.source.body);
  const value = valueAt(document, pointer);
  if (typeof value !== 'string' || value.startsWith('#')) return false;
  const schemas = isRecord(document)
    ? typeof document.swagger === 'string'
      ? document.definitions
      : isRecord(document.components)
        ? document.components.schemas
        : undefined
    : undefined;
  return isRecord(schemas) && Object.hasOwn(schemas, value);
}

// One parse per file, however many of its mapping values are reported.
const parsed = new Map<string, unknown>();

function parsedBody(body: string): unknown {
  if (!parsed.has(body)) {
    let document: unknown;
    try {
      document = parseYaml(body);
    } catch {
      document = undefined;
    }
    parsed.clear();
    parsed.set(body, document);
  }
  return parsed.get(body);
}

function valueAt(document: unknown, pointer: string): unknown {
  let current = document;
  for (const step of fragmentTokens(pointer)) {
    if (!isRecord(current) || !Object.hasOwn(current, step)) return undefined;
    current = current[step];
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
