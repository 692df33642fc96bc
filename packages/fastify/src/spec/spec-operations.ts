import { METHODS } from 'node:http';
import { type Api, specOperations as coreSpecOperations, writtenSpecValue } from '@macaron/core';
import { shownJson } from '@macaron/core/backend';
import { serversBasePath } from '../routes/base-path.js';
import { appendPointer, isRecord, resolveObject } from './json-pointer.js';
import { unusableDefaults } from './parameter-defaults.js';
import {
  type AuthRequirement,
  bearerRequirement,
  type SecurityScheme,
  securityAlternatives,
  serverDecorators,
  unreadableSecurity,
} from './security-requirement.js';

/** Where a parameter is read from. */
export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** How a parameter is serialized (OpenAPI 3's `style`; Swagger 2.0's are `simple` and `form`). */
export type ParameterStyle =
  | 'simple'
  | 'label'
  | 'matrix'
  | 'form'
  | 'spaceDelimited'
  | 'pipeDelimited'
  | 'deepObject';

/** A parameter of an operation, `$ref`s followed and path-level parameters merged in. */
export interface SpecParameter {
  /** Name as the spec writes it. */
  name: string;
  /** Where it is read from. */
  in: ParameterLocation;
  /** True when the request must carry it (path parameters always). */
  required: boolean;
  /** Pointer of its schema, or undefined when it has none (any value). */
  schemaPointer: string | undefined;
  /** True when the value is JSON text (OpenAPI 3 `content: application/json`). */
  json: boolean;
  /** How one occurrence splits into array items; undefined when each occurrence is one item. */
  separator: string | undefined;
  /**
   * How the items of an array of arrays split in turn, level by level: Swagger 2.0's Items
   * Object `collectionFormat` (`rows=1,2|3,4` with `pipes` over `csv`). Empty otherwise.
   */
  itemSeparators: readonly string[];
  /** Its style, the location's default when the spec gives none or one the location lacks. */
  style: ParameterStyle;
  /** Its `explode`, defaulted (true for `form`, false otherwise). */
  explode: boolean;
  /**
   * True when the text is split on its delimiters before it is percent-decoded, so that an
   * encoded delimiter (`%2C`) is data (OpenAPI 3, as RFC 6570 expands values). Swagger 2.0
   * decodes first, as PyMacaron (bravado-core) did.
   */
  splitEncoded: boolean;
  /**
   * OpenAPI 3's `allowReserved` (query): reserved characters are sent as they are, so a `+` in
   * the value is a plus, not a space.
   */
  allowReserved: boolean;
  /**
   * For an object in `form` style with `explode` (its properties are parameters of their own):
   * true when it also takes names that are not its declared properties, as its schema allows
   * them (`additionalProperties` other than `false`, `patternProperties`, or no `properties`).
   */
  takesOtherNames: boolean;
  /** The schema's `default` (and where the spec writes it), applied when the parameter is absent. */
  defaultValue: { value: unknown; pointer: string } | undefined;
}

/** The JSON request body of an operation. */
export interface SpecBody {
  /** True when the request must carry a body. */
  required: boolean;
  /** Pointer of the JSON body schema, or undefined when the spec gives none. */
  schemaPointer: string | undefined;
  /** True when one of the declared media types is JSON (Swagger 2.0 bodies always are). */
  acceptsJson: boolean;
  /**
   * The JSON media types declared, in the spec's order, each with its schema: a body is read by
   * the one its Content-Type names (`schemaPointer` is the first one's), and one that names
   * none is refused. Swagger 2.0's are those of `consumes` (the operation's, else the
   * document's), all with the body's one schema; empty when it declares none, and any JSON
   * body is read.
   */
  mediaTypes: readonly BodyMediaType[];
}

/** One JSON media type of an OpenAPI 3 request body. */
export interface BodyMediaType {
  /** As the spec writes it: `application/merge-patch+json`. */
  mediaType: string;
  /** Pointer of its schema, or undefined when it gives none. */
  schemaPointer: string | undefined;
}

