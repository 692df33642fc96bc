import type { IncomingHttpHeaders } from 'node:http';

/** The media types of JSON besides `application/json`: `application/problem+json`… */
export const jsonSubtypes = /^application\/[\w.+-]+\+json\s*(?:;|$)/i;

/** What a body of another media type is told (415). */
export const jsonOnly = 'The request body must be JSON (application/json)';

/**
 * Whether a body with these headers is read as JSON: `application/json` and its `+json`
 * subtypes; with PyMacaron's rules, a body without a Content-Type too, unless it carries
 * cookies but no Authorization header (a page on another site can send one, with the
 * browser's cookies, the `token` cookie included, and no preflight).
 */
export function readsAsJson(headers: IncomingHttpHeaders, pymacaron: boolean): boolean {
  const contentType = headers['content-type'];
  if (contentType === undefined)
    return pymacaron && (headers.cookie === undefined || headers.authorization !== undefined);
  const mediaType = contentType.split(';', 1)[0]!.trim();
  return /^application\/json$/i.test(mediaType) || jsonSubtypes.test(mediaType);
}
