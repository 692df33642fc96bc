import type { Api, MacaronError } from '@macaron/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JSONWebKeySet, JWTPayload } from 'jose';

/** What a handler receives: the request's values, typed and validated against the spec. */
export interface OperationContext<
  Params = Record<string, unknown>,
  Query = Record<string, unknown>,
  Headers = Record<string, unknown>,
  Body = unknown,
> {
  /** Path parameters by their name in the spec, coerced to their schema's types. */
  params: Params;
  /** Query parameters the spec declares, coerced (arrays, numbers, booleans) and defaulted. */
  query: Query;
  /** Header parameters the spec declares, by their name in the spec, coerced. */
  headers: Headers;
  /** Cookie parameters the spec declares, by name, coerced. */
  cookies: Record<string, unknown>;
  /** The JSON body: a model object when its schema is a named model, else the parsed JSON. */
  body: Body;
  /** The verified claims of the bearer token, when the operation takes one. */
  auth: JWTPayload | undefined;
  /** The fastify request. */
  request: FastifyRequest;
  /** The fastify reply: `reply.code(202)` picks another status the spec declares. */
  reply: FastifyReply;
}

/**
 * The code behind one operation: returns a model object, a list of them, plain JSON, or
 * undefined (204 when the spec declares it); throws a `MacaronError` for an error reply.
 */
export type OperationHandler<
  Params = Record<string, unknown>,
  Query = Record<string, unknown>,
  Headers = Record<string, unknown>,
  Body = unknown,
> = {
  // A method's parameter is bivariant: a handler that declares narrower values still fits.
  handle(context: OperationContext<Params, Query, Headers, Body>): unknown;
}['handle'];

/**
 * Handlers by `operationId`, by PyMacaron's `x-bind-server` (`package.module.function`), or by
 * `METHOD /path` as the spec writes it (`GET /profiles/{id}`) for operations with neither.
 */
export type OperationHandlers = Record<string, OperationHandler>;

/** What a server decorator receives: the request, before its values are read and checked. */
export interface DecoratorContext {
  /** The operation's name: its handler's (`operationId`, `x-bind-server`, `METHOD /path`). */
  operation: string;
  /** The verified token's claims, when the operation asks for a token and one was given. */
  auth: JWTPayload | undefined;
  /** The fastify request. */
  request: FastifyRequest;
  /** The fastify reply; a decorator that sends it ends the request there. */
  reply: FastifyReply;
}

/**
 * The code behind a PyMacaron `x-decorate-server` name (`myapp.auth.requires_admin`): runs
 * before the operation's handler, after its token check. Throwing (a `MacaronError` for a 4xx)
 * answers the request with that error; the handler is not called.
 */
export type ServerDecorator = (context: DecoratorContext) => void | Promise<void>;

/** What a security handler receives: the request, before its values are read and checked. */
export interface SecurityContext {
  /** The operation's name: its handler's (`operationId`, `x-bind-server`, `METHOD /path`). */
  operation: string;
  /** The security scheme to check, by its name in the spec. */
  scheme: string;
  /**
   * The scopes the operation's requirement lists for it (OAuth2, OpenID Connect), or its roles
   * (OpenAPI 3.1: a bearer scheme's are checked here, once its token is verified).
   */
  scopes: readonly string[];
  /**
   * The verified token's claims, when the same alternative asked for a bearer token first (for a
   * bearer scheme's roles, that token's own).
   */
  auth: JWTPayload | undefined;
  /** The fastify request. */
  request: FastifyRequest;
  /** The fastify reply; a handler that sends it ends the request there. */
  reply: FastifyReply;
}

/**
 * The check of a security scheme other than a bearer token (`apiKey`, `basic`, OAuth2…), or of the
 * roles a bearer scheme lists once its token is verified: returns
 * nothing when the request satisfies it, throws when not (a `MacaronError` for its 401 or 403;
 * any other error is a 500). A value returned, `false` included, is a 500: never an admission. Another alternative of the operation's `security` may still admit the request;
 * when none does, the first alternative's error answers it.
 */
export type SecurityHandler = (context: SecurityContext) => void | Promise<void>;

/**
 * Bearer token (JWT) verification for the operations whose spec requires it. Every token must
 * carry `exp`: one without it is refused (401 `TOKEN_INVALID`).
 */
export interface BearerAuthOptions {
  /**
   * HMAC shared secret; give this or `jwks`. At least as long as the hash (RFC 7518 §3.2):
   * 32 bytes for HS256, 48 for HS384, 64 for HS512, or registration throws a `TypeError`, as
   * it does for a public key (PEM, certificate, JWK): give those as `jwks`.
   */
  secret?: string | Uint8Array | undefined;
  /**
   * Accepts a `secret` shorter than its algorithms require: only for migrating a legacy secret
   * that cannot be replaced at once. False by default.
   */
  allowShortSecret?: boolean | undefined;
  /**
   * Public keys: a JWKS URL fetched and cached (`https://…/.well-known/jwks.json`: 5 s timeout,
   * kept 10 minutes, fetched again for an unknown `kid` at most every 30 s) or a JWKS object.
   */
  jwks?: string | URL | JSONWebKeySet | undefined;
  /**
   * Accepted issuers (`iss`). `false` accepts a token from any issuer, or without `iss`, as
   * PyMacaron did (it never checked `iss`): only where no other service signs with the same
   * secret or keys.
   */
  issuer: string | string[] | false;
  /** Accepted audiences (`aud`). */
  audience: string | string[];
  /** Accepted signature algorithms; `['HS256']` with a secret, `['RS256']` with a JWKS. Never read from the token. */
  algorithms?: string[] | undefined;
  /** Leeway for `exp`, `nbf` and `iat`, in seconds; 30 by default. */
  clockToleranceSeconds?: number | undefined;
}