/** One declared response of an operation. */
export interface SpecResponse {
  /** Pointer of the JSON response schema, or undefined when the response has no body. */
  schemaPointer: string | undefined;
}

/** One operation of the spec, as the routes need it. */
export interface SpecOperation {
  /** Lower-case HTTP method. */
  method: string;
  /** Path template as the spec writes it, e.g. `/profiles/{id}`. */
  path: string;
  /** Pointer of the operation object, e.g. `/paths/~1profiles~1{id}/get`. */
  pointer: string;
  /** The `operationId`, when given. */
  operationId: string | undefined;
  /** PyMacaron's `x-bind-server` (`package.module.function`), when given. */
  bindServer: string | undefined;
  /** Parameters, path-level ones included. */
  parameters: SpecParameter[];
  /** The body, when the operation takes one. */
  body: SpecBody | undefined;
  /** Declared responses by status as written: `200`, `2XX`, `default`. */
  responses: Map<string, SpecResponse>;
  /** Whether a bearer token is required, optional or not asked for. */
  auth: AuthRequirement;
  /**
   * The security alternatives, when one names a scheme the application checks (see
   * `securityAlternatives`); undefined when the bearer check alone decides.
   */
  security: SecurityScheme[][] | undefined;
  /** What of the operation this adapter cannot serve as the spec says, where it is written. */
  unservable: { pointer: string; message: string }[];
  /**
   * PyMacaron's `x-no-bind-server` on an operation that names no handler (no `x-bind-server`,
   * no `operationId`): it is not served, and needs no handler.
   */
  notBound: boolean;
  /** PyMacaron's `x-decorate-server` names other than its bearer auth, in the spec's order. */
  decorators: string[];
}

/** Every operation of the API's spec, in the spec's order. */
export function specOperations(api: Api, pymacaron = false): SpecOperation[] {
  return coreSpecOperations(api.document).map(
    ({ path, method, pointer, operation: raw, pathItemPointer, pathItem }) => {
      const parameters = [
        ...readParameters(api, appendPointer(pathItemPointer, 'parameters'), pathItem.parameters),
        ...readParameters(api, appendPointer(pointer, 'parameters'), raw.parameters),
      ];
      const merged = mergeParameters(parameters);
      return {
        method: method.toLowerCase(),
        path,
        pointer,
        operationId: typeof raw.operationId === 'string' ? raw.operationId : undefined,
        bindServer: typeof raw['x-bind-server'] === 'string' ? raw['x-bind-server'] : undefined,
        parameters: merged,
        body:
          api.dialect === 'swagger2'
            ? swaggerBody(parameters, swaggerConsumes(api.document, raw))
            : readRequestBody(api, pointer, raw),
        responses: readResponses(api, pointer, raw.responses),
        auth: bearerRequirement(api.document, raw),
        security: securityAlternatives(api.document, raw),
        notBound:
          Object.hasOwn(raw, 'x-no-bind-server') &&
          raw['x-bind-server'] === undefined &&
          raw.operationId === undefined,
        decorators: serverDecorators(raw),
        unservable: [
          ...unservableParts(api, method, pointer, [
            [appendPointer(pathItemPointer, 'parameters'), pathItem.parameters],
            [appendPointer(pointer, 'parameters'), raw.parameters],
          ]),
          ...unservableServers(api, [
            [appendPointer(pointer, 'servers'), raw.servers],
            [appendPointer(pathItemPointer, 'servers'), pathItem.servers],
          ]),
          ...unreadableSecurity(api.document, raw, pointer),
          ...unreadBodySchemas(api, pointer, raw),
          ...unusableDefaults(api, merged, pymacaron),
        ],
      };
    },
  );
}

// `servers` of an operation or its path item (the first that has them applies) whose path is
// not the spec's: every route is served under the spec's one base path, so such an operation
// would answer elsewhere than the spec (and the published spec) tells clients.
function unservableServers(
  api: Api,
  levels: [string, unknown][],
): { pointer: string; message: string }[] {
  if (api.dialect === 'swagger2') return [];
  const base = serversBasePath(api.document.servers) ?? '';
  for (const [pointer, servers] of levels) {
    const own = serversBasePath(servers);
    if (own === undefined) continue;
    if (own === base) return [];
    return [
      {
        pointer,
        message: `these servers put the operation under ${shownJson(own || '/')}, but every path is served under the spec's base path ${shownJson(base || '/')} (its first servers entry): give it the same path, or serve it with another registration`,
      },
    ];
  }
  return [];
}

