import {
  type Api,
  InvalidRequestError,
  SpecError,
  type SpecOperationEntry,
  specOperations,
  writtenSpecValue,
} from '@macaron/core';
import { fragmentTokens } from '../spec/fragment-tokens.js';
import { isJsonMediaType } from '../spec/json-media-type.js';
import { pointerToken } from '../spec/pointer-token.js';
import { valueAtPointer } from '../spec/value-at-pointer.js';
import type { SpecFinding } from './spec-finding.js';

// The operations' schemas as @macaron/fastify picks them when it registers a spec's routes
// (its spec/spec-operations.ts and validation/read-parameters.ts): the lint must refuse what
// registration refuses, and the CLI does not load the adapter to ask it.

// OpenAPI 3 ignores header parameters with these names: the adapter reads no schema for them.
const reservedHeaders = new Set(['accept', 'content-type', 'authorization']);

type JsonObject = Record<string, unknown>;
const isRecord = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const appendPointer = (pointer: string, ...tokens: string[]) =>
  tokens.reduce((current, token) => `${current}/${pointerToken(token)}`, pointer);

// The object at `pointer`, its local `$ref`s followed, with the pointer where it really is.
function resolveObject(
  document: unknown,
  pointer: string,
): { value?: JsonObject; pointer: string } {
  let current = pointer;
  const seen = new Set<string>();
  for (;;) {
    const value = valueAtPointer(document, current);
    if (!isRecord(value)) return { pointer: current };
    const ref = value.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#') || seen.has(current))
      return { value, pointer: current };
    seen.add(current);
    // Read as core and the bundler read it (see `fragmentTokens`).
    current = fragmentTokens(ref.slice(1))
      .map((token) => `/${pointerToken(token)}`)
      .join('');
  }
}

// The JSON media type's schema; the media type may be a `$ref` (OpenAPI 3.2's
// `components.mediaTypes`), followed as the adapter follows it.
function jsonSchemaPointer(
  document: unknown,
  content: JsonObject,
  pointer: string,
): string | undefined {
  const mediaType = Object.keys(content).find(isJsonMediaType);
  if (mediaType === undefined) return undefined;
  const entry = resolveObject(document, appendPointer(pointer, 'content', mediaType));
  return entry.value?.schema !== undefined ? `${entry.pointer}/schema` : undefined;
}

export interface ServedParameter {
  /** Location and lower-cased name: an operation's parameter replaces the path's. */
  key: string;
  location: string;
  name: string;
  schemaPointer: string | undefined;
  /** The `default` the adapter gives when the parameter is left out, and where it is written. */
  defaultValue?: { value: unknown; pointer: string };
  body: boolean;
}

function parametersOf(api: Api, listPointer: string, list: unknown): ServedParameter[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((_, index): ServedParameter[] => {
    const { value, pointer } = resolveObject(api.document, appendPointer(listPointer, `${index}`));
    if (!value || typeof value.name !== 'string' || typeof value.in !== 'string') return [];
    // Header names are case-insensitive; other names are not (`Limit` is not `limit`).
    const name = value.in === 'header' ? value.name.toLowerCase() : value.name;
    const base = { key: `${value.in}\u0000${name}`, name: value.name };
    if (value.in === 'body') {
      const schemaPointer = value.schema === undefined ? undefined : `${pointer}/schema`;
      return [{ ...base, location: 'body', schemaPointer, body: true }];
    }
    if (!['path', 'query', 'header', 'cookie'].includes(value.in)) return [];
    let schemaPointer: string | undefined;
    // The adapter applies a Swagger 2.0 parameter's default, or its OpenAPI 3 schema's.
    let defaultValue: ServedParameter['defaultValue'];
    if (api.dialect === 'swagger2') {
      schemaPointer = pointer;
      if ('default' in value)
        defaultValue = {
          value: writtenDefault(value, `${pointer}/default`),
          pointer: `${pointer}/default`,
        };
    } else if (isRecord(value.content)) {
      // The first media type, whatever it is, and even when it gives no schema.
      const mediaType = Object.keys(value.content)[0];
      if (mediaType !== undefined)
        schemaPointer = `${resolveObject(api.document, appendPointer(pointer, 'content', mediaType)).pointer}/schema`;
    } else if (value.schema !== undefined) {
      schemaPointer = `${pointer}/schema`;
      const schema = resolveObject(api.document, schemaPointer);
      if (schema.value && 'default' in schema.value)
        defaultValue = {
          value: writtenDefault(schema.value, `${schema.pointer}/default`),
          pointer: `${schema.pointer}/default`,
        };
    }
    return [
      {
        ...base,
        location: value.in,
        schemaPointer,
        ...(defaultValue && { defaultValue }),
        body: false,
      },
    ];
  });
}

