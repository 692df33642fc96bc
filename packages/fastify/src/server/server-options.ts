import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { MacaronError } from '@macaron/core';
import { checkOptionNames, optionNames } from '@macaron/core/backend';
import type {
  ConnectionError,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
  RawServerBase,
} from 'fastify';
import { type ErrorHooks, sendError } from '../errors/error-reply.js';
import {
  BadRequestError,
  ExpectationFailedError,
  HeadersTooLargeError,
  RequestTimeoutError,
} from '../errors/http-errors.js';
import type { ErrorFormatter, ErrorReporter } from '../plugin/plugin-options.js';

/**
 * The options of `macaronServerOptions`: give the plugin's error hooks and `compat`, so every
 * reply agrees.
 */
export interface MacaronServerErrorHooks {
  /** Replaces the error JSON, as the plugin's `errorFormatter` does. */
  errorFormatter?: ErrorFormatter;
  /** Reports every error, as the plugin's `onError` does. */
  onError?: ErrorReporter;
  /** `'pymacaron'`: these replies carry `user_message` and `error_id` too, as the plugin's do. */
  compat?: 'pymacaron';
  /**
   * The longest path parameter, in characters, before 414 `URI_TOO_LONG`: 2048 by default
   * (fastify's own default, 100, refuses ids that are emails, URLs or tokens).
   */
  maxParamLength?: number;
}

/** The router options `macaronServerOptions` sets. */
export interface MacaronRouterOptions {
  /** The longest path parameter, in characters (fastify: 100). */
  maxParamLength: number;
}

/**
 * The options of `fastify()` that answer the errors raised before any route, in PyMacaron's
 * JSON, and serve path parameters up to 2048 characters long: for any server fastify makes
 * (`http2: true`, `https`).
 */
export type MacaronServerOptions = Required<
  Pick<FastifyServerOptions<RawServerBase>, 'frameworkErrors' | 'clientErrorHandler'>
> & {
  /** Fastify's router options: `maxParamLength`. Give your own as `{ ...options.routerOptions, … }`. */
  routerOptions: MacaronRouterOptions;
};

/** The longest path parameter `macaronServerOptions` serves by default, in characters. */
export const defaultMaxParamLength = 2048;

// Any other key is refused (P-110): a misspelt `errorFormatter` would serve with the default.
const hookNames = optionNames('errorFormatter', 'onError', 'compat', 'maxParamLength');

/**
 * Options for `fastify()`: the plugin answers every error of its routes in PyMacaron's JSON,
 * but fastify answers some before any route is found, with its own body quoting the whole
 * URL: a `%`-escape that does not decode (400 `BAD_URL`), a path parameter beyond
 * `maxParamLength` (414 `URI_TOO_LONG`), and requests that are not HTTP (400), whose headers
 * are too large (431) or too slow (408). Path parameters are served up to 2048 characters
 * (`routerOptions.maxParamLength`; fastify's default, 100, refuses ids that are emails, URLs
 * or tokens). Create the application with these:
 * `fastify({ ...macaronServerOptions(), logger: true })`.
 */
export function macaronServerOptions(hooks: MacaronServerErrorHooks = {}): MacaronServerOptions {
  checkOptionNames(hooks, hookNames, 'macaronServerOptions', TypeError);
  const compat = hooks.compat === 'pymacaron';
  const errorHooks: ErrorHooks = {
    errorFormatter: hooks.errorFormatter,
    onError: hooks.onError,
    pymacaron: compat,
  };
  const maxParamLength = hooks.maxParamLength ?? defaultMaxParamLength;
  if (!Number.isSafeInteger(maxParamLength) || maxParamLength < 1) {
    throw new TypeError(`maxParamLength must be a positive integer, not ${maxParamLength}`);
  }
  return {
    frameworkErrors(error, request, reply) {
      // Typed for every server fastify makes (HTTP/1, HTTPS, HTTP/2), so that
      // `fastify({ ...macaronServerOptions(), http2: true })` compiles; the reply reads nothing
      // an HTTP/2 request lacks.
      sendError(error, request as FastifyRequest, reply as FastifyReply, errorHooks);
    },
    clientErrorHandler: (error, socket) => answerClientError(error, socket, compat),
    routerOptions: { maxParamLength },
  };
}

