import { type SchemaNode, wrappedSchema } from '@macaron/core';
import type { SpecParameter } from '../spec/spec-operations.js';
import type { ParameterSyntax, ScalarReading } from './coerce-parameter.js';

/**
 * How a parameter's text is read where it is sent, for a client's text and a text `default`
 * alike. With PyMacaron's compat mode, as bravado-core cast it: `1` and `0` as booleans in the
 * query and headers (string_to_boolean), Python's numbers in path, query and header parameters
 * (Swagger 2.0 has no cookies).
 */
export function scalarReading(
  parameter: SpecParameter,
  pymacaron: boolean,
): Required<ScalarReading> {
  return {
    digitBooleans: pymacaron && (parameter.in === 'query' || parameter.in === 'header'),
    pythonNumbers: pymacaron && parameter.in !== 'cookie',
  };
}

/** The syntax of a parameter's text that is not an object: its separators, and its reading. */
export function textSyntax(parameter: SpecParameter, pymacaron: boolean): ParameterSyntax {
  return {
    separator: parameter.separator,
    itemSeparators: parameter.itemSeparators,
    ...scalarReading(parameter, pymacaron),
    fieldList: parameter.in === 'header',
  };
}

/**
 * The schema a parameter is read by: what a wrapper stands for, taking `null` (an empty value)
 * where the wrapper says `nullable` beside it.
 */
export function readingSchema(declared: SchemaNode): SchemaNode {
  const wrapped = wrappedSchema(declared);
  if (wrapped === declared || declared.nullable !== true || wrapped.types === undefined)
    return wrapped;
  return wrapped.types.includes('null')
    ? wrapped
    : { ...wrapped, types: [...wrapped.types, 'null'] };
}