/**
 * What error hooks learn about the request: never its headers, so never a bearer token or a
 * cookie, nor the value of an API key the query carries (an `apiKey` scheme `in: query`).
 */
export interface ErrorRequestInfo {
  /** Fastify's request id. */
  id: string;
  /** HTTP method. */
  method: string;
  /** The URL as requested, query string included, an API key's value in it written `***`. */
  url: string;
  /** The operation's handler name (`operationId`, `x-bind-server` or `METHOD /path`), when one matched. */
  operation: string | undefined;
  /**
   * A new UUID naming this error reply, for logs to be correlated with it. With
   * `compat: 'pymacaron'` the reply carries it as `error_id`, as PyMacaron's did.
   */
  errorId: string;
  /**
   * `true` for an error thrown after the request was answered: a handler, decorator or
   * security handler that failed after fastify's `handlerTimeout` answered 503
   * `HANDLER_TIMEOUT` (or after it sent a reply itself). Nothing was sent for it: the client
   * got the earlier answer, and `errorFormatter` does not run.
   */
  late?: true;
}

/** An error reply in another format: its status and its JSON body. */
export interface FormattedError {
  /** HTTP status of the reply. */
  status: number;
  /** JSON body of the reply. */
  body: unknown;
}

/** Formats an error reply (PyMacaron's `error_callback`); `error` is always a `MacaronError`. */
export type ErrorFormatter = (error: MacaronError, request: ErrorRequestInfo) => FormattedError;

/**
 * Reports an error (PyMacaron's `error_reporter`). `error` is the `MacaronError` that is
 * answered; anything else that was thrown becomes a `SERVER_ERROR` whose `cause` it is.
 */
export type ErrorReporter = (
  error: MacaronError,
  request: ErrorRequestInfo,
) => void | Promise<void>;

/**
 * What `GET /version` answers, PyMacaron's `Version`: `{"container","name","pym_env","version"}`.
 * Each has a default.
 */
export interface VersionInfo {
  /** The service's name; the spec's `info.title` by default (PyMacaron: the spec's file name). */
  name?: string | undefined;
  /** The API's version; the spec's `info.version` by default (as PyMacaron's). */
  version?: string | undefined;
  /** The running build, a container tag; `local` by default (PyMacaron: `/pym/VERSION`, else `local`). */
  container?: string | undefined;
  /** The environment; `process.env.PYM_ENV`, else `''`, by default (as PyMacaron's). */
  pym_env?: string | undefined;
}

/** Options of the `macaronFastify` plugin. */
export interface MacaronFastifyOptions {
  /** The API from `loadApi`; every operation of its spec becomes a route. */
  api: Api;
  /** The code behind each operation; start-up fails when one is missing or names no operation. */
  handlers: OperationHandlers;
  /** Bearer token verification; required when an operation of the spec requires a token. */
  auth?: BearerAuthOptions | undefined;
  /**
   * The code behind PyMacaron's `x-decorate-server` names, by name (`pymacaron.auth.requires_auth`
   * is the `auth` option's). Start-up fails when a served operation names one that is not here:
   * an operation is never served without its decorator.
   */
  decorators?: Record<string, ServerDecorator> | undefined;
  /**
   * The checks of the security schemes other than bearer tokens, by their name in the spec.
   * Start-up fails when a served operation's `security` names a scheme that is not here: an
   * operation is never served without the check its spec asks for.
   */
  securityHandlers?: Record<string, SecurityHandler> | undefined;
  /** Replaces PyMacaron's error JSON with another format. */
  errorFormatter?: ErrorFormatter | undefined;
  /** Called with every error reply, 4xx and 5xx. Its own failures are logged and ignored. */
  onError?: ErrorReporter | undefined;
  /**
   * Serves `GET /ping` → 200 `{}` unless the spec has that route; true by default. With
   * `compat: 'pymacaron'` (or `version`), also PyMacaron's `GET /version` and, with `auth`,
   * `GET /auth/version` behind the token.
   */
  ping?: boolean | undefined;
  /**
   * The values `GET /version` answers (PyMacaron's ping spec). Served with `compat:
   * 'pymacaron'`, or whenever this is given; `false` serves no `/version` (`ping: false`
   * serves neither). An application route registered before the plugin keeps its URL.
   */
  version?: VersionInfo | false | undefined;
  /** Largest request body accepted, in bytes (413 beyond); fastify's `bodyLimit` by default (1 MiB). */
  bodyLimit?: number | undefined;
  /** Checks each response against the spec and answers 500 when it does not match; true by default. */
  validateResponses?: boolean | undefined;
  /**
   * How responses write integers beyond 2^53 (bigints: `format: int64` properties, and
   * `number` properties holding one). `'string'`, the default: as decimal strings
   * (`"9007199254740993"`), which JavaScript's `JSON.parse` reads without rounding. `'number'`:
   * as JSON numbers with their exact digits (`9007199254740993`), as the spec's types say and
   * as PyMacaron sent them, for clients that read 64-bit integers exactly (Python's `json`,
   * Java, Go). Integers a number holds are numbers either way.
   */
  bigintsInResponses?: 'string' | 'number' | undefined;
  /**
   * `'pymacaron'` serves the spec as PyMacaron did: paths as written (no `basePath`), the
   * token also from a `token` cookie with a clock leeway of 300 s, and `user_message` in every
   * error reply. Left out: the base path applies, tokens come from the header only.
   */
  compat?: 'pymacaron' | undefined;
  /**
   * Publishes the spec as JSON at this route (e.g. `/openapi.json`), its base path set to where
   * the paths are served, for clients and documentation UIs. Not published by default.
   */
  specRoute?: string | undefined;
}
