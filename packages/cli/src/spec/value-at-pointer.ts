/**
 * The value at a JSON pointer of a document (a schema node's `pointer`, not a `$ref`'s URI
 * fragment: no percent-decoding), or undefined where the path leads nowhere.
 */
export function valueAtPointer(document: unknown, pointer: string): unknown {
  let current = document;
  for (const token of pointer.split('/').slice(1)) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}