// An OpenAPI 3.2 operation this adapter would otherwise serve other than the spec says: a
// method Node's HTTP parser does not read (no request could reach it), a whole-query-string
// parameter (`in: querystring`), which would go unchecked, and any parameter the adapter would
// not read as written (see unreadParameter).
function unservableParts(
  api: Api,
  method: string,
  pointer: string,
  lists: [string, unknown][],
): { pointer: string; message: string }[] {
  const found: { pointer: string; message: string }[] = [];
  if (!METHODS.includes(method))
    found.push({
      pointer,
      message: `Node's HTTP parser does not read the method ${shownJson(method)}: no request can reach this operation (it reads ${METHODS.join(', ')})`,
    });
  else if (method === 'CONNECT')
    found.push({
      pointer,
      message:
        "Node hands a CONNECT request to the server's connect event, never to fastify: no request can reach this operation",
    });
  for (const [listPointer, list] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((_, index) => {
      const { value, pointer: at } = resolveObject(api.document, appendPointer(listPointer, index));
      if (value?.in === 'querystring')
        found.push({
          pointer: at,
          message:
            'a parameter `in: querystring` (the whole query string as one value) is not supported: declare the query parameters one by one, `in: query`',
        });
      else {
        const message = unreadParameter(api, value);
        if (message !== undefined) found.push({ pointer: at, message });
      }
    });
  }
  return found;
}

// Where each dialect's parameters are: a parameter elsewhere would never be read.
const locationsOf = {
  swagger2: ['path', 'query', 'header', 'body', 'formData'],
  openapi: ['path', 'query', 'header', 'cookie'],
} as const;

// Why a parameter would be served without its checks: not read at all (no name, a location the
// dialect does not have), or read by one of two descriptions the spec allows only one of (OpenAPI
// 3's `schema` or `content`, a `content` of exactly one media type).
function unreadParameter(api: Api, value: Record<string, unknown> | undefined): string | undefined {
  const locations: readonly string[] =
    locationsOf[api.dialect === 'swagger2' ? 'swagger2' : 'openapi'];
  if (!value || typeof value.name !== 'string' || typeof value.in !== 'string')
    return 'a parameter without a name and a location (`name`, `in`) would never be read, nor its checks made';
  if (!locations.includes(value.in))
    return `a parameter in ${shownJson(value.in)} would never be read, nor its checks made: its location must be one of ${locations.join(', ')}`;
  if (api.dialect === 'swagger2') return undefined;
  if (value.content === undefined) return undefined;
  if (value.schema !== undefined)
    return 'a parameter has both `schema` and `content`, and would be checked by one of them only: give one';
  const mediaTypes = isRecord(value.content) ? Object.keys(value.content) : [];
  if (mediaTypes.length !== 1)
    return `a parameter's \`content\` must name exactly one media type, not ${mediaTypes.length}: the parameter would be checked by ${mediaTypes.length === 0 ? 'no schema' : 'the first one only'}`;
  return undefined;
}

interface RawParameter extends SpecParameter {
  body?: SpecBody;
}

