import { type Api, SpecError, validateValue } from '@macaron/core';
import { readsParameter } from './ignored-parameters.js';
import type { SpecParameter } from './spec-operations.js';

/**
 * The parameters whose `default` their own schema refuses: the handler would be given it when
 * the parameter is left out, a value no client could send (`default: off` on a boolean is the
 * text "off", which YAML 1.1 read as false and YAML 1.2 reads as a string). A schema that cannot
 * be used at all is reported where routes are registered, not here.
 */
export function unusableDefaults(
  api: Api,
  parameters: readonly SpecParameter[],
): { pointer: string; message: string }[] {
  return parameters.flatMap((parameter) => {
    const { defaultValue, schemaPointer } = parameter;
    if (defaultValue === undefined || schemaPointer === undefined) return [];
    if (!readsParameter(api, parameter)) return [];
    let schema: ReturnType<Api['schemaAt']>;
    try {
      schema = api.schemaAt(schemaPointer);
    } catch (error) {
      if (SpecError.isInstance(error)) return [];
      throw error;
    }
    const [problem] = validateValue(schema, defaultValue.value, '');
    if (problem === undefined) return [];
    return [
      {
        pointer: defaultValue.pointer,
        message: `the default ${shown(defaultValue.value)} is not a value of the parameter's schema (${problem.pointer === '' ? '' : `${problem.pointer} `}${problem.message}): the handler would be given it when the parameter is left out`,
      },
    ];
  });
}

function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // a bigint, a cycle: a spec built in code
  }
}