// The requests of each connection whose response is not done yet, kept by the plugin
// (`trackPendingResponses`), and what to do once those read whole are answered.
interface PendingResponses {
  requests: Set<IncomingMessage>;
  whenNone?: () => void;
}
const pendingResponses = new WeakMap<Socket, PendingResponses>();
const trackedServers = new WeakSet<Server>();

/**
 * Keeps, on `server`, the requests of each connection still waiting for their response: a
 * request the HTTP parser refuses after others on the same connection (pipelined, or bytes
 * beyond a body's `Content-Length`) is answered after theirs, in order (RFC 9112 §9.3.2),
 * never before them in their place. Once a server, whichever spec registers first.
 */
export function trackPendingResponses(server: Server): void {
  if (trackedServers.has(server)) return;
  trackedServers.add(server);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    let pending = pendingResponses.get(socket);
    if (pending === undefined) {
      pending = { requests: new Set() };
      pendingResponses.set(socket, pending);
    }
    const tracked = pending;
    tracked.requests.add(request);
    // 'close' comes once the response is written, or its connection gone.
    response.once('close', () => {
      tracked.requests.delete(request);
      if (tracked.whenNone !== undefined && !answersPending(tracked)) tracked.whenNone();
    });
  });
}

// Whether a request read whole is still waiting for its response. One whose body is still
// being read when the parser fails (a bad chunk) is not: its body will never end, and the
// error is its own.
function answersPending(pending: PendingResponses): boolean {
  for (const request of pending.requests) if (request.complete) return true;
  return false;
}

// A request the HTTP parser refused never reaches fastify: answer it on the socket, in
// PyMacaron's JSON, and close it (as Node.js and fastify do). Requests read whole before it on
// the connection are answered first: the client reads the first response as the answer to its
// first request, and a 400 there would say that a request its handler ran changed nothing.
function answerClientError(error: ConnectionError, socket: Socket, compat: boolean): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const pending = pendingResponses.get(socket);
  if (pending !== undefined && answersPending(pending)) {
    // Answered once: the parser may report the same error again as more bytes arrive.
    pending.whenNone ??= () => answerClientErrorNow(error, socket, compat);
    return;
  }
  answerClientErrorNow(error, socket, compat);
}

function answerClientErrorNow(error: ConnectionError, socket: Socket, compat: boolean): void {
  if (socket.destroyed) return;
  const answered =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new RequestTimeoutError('The request did not arrive in time')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new HeadersTooLargeError('The request headers are larger than the server accepts')
        : new BadRequestError('The request is not valid HTTP', 400);
  const body = routelessErrorBody(answered, compat);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${answered.status} ${STATUS_CODES[answered.status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

// No route, no hooks: PyMacaron's fields are added here (nothing reports these errors).
function routelessErrorBody(error: MacaronError, compat: boolean): string {
  const json: Record<string, unknown> = { ...error.toErrorJSON() };
  if (compat) {
    json.user_message ??= json.error_description;
    json.error_id = randomUUID();
  }
  return JSON.stringify(json);
}

/**
 * Answers, on `server`, a request whose `Expect` header is not `100-continue` in PyMacaron's
 * JSON (417 `EXPECTATION_FAILED`): Node.js answers it itself with an empty body, before any
 * route. Once a server, whichever spec registers first.
 */
export function answerExpectationsInJson(server: Server, compat: boolean): void {
  if (server.listenerCount('checkExpectation') > 0) return;
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = routelessErrorBody(
      new ExpectationFailedError('The server meets no expectation but 100-continue'),
      compat,
    );
    response.writeHead(417, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
}
