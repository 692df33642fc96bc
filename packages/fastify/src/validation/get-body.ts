import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import {
  BadRequestError,
  RequestTooLargeError,
  UnsupportedMediaTypeError,
} from '../errors/http-errors.js';
import { carriesBody } from './carries-body.js';
import { jsonOnly, readsAsJson } from './json-media-type.js';
import { noteReplacedStream, parseJsonBody } from './parse-json-body.js';
import { refuseBody } from './refuse-body.js';

/**
 * The last preParsing hook of a GET operation whose spec declares a body (PyMacaron's Flask
 * read one, and Swagger 2.0 and OpenAPI 3.0 allow it): fastify reads no body of a GET, so it is
 * read here as fastify reads any other, from the stream the earlier hooks left (decoded by
 * `@fastify/compress`, say): within the route's body limit, of the media types the plugin reads, through
 * the same JSON parser.
 */
export function readGetBody(pymacaron: boolean) {
  return (
    request: FastifyRequest,
    _reply: FastifyReply,
    payload: RequestPayload,
    done: (error: Error | null, payload?: RequestPayload) => void,
  ): void => {
    const { headers } = request;
    const bodyLimit = request.routeOptions.bodyLimit;
    const length = headers['content-length'];
    if (!carriesBody(request)) {
      done(null, payload);
      return;
    }
    if (!readsAsJson(headers, pymacaron)) {
      refuseBody(request, payload, done, new UnsupportedMediaTypeError(jsonOnly));
      return;
    }
    if (length !== undefined && Number(length) > bodyLimit) {
      done(new RequestTooLargeError('The request body is larger than the server accepts'));
      return;
    }
    noteReplacedStream(request, payload);
    const chunks: Buffer[] = [];
    let received = 0;
    let finished = false;
    const finish = (error: Error | null) => {
      if (finished) return;
      finished = true;
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      // The error listener stays: a decoder may fail on bytes still to come, which must not be
      // an uncaught error once the request is answered.
      if (error) {
        // The rest is not read: the connection closes after the answer.
        payload.resume();
        done(error);
        return;
      }
      parseJsonBody(request, Buffer.concat(chunks), (parseError, body) => {
        if (parseError) done(parseError);
        else {
          request.body = body;
          done(null, payload);
        }
      });
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > bodyLimit)
        finish(new RequestTooLargeError('The request body is larger than the server accepts'));
      else chunks.push(bytes);
    };
    const onEnd = () => {
      // A stream an earlier hook decoded has its own length; the raw one must match its header.
      if (payload === request.raw && length !== undefined && Number(length) !== received)
        finish(new BadRequestError('The Content-Length header does not match the body', 400));
      else finish(null);
    };
    // A stream that fails (the client went away, a decoder met bad bytes) is the request's
    // fault, as fastify's own body reader takes it: a 400, not a server error.
    const onError = (error: Error & { statusCode?: unknown }) => {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400))
        error.statusCode = 400;
      finish(error);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
  };
}

/**
 * A preParsing hook of an operation of any method but GET and HEAD: over HTTP/2, a body sent
 * with neither a Content-Type nor a `content-length` (RFC 9113 §8.1.1 needs none) is one
 * fastify takes for no body, running the handler without it. Over HTTP/1.1 the same body
 * (with its length) reaches the parsers: read as JSON in compat, else a 415. It is read here
 * alike, by `readGetBody`'s rules.
 */
export function readUntypedHttp2Body(pymacaron: boolean) {
  const read = readGetBody(pymacaron);
  return (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: RequestPayload,
    done: (error: Error | null, payload?: RequestPayload) => void,
  ): void => {
    const { headers } = request;
    if (
      headers['content-type'] !== undefined ||
      headers['content-length'] !== undefined ||
      headers['transfer-encoding'] !== undefined ||
      !carriesBody(request)
    ) {
      done(null, payload);
      return;
    }
    read(request, reply, payload, done);
  };
}
