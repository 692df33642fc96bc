import type { AttributePath, StoredItem, StoredValue } from '../persist/stored-value.js';
import { isBytes } from '../schema/builtin-values.js';

/** The path as a list of names and list positions; a string is one name, never split. */
export function pathSegments(path: AttributePath): readonly (string | number)[] {
  return typeof path === 'string' ? [path] : path;
}

/** The value at a path, or undefined when any step is missing or of the wrong kind. */
export function valueAt(item: StoredItem, path: AttributePath): StoredValue | undefined {
  let current: StoredValue | undefined = item;
  for (const segment of pathSegments(path)) {
    if (
      current === null ||
      current === undefined ||
      typeof current !== 'object' ||
      isBytes(current)
    )
      return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (Array.isArray(current)) return undefined;
      current = Object.hasOwn(current, segment)
        ? (current as Record<string, StoredValue>)[segment]
        : undefined;
    }
  }
  return current;
}
