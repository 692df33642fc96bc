import {
  type ErrorJson,
  MacaronError,
  type MacaronErrorOptions,
  type ValidationProblem,
} from '@macaron/core';
import { maxProblems } from '../validation/max-problems.js';
import { keepClassNames } from './class-names.js';
import { requestExcerpt } from './request-excerpt.js';

/** The error JSON of a request that does not match the spec: PyMacaron's shape plus `problems`. */
export interface InvalidParameterJson extends ErrorJson {
  /** Every problem, each with the JSON pointer of the offending value (`/query/limit`, `/body/name`). */
  problems: ValidationProblem[];
}

// An error reply lists this many problems at most, the description fewer: a body with
// thousands of unknown keys must not come back whole.
const listedProblems = 20;
const describedProblems = 3;

/**
 * A request does not match the spec: parameters, headers or body (400 `INVALID_PARAMETER`).
 * Pointers name the request's own keys, so the reply echoes them as short, escaped excerpts.
 */
export class InvalidParameterError extends MacaronError {
  static override code = 'INVALID_PARAMETER';
  static override status = 400;
  /** Every problem found in the request, as found. */
  readonly problems: readonly ValidationProblem[];

  constructor(problems: readonly ValidationProblem[]) {
    const described = problems
      .slice(0, describedProblems)
      .map(
        (problem) => `${requestExcerpt(problem.pointer)} ${requestExcerpt(problem.message, 200)}`,
      );
    const more = problems.length - described.length;
    // From the cap on, checking stopped there: more problems may have gone unfound.
    const counted = problems.length >= maxProblems ? `at least ${more}` : `${more}`;
    super(`Invalid request: ${described.join('; ')}${more > 0 ? ` (and ${counted} more)` : ''}`);
    this.problems = problems;
  }

  override toErrorJSON(): InvalidParameterJson {
    return {
      ...super.toErrorJSON(),
      problems: this.problems.slice(0, listedProblems).map((problem) => ({
        ...problem,
        pointer: requestExcerpt(problem.pointer),
        message: requestExcerpt(problem.message, 200),
      })),
    };
  }
}

/** The request body is not in a media type the operation accepts (415). */
export class UnsupportedMediaTypeError extends MacaronError {
  static override code = 'UNSUPPORTED_MEDIA_TYPE';
  static override status = 415;
}

/**
 * The request body is in a content coding the server does not decode (`Content-Encoding:
 * gzip`…), 415 as RFC 9110 §15.5.16 says; the reply's `Accept-Encoding: identity` tells it
 * from a media type refused.
 */
export class UnsupportedContentCodingError extends UnsupportedMediaTypeError {}
// It declares no code of its own: the name every copy of this package gives it is what tells its
// errors from other 415s (core's `isInstance` reads it under this registry-wide symbol).
Object.defineProperty(
  UnsupportedContentCodingError,
  Symbol.for('@macaron/core/MacaronError.class'),
  { value: '@macaron/fastify#UnsupportedContentCodingError' },
);

/**
 * The request body is in a transfer coding other than chunked (`Transfer-Encoding: gzip,
 * chunked`), which Node.js does not decode: 501, as RFC 9112 §6.1 says.
 */
export class TransferCodingNotImplementedError extends MacaronError {
  static override code = 'NOT_IMPLEMENTED';
  static override status = 501;
}

/** The request body is larger than the body limit (413). */
export class RequestTooLargeError extends MacaronError {
  static override code = 'REQUEST_TOO_LARGE';
  static override status = 413;
}

/** The URL cannot be read: a malformed `%`-escape, for one (400). */
export class BadUrlError extends MacaronError {
  static override code = 'BAD_URL';
  static override status = 400;
}

/** A path parameter is longer than the server accepts (fastify's `maxParamLength`, 414). */
export class UriTooLongError extends MacaronError {
  static override code = 'URI_TOO_LONG';
  static override status = 414;
}

