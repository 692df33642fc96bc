import type { Api, ValidationProblem } from '@macaron/core';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify';
import type { JWTPayload } from 'jose';
import type { TokenVerifier } from '../auth/token-verifier.js';
import {
  asApplicationCode,
  internalDescription,
  markHandled,
  operationConfigKey,
} from '../errors/error-reply.js';
import { fromHandlerTimeout } from '../errors/fastify-errors.js';
import {
  AuthorizationHeaderMissingError,
  InvalidParameterError,
  RouteNotFoundError,
  ServerError,
} from '../errors/http-errors.js';
import { requestExcerpt } from '../errors/request-excerpt.js';
import { returnedErrorModel } from '../errors/returned-error-model.js';
import type { SecurityHandler, ServerDecorator } from '../plugin/plugin-options.js';
import { stringifyWithBigints } from '../responses/json-text.js';
import { jsonValueProblems } from '../responses/json-value-problems.js';
import { createResponsePlan, type ResponsePlan } from '../responses/response-plan.js';
import { discardStreamBody, isStreamBody } from '../responses/returned-stream.js';
import {
  type BigintForm,
  responseProblems,
  serializeResult,
} from '../responses/serialize-result.js';
import { credentialNames, type SecurityScheme } from '../spec/security-requirement.js';
import { refuseUndeclaredMediaType } from '../validation/declared-media-type.js';
import { readGetBody, readUntypedHttp2Body } from '../validation/get-body.js';
import { withoutMarked } from '../validation/marked-properties.js';
import { noteDecodedBody } from '../validation/parse-json-body.js';
import { createBodyReader } from '../validation/read-body.js';
import { createParameterReader } from '../validation/read-parameters.js';
import { repeatedFieldsHook } from '../validation/repeated-fields.js';
import type { BoundOperation } from './bind-handlers.js';
import { chosenStatus } from './chosen-status.js';
import { toRoutePath } from './route-path.js';

/** How operations are served. */
export interface OperationSettings {
  /** The loaded API. */
  api: Api;
  /** Prefix of every route (Swagger 2.0's `basePath`, OpenAPI 3's `servers[0]` path). */
  basePath: string;
  /** Verifier of bearer tokens, when configured. */
  verifier: TokenVerifier | undefined;
  /** Largest body accepted, in bytes. */
  bodyLimit: number | undefined;
  /** Whether responses are checked against the spec. */
  validateResponses: boolean;
  /** How responses write bigints beyond 2^53. */
  bigints: BigintForm;
  /** `routeKey` of every route of the spec, to avoid adding HEAD routes the spec has. */
  specRoutes: ReadonlySet<string>;
  /** The compatibility mode: `'pymacaron'` reads query parameters as PyMacaron did. */
  compat?: 'pymacaron' | undefined;
  /** The code behind `x-decorate-server` names (checked to hold every bound operation's). */
  decorators: Readonly<Record<string, ServerDecorator>>;
  /**
   * The checks of security schemes other than bearer tokens, and of the roles a bearer scheme
   * lists (checked to hold every bound operation's).
   */
  securityHandlers: Readonly<Record<string, SecurityHandler>>;
  /**
   * Reports what the operation's code threw after its request was answered (fastify's
   * `handlerTimeout` sent 503): fastify would only log it.
   */
  reportLate: (error: unknown, request: FastifyRequest) => void;
}

// A hook or handler of the route whose errors after the request was answered (fastify's
// `handlerTimeout` sent its 503 meanwhile) are reported as late, rather than left to fastify,
// which logs them only (a handler's) or drops them (a hook's).
function reportingLate<Rest extends unknown[], Result>(
  run: (request: FastifyRequest, reply: FastifyReply, ...rest: Rest) => Promise<Result>,
  reportLate: OperationSettings['reportLate'],
): (request: FastifyRequest, reply: FastifyReply, ...rest: Rest) => Promise<Result | undefined> {
  return async (request, reply, ...rest) => {
    try {
      return await run(request, reply, ...rest);
    } catch (error) {
      if (!reply.sent) throw error;
      reportLate(error, request);
      return undefined;
    }
  };
}

