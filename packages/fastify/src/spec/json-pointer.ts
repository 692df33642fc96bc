/** Appends a reference token to a JSON pointer (RFC 6901 escaping). */
export function appendPointer(pointer: string, ...tokens: (string | number)[]): string {
  return tokens.reduce<string>(
    (current, token) => `${current}/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`,
    pointer,
  );
}

/** The value at a JSON pointer of a document, or undefined. */
export function valueAt(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let current: unknown = document;
  for (const token of pointer.slice(1).split('/')) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

/** An object of the document and the pointer where it really lives, after following `$ref`s. */
export interface Resolved {
  /** The object, or undefined when the reference leads nowhere. */
  value: Record<string, unknown> | undefined;
  /** Pointer of the object in the bundled document. */
  pointer: string;
}

/** Follows internal `$ref`s (`#/components/parameters/limit`) from the object at `pointer`. */
export function resolveObject(document: unknown, pointer: string): Resolved {
  let current = pointer;
  const seen = new Set<string>();
  for (;;) {
    const value = valueAt(document, current);
    if (!isRecord(value)) return { value: undefined, pointer: current };
    const ref = value.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#') || seen.has(current)) {
      return { value, pointer: current };
    }
    seen.add(current);
    current = fragmentPointer(ref.slice(1));
  }
}

/**
 * The plain JSON pointer of a `$ref`'s fragment (`/paths/~1things~1%7Bid%7D`), read as
 * @macaron/core and the bundler read it: split into tokens, then each token's percent-encoding
 * decoded (a `%2F` is a `/` within its token), a token not well encoded (a bare `%`, in a name
 * `100%`) read as written.
 */
export function fragmentPointer(fragment: string): string {
  if (!fragment.includes('%')) return fragment;
  return fragment
    .split('/')
    .slice(1)
    .reduce<string>((pointer, token) => {
      let decoded = token;
      try {
        decoded = decodeURIComponent(token);
      } catch {}
      return appendPointer(pointer, decoded.replaceAll('~1', '/').replaceAll('~0', '~'));
    }, '');
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
