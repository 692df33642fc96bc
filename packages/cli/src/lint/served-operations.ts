import { METHODS } from 'node:http';
import { type Api, specOperations } from '@macaron/core';
import { resolveObject } from '../spec/resolve-object.js';
import type { SpecFinding } from './spec-finding.js';

/**
 * Operations @macaron/fastify refuses to serve as the spec says (its registration throws a
 * `SpecError` naming them): an OpenAPI 3.2 `additionalOperations` method Node's HTTP parser
 * does not read (no request could reach it), and a parameter `in: querystring`, which the
 * adapter does not read and would otherwise leave unchecked.
 */
export function servedOperationFindings(api: Api): SpecFinding[] {
  const findings: SpecFinding[] = [];
  const seen = new Set<string>();
  for (const { method, pointer, operation, pathItem, pathItemPointer } of specOperations(
    api.document,
  )) {
    if (!METHODS.includes(method) || method === 'CONNECT')
      findings.push({
        rule: 'served-operations',
        pointer,
        message:
          method === 'CONNECT'
            ? "Node hands a CONNECT request to the server's connect event, never to a route: no request can reach this operation (@macaron/fastify refuses to serve it)"
            : `Node's HTTP parser does not read the method ${JSON.stringify(method)}: no request can reach this operation (@macaron/fastify refuses to serve it)`,
      });
    const lists: [unknown, string][] = [
      [pathItem.parameters, `${pathItemPointer}/parameters`],
      [operation.parameters, `${pointer}/parameters`],
    ];
    for (const [list, listPointer] of lists) {
      if (!Array.isArray(list)) continue;
      list.forEach((raw, index) => {
        const { value, pointer: at } = resolveObject(api, raw, `${listPointer}/${index}`);
        if (value?.in !== 'querystring' || seen.has(at)) return;
        seen.add(at);
        findings.push({
          rule: 'served-operations',
          pointer: at,
          message:
            'a parameter `in: querystring` (the whole query string as one value) is not read by @macaron/fastify, which refuses to serve the operation: declare the query parameters one by one, `in: query`',
        });
      });
    }
  }
  return findings;
}
