/** Appends a reference token to a JSON pointer (RFC 6901 escaping). */
export function appendPointer(pointer: string, token: string | number): string {
  const text = String(token);
  // Most tokens need no escaping: skip the two replacements (loadApi appends a pointer for
  // every schema node of the spec).
  if (!text.includes('~') && !text.includes('/')) return `${pointer}/${text}`;
  return `${pointer}/${text.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** Splits a JSON pointer into its unescaped tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return [];
  // A URI fragment (`#/…`) is percent-encoded; a plain JSON pointer is not.
  const fragment = pointer.startsWith('#');
  return (fragment ? pointer.slice(1) : pointer)
    .split('/')
    .slice(1)
    .map((token) =>
      (fragment ? percentDecoded(token) : token).replaceAll('~1', '/').replaceAll('~0', '~'),
    );
}

// A fragment's token without its percent-encoding; one that is not well encoded (a bare `%`
// in a schema's name) is read as it is written.
function percentDecoded(token: string): string {
  if (!token.includes('%')) return token;
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}