// A 500 whose cause says what went wrong (for onError and the log, never the client).
function serverError(cause: string): ServerError {
  return new ServerError(internalDescription, { cause: new Error(cause) });
}

// The 500 of a response that does not match the spec, naming each problem.
function mismatch(operation: string, status: number, wrong: readonly ValidationProblem[]) {
  const details = wrong.map((problem) => `${problem.pointer || '/'} ${problem.message}`);
  return serverError(
    `${operation} returned a ${status} response that does not match the spec: ${details.join('; ')}`,
  );
}

/** The verified claims of each authenticated request. */
const claims = new WeakMap<FastifyRequest, JWTPayload>();

/** The fastify route of one bound operation: auth, validation, the handler, serialisation. */
export function operationRoute(bound: BoundOperation, settings: OperationSettings): RouteOptions {
  const { operation, handler, name } = bound;
  const { api, verifier } = settings;
  const route = toRoutePath(operation.path, settings.basePath);
  const readParameters = createParameterReader(
    api,
    operation.parameters,
    route.parameters,
    settings.compat === 'pymacaron',
    operation.path,
    credentialNames(api.document, operation.security),
  );
  const readBody = createBodyReader(api, operation.body);
  const responses = createResponsePlan(api, operation.responses);
  const method = operation.method.toUpperCase();

  const options: RouteOptions = {
    method,
    url: route.url,
    config: { [operationConfigKey]: name },
    handler: reportingLate(async (request: FastifyRequest, reply: FastifyReply) => {
      const problems: ValidationProblem[] = [];
      const { params, query, headers, cookies } = readParameters(request, problems);
      const body = readBody(request, problems);
      if (problems.length > 0) throw new InvalidParameterError(problems);
      // From here on, whatever is thrown or sent as an error that is not a MacaronError is a
      // 500, even with a `statusCode` (see toMacaronError).
      markHandled(request);
      let result = await handler({
        params,
        query,
        headers,
        cookies,
        body,
        auth: claims.get(request),
        request,
        reply,
      });
      // An error returned rather than thrown (a PyMacaron handler could return its exception):
      // sent as a 200 body, it would tell the client the call succeeded. Answered as thrown.
      if (result instanceof Error) throw result;
      // The response is underway or cut, and not ended: fastify's handlerTimeout destroyed a body
      // streaming too long (the returned reply then settles with nothing), or the handler wrote
      // the raw response itself without hijacking the reply. Nothing more can be sent: the
      // error is told to onError, and the response cut (see sendError).
      if ((reply.raw.headersSent || reply.raw.destroyed) && !reply.sent) {
        const reason = (request as { signal?: AbortSignal }).signal?.reason;
        if (fromHandlerTimeout(reason, request)) throw reason;
        throw serverError(
          `${name} wrote the response's headers itself and did not end the response: call reply.hijack() before writing to reply.raw`,
        );
      }
      // A returned value is sent as JSON: a stream (fastify's idiom for a file) would go out as
      // its internals (a file's path), and stay open. It is not passed through either: its
      // media type and bytes would go unchecked, where `reply.send` says so. A reply sent
      // already (hijacked) leaves the stream to the handler.
      if (isStreamBody(result) && !reply.sent) {
        discardStreamBody(result);
        throw serverError(
          `${name} returned a stream, and a returned value is sent as JSON: send a body of another media type with \`return reply.type(…).send(stream)\``,
        );
      }
      // A Blob (a File) is bytes, as a Buffer is: read, it is sent as a Buffer is.
      if (result instanceof Blob) result = new Uint8Array(await result.arrayBuffer());
      const errorModel = settings.compat === 'pymacaron' ? returnedErrorModel(result) : undefined;
      const chosen = chosenStatus(reply);
      const status = responses.status(result, chosen);
      function isAnswerOf(candidate: number): boolean {
        const response = responses.response(candidate);
        if (response === undefined) return false;
        if (result === undefined) return response.schema === undefined || candidate === 204;
        if (response.schema === undefined) return true;
        try {
          const json = withoutMarked(
            response.schema,
            serializeResult(api, response.schema, result, 'number', 'keep'),
            'writeOnly',
          );
          return responseProblems(api, response.schema, json).length === 0;
        } catch {
          return false;
        }
      }
      // Answers with `status`, or throws (a 500, or the error model returned) before anything
      // is sent.
      const answerAs = (status: number) => {
        // An object of the model the success response declares (a stored item that holds
        // `error` and `status` fields of its own) is that response, not an error.
        if (errorModel && !declaredSuccessModel(result, responses, status)) throw errorModel;
        if (reply.sent) return reply;
        const declared = responses.response(status);
        if (settings.validateResponses && declared === undefined) {
          throw serverError(
            `${name} answered ${status}, a status the spec does not declare for it (it declares ${
              responses.declared.join(', ') || 'no response'
            })`,
          );
        }
        if (result === undefined || status === 204 || status === 304) {
          if (result === undefined && declared?.schema && status !== 204) {
            throw serverError(`${name} returned nothing, but the spec declares a ${status} body`);
          }
          return reply.code(status).send();
        }
        const json = withoutMarked(
          declared?.schema,
          // Without response validation, nothing refuses a class instance: it is serialised.
          serializeResult(
            api,
            declared?.schema,
            result,
            settings.bigints,
            'strip',
            0,
            settings.validateResponses,
          ),
          'writeOnly',
        );
        // A response without a schema (a Swagger 2.0 `description` alone, a media type other
        // than JSON) is still sent as JSON: what JSON would alter on its way is refused, as under
        // `schema: {}`. A walk of its own, where no schema's is made.
        if (settings.validateResponses && !declared?.schema) {
          const wrong = jsonValueProblems(json);
          if (wrong.length > 0) throw mismatch(name, status, wrong);
        }
        if (settings.validateResponses && declared?.schema) {
          let wrong = responseProblems(api, declared.schema, json);
          // A bigint sent as a decimal string is the integer the spec declares: the check reads
          // it back so as fromJSON does, and where fromJSON does not (an anyOf or oneOf member),
          // is made again with the bigint itself.
          if (wrong.length > 0 && settings.bigints === 'string') {
            const exact = withoutMarked(
              declared.schema,
              serializeResult(api, declared.schema, result, 'number'),
              'writeOnly',
            );
            if (responseProblems(api, declared.schema, exact).length === 0) wrong = [];
          }
          // What the handler answered is checked with its writeOnly properties: their absence
          // from what is sent may leave an object under its minProperties, an anyOf or a
          // uniqueItems unmet, and the spec asks for that absence.
          if (wrong.length > 0) {
            const whole = serializeResult(api, declared.schema, result, 'number', 'keep');
            if (responseProblems(api, declared.schema, whole).length === 0) wrong = [];
          }
          if (wrong.length > 0) throw mismatch(name, status, wrong);
        }
        // Checked above as it is written: with bigints as numbers, the bigints themselves.
        const text =
          settings.bigints === 'number' ? stringifyWithBigints(json) : JSON.stringify(json);
        return reply.code(status).type('application/json; charset=utf-8').send(text);
      };
      // Nothing chosen: the result may be the body of another declared 2xx (the handler types
      // take any of them), or undefined where another 2xx declares no body. Only when the
      // usual status refuses it, the first other whose response takes it answers.
      const alternatives = chosen === undefined ? responses.alternatives(result, status) : [];
      if (alternatives.length === 0 || !settings.validateResponses) return answerAs(status);
      try {
        return answerAs(status);
      } catch (error) {
        if (!(error instanceof ServerError) && error !== errorModel) throw error;
        const fitting = alternatives.find((alternative) => isAnswerOf(alternative));
        if (fitting === undefined) throw error;
        return answerAs(fitting);
      }
    }, settings.reportLate),
  };
  if (settings.bodyLimit !== undefined) options.bodyLimit = settings.bodyLimit;
  // Fastify reads no body of a GET or a HEAD: a GET operation that declares one reads it
  // itself. A route's own hooks run after those of its contexts (@fastify/compress puts its
  // decoding one first).
  const preParsing = [];
  // PyMacaron read any body as JSON, whatever its Content-Type (bravado-core never looked at
  // `consumes`): its compat mode reads an undeclared JSON media type by the first one declared.
  if (operation.body?.mediaTypes.length && settings.compat !== 'pymacaron')
    preParsing.push(refuseUndeclaredMediaType(operation.body));
  if (method === 'GET' && operation.body)
    preParsing.push(readGetBody(settings.compat === 'pymacaron'));
  else if (method !== 'GET' && method !== 'HEAD')
    preParsing.push(noteDecodedBody, readUntypedHttp2Body(settings.compat === 'pymacaron'));
  if (preParsing.length > 0) options.preParsing = preParsing;
  // A HEAD operation of the same shape (`/a/{y}` beside GET `/a/{x}`) replaces fastify's own.
  if (method === 'GET')
    options.exposeHeadRoute = !settings.specRoutes.has(
      routeKey('HEAD', operation.path, settings.basePath),
    );
  if (operation.security) {
    options.onRequest = securityCheck(operation.security, name, settings);
  } else if (operation.auth !== 'none' && verifier) {
    const optional = operation.auth === 'optional';
    options.onRequest = async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      try {
        claims.set(
          request,
          await verifier({ authorization: header, cookie: request.headers.cookie }),
        );
      } catch (error) {
        // An optional token that is absent (no header, no token cookie) is no error, nor is
        // another scheme's Authorization header: no bearer token is given (as in securityCheck).
        if (optional && (error instanceof AuthorizationHeaderMissingError || otherScheme(request)))
          return;
        throw error;
      }
    };
  }
  // Flask's default converter matches one character or more: PyMacaron answered a path whose
  // parameter segment is empty (`/things/`) with its 404 before anything else, never calling
  // the handler with ''.
  if (settings.compat === 'pymacaron' && route.parameters.size > 0) {
    const then = options.onRequest as
      | ((request: FastifyRequest, reply: FastifyReply) => Promise<void>)
      | undefined;
    options.onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
      const params = request.params as Record<string, string | undefined>;
      for (const routeName of route.parameters.values()) {
        if (params[routeName] === '') {
          const shown = requestExcerpt(`${request.method} ${request.url.split('?')[0]}`);
          throw new RouteNotFoundError(`No operation matches ${shown}`);
        }
      }
      if (then) await then(request, reply);
    };
  }
  // Before the token check reads Authorization: a field sent on two lines is read by nobody,
  // nor is a header parameter Node.js keeps one line of (`If-Modified-Since`, `User-Agent`).
  const refuseRepeatedFields = repeatedFieldsHook(
    operation.parameters.flatMap((parameter) =>
      parameter.in === 'header' ? [parameter.name] : [],
    ),
  );
  // The security check, all async: a security handler that fails after the 503 of
  // handlerTimeout is reported as late.
  const check = options.onRequest as
    | ((request: FastifyRequest, reply: FastifyReply) => Promise<void>)
    | undefined;
  const onRequest =
    check === undefined
      ? undefined
      : (reportingLate(check, settings.reportLate) as onRequestHookHandler);
  options.onRequest = onRequest ? [refuseRepeatedFields, onRequest] : refuseRepeatedFields;
  const decorators = operation.decorators.map(
    (decoratorName) => settings.decorators[decoratorName]!,
  );
  if (decorators.length > 0) {
    // In the spec's order, after the token check (onRequest), before the values are read.
    options.preHandler = reportingLate(async (request: FastifyRequest, reply: FastifyReply) => {
      // The body is read: from here on, what is thrown or sent as an error is the application's,
      // a 500 unless a MacaronError, whatever `statusCode` or fastify `code` it carries.
      markHandled(request);
      for (const decorator of decorators) {
        await decorator({ operation: name, auth: claims.get(request), request, reply });
        if (reply.sent) return;
      }
    }, settings.reportLate);
  }
  return options;
}

