import { METHODS } from 'node:http';
import { type Api, specOperations } from '@macaron/core';
import { isJsonMediaType } from '../spec/json-media-type.js';
import { operationParameters } from '../spec/operation-parameters.js';
import { pointerToken } from '../spec/pointer-token.js';
import { resolveObject } from '../spec/resolve-object.js';
import { serversBasePath } from '../spec/servers-base-path.js';
import type { SpecFinding } from './spec-finding.js';

/**
 * Operations @macaron/fastify refuses to serve as the spec says (its registration throws a
 * `SpecError` naming them): an OpenAPI 3.2 `additionalOperations` method Node's HTTP parser
 * does not read (no request could reach it), a parameter `in: querystring`, which the
 * adapter does not read and would otherwise leave unchecked (and any other parameter it would not
 * read as written: no name, a location the dialect lacks, `schema` beside `content`), a JSON
 * request body described by OpenAPI 3.2's `itemSchema` (read whole, by `schema` alone, it would
 * go unchecked), `servers` of a path item or an operation under another path than the spec's
 * base path, a `security` that is no list of requirements, and a path with a literal `?` or `#`
 * (no request URL's path holds one).
 */
export function servedOperationFindings(api: Api): SpecFinding[] {
  const findings: SpecFinding[] = [];
  const seen = new Set<string>();
  const base = serversBasePath(api.document.servers) ?? '';
  for (const entry of specOperations(api.document)) {
    const { method, pointer, operation, pathItem, pathItemPointer } = entry;
    // The operation's own servers, else its path item's, under another path than the spec's.
    const levels: [unknown, string][] = [
      [operation.servers, `${pointer}/servers`],
      [pathItem.servers, `${pathItemPointer}/servers`],
    ];
    const own = levels.find(([servers]) => serversBasePath(servers) !== undefined);
    if (
      api.dialect !== 'swagger2' &&
      own &&
      serversBasePath(own[0]) !== base &&
      !seen.has(own[1])
    ) {
      seen.add(own[1]);
      findings.push({
        rule: 'served-operations',
        pointer: own[1],
        message: `these servers put the operation under ${JSON.stringify(serversBasePath(own[0]) || '/')}, but @macaron/fastify serves every path under the spec's base path ${JSON.stringify(base || '/')} and refuses to serve it`,
      });
    }
    const ending = urlEnding(entry.path);
    if (ending !== undefined && !seen.has(pathItemPointer)) {
      seen.add(pathItemPointer);
      findings.push({
        rule: 'served-operations',
        pointer: pathItemPointer,
        message: `the path has a literal "${ending}", which ends the path of a URL: no request reaches it as written, and @macaron/fastify refuses to serve it (write a path parameter, or another character)`,
      });
    }
    if (!METHODS.includes(method) || method === 'CONNECT')
      findings.push({
        rule: 'served-operations',
        pointer,
        message:
          method === 'CONNECT'
            ? "Node hands a CONNECT request to the server's connect event, never to a route: no request can reach this operation (@macaron/fastify refuses to serve it)"
            : `Node's HTTP parser does not read the method ${JSON.stringify(method)}: no request can reach this operation (@macaron/fastify refuses to serve it)`,
      });
    const [securityAt, security] =
      operation.security === undefined
        ? ['/security', api.document.security]
        : [`${pointer}/security`, operation.security];
    if (security !== undefined && !readableSecurity(security) && !seen.has(securityAt)) {
      seen.add(securityAt);
      findings.push({
        rule: 'served-operations',
        pointer: securityAt,
        message:
          'security is not a list of requirements (objects naming schemes, each with a list of scopes): @macaron/fastify refuses to serve the operation, which would otherwise be served without the checks it asks for',
      });
    }
    for (const { value, pointer: at } of operationParameters(api, entry)) {
      if (seen.has(at)) continue;
      const message =
        value?.in === 'querystring'
          ? 'a parameter `in: querystring` (the whole query string as one value) is not read by @macaron/fastify, which refuses to serve the operation: declare the query parameters one by one, `in: query`'
          : unreadParameter(api, value);
      if (message === undefined) continue;
      seen.add(at);
      findings.push({ rule: 'served-operations', pointer: at, message });
    }
    for (const { mediaType, pointer: at } of itemSchemaBodies(api, entry)) {
      if (seen.has(at)) continue;
      seen.add(at);
      findings.push({
        rule: 'served-operations',
        pointer: at,
        message: `the body's media type ${JSON.stringify(mediaType)} gives an \`itemSchema\`, which @macaron/fastify does not check (it reads a JSON body whole, by its \`schema\`) and so refuses to serve the operation: give a \`schema\` (type: array, items) instead`,
      });
    }
  }
  return findings;
}