/** The request's headers are larger than the server accepts (431). */
export class HeadersTooLargeError extends MacaronError {
  static override code = 'HEADERS_TOO_LARGE';
  static override status = 431;
}

/** The request did not arrive in time (408). */
export class RequestTimeoutError extends MacaronError {
  static override code = 'REQUEST_TIMEOUT';
  static override status = 408;
}

/** An `Expect` header the server cannot meet: anything but `100-continue` (417). */
export class ExpectationFailedError extends MacaronError {
  static override code = 'EXPECTATION_FAILED';
  static override status = 417;
}

/**
 * A client error that fastify, or a hook of the application, raised before the handler and
 * that has no more specific code (its own status; what was raised is the `cause`).
 */
export class BadRequestError extends MacaronError {
  static override code = 'BAD_REQUEST';
  static override status = 400;
  override readonly status: number;

  constructor(message: string, status: number, options?: MacaronErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/** No route of the spec matches the request (404). */
export class RouteNotFoundError extends MacaronError {
  static override code = 'NOT_FOUND';
  static override status = 404;
}

/** The operation requires a bearer token and the request has no Authorization header (401). */
export class AuthorizationHeaderMissingError extends MacaronError {
  static override code = 'AUTHORIZATION_HEADER_MISSING';
  static override status = 401;
}

/** The bearer token has expired (401). */
export class TokenExpiredError extends MacaronError {
  static override code = 'TOKEN_EXPIRED';
  static override status = 401;
}

/** The bearer token is malformed, badly signed, or not meant for this API (401). */
export class TokenInvalidError extends MacaronError {
  static override code = 'TOKEN_INVALID';
  static override status = 401;
}

/**
 * The route did not answer within fastify's `handlerTimeout` (503): a security handler, a
 * decorator or the handler never settled, or took too long.
 */
export class HandlerTimeoutError extends MacaronError {
  static override code = 'HANDLER_TIMEOUT';
  static override status = 503;
}

/** Anything that is not a `MacaronError`: reported, and answered without internals (500). */
export class ServerError extends MacaronError {
  static override code = 'SERVER_ERROR';
  static override status = 500;
}

/** The handlers given to the plugin do not match the operations of the spec. */
export class HandlerBindingError extends MacaronError {
  static override code = 'HANDLER_BINDING';
  static override status = 500;
  /** Operations that have no handler, e.g. `GET /profiles/{id} (getProfile)`. */
  readonly missing: readonly string[];
  /** Handler names that match no operation. */
  readonly unknown: readonly string[];

  constructor(message: string, missing: readonly string[], unknown: readonly string[]) {
    super(message);
    this.missing = missing;
    this.unknown = unknown;
  }
}

/** The path is served, but not with this method (405); the reply's `Allow` header lists the methods. */
export class MethodNotAllowedError extends MacaronError {
  static override code = 'METHOD_NOT_ALLOWED';
  static override status = 405;
  /** The methods the path answers, for the `Allow` header. */
  readonly allow: readonly string[];

  constructor(message: string, allow: readonly string[]) {
    super(message);
    this.allow = allow;
  }
}

/** Two specs registered on one server declare the same route (start-up). */
export class DuplicateRouteError extends MacaronError {
  static override code = 'DUPLICATE_ROUTE';
  static override status = 500;
}

// Names that no minifier changes (see `keepClassNames`).
keepClassNames({
  InvalidParameterError,
  UnsupportedMediaTypeError,
  UnsupportedContentCodingError,
  TransferCodingNotImplementedError,
  RequestTooLargeError,
  BadUrlError,
  UriTooLongError,
  HeadersTooLargeError,
  RequestTimeoutError,
  ExpectationFailedError,
  BadRequestError,
  RouteNotFoundError,
  AuthorizationHeaderMissingError,
  TokenExpiredError,
  TokenInvalidError,
  HandlerTimeoutError,
  ServerError,
  HandlerBindingError,
  MethodNotAllowedError,
  DuplicateRouteError,
});