function readParameters(api: Api, listPointer: string, list: unknown): RawParameter[] {
  if (!Array.isArray(list)) return [];
  const parameters: RawParameter[] = [];
  list.forEach((_, index) => {
    const { value, pointer } = resolveObject(api.document, appendPointer(listPointer, index));
    if (!value || typeof value.name !== 'string' || typeof value.in !== 'string') return;
    if (value.in === 'body') {
      parameters.push({
        ...parameterBase(value.name, 'query'),
        body: {
          required: value.required === true,
          schemaPointer: value.schema === undefined ? undefined : appendPointer(pointer, 'schema'),
          acceptsJson: true,
          mediaTypes: [],
        },
      });
      return;
    }
    if (value.in === 'formData') {
      // Swagger 2.0's form fields: a body of a media type other than JSON, which is refused
      // with a 415 (as a requestBody without a JSON one), and required when a field is.
      parameters.push({
        ...parameterBase(value.name, 'query'),
        body: {
          required: value.required === true,
          schemaPointer: undefined,
          acceptsJson: false,
          mediaTypes: [],
        },
      });
      return;
    }
    if (!['path', 'query', 'header', 'cookie'].includes(value.in)) return;
    const location = value.in as ParameterLocation;
    const parameter = parameterBase(value.name, location);
    parameter.required = location === 'path' || value.required === true;
    if (api.dialect === 'swagger2') {
      parameter.schemaPointer = pointer;
      parameter.separator = swaggerSeparator(value.collectionFormat, location);
      parameter.explode = value.collectionFormat === 'multi' && location === 'query';
      parameter.itemSeparators = nestedSeparators(value.items);
      if ('default' in value)
        parameter.defaultValue = {
          value: writtenSpecValue(value, 'default', appendPointer(pointer, 'default')),
          pointer: appendPointer(pointer, 'default'),
        };
    } else if (isRecord(value.content)) {
      const mediaType = Object.keys(value.content)[0];
      if (mediaType !== undefined) {
        const entry = resolveObject(api.document, appendPointer(pointer, 'content', mediaType));
        parameter.schemaPointer = appendPointer(entry.pointer, 'schema');
        parameter.json = isJsonMediaType(mediaType);
      }
    } else if (value.schema !== undefined) {
      parameter.schemaPointer = appendPointer(pointer, 'schema');
      parameter.style = openApiStyle(value.style, location);
      parameter.explode =
        typeof value.explode === 'boolean' ? value.explode : parameter.style === 'form';
      parameter.separator = openApiSeparator(parameter.style, parameter.explode, location);
      // Spaces and pipes are sent encoded (`%20`, `%7C`): those texts are decoded first.
      parameter.splitEncoded =
        parameter.style !== 'spaceDelimited' && parameter.style !== 'pipeDelimited';
      parameter.allowReserved = location === 'query' && value.allowReserved === true;
      const { value: schema, pointer: schemaAt } = resolveObject(
        api.document,
        parameter.schemaPointer,
      );
      if (schema && 'default' in schema)
        parameter.defaultValue = {
          // As the spec file wrote it: its parser reads 9007199254740993 as 9007199254740992.
          value: writtenSpecValue(schema, 'default', appendPointer(schemaAt, 'default')),
          pointer: appendPointer(schemaAt, 'default'),
        };
      parameter.takesOtherNames = takesOtherNames(api.document, parameter.schemaPointer);
    }
    parameters.push(parameter);
  });
  return parameters;
}

/**
 * Whether an object schema takes names beyond its declared properties, its allOf, anyOf and
 * oneOf members' included (through `$ref`s): `additionalProperties` other than `false`,
 * `patternProperties`, or no `properties` at all; and neither it nor an allOf member closes it
 * with `additionalProperties: false`.
 */
function takesOtherNames(document: unknown, pointer: string): boolean {
  const seen = new Set<string>();
  let closed = false;
  let opened = false;
  let declares = false;
  const visit = (at: string, closing: boolean) => {
    const { value: schema, pointer: resolved } = resolveObject(document, at);
    if (!schema || seen.has(resolved)) return;
    seen.add(resolved);
    if (schema.additionalProperties === false) closed ||= closing;
    else if (schema.additionalProperties !== undefined) opened = true;
    if (isRecord(schema.patternProperties)) opened = true;
    if (isRecord(schema.properties) && Object.keys(schema.properties).length > 0) declares = true;
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const members = schema[keyword];
      if (!Array.isArray(members)) continue;
      for (let index = 0; index < members.length; index++)
        visit(appendPointer(resolved, keyword, index), closing && keyword === 'allOf');
    }
  };
  visit(pointer, true);
  return !closed && (opened || !declares);
}