// The JSON media types of an operation's request body that give OpenAPI 3.2's `itemSchema` (as
// @macaron/fastify's `unreadBodySchemas` finds them), each where it is declared.
function itemSchemaBodies(
  api: Api,
  { pointer, operation }: { pointer: string; operation: Record<string, unknown> },
): { mediaType: string; pointer: string }[] {
  if (api.dialect === 'swagger2' || operation.requestBody === undefined) return [];
  const body = resolveObject(api, operation.requestBody, `${pointer}/requestBody`);
  const content = body.value?.content;
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return [];
  return Object.keys(content)
    .filter(isJsonMediaType)
    .flatMap((mediaType) => {
      const at = `${body.pointer}/content/${pointerToken(mediaType)}`;
      const entry = resolveObject(api, (content as Record<string, unknown>)[mediaType], at);
      return entry.value?.itemSchema === undefined ? [] : [{ mediaType, pointer: entry.pointer }];
    });
}

// Where each dialect's parameters are (as @macaron/fastify's `unreadParameter` reads them).
const locationsOf = {
  swagger2: ['path', 'query', 'header', 'body', 'formData'],
  openapi: ['path', 'query', 'header', 'cookie'],
} as const;

// Why @macaron/fastify would not read a parameter as written, and so refuses to serve its
// operation: no name or location, a location the dialect lacks, or OpenAPI 3's `schema` beside
// `content`, or a `content` of other than one media type.
function unreadParameter(api: Api, value: Record<string, unknown> | undefined): string | undefined {
  const locations: readonly string[] =
    locationsOf[api.dialect === 'swagger2' ? 'swagger2' : 'openapi'];
  const refused = '@macaron/fastify refuses to serve the operation';
  if (!value || typeof value.name !== 'string' || typeof value.in !== 'string')
    return `a parameter without a name and a location (\`name\`, \`in\`) is never read: ${refused}`;
  if (!locations.includes(value.in))
    return `a parameter in ${JSON.stringify(value.in)} is never read (its location must be one of ${locations.join(', ')}): ${refused}`;
  if (api.dialect === 'swagger2' || value.content === undefined) return undefined;
  if (value.schema !== undefined)
    return `a parameter with both \`schema\` and \`content\` would be checked by one of them only: ${refused} (give one)`;
  const mediaTypes =
    typeof value.content === 'object' && value.content !== null ? Object.keys(value.content) : [];
  return mediaTypes.length === 1
    ? undefined
    : `a parameter's \`content\` must name exactly one media type, not ${mediaTypes.length}: ${refused}`;
}

// A literal `?` or `#` of a spec path, outside its templated variables: where a request URL's
// path ends (as @macaron/fastify's `unservablePath` finds it).
function urlEnding(path: string): string | undefined {
  return /[?#]/.exec(path.replace(/\{[^{}]+\}/g, ''))?.[0];
}

// A list of objects naming schemes, each with its list of scopes (as @macaron/fastify reads it).
function readableSecurity(security: unknown): boolean {
  return (
    Array.isArray(security) &&
    security.every(
      (alternative) =>
        typeof alternative === 'object' &&
        alternative !== null &&
        !Array.isArray(alternative) &&
        Object.values(alternative).every(
          (scopes) => Array.isArray(scopes) && scopes.every((scope) => typeof scope === 'string'),
        ),
    )
  );
}