// Whether an Authorization header holds another scheme's credentials (`Basic …`): no bearer
// token is given then, and the operation's other alternatives are tried.
function otherScheme(request: FastifyRequest): boolean {
  const header = request.headers.authorization?.trim();
  return header !== undefined && header !== '' && !/^bearer/i.test(header);
}

/**
 * The check of an operation's security alternatives, in the spec's order: the first one whose
 * every scheme passes admits the request. A bearer token given is verified first, whatever
 * the alternatives: refused, it answers at once, as it does where a token is optional
 * (an alternative that does not name it must not let a forged token through unnoticed);
 * verified, the handler gets its claims. Otherwise the first alternative's failure answers.
 */
function securityCheck(
  alternatives: readonly (readonly SecurityScheme[])[],
  operation: string,
  { verifier, securityHandlers }: OperationSettings,
) {
  const namesBearer = alternatives.some((schemes) => schemes.some(({ bearer }) => bearer));
  return async (request: FastifyRequest, reply: FastifyReply) => {
    let verified: JWTPayload | undefined;
    // Why a bearer scheme fails when no token is given (none, or another scheme's header).
    let noToken: unknown;
    if (namesBearer) {
      try {
        verified = await verifier!({
          authorization: request.headers.authorization,
          cookie: request.headers.cookie,
        });
      } catch (error) {
        if (!(error instanceof AuthorizationHeaderMissingError) && !otherScheme(request))
          throw error;
        noToken = error;
      }
    }
    let refusal: unknown;
    let refused = false;
    for (const schemes of alternatives) {
      try {
        // The claims a security handler sees: those of a bearer scheme before it in its alternative.
        let seen: JWTPayload | undefined;
        for (const { name, scopes, bearer } of schemes) {
          if (bearer) {
            if (verified === undefined) throw noToken;
            seen = verified;
          }
          // A bearer scheme's roles, if it lists any, are its handler's to check, with the claims.
          if (!bearer || scopes.length > 0) {
            // Fastify's error handler would read a `statusCode` (an upstream's 404), thrown or
            // sent, as a refusal of the request: only a MacaronError refuses it.
            const answer: unknown = await asApplicationCode(request, () =>
              securityHandlers[name]!({
                operation,
                scheme: name,
                scopes,
                auth: seen,
                request,
                reply,
              }),
            );
            // A `false` meant as "refused" must never read as admitted (TypeScript lets a
            // function returning a boolean stand for one returning void).
            if (answer !== undefined)
              throw serverError(
                `The security handler of ${name} returned ${String(answer)}: it returns nothing to admit a request and throws to refuse it`,
              );
          }
          if (reply.sent) return;
        }
        if (verified !== undefined) claims.set(request, verified);
        return;
      } catch (error) {
        if (!refused) {
          refused = true;
          refusal = error;
        }
      }
    }
    throw refusal;
  };
}

/**
 * `METHOD url` of a route, parameter names set aside (`GET /profiles/:p`): routes with the
 * same key are one route for fastify.
 */
export function routeKey(method: string, specPath: string, basePath: string): string {
  const shape = specPath.replace(/\{[^{}]*\}/g, '{p}');
  return `${method.toUpperCase()} ${toRoutePath(shape, basePath).url}`;
}

/** Registers the operations on a fastify instance. */
export function registerOperations(
  instance: FastifyInstance,
  operations: readonly BoundOperation[],
  settings: OperationSettings,
): void {
  for (const bound of operations) instance.route(operationRoute(bound, settings));
}

/** Whether `result` is an object of the model the response it would go out as declares. */
function declaredSuccessModel(result: unknown, responses: ResponsePlan, status: number): boolean {
  const type = (Object.getPrototypeOf(result) as { constructor?: { modelName?: unknown } } | null)
    ?.constructor;
  const modelName = type?.modelName;
  return typeof modelName === 'string' && responses.response(status)?.schema?.name === modelName;
}
