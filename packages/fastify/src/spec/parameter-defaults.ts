import { type Api, type SchemaNode, SpecError, validateValue } from '@macaron/core';
import { coerceParameter } from '../validation/coerce-parameter.js';
import { JsonNumberRangeError } from '../validation/exact-json.js';
import { modelValues } from '../validation/model-values.js';
import { readingSchema, textSyntax } from '../validation/parameter-reading.js';
import { readsParameter } from './ignored-parameters.js';
import type { SpecParameter } from './spec-operations.js';

/**
 * What the handler is given for a parameter left out: its `default`, read as a model reads the
 * spec's JSON (base64 of `format: binary` as bytes), or else, when the spec writes it as text
 * its schema refuses (`default: "100"` on an integer, `default: "false"` on a boolean), read as
 * that text sent by a client would be. `value()` makes a new one each time: a handler that
 * changes the list or object it was given changes neither the spec nor the next request's.
 * `problem` says why neither reading is a value of the schema (`default: off` on a boolean is
 * the text "off" in YAML 1.2, where YAML 1.1 read false): the operation is not served.
 */
export type DefaultReading = { value: () => unknown } | { problem: string };

/** How a parameter's `default` is read, or undefined when it has none (or no usable schema). */
export function readDefault(
  api: Api,
  parameter: SpecParameter,
  pymacaron = false,
): DefaultReading | undefined {
  const { defaultValue, schemaPointer } = parameter;
  if (defaultValue === undefined || schemaPointer === undefined) return undefined;
  let schema: SchemaNode;
  try {
    schema = api.schemaAt(schemaPointer);
  } catch (error) {
    // A schema that cannot be used at all is reported where routes are registered.
    if (SpecError.isInstance(error)) return undefined;
    throw error;
  }
  const written = defaultValue.value;
  const asJson = () => modelValues(schema, structuredClone(written));
  let first: unknown;
  try {
    first = asJson();
  } catch {
    // A spec built in code whose default holds a function or a symbol: no JSON value.
    return { problem: `the default ${shown(written)} is not JSON data` };
  }
  const [problem] = validateValue(schema, first, '');
  if (problem === undefined) return { value: asJson };
  if (typeof written === 'string' && !parameter.json) {
    const asText = () =>
      // As read-parameters.ts reads a client's text: by the schema a wrapper stands for (its
      // nullable kept), with PyMacaron's spellings in its compat mode.
      coerceParameter(readingSchema(schema), written, textSyntax(parameter, pymacaron));
    const read = asText();
    if (!(read instanceof JsonNumberRangeError) && validateValue(schema, read, '').length === 0)
      return { value: asText };
  }
  return {
    problem: `the default ${shown(written)} is not a value of the parameter's schema (${problem.pointer === '' ? '' : `${problem.pointer} `}${problem.message}): the handler would be given it when the parameter is left out`,
  };
}

/** The parameters whose `default` is no value of their schema, as registration refuses them. */
export function unusableDefaults(
  api: Api,
  parameters: readonly SpecParameter[],
  pymacaron = false,
): { pointer: string; message: string }[] {
  return parameters.flatMap((parameter) => {
    if (!readsParameter(api, parameter)) return [];
    const reading = readDefault(api, parameter, pymacaron);
    if (reading === undefined || !('problem' in reading)) return [];
    return [{ pointer: parameter.defaultValue!.pointer, message: reading.problem }];
  });
}

function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // a bigint, a cycle: a spec built in code
  }
}
