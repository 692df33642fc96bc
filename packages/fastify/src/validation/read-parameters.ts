import { type Api, type SchemaNode, type ValidationProblem, validateValue } from '@macaron/core';
import type { FastifyRequest } from 'fastify';
import { appendPointer } from '../spec/json-pointer.js';
import type { SpecParameter } from '../spec/spec-operations.js';
import { coerceParameter } from './coerce-parameter.js';
import { JsonNumberRangeError, parseJsonExactly } from './exact-json.js';
import { ownValue, setOwnValue } from './own-properties.js';

/** The declared parameters of a request, coerced and validated. */
export interface RequestParameters {
  /** Path parameters by their name in the spec. */
  params: Record<string, unknown>;
  /** Query parameters by their name in the spec. */
  query: Record<string, unknown>;
  /** Header parameters by their name in the spec. */
  headers: Record<string, unknown>;
  /** Cookie parameters by their name in the spec. */
  cookies: Record<string, unknown>;
}

/** Reads an operation's parameters from a request, adding what is wrong to `problems`. */
export type ParameterReader = (
  request: FastifyRequest,
  problems: ValidationProblem[],
) => RequestParameters;

// OpenAPI 3 ignores header parameters with these names: the HTTP layer owns them.
const reservedHeaders = new Set(['accept', 'content-type', 'authorization']);

/**
 * Prepares the reader of an operation's parameters (schemas are normalised once, here).
 * `routeNames` maps path parameters to their fastify names. `pymacaronQuery` reads query
 * parameters as PyMacaron (bravado-core) did: `1` and `0` are booleans, an empty value of an
 * integer, number or boolean is no value, and a repeated parameter that is not an array
 * takes its first value.
 */
export function createParameterReader(
  api: Api,
  parameters: readonly SpecParameter[],
  routeNames: ReadonlyMap<string, string>,
  pymacaronQuery = false,
): ParameterReader {
  const prepared = parameters
    .filter(
      (parameter) =>
        api.dialect === 'swagger2' ||
        parameter.in !== 'header' ||
        !reservedHeaders.has(parameter.name.toLowerCase()),
    )
    .map((parameter) => ({
      parameter,
      schema:
        parameter.schemaPointer === undefined ? undefined : api.schemaAt(parameter.schemaPointer),
      pointer: appendPointer(`/${parameter.in}`, parameter.name),
    }));

  return (request, problems) => {
    const values: RequestParameters = { params: {}, query: {}, headers: {}, cookies: {} };
    let cookies: Map<string, string> | undefined;
    for (const { parameter, schema, pointer } of prepared) {
      let raw: string | string[] | undefined;
      switch (parameter.in) {
        case 'path':
          raw = textOf(ownValue(request.params, routeNames.get(parameter.name) ?? parameter.name));
          break;
        case 'query':
          raw = textOf(ownValue(request.query, parameter.name));
          if (pymacaronQuery && raw !== undefined) raw = asPymacaron(schema, raw, parameter.json);
          break;
        case 'header':
          raw = textOf(ownValue(request.headers, parameter.name.toLowerCase()));
          break;
        case 'cookie':
          cookies ??= parseCookies(request.headers.cookie);
          raw = cookies.get(parameter.name);
          break;
      }
      const target = targetOf(values, parameter);
      if (raw === undefined || (parameter.in === 'path' && raw === '')) {
        if (parameter.defaultValue)
          setOwnValue(target, parameter.name, parameter.defaultValue.value);
        else if (parameter.required)
          problems.push({ pointer, keyword: 'required', message: 'is required' });
        continue;
      }
      let value: unknown;
      if (!parameter.json) {
        value = coerceParameter(schema, raw, {
          separator: parameter.separator,
          digitBooleans: pymacaronQuery && parameter.in === 'query',
          fieldList: parameter.in === 'header',
        });
      } else if (Array.isArray(raw)) {
        // One JSON value: a repeated one is refused as any repeated parameter that is not an
        // array is (its array is in its one value), never read as its first value.
        problems.push({ pointer, keyword: 'type', message: 'must be given once, not repeated' });
        continue;
      } else {
        value = parseJson(raw);
      }
      if (value instanceof JsonNumberRangeError) {
        problems.push({
          pointer: pointer + value.pointer,
          keyword: 'type',
          message: value.message,
        });
        continue;
      }
      if (schema) problems.push(...validateValue(schema, value, pointer));
      setOwnValue(target, parameter.name, value);
    }
    return values;
  };
}

// A query parameter's text as PyMacaron read it (werkzeug's `args.get`, then bravado-core's
// cast): the first of a repeated one that is not an array (a JSON one never is: its array is
// in its one value), and no value for an empty one whose type is integer, number or boolean.
function asPymacaron(
  schema: SchemaNode | undefined,
  raw: string | string[],
  json: boolean,
): string | string[] | undefined {
  const types = schema?.types;
  if (types?.includes('array') && !json) return raw;
  const text = Array.isArray(raw) ? raw[0] : raw;
  const cast =
    types !== undefined &&
    !types.includes('string') &&
    (types.includes('integer') || types.includes('number') || types.includes('boolean'));
  return text === '' && cast ? undefined : text;
}

// The text of a parameter as fastify parsed it: a string, or a list of them when repeated.
function textOf(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String);
  return undefined;
}

function targetOf(values: RequestParameters, parameter: SpecParameter): Record<string, unknown> {
  switch (parameter.in) {
    case 'path':
      return values.params;
    case 'query':
      return values.query;
    case 'header':
      return values.headers;
    case 'cookie':
      return values.cookies;
  }
}

// The JSON of a parameter; its text when it is not JSON (validation says what is wrong), the
// error for a number out of range.
function parseJson(text: string): unknown {
  try {
    return parseJsonExactly(text);
  } catch (error) {
    return error instanceof JsonNumberRangeError ? error : text;
  }
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    if (!cookies.has(name)) cookies.set(name, safeDecode(value));
  }
  return cookies;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
