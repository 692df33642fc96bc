import type { Dialect } from '@macaron/core';
import type { SpecFinding } from './spec-finding.js';

// Keywords that change what a value may be or where it is sent: ignored beside `$ref` before 3.1.
const meaningful = ['readOnly', 'writeOnly', 'nullable', 'x-nullable'];

const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Before OpenAPI 3.1, every sibling of a `$ref` is ignored ("any properties added SHALL be
 * ignored"): `{ $ref: Password, writeOnly: true }` sends the password in every response, and
 * `{ $ref: Id, readOnly: true }` still requires the id in requests. One warning each for
 * `readOnly`, `writeOnly` and `nullable` beside a `$ref` in Swagger 2.0 and OpenAPI 3.0; the
 * fix is `allOf: [{ $ref }]` beside them.
 */
export function refSiblingFindings(document: unknown, dialect: Dialect): SpecFinding[] {
  if (dialect === 'oas3.1') return [];
  const findings: SpecFinding[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown, pointer: string) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, `${pointer}/${index}`);
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === 'string') {
      for (const keyword of meaningful)
        if (Object.hasOwn(record, keyword))
          findings.push({
            rule: 'ref-siblings',
            pointer: `${pointer}/${escapeToken(keyword)}`,
            message: `${keyword} beside $ref is ignored before OpenAPI 3.1: write allOf: [{ $ref: ${JSON.stringify(record.$ref)} }] beside it`,
          });
    }
    for (const [key, value] of Object.entries(record)) {
      const at = `${pointer}/${escapeToken(key)}`;
      // Examples are data; property and path names are names, not keywords.
      if (key === 'example' || key === 'examples') continue;
      if ((key === 'properties' || key === 'paths') && typeof value === 'object' && value) {
        for (const [name, child] of Object.entries(value))
          visit(child, `${at}/${escapeToken(name)}`);
        continue;
      }
      visit(value, at);
    }
  };
  visit(document, '');
  return findings;
}
