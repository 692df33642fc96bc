import { type Api, specOperations, type ValueDirection } from '@macaron/core';
import { isJsonMediaType } from '../spec/json-media-type.js';
import { operationParameters } from '../spec/operation-parameters.js';
import { pointerToken } from '../spec/pointer-token.js';
import { resolveObject as resolve } from '../spec/resolve-object.js';
import { inheritedMember, type SchemaTypeWriter } from './schema-type.js';
import { commentText, compareText, propertyKey, quote } from './type-identifiers.js';

const locations = { path: 'params', query: 'query', header: 'headers', cookie: undefined } as const;

type JsonObject = Record<string, unknown>;

// Header parameters OpenAPI 3 has ignored: the request's content negotiation and credentials.
const ignoredHeaders = new Set(['accept', 'content-type', 'authorization']);
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One operation's types, as the generated `Operations` map holds them. */
interface OperationEntry {
  name: string;
  route: string;
  text: string;
}

/**
 * The `Operations` map of a spec: per operation (by the name its handler is given:
 * `operationId`, PyMacaron's `x-bind-server`, or `METHOD /path`), the types of its path,
 * query and header parameters, its body and its responses by status. Empty when the spec has
 * no paths.
 */
export function operationTypes(
  api: Api,
  writer: SchemaTypeWriter,
  directed: Record<ValueDirection, SchemaTypeWriter>,
): string {
  const entries: OperationEntry[] = [];
  // Bodies and responses are typed as the adapter takes and sends them: a body may leave out
  // required readOnly properties, a response required writeOnly ones, at any depth.
  const typeAt = (pointer: string, indent: string, direction?: ValueDirection) => {
    try {
      return (direction ? directed[direction] : writer).typeOf(api.schemaAt(pointer), indent).text;
    } catch {
      return 'unknown';
    }
  };
  for (const entry of specOperations(api.document)) {
    const { path, method, pointer, operation } = entry;
    // PyMacaron's x-no-bind-server, on an operation no handler name binds: not served, as the
    // fastify plugin reads it, so no handler to type.
    const unbound =
      Object.hasOwn(operation, 'x-no-bind-server') &&
      operation['x-bind-server'] === undefined &&
      operation.operationId === undefined;
    if (unbound) continue;
    const name =
      typeof operation.operationId === 'string'
        ? operation.operationId
        : typeof operation['x-bind-server'] === 'string'
          ? operation['x-bind-server']
          : `${method} ${path}`;
    const groups: Record<'params' | 'query' | 'headers', Map<string, string>> = {
      params: new Map(),
      query: new Map(),
      headers: new Map(),
    };
    let body = 'undefined';
    for (const parameter of operationParameters(api, entry)) {
      const value = parameter.value;
      if (!value || typeof value.name !== 'string' || typeof value.in !== 'string') continue;
      if (value.in === 'body') {
        const type =
          value.schema === undefined
            ? 'unknown'
            : typeAt(`${parameter.pointer}/schema`, '      ', 'request');
        body = value.required === true ? type : `${type} | undefined`;
        continue;
      }
      const group = locations[value.in as keyof typeof locations];
      if (!group) continue;
      // OpenAPI 3 says these header parameters are ignored (the adapter reads none of them):
      // a handler is not promised them. Swagger 2.0 has no such rule.
      if (
        value.in === 'header' &&
        api.dialect !== 'swagger2' &&
        ignoredHeaders.has(value.name.toLowerCase())
      )
        continue;
      const schemaPointer =
        api.dialect === 'swagger2'
          ? parameter.pointer
          : isObject(value.content)
            ? `${mediaTypeOf(api, value.content, parameter.pointer, Object.keys(value.content)[0] ?? '').pointer}/schema`
            : `${parameter.pointer}/schema`;
      const schema =
        api.dialect === 'swagger2'
          ? value
          : resolve(api, value.schema, `${parameter.pointer}/schema`).value;
      const always =
        value.in === 'path' ||
        value.required === true ||
        (schema !== undefined && 'default' in schema);
      const type =
        value.schema === undefined && api.dialect !== 'swagger2' && !isObject(value.content)
          ? 'unknown'
          : typeAt(schemaPointer, '      ');
      // Operation parameters override path-level ones of the same name and location; header
      // names are one name in any case, as in HTTP and the adapter (query and path names
      // are not: `Limit` and `limit` are two parameters).
      const key = value.in === 'header' ? value.name.toLowerCase() : value.name;
      // The handler's query and headers are plain objects: one without an optional parameter
      // named like a member of Object (`toString`) still has the inherited member.
      const inherited = always ? '' : inheritedMember(value.name);
      groups[group].set(key, `${propertyKey(value.name)}${always ? '' : '?'}: ${type}${inherited}`);
    }
    if (api.dialect !== 'swagger2' && operation.requestBody !== undefined) {
      const request = resolve(api, operation.requestBody, `${pointer}/requestBody`);
      const content = isObject(request.value?.content) ? request.value.content : {};
      // The adapter reads a body by the schema of the media type it is sent in: any of them.
      const schemas = bodySchemaPointers(api, content, request.pointer);
      const types = [
        ...new Set(
          schemas.map((schema) =>
            schema === undefined ? 'unknown' : typeAt(schema, '      ', 'request'),
          ),
        ),
      ];
      // A type of more than one word is bracketed in the union (`(A & B) | C`).
      const member = (text: string) => (/\s/.test(text) ? `(${text})` : text);
      const type =
        types.length === 0
          ? 'unknown'
          : types.length === 1
            ? types[0]!
            : types.map(member).join(' | ');
      body = request.value?.required === true ? type : `${type} | undefined`;
    }
    const responses: string[] = [];
    const declared = isObject(operation.responses) ? operation.responses : {};
    for (const status of Object.keys(declared)) {
      const response = resolve(
        api,
        declared[status],
        `${pointer}/responses/${pointerToken(status)}`,
      );
      let type = 'void';
      if (api.dialect === 'swagger2') {
        if (response.value?.schema !== undefined)
          type = typeAt(`${response.pointer}/schema`, '      ', 'response');
      } else if (isObject(response.value?.content)) {
        const schema = mediaSchemaPointer(api, response.value.content, response.pointer);
        // A body declared without a JSON schema (`text/plain`, a JSON media type without
        // one): the adapter sends what the handler returns as JSON, checked as `schema: {}`.
        if (schema !== undefined) type = typeAt(schema, '      ', 'response');
        else if (Object.keys(response.value.content).length > 0) type = 'unknown';
      }
      // A range in OpenAPI's spelling (`2XX`, whatever case the spec wrote); `default` as it is.
      const key = /^[1-5]xx$/i.test(status) ? status.toUpperCase() : status;
      responses.push(`      ${quote(key)}: ${type};`);
    }
    const group = (entries: Map<string, string>) =>
      entries.size === 0 ? '{}' : `{ ${[...entries.values()].join('; ')} }`;
    entries.push({
      name,
      route: `${method.toUpperCase()} ${path}`,
      text: [
        `    params: ${group(groups.params)};`,
        `    query: ${group(groups.query)};`,
        `    headers: ${group(groups.headers)};`,
        `    body: ${body};`,
        responses.length === 0
          ? '    responses: {};'
          : `    responses: {\n${responses.join('\n')}\n    };`,
      ].join('\n'),
    });
  }
  // Operations that share a handler (one x-bind-server) are one entry: either operation's values.
  const byName = new Map<string, OperationEntry[]>();
  for (const entry of entries) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry]);
  const lines = [...byName.keys()].sort(compareText).map((name) => {
    const shared = byName.get(name)!;
    const routes = shared.map((entry) => entry.route).join(', ');
    const shapes = shared.map((entry) => `{\n${entry.text}\n  }`).join(' | ');
    return `  /** ${commentText(routes)} */\n  ${propertyKey(name)}: ${shapes};`;
  });
  return lines.join('\n');
}

