import { type ErrorJson, MacaronError, type ValidationProblem } from '@macaron/core';

/** The error JSON of a request that does not match the spec: PyMacaron's shape plus `problems`. */
export interface InvalidParameterJson extends ErrorJson {
  /** Every problem, each with the JSON pointer of the offending value (`/query/limit`, `/body/name`). */
  problems: ValidationProblem[];
}

/** A request does not match the spec: parameters, headers or body (400 `INVALID_PARAMETER`). */
export class InvalidParameterError extends MacaronError {
  static override code = 'INVALID_PARAMETER';
  static override status = 400;
  /** Every problem found in the request. */
  readonly problems: readonly ValidationProblem[];

  constructor(problems: readonly ValidationProblem[]) {
    super(
      `Invalid request: ${problems.map((problem) => `${problem.pointer} ${problem.message}`).join('; ')}`,
    );
    this.problems = problems;
  }

  override toErrorJSON(): InvalidParameterJson {
    return { ...super.toErrorJSON(), problems: this.problems.map((problem) => ({ ...problem })) };
  }
}

/** The request body is not in a media type the operation accepts (415). */
export class UnsupportedMediaTypeError extends MacaronError {
  static override code = 'UNSUPPORTED_MEDIA_TYPE';
  static override status = 415;
}

/** The request body is larger than the body limit (413). */
export class RequestTooLargeError extends MacaronError {
  static override code = 'REQUEST_TOO_LARGE';
  static override status = 413;
}

/** A client error that fastify raised and that has no more specific code (its own status). */
export class BadRequestError extends MacaronError {
  static override code = 'BAD_REQUEST';
  static override status = 400;
  override readonly status: number;

  constructor(message: string, status: number) {
    super(message);
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