// Every parameter of an operation, its path item's first, bodies included.
function declaredParameters(
  api: Api,
  { pointer, operation, pathItem, pathItemPointer }: SpecOperationEntry,
): ServedParameter[] {
  return [
    ...parametersOf(api, `${pathItemPointer}/parameters`, pathItem.parameters),
    ...parametersOf(api, `${pointer}/parameters`, operation.parameters),
  ];
}

// The parameters the adapter reads values of: an operation's replacing its path item's, bodies
// and the header parameters OpenAPI 3 leaves to the HTTP layer left out.
function readParameters(api: Api, parameters: ServedParameter[]): ServedParameter[] {
  const merged = new Map<string, ServedParameter>();
  for (const parameter of parameters) if (!parameter.body) merged.set(parameter.key, parameter);
  return [...merged.values()].filter(
    (parameter) =>
      api.dialect === 'swagger2' ||
      parameter.location !== 'header' ||
      !reservedHeaders.has(parameter.name.toLowerCase()),
  );
}

/** Each operation's parameters as the adapter reads them (see `readParameters`). */
export function servedParameters(api: Api): ServedParameter[][] {
  return specOperations(api.document).map((entry) =>
    readParameters(api, declaredParameters(api, entry)),
  );
}

/**
 * The pointers of the schemas the fastify adapter normalises when it registers the spec's
 * routes: each operation's parameters (the operation's replacing the path's), its JSON body
 * and its responses' JSON bodies, in the order of the spec.
 */
export function servedSchemaPointers(api: Api): string[] {
  const document = api.document;
  const pointers: string[] = [];
  for (const entry of specOperations(document)) {
    const { pointer, operation } = entry;
    const parameters = declaredParameters(api, entry);
    for (const parameter of readParameters(api, parameters))
      if (parameter.schemaPointer !== undefined) pointers.push(parameter.schemaPointer);
    if (api.dialect === 'swagger2') {
      const body = parameters.findLast((parameter) => parameter.body)?.schemaPointer;
      if (body !== undefined) pointers.push(body);
    } else if (operation.requestBody !== undefined) {
      const body = resolveObject(document, `${pointer}/requestBody`);
      // A body is read by the schema of the media type it is sent in: each is served.
      if (body.value && isRecord(body.value.content)) {
        const content = body.value.content;
        for (const mediaType of Object.keys(content).filter(isJsonMediaType)) {
          const entry = resolveObject(document, appendPointer(body.pointer, 'content', mediaType));
          if (entry.value?.schema !== undefined) pointers.push(`${entry.pointer}/schema`);
        }
      }
    }
    const responses = isRecord(operation.responses) ? operation.responses : {};
    for (const status of Object.keys(responses)) {
      const response = resolveObject(document, appendPointer(pointer, 'responses', status));
      if (!response.value) continue;
      if (api.dialect === 'swagger2') {
        if (response.value.schema !== undefined) pointers.push(`${response.pointer}/schema`);
      } else if (isRecord(response.value.content)) {
        const schema = jsonSchemaPointer(document, response.value.content, response.pointer);
        if (schema !== undefined) pointers.push(schema);
      }
    }
  }
  return pointers;
}

/**
 * What `api.schemaAt` refuses among the schemas the fastify adapter reads (`schema: null`, an
 * unknown type, a pattern JavaScript cannot run in an inline schema, a parameter's content
 * without a schema): the spec loads, but registering its routes throws. One finding a pointer.
 */
export function servedSchemaFindings(api: Api): SpecFinding[] {
  const findings = new Map<string, SpecFinding>();
  for (const pointer of new Set(servedSchemaPointers(api))) {
    try {
      api.schemaAt(pointer);
    } catch (error) {
      if (SpecError.isInstance(error)) {
        for (const problem of error.problems) {
          if (!findings.has(problem.pointer))
            findings.set(problem.pointer, {
              rule: 'schema',
              pointer: problem.pointer,
              message: `${problem.message} (@macaron/fastify refuses to serve the operation)`,
            });
        }
      } else if (InvalidRequestError.isInstance(error)) {
        // Nothing at the pointer: a parameter's media type without a schema.
        const at = pointer.slice(0, pointer.lastIndexOf('/'));
        findings.set(at, {
          rule: 'schema',
          pointer: at,
          message:
            'a parameter given by content needs a schema (@macaron/fastify refuses to serve the operation)',
        });
      } else throw error;
    }
  }
  return [...findings.values()];
}

// A parameter's default as the spec file wrote it, as the adapter reads it (9007199254740993,
// which the parser reads as 9007199254740992). A decimal no number holds, which the adapter
// refuses at registration, is checked as read.
function writtenDefault(holder: Record<string, unknown>, pointer: string): unknown {
  try {
    return writtenSpecValue(holder, 'default', pointer);
  } catch (error) {
    if (error instanceof SpecError) return holder.default;
    throw error;
  }
}
