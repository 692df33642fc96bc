import { randomUUID } from 'node:crypto';
import { type ErrorJson, MacaronError } from '@macaron/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerChallenge } from '../auth/token-verifier.js';
import type { ErrorFormatter, ErrorReporter, ErrorRequestInfo } from '../plugin/plugin-options.js';
import { closesConnection } from '../validation/carries-body.js';
import { fromFastifyError, fromHandlerTimeout } from './fastify-errors.js';
import {
  MethodNotAllowedError,
  ServerError,
  UnsupportedContentCodingError,
} from './http-errors.js';

/** The error hooks of the plugin. */
export interface ErrorHooks {
  /** Replaces the error JSON. */
  errorFormatter: ErrorFormatter | undefined;
  /** Reports every error. */
  onError: ErrorReporter | undefined;
  /**
   * PyMacaron's replies: every one carries `user_message` (the error's, else its description)
   * and `error_id` (the `errorId` the hooks are given), and its code in upper case (PyMacaron
   * sent `code.upper()`, whatever an error class declared).
   */
  pymacaron?: boolean;
  /**
   * The query names that carry API keys (`apiKey` schemes `in: query`): their values are
   * hidden in the URL the hooks get.
   */
  queryCredentials?: ReadonlySet<string>;
}

/** Route config key that holds the operation's handler name. */
export const operationConfigKey = 'macaronOperation';

/** The description of every 500: nothing of what went wrong reaches the client. */
export const internalDescription = 'The server could not complete the request';

// The codes of core's errors of status 500 and above (an application's own, made with
// `defineError`, say what their authors wrote).
const coreServerErrors = new Set([
  'BACKEND_ERROR',
  'ACCESS_DENIED',
  'UNREACHABLE',
  'TABLE_NOT_FOUND',
  'WRITE_OUTCOME_UNKNOWN',
  'THROTTLED',
  'BATCH_INCOMPLETE',
  'NO_BACKEND',
  'NOT_SUPPORTED',
  'DEPENDENCY_MISSING',
  'SPEC_INVALID',
]);

// Core's errors about the deployment's tables (a table made for another spec): their status
// is their own, their message names physical tables, which are the deployment's.
const tableErrors = new Set(['TABLE_MISMATCH', 'TABLE_EXISTS']);

/**
 * The `MacaronError` an error is answered with: itself, the error code of what fastify or a
 * hook of the application refused before the handler (a URL that does not decode, 413, 415,
 * a body that is not JSON, a 4xx `statusCode`), or `SERVER_ERROR` (500) with the original as
 * `cause` and nothing of it in the message. Once the operation's handler runs (`inHandler`),
 * an error that is not a `MacaronError` is a 500, whatever `statusCode` it carries: an HTTP
 * client's error carries the status of the service it called.
 */
export function toMacaronError(error: unknown, url = '', inHandler = false): MacaronError {
  if (MacaronError.isInstance(error)) return error;
  return (inHandler ? undefined : fromFastifyError(error, url)) ?? wrapped(error);
}

// The 500s that answer what the application threw (not a MacaronError): logged as that error.
const wrappers = new WeakSet<MacaronError>();

function wrapped(error: unknown): MacaronError {
  const answer = new ServerError(internalDescription, { cause: error });
  wrappers.add(answer);
  return answer;
}

/**
 * What the application's code threw, as answered: a `MacaronError` as it is (its refusal),
 * anything else a 500 with it as the `cause`, whatever `statusCode`, `status` or fastify `code`
 * it carries: an HTTP client's error carries the status of the service it called, not a
 * refusal of this request.
 */
export function applicationError(error: unknown): MacaronError {
  return MacaronError.isInstance(error) ? error : wrapped(error);
}

// Requests whose operation handler has started: what they answer with from then on is the
// handler's, never a refusal of the request.
const handled = new WeakSet<FastifyRequest>();

/**
 * Notes that the operation's own code (its decorators, then its handler) runs for this request
 * (see `toMacaronError`).
 */
export function markHandled(request: FastifyRequest): void {
  handled.add(request);
}

/**
 * Runs an application's security handler as the operation's own code (see `markHandled`): an
 * error it throws or passes to `reply.send` is a 500 unless a MacaronError. Only while it runs:
 * fastify's own refusals of the body, after it, keep their statuses.
 */
