/** A media type a request body may be sent in, as the spec declares it. */
export interface DeclaredMediaType {
  /** The media type as the spec writes it (`application/merge-patch+json`, `application/*`). */
  mediaType: string;
}

// A media type without its parameters, in lower case: `Application/JSON; charset=utf-8` is
// `application/json` (RFC 9110 §8.3.1: type and subtype are case-insensitive).
function essence(mediaType: string): string {
  return mediaType.split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * The declared media type whose schema reads a body sent with `contentType`: the one it names
 * (case-insensitive, parameters aside), else the most precise range that covers it
 * (`application/*+json`, then `application/*`, then `*\/*`, as OpenAPI's more specific key
 * wins); the first one declared for a body sent without a Content-Type. Undefined when it
 * names none of them: OpenAPI gives no schema for that body.
 */
export function bodyMediaType<T extends DeclaredMediaType>(
  declared: readonly T[],
  contentType: string | undefined,
): T | undefined {
  if (contentType !== undefined) {
    const sent = essence(contentType);
    const [type = '', subtype = ''] = sent.split('/', 2);
    const plus = subtype.lastIndexOf('+');
    const candidates = [
      sent,
      ...(plus >= 0 ? [`${type}/*${subtype.slice(plus)}`] : []),
      `${type}/*`,
      '*/*',
    ];
    for (const candidate of candidates) {
      const found = declared.find(({ mediaType }) => essence(mediaType) === candidate);
      if (found) return found;
    }
    return undefined;
  }
  return declared[0];
}
