import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import {
  InvalidParameterError,
  TransferCodingNotImplementedError,
  UnsupportedContentCodingError,
  UnsupportedMediaTypeError,
} from '../errors/http-errors.js';
import { requestExcerpt } from '../errors/request-excerpt.js';
import { JsonNumberRangeError, parseJsonExactly } from './exact-json.js';
import { isJsonWhitespace } from './json-whitespace.js';

const notJson = () =>
  new InvalidParameterError([{ pointer: '/body', keyword: 'json', message: 'is not valid JSON' }]);
const notUtf8 = () =>
  new InvalidParameterError([
    { pointer: '/body', keyword: 'json', message: 'is not valid UTF-8 (JSON text is UTF-8)' },
  ]);

const outOfRange = (error: JsonNumberRangeError) =>
  new InvalidParameterError([
    { pointer: `/body${error.pointer}`, keyword: 'type', message: error.message },
  ]);

// Fatal: bytes that are not UTF-8 are refused, never read as U+FFFD and stored so. The BOM
// is kept, so that a BOM alone is told from no body.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// JSON text is UTF-8 (RFC 8259 §8.1); ASCII is its subset. A body declared in another charset
// (`charset=iso-8859-1`) is a media type this server does not read: 415, not a 400 about its bytes.
const utf8Charsets = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

// The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined without one.
function declaredCharset(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? '').toLowerCase() : undefined;
}

// Requests whose body stream a preParsing hook replaced: decoded by the application.
const decodedBodies = new WeakSet<FastifyRequest>();

/**
 * The last preParsing hook of each route: notes a body stream that an earlier hook replaced,
 * as `@fastify/compress` does when it decodes a `Content-Encoding: gzip` body.
 */
export function noteDecodedBody(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: RequestPayload,
  done: (error: Error | null, payload?: RequestPayload) => void,
): void {
  noteReplacedStream(request, payload);
  done(null, payload);
}

/** Notes that `payload`, the stream a body is read from, is not the request's own. */
export function noteReplacedStream(request: FastifyRequest, payload: RequestPayload): void {
  if (payload !== request.raw) decodedBodies.add(request);
}

// The codings a request's coding header lists, `plain` (the one that changes nothing to the
// bytes read) left out.
function codingsIn(header: string | undefined, plain: string): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== plain);
}

// The content codings of a request, `identity` left out: `gzip`, `br`…
function contentCodings(request: FastifyRequest): string[] {
  return codingsIn(request.headers['content-encoding'], 'identity');
}

// The transfer codings of a request other than `chunked`, which Node.js decodes alone: the
// bytes of a body sent `gzip, chunked` are still gzip.
function transferCodings(request: FastifyRequest): string[] {
  return codingsIn(request.headers['transfer-encoding'], 'chunked');
}

/**
 * Fastify's content-type parser of JSON bodies. Property names are data: `JSON.parse` makes
 * `__proto__`, `constructor` and the like own properties of the object it builds (never its
 * prototype), so they reach validation as any other name, which the schema accepts or refuses.
 * Fastify's own parser refuses them with its own 400 body instead. An integer beyond 2^53
 * becomes a bigint, never a rounded number, and a number beyond what a double holds (`1e400`)
 * is refused with 400 where it is, never read as Infinity or 0. An empty body is no body (a client
 * may send the JSON content type on a DELETE), and so is one of JSON's whitespace alone: where
 * the operation needs one, validation says `/body` is required. Any other space (NBSP, U+2028)
 * or a BOM alone is not JSON. A body declared in a charset other than UTF-8 is refused with 415, and so
 * is one in a content coding (`Content-Encoding: gzip`), unless a preParsing hook of the
 * application decoded it. One in a transfer coding other than chunked (`Transfer-Encoding:
 * gzip, chunked`), which Node.js leaves encoded, is refused with 501 (RFC 9112 §6.1), unless
 * such a hook decoded it.
 */
export function parseJsonBody(
  request: FastifyRequest,
  raw: string | Buffer,
  done: (error: Error | null, body?: unknown) => void,
): void {
  const codings = contentCodings(request);
  const unsupported = () =>
    new UnsupportedContentCodingError(
      `The request body must be sent uncompressed: Content-Encoding ${requestExcerpt(codings.join(', '), 40)} is not supported`,
    );
  // A hook that replaced the stream may have decoded it, or only wrapped it (to count bytes,
  // say): a body in a content coding that is still not JSON was not decoded.
  const decoded = decodedBodies.has(request);
  const transfer = transferCodings(request);
  const notImplemented = () =>
    new TransferCodingNotImplementedError(
      `The request body must be sent chunked or with a Content-Length: Transfer-Encoding ${requestExcerpt(transfer.join(', '), 40)} is not supported`,
    );
  if (transfer.length > 0 && !decoded) {
    done(notImplemented());
    return;
  }
  if (codings.length > 0 && !decoded) {
    done(unsupported());
    return;
  }
  // Likewise, a body in a transfer coding that is still not JSON was not decoded: 501, as
  // without the hook (the transfer coding is the outer one).
  const refuse = (error: Error) =>
    done(transfer.length > 0 ? notImplemented() : codings.length > 0 ? unsupported() : error);
  // No body declares nothing, whatever charset its Content-Type names (some clients name one
  // on every request).
  const charset = raw.length === 0 ? undefined : declaredCharset(request.headers['content-type']);
  if (charset !== undefined && !utf8Charsets.has(charset)) {
    done(
      new UnsupportedMediaTypeError(
        `The request body must be JSON in UTF-8: charset ${requestExcerpt(charset, 40)} is not supported`,
      ),
    );
    return;
  }
  let source: string;
  try {
    source = typeof raw === 'string' ? raw : utf8.decode(raw);
  } catch {
    refuse(notUtf8());
    return;
  }
  // A BOM may come before the value (RFC 8259 §8.1 lets a parser ignore it); alone, it is
  // text with no JSON value in it, not an empty body.
  const bom = source.charCodeAt(0) === 0xfeff;
  if (bom) source = source.slice(1);
  if (isJsonWhitespace(source)) {
    if (bom) refuse(notJson());
    else done(null, undefined);
    return;
  }
  let body: unknown;
  try {
    body = parseJsonExactly(source);
  } catch (error) {
    if (error instanceof JsonNumberRangeError) {
      // JSON, but a number no property can hold (1e400, 1e-400): refused where it is.
      done(outOfRange(error));
      return;
    }
    refuse(notJson());
    return;
  }
  done(null, body);
}