function parameterBase(name: string, location: ParameterLocation): SpecParameter {
  return {
    name,
    in: location,
    required: false,
    schemaPointer: undefined,
    json: false,
    separator: undefined,
    itemSeparators: [],
    style: location === 'path' || location === 'header' ? 'simple' : 'form',
    explode: false,
    splitEncoded: false,
    allowReserved: false,
    takesOtherNames: false,
    defaultValue: undefined,
  };
}

// Operation parameters override path-level ones of the same name and location. Header names
// are one name in any case (HTTP's); query, path and cookie names are case-sensitive: `Limit`
// and `limit` are two query parameters, each checked.
// A Swagger 2.0 operation's body: its `in: body` parameter, else its form fields together.
function swaggerBody(parameters: RawParameter[], consumes: string[]): SpecBody | undefined {
  const json = parameters.findLast((parameter) => parameter.body?.acceptsJson)?.body;
  if (json) {
    const { schemaPointer } = json;
    return {
      ...json,
      mediaTypes: consumes
        .filter(isJsonMediaType)
        .map((mediaType) => ({ mediaType, schemaPointer })),
    };
  }
  const fields = parameters.filter((parameter) => parameter.body);
  if (fields.length === 0) return undefined;
  return {
    required: fields.some((field) => field.body!.required),
    schemaPointer: undefined,
    acceptsJson: false,
    mediaTypes: [],
  };
}

// Swagger 2.0's `consumes`: the operation's replaces the document's (an empty list included).
function swaggerConsumes(
  document: Record<string, unknown>,
  operation: Record<string, unknown>,
): string[] {
  const consumes = Array.isArray(operation.consumes) ? operation.consumes : document.consumes;
  return Array.isArray(consumes)
    ? consumes.filter((mediaType): mediaType is string => typeof mediaType === 'string')
    : [];
}

function mergeParameters(parameters: RawParameter[]): SpecParameter[] {
  const byKey = new Map<string, SpecParameter>();
  for (const parameter of parameters) {
    if (parameter.body) continue;
    const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
    byKey.set(`${parameter.in}\u0000${name}`, parameter);
  }
  return [...byKey.values()];
}

// The separators of Swagger 2.0's nested Items Objects of type array, outermost first (csv by
// default; `multi` is a parameter's alone).
function nestedSeparators(items: unknown): string[] {
  const separators: string[] = [];
  for (
    let level = items;
    isRecord(level) && level.type === 'array' && separators.length < maxNestedArrays;
    level = level.items
  )
    separators.push(swaggerSeparator(level.collectionFormat, 'header') ?? ',');
  return separators;
}

// Arrays of arrays past this depth are read as text: no spec nests deeper.
const maxNestedArrays = 8;

function swaggerSeparator(format: unknown, location: ParameterLocation): string | undefined {
  switch (format) {
    case 'multi':
      return location === 'query' ? undefined : ',';
    case 'ssv':
      return ' ';
    case 'tsv':
      return '\t';
    case 'pipes':
      return '|';
    default:
      return ',';
  }
}

// The styles each location defines (OAS 3.0.3 §4.7.12.4), the first its default. Another style
// is read as the default one.
const stylesOf: Record<ParameterLocation, readonly ParameterStyle[]> = {
  path: ['simple', 'label', 'matrix'],
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  header: ['simple'],
  cookie: ['form'],
};

function openApiStyle(style: unknown, location: ParameterLocation): ParameterStyle {
  const styles = stylesOf[location];
  return styles.find((known) => known === style) ?? styles[0]!;
}

// What separates array items within one occurrence (after a label's `.` or a matrix's
// `;name=`); undefined when each occurrence is one item (an exploded query or matrix array).
function openApiSeparator(
  style: ParameterStyle,
  explode: boolean,
  location: ParameterLocation,
): string | undefined {
  switch (style) {
    case 'label':
      return explode ? '.' : ',';
    case 'matrix':
      return explode ? undefined : ',';
    case 'spaceDelimited':
      return explode ? undefined : ' ';
    case 'pipeDelimited':
      return explode ? undefined : '|';
    case 'deepObject':
      return undefined;
    case 'form':
      // A cookie holds one value: its array is always a list.
      return explode && location === 'query' ? undefined : ',';
    default:
      return ',';
  }
}