// A media type of `content` (of the object at `pointer`), its `$ref` (OpenAPI 3.2's
// `components.mediaTypes`) followed, as the adapter follows it.
function mediaTypeOf(api: Api, content: JsonObject, pointer: string, mediaType: string) {
  return resolve(api, content[mediaType], `${pointer}/content/${pointerToken(mediaType)}`);
}

// The schema of each JSON media type of a request body's `content` (undefined for one without),
// in the spec's order: the adapter reads a body by the one its Content-Type names.
function bodySchemaPointers(
  api: Api,
  content: JsonObject,
  pointer: string,
): (string | undefined)[] {
  return Object.keys(content)
    .filter(isJsonMediaType)
    .map((mediaType) => {
      const entry = mediaTypeOf(api, content, pointer, mediaType);
      return entry.value?.schema !== undefined ? `${entry.pointer}/schema` : undefined;
    });
}

// The schema of the JSON media type of a response's `content`, as the adapter sends it.
function mediaSchemaPointer(api: Api, content: JsonObject, pointer: string): string | undefined {
  const mediaType = Object.keys(content).find(isJsonMediaType);
  if (mediaType === undefined) return undefined;
  const entry = mediaTypeOf(api, content, pointer, mediaType);
  return entry.value?.schema !== undefined ? `${entry.pointer}/schema` : undefined;
}
