import type { Api, SpecOperationEntry } from '@macaron/core';
import { resolveObject } from './resolve-object.js';

/**
 * The parameters of an operation, its path item's first, each resolved (`$ref`s followed) with
 * the pointer it is at; an entry of a list that resolves to nothing has no value.
 */
export function operationParameters(
  api: Api,
  { pointer, operation, pathItem, pathItemPointer }: SpecOperationEntry,
): { value?: Record<string, unknown>; pointer: string }[] {
  const lists: [unknown, string][] = [
    [pathItem.parameters, `${pathItemPointer}/parameters`],
    [operation.parameters, `${pointer}/parameters`],
  ];
  return lists.flatMap(([list, listPointer]) =>
    Array.isArray(list)
      ? list.map((raw, index) => resolveObject(api, raw, `${listPointer}/${index}`))
      : [],
  );
}