export async function asApplicationCode<T>(
  request: FastifyRequest,
  run: () => T | Promise<T>,
): Promise<T> {
  const already = handled.has(request);
  handled.add(request);
  try {
    return await run();
  } catch (error) {
    throw applicationError(error);
  } finally {
    if (!already) handled.delete(request);
  }
}

/**
 * What error hooks learn about a request (no headers, so no bearer token or cookie; the URL
 * without the values of `queryCredentials`, the API keys of the query), and a new error id.
 */
export function requestInfo(
  request: FastifyRequest,
  queryCredentials?: ReadonlySet<string>,
): ErrorRequestInfo {
  const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
  const operation = config?.[operationConfigKey];
  return {
    id: request.id,
    method: request.method,
    url: withoutCredentials(request.url, queryCredentials),
    operation: typeof operation === 'string' ? operation : undefined,
    errorId: randomUUID(),
  };
}

/** What a hidden value of the query reads as. */
const hiddenValue = '***';

/**
 * A URL as requested, the value of each query field `names` holds (by its name decoded as the
 * query is read: `api%20key`, `api+key`) written as `***`; the rest as sent.
 */
export function withoutCredentials(url: string, names: ReadonlySet<string> | undefined): string {
  const start = url.indexOf('?');
  if (names === undefined || names.size === 0 || start === -1) return url;
  const fields = url
    .slice(start + 1)
    .split('&')
    .map((field) => {
      const equals = field.indexOf('=');
      const name = equals === -1 ? field : field.slice(0, equals);
      return names.has(decodedName(name)) ? `${name}=${hiddenValue}` : field;
    });
  return `${url.slice(0, start + 1)}${fields.join('&')}`;
}

