import { type Api, type SchemaNode, type ValidationProblem, validateValue } from '@macaron/core';
import type { FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from '../errors/http-errors.js';
import type { SpecBody } from '../spec/spec-operations.js';
import { withoutMarked } from './marked-properties.js';
import { isPlainRecord, isValidationError } from './plain-values.js';

/** Reads an operation's JSON body from a request, adding what is wrong to `problems`. */
export type BodyReader = (request: FastifyRequest, problems: ValidationProblem[]) => unknown;

const bodyPointer = '/body';
// A request body may leave out the required properties the spec marks readOnly.
const request = { direction: 'request' } as const;

/**
 * Prepares the reader of an operation's body. A body whose schema is a named model becomes
 * a model object (`api.model(name).fromJSON`), and so does each item of a list of them.
 */
export function createBodyReader(api: Api, body: SpecBody | undefined): BodyReader {
  if (!body) return () => undefined;
  const schema = body.schemaPointer === undefined ? undefined : api.schemaAt(body.schemaPointer);
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
    if (!schema) return value;
    // The properties the server sets are not taken from the client: the handler never sees them.
    const sent = withoutMarked(schema, value, 'readOnly');
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
  if (schema.name !== undefined && isPlainRecord(value)) {
    return fromJson(api, schema.name, value, pointer, problems);
  }
  const items = schema.items;
  if (Array.isArray(value) && items?.name !== undefined && schema.types?.includes('array')) {
    problems.push(...validateValue({ ...schema, items: undefined }, value, pointer, request));
    return value.map((item, index) => readValue(api, items, item, `${pointer}/${index}`, problems));
  }
  problems.push(...validateValue(schema, value, pointer, request));
  return value;
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