function readRequestBody(
  api: Api,
  operationPointer: string,
  raw: Record<string, unknown>,
): SpecBody | undefined {
  if (raw.requestBody === undefined) return undefined;
  const { value, pointer } = resolveObject(
    api.document,
    appendPointer(operationPointer, 'requestBody'),
  );
  if (!value) return undefined;
  const content = isRecord(value.content) ? value.content : {};
  const mediaTypes = Object.keys(content)
    .filter(isJsonMediaType)
    .map((mediaType) => ({
      mediaType,
      schemaPointer: schemaOfMediaType(api.document, mediaType, pointer),
    }));
  return {
    required: value.required === true,
    schemaPointer: mediaTypes[0]?.schemaPointer,
    acceptsJson: mediaTypes.length > 0,
    mediaTypes,
  };
}

// JSON media types of a request body that describe it by OpenAPI 3.2's `itemSchema` (the schema
// of each item of a sequence): the adapter reads a JSON body whole, by `schema` alone, so the
// body would be read without that check.
function unreadBodySchemas(
  api: Api,
  operationPointer: string,
  raw: Record<string, unknown>,
): { pointer: string; message: string }[] {
  if (api.dialect === 'swagger2' || raw.requestBody === undefined) return [];
  const { value, pointer } = resolveObject(
    api.document,
    appendPointer(operationPointer, 'requestBody'),
  );
  if (!value || !isRecord(value.content)) return [];
  return Object.keys(value.content)
    .filter(isJsonMediaType)
    .flatMap((mediaType) => {
      const entry = resolveObject(api.document, appendPointer(pointer, 'content', mediaType));
      return entry.value?.itemSchema === undefined
        ? []
        : [
            {
              pointer: entry.pointer,
              message: `the body's media type ${mediaType} gives an itemSchema, which this adapter does not check (it reads a JSON body whole, by its schema): give a schema (type: array, items) instead`,
            },
          ];
    });
}

// The schema of a media type of `content` (in the object at `pointer`); the media type may be
// a `$ref` (OpenAPI 3.2's `components.mediaTypes`), followed like any other.
function schemaOfMediaType(
  document: Record<string, unknown>,
  mediaType: string | undefined,
  pointer: string,
): string | undefined {
  if (mediaType === undefined) return undefined;
  const entry = resolveObject(document, appendPointer(pointer, 'content', mediaType));
  return entry.value?.schema !== undefined ? appendPointer(entry.pointer, 'schema') : undefined;
}

function readResponses(
  api: Api,
  operationPointer: string,
  raw: unknown,
): Map<string, SpecResponse> {
  const responses = new Map<string, SpecResponse>();
  if (!isRecord(raw)) return responses;
  for (const status of Object.keys(raw)) {
    const { value, pointer } = resolveObject(
      api.document,
      appendPointer(operationPointer, 'responses', status),
    );
    if (!value) continue;
    let schemaPointer: string | undefined;
    if (api.dialect === 'swagger2') {
      if (value.schema !== undefined) schemaPointer = appendPointer(pointer, 'schema');
    } else if (isRecord(value.content)) {
      const mediaType = Object.keys(value.content).find(isJsonMediaType);
      schemaPointer = schemaOfMediaType(api.document, mediaType, pointer);
    }
    responses.set(status.toUpperCase(), { schemaPointer });
  }
  return responses;
}

/** True for `application/json`, `application/problem+json`, `application/*+json`, `*\/*` and the like. */
export function isJsonMediaType(mediaType: string): boolean {
  const essence = mediaType.split(';')[0]!.trim().toLowerCase();
  return (
    essence === 'application/json' ||
    /^application\/(?:[\w.+-]+|\*)\+json$/.test(essence) ||
    essence === '*/*' ||
    essence === 'application/*'
  );
}