function decodedName(name: string): string {
  const spaced = name.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Answers an error: reports it, formats it (PyMacaron's JSON unless replaced) and sends it. */
export function sendError(
  thrown: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  hooks: ErrorHooks,
): FastifyReply {
  try {
    return answerError(thrown, request, reply, hooks);
  } catch (reason) {
    // What was thrown could not be read to answer it (a revoked Proxy, a getter that throws, in
    // the error or for the logger): a 500 of the plugin's own. Fastify's default reply, which
    // would answer otherwise, sends the message of what failed.
    try {
      request.log.error({ err: reason }, 'the error could not be answered, sent as 500');
    } catch {
      // The logger could not write that either: the reply still goes.
    }
    return answerError(
      new ServerError(internalDescription, { cause: thrown }),
      request,
      reply,
      hooks,
      false,
    );
  }
}

function answerError(
  thrown: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  hooks: ErrorHooks,
  logged = true,
): FastifyReply {
  // A handler may pass its error to `reply.send(error)` rather than throw it.
  // Fastify's handlerTimeout fires while the application's code runs: its 503 is no error of
  // that code.
  const { error, json } = writtenError(
    fromHandlerTimeout(thrown, request) ??
      toMacaronError(thrown, request.url, handled.has(request)),
    request,
  );
  const info = requestInfo(request, hooks.queryCredentials);
  // A 5xx is logged as the error answered (its code, its message, then its causes' messages and
  // stacks), never as its cause alone: an engine's error would lose what core says of it
  // (WRITE_OUTCOME_UNKNOWN: the write may have been applied), and its own fields, which a log
  // writes, quote stored values (PostgreSQL's `detail`: `Failing row contains (…)`). The 500
  // of what the application threw is logged as that error, its own.
  if (error.status >= 500 && logged)
    request.log.error({ err: wrappers.has(error) ? error.cause : error }, 'request failed');
  report(error, info, request, hooks.onError);
  // A response underway takes no answer: reported only, and cut where it is still open (its
  // client would wait for the rest of it).
  if (reply.raw.headersSent || reply.raw.destroyed) {
    if (!reply.raw.writableEnded) reply.raw.destroy();
    return reply;
  }
  const formatted = format(error, json, info, request, hooks);
  // By code, `instanceof` also matches an application's own error of that code (another class,
  // without `allow`): only the plugin's 405 lists the methods.
  const allow: unknown = error instanceof MethodNotAllowedError ? error.allow : undefined;
  if (Array.isArray(allow)) reply.header('allow', allow.join(', '));
  if (error instanceof UnsupportedContentCodingError) reply.header('accept-encoding', 'identity');
  // A 401 of the bearer token says how to authenticate (RFC 9110 §11.6.1, RFC 6750 §3).
  const challenge = bearerChallenge(error);
  if (challenge !== undefined && formatted.status === 401)
    reply.header('www-authenticate', challenge);
  // Fastify asks to close the connection after a body it could not parse: HTTP/2 forbids the
  // header (RFC 9113 §8.2.2), which Node.js drops with a process warning.
  if (!closesConnection(request.raw)) reply.removeHeader('connection');
  return reply.code(formatted.status).type('application/json; charset=utf-8').send(formatted.text);
}

/**
 * Reports an error thrown after the request was answered (a handler that fails after fastify's
 * `handlerTimeout` sent its 503, or after sending its own reply): nothing more can be sent, so
 * `onError` gets it with `late: true` and the log writes it; `errorFormatter` does not run.
 */
export function reportLateError(thrown: unknown, request: FastifyRequest, hooks: ErrorHooks): void {
  const error = applicationError(thrown);
  const info: ErrorRequestInfo = { ...requestInfo(request, hooks.queryCredentials), late: true };
  request.log.error(
    { err: wrappers.has(error) ? error.cause : error },
    'request failed after it was answered',
  );
  report(error, info, request, hooks.onError);
}

function report(
  error: MacaronError,
  info: ErrorRequestInfo,
  request: FastifyRequest,
  onError: ErrorReporter | undefined,
): void {
  if (!onError) return;
  const failed = (reason: unknown) => request.log.error({ err: reason }, 'onError failed');
  try {
    const reported = onError(error, info);
    if (reported instanceof Promise) reported.catch(failed);
  } catch (reason) {
    failed(reason);
  }
}

/**
 * The error to answer and its JSON: the error's own, or, when that JSON cannot be written (an
 * application's `toErrorJSON` that throws or holds a value JSON cannot write, a bigint; a code
 * or description that is no string), `SERVER_ERROR` (500) with the error as its cause, as for
 * anything else the application threw. Fastify's default reply, which would answer instead,
 * sends the message of what failed inside the server.
 */
function writtenError(
  error: MacaronError,
  request: FastifyRequest,
): { error: MacaronError; json: ErrorJson } {
  try {
    // A copy: the reply's changes to it (a hidden description, compat's fields) are its own,
    // and an application's toErrorJSON may return one object it keeps (frozen, say).
    const json = { ...error.toErrorJSON() };
    JSON.stringify(json);
    if (typeof json.error !== 'string' || typeof json.error_description !== 'string')
      throw new TypeError('the error JSON needs a string error and error_description');
    return { error, json };
  } catch (reason) {
    request.log.error({ err: reason }, 'the error JSON could not be written, sent as 500');
    const answer = wrapped(error);
    return { error: answer, json: answer.toErrorJSON() };
  }
}

function format(
  error: MacaronError,
  json: ErrorJson,
  info: ErrorRequestInfo,
  request: FastifyRequest,
  hooks: ErrorHooks,
): { status: number; text: string } {
  // Core's own server-side errors describe engines, tables and stored values: the client gets
  // their code, the onError hook and the log their message.
  if ((error.status >= 500 && coreServerErrors.has(json.error)) || tableErrors.has(json.error)) {
    json.error_description = internalDescription;
    delete json.user_message;
  }
  if (hooks.pymacaron) {
    json.error = json.error.toUpperCase();
    json.user_message ??= json.error_description;
    (json as { error_id?: string }).error_id = info.errorId;
  }
  // An error is answered 4xx or 5xx: a status of an error class outside them (a 200 would tell
  // the client the call succeeded, a 999 is no status) is a server error.
  const status = isErrorStatus(error.status) ? error.status : 500;
  if (status !== error.status) {
    request.log.error(
      { err: error },
      `error ${json.error} has status ${error.status}, sent as 500`,
    );
    json.status = status;
  }
  const standard = { status, text: JSON.stringify(json) };
  const errorFormatter = hooks.errorFormatter;
  if (!errorFormatter) return standard;
  try {
    const formatted = errorFormatter(error, info);
    const valid =
      Number.isInteger(formatted.status) && formatted.status >= 200 && formatted.status <= 599;
    if (!valid) throw new RangeError(`errorFormatter returned status ${formatted.status}`);
    return { status: formatted.status, text: JSON.stringify(formatted.body) };
  } catch (reason) {
    request.log.error({ err: reason }, 'errorFormatter failed');
    return standard;
  }
}

function isErrorStatus(status: unknown): status is number {
  return Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599;
}
