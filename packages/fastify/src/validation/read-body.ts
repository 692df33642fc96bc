import { type Api, type SchemaNode, type ValidationProblem, validateValue } from '@macaron/core';
import type { FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from '../errors/http-errors.js';
import type { SpecBody } from '../spec/spec-operations.js';
import { bodyMediaType } from './body-media-type.js';
import { MarkedTooDeep, withoutMarked } from './marked-properties.js';
import { maxProblems } from './max-problems.js';
import { modelNameOf } from './model-name.js';
import { modelValues } from './model-values.js';
import { isPlainRecord, isValidationError } from './plain-values.js';

/** Reads an operation's JSON body from a request, adding what is wrong to `problems`. */
export type BodyReader = (request: FastifyRequest, problems: ValidationProblem[]) => unknown;

const bodyPointer = '/body';
// A request body may leave out the required properties the spec marks readOnly.
const request = { direction: 'request' } as const;

/**
 * Prepares the reader of an operation's body. A body whose schema is a named model becomes
 * a model object (`api.model(name).fromJSON`), and so does each item of a list of them; an
 * inline schema's body is read as `fromJSON` reads JSON, the objects of named schemas in it
 * becoming model objects.
 */
export function createBodyReader(api: Api, body: SpecBody | undefined): BodyReader {
  if (!body) return () => undefined;
  const schemaAt = (pointer: string | undefined) =>
    pointer === undefined ? undefined : api.schemaAt(pointer);
  const first = schemaAt(body.schemaPointer);
  const mediaTypes = body.mediaTypes.map(({ mediaType, schemaPointer }) => ({
    mediaType,
    schema: schemaAt(schemaPointer),
  }));
  return (request, problems) => {
    const value = request.body;
    if (value === undefined) {
      if (body.required)
        problems.push({ pointer: bodyPointer, keyword: 'required', message: 'is required' });
      return undefined;
    }
    if (!body.acceptsJson) {
      throw new UnsupportedMediaTypeError('This operation does not take a JSON body');
    }
    // Each media type has its own schema (a merge patch is partial where application/json
    // is whole): the body is read by the one its Content-Type names. One that names none was
    // refused before it was read, but in PyMacaron's compat mode: the first one reads it.
    const schema =
      mediaTypes.length > 1
        ? (bodyMediaType(mediaTypes, request.headers['content-type']) ?? mediaTypes[0]!).schema
        : first;
    if (!schema) return value;
    // The properties the server sets are not taken from the client: the handler never sees them.
    let sent: unknown;
    try {
      sent = withoutMarked(schema, value, 'readOnly');
    } catch (error) {
      if (!(error instanceof MarkedTooDeep)) throw error;
      problems.push({ pointer: bodyPointer, keyword: 'maxDepth', message: error.message });
      return undefined;
    }
    return readValue(api, schema, sent, bodyPointer, problems);
  };
}

function readValue(
  api: Api,
  schema: SchemaNode,
  value: unknown,
  pointer: string,
  problems: ValidationProblem[],
): unknown {
  const name = modelNameOf(schema);
  if (name !== undefined && isPlainRecord(value)) {
    return fromJson(api, name, value, pointer, problems);
  }
  const items = schema.items;
  // Items under prefixItems take their own schemas: such a list is read whole below.
  const byIndex = schema.prefixItems !== undefined;
  if (
    Array.isArray(value) &&
    items?.name !== undefined &&
    schema.types?.includes('array') &&
    !byIndex
  ) {
    problems.push(...validateValue({ ...schema, items: undefined }, value, pointer, request));
    // Past `maxProblems`, items are left unread: the body is refused either way, and a 1 MB
    // list of wrong objects would cost seconds.
    return value.map((item, index) =>
      problems.length >= maxProblems
        ? item
        : readValue(api, items, item, `${pointer}/${index}`, problems),
    );
  }
  // Read before it is validated, as fromJSON does: base64 and decimal strings are what a named
  // schema takes in their place.
  const values = modelValues(schema, value);
  const found = validateValue(schema, values, pointer, request);
  problems.push(...found);
  if (found.length > 0) return values;
  // Built once valid: a model object would drop a null its schema does not allow, unseen.
  return modelValues(schema, values, (name, object) => new (api.model(name))(object));
}

function fromJson(
  api: Api,
  name: string,
  json: Record<string, unknown>,
  pointer: string,
  problems: ValidationProblem[],
): unknown {
  try {
    return api.model(name).fromJSON(json, request);
  } catch (error) {
    if (!isValidationError(error)) throw error;
    for (const problem of error.problems)
      problems.push({ ...problem, pointer: pointer + problem.pointer });
    return json;
  }
}
