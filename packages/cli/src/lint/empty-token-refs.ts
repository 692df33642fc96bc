import { fragmentTokens } from '../spec/fragment-tokens.js';

function valueAt(document: unknown, tokens: readonly string[]): { value: unknown } | undefined {
  let value = document;
  for (const token of tokens) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, token))
      return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return { value };
}

/**
 * Whether the `$ref` at `pointer` (a problem's, `#/…`) of the root document is one into it
 * that names a value of it as RFC 6901 reads the pointer: redocly drops a pointer's empty
 * tokens (`#/$defs//x`, a name `''`) and says it names nothing, where core's `loadApi` follows it.
 */
export function isLocalReference(document: unknown, pointer: string | undefined): boolean {
  if (pointer === undefined || !pointer.startsWith('#')) return false;
  const holder = valueAt(document, fragmentTokens(pointer.slice(1)))?.value;
  const ref =
    holder !== null && typeof holder === 'object' ? (holder as { $ref?: unknown }).$ref : undefined;
  return (
    typeof ref === 'string' &&
    (ref === '#' || ref.startsWith('#/')) &&
    valueAt(document, fragmentTokens(ref.slice(1))) !== undefined
  );
}
