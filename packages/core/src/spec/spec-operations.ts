import { appendPointer, parsePointer } from '../schema/json-pointer.js';
import { isOpenApi32OrLater } from '../schema/openapi-version.js';
import { isPlainObject as isObject } from '../schema/same-value.js';

/** The methods a path item names as its own fields, in the order OpenAPI lists them. */
const fixedMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** One operation of a spec's `paths`, where it is written. */
export interface SpecOperationEntry {
  /** The path as the spec writes it (`/profiles/{id}`). */
  path: string;
  /**
   * The HTTP method as a request sends it: `GET`, `QUERY`, or an OpenAPI 3.2
   * `additionalOperations` name as written (`COPY`).
   */
  method: string;
  /** JSON pointer of the operation object, through the path item's `$ref` if it has one. */
  pointer: string;
  /** The operation object. */
  operation: Record<string, unknown>;
  /** JSON pointer of the path item (where its `$ref` leads). */
  pathItemPointer: string;
  /** The path item, for its shared `parameters`. */
  pathItem: Record<string, unknown>;
}

/**
 * Every operation of a bundled spec's `paths`, in the spec's order: Swagger 2.0's and OpenAPI
 * 3.0's and 3.1's eight methods, and OpenAPI 3.2's `query` and `additionalOperations` in a 3.2
 * document. A path item's internal `$ref` (`#/components/pathItems/…`) is followed.
 */
export function specOperations(document: Record<string, unknown>): SpecOperationEntry[] {
  const paths = document.paths;
  if (!isObject(paths)) return [];
  // `query` and `additionalOperations` are fields of a 3.2 path item; before, they are no
  // operation (redocly's lint calls them unexpected there).
  const since32 = isOpenApi32OrLater(document);
  const methods = since32 ? [...fixedMethods, 'query'] : fixedMethods;
  const entries: SpecOperationEntry[] = [];
  for (const path of Object.keys(paths)) {
    const item = resolvedObject(document, appendPointer('/paths', path));
    if (!item) continue;
    const { value: pathItem, pointer: pathItemPointer } = item;
    const add = (method: string, pointer: string, operation: unknown) => {
      if (isObject(operation))
        entries.push({ path, method, pointer, operation, pathItem, pathItemPointer });
    };
    for (const method of methods) {
      if (Object.hasOwn(pathItem, method))
        add(method.toUpperCase(), appendPointer(pathItemPointer, method), pathItem[method]);
    }
    const additional = since32 ? pathItem.additionalOperations : undefined;
    if (isObject(additional)) {
      const at = appendPointer(pathItemPointer, 'additionalOperations');
      for (const [method, operation] of Object.entries(additional))
        add(method, appendPointer(at, method), operation);
    }
  }
  return entries;
}

// The object at `pointer`, its internal `$ref`s followed (a loop ends where it starts over).
function resolvedObject(
  document: Record<string, unknown>,
  pointer: string,
): { value: Record<string, unknown>; pointer: string } | undefined {
  const seen = new Set<string>();
  let current = pointer;
  for (;;) {
    const value = valueAt(document, current);
    if (!isObject(value)) return undefined;
    const ref = value.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#') || seen.has(current))
      return { value, pointer: current };
    seen.add(current);
    current = parsePointer(ref).reduce(appendPointer, '');
  }
}

function valueAt(document: unknown, pointer: string): unknown {
  let current = document;
  for (const token of parsePointer(pointer)) {
    if (!isObject(current) || !Object.hasOwn(current, token)) return undefined;
    current = current[token];
  }
  return current;
}
