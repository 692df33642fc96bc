import type { Dialect } from '@macaron/core';
import type { SpecFinding } from './spec-finding.js';
import { walkSpecDocument } from './spec-walk.js';

// Keywords that change what a value may be or where it is sent, and the extensions Macaron reads
// on a schema (a table: `x-persist`): ignored beside `$ref` before 3.1. The fastify adapter's
// `x-bind-server` and `x-decorate-server` sit on operations, which are never a `$ref`.
const meaningful = ['readOnly', 'writeOnly', 'nullable', 'x-nullable', 'x-persist'];

/**
 * Before OpenAPI 3.1, every sibling of a `$ref` is ignored ("any properties added SHALL be
 * ignored"): `{ $ref: Password, writeOnly: true }` sends the password in every response, and
 * `{ $ref: Id, readOnly: true }` still requires the id in requests. One warning each for
 * `readOnly`, `writeOnly`, `nullable` and `x-persist` beside a `$ref` in Swagger 2.0 and OpenAPI 3.0; the
 * fix is `allOf: [{ $ref }]` beside them. So for `x-persist`: the schema gets no table.
 */
// pymacaron-dynamodb's loader cannot read a property written with allOf (KeyError: 'type').
const pymacaronCaveat =
  " (once no PyMacaron service loads these items: pymacaron-dynamodb's load_from_db fails on a property written with allOf; see the migration guide)";

export function refSiblingFindings(document: unknown, dialect: Dialect): SpecFinding[] {
  if (dialect === 'oas3.1') return [];
  const findings: SpecFinding[] = [];
  walkSpecDocument(document, ({ key, value, parent, pointer }) => {
    if (key === '$ref' && typeof value === 'string') {
      for (const keyword of meaningful)
        if (Object.hasOwn(parent, keyword))
          findings.push({
            rule: 'ref-siblings',
            pointer: `${pointer}/${keyword}`,
            message: `${keyword} beside $ref is ignored before OpenAPI 3.1: write allOf: [{ $ref: ${JSON.stringify(value)} }] beside it${keyword === 'x-nullable' ? pymacaronCaveat : ''}`,
          });
    }
    return true;
  });
  return findings;
}
