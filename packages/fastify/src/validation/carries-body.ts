import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

/** What `carriesBody` reads of a request: fastify's, or Node's under it. */
export interface BodyRequest {
  headers: IncomingHttpHeaders;
  raw: IncomingMessage | Http2ServerRequest;
}

/**
 * Whether the request carries body bytes, as fastify tells it before reading them. An HTTP/2
 * request has no `transfer-encoding` and need not give a `content-length` (RFC 9113 §8.1.1):
 * it carries a body unless its headers ended the stream.
 */
export function carriesBody({ headers, raw }: BodyRequest): boolean {
  const length = headers['content-length'];
  if (length === undefined && raw.httpVersionMajor === 2) {
    const stream = (raw as Partial<Http2ServerRequest>).stream;
    return stream !== undefined && !stream.endAfterHeaders;
  }
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Whether the connection of a request can be told to close after its answer: HTTP/1 only,
 * since HTTP/2 forbids a `connection` header (RFC 9113 §8.2.2) and ends streams, not
 * connections.
 */
export function closesConnection(raw: IncomingMessage | Http2ServerRequest): boolean {
  return raw.httpVersionMajor !== 2;
}
