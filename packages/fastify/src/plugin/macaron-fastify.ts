import { SpecError, writtenSpecJson } from '@macaron/core';
import {
  checkOptionNames,
  optionNames,
  shownJson,
  shownName,
  shownText,
} from '@macaron/core/backend';
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  HTTPMethods,
  RouteOptions,
} from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { createTokenVerifier } from '../auth/token-verifier.js';
import { type ErrorHooks, reportLateError, sendError } from '../errors/error-reply.js';
import {
  DuplicateRouteError,
  MethodNotAllowedError,
  RouteNotFoundError,
  UnsupportedMediaTypeError,
} from '../errors/http-errors.js';
import { hideQueryCredentialsInLogs } from '../errors/logged-request.js';
import { requestExcerpt } from '../errors/request-excerpt.js';
import { specBasePath } from '../routes/base-path.js';
import { type BoundOperation, bindHandlers, routeName } from '../routes/bind-handlers.js';
import { overDefaultRoute } from '../routes/over-default-route.js';
import { operationRoute, routeKey } from '../routes/register-operation.js';
import { unservablePath } from '../routes/route-path.js';
import {
  allowedMethods,
  defaultRoute,
  type RouteOwner,
  recordPath,
  type ServedRoutes,
  servedRoutes,
} from '../routes/served-routes.js';
import { routeUnroutedPrefix } from '../routes/unrouted-prefix.js';
import { answerExpectationsInJson, trackPendingResponses } from '../server/server-options.js';
import { appendPointer } from '../spec/json-pointer.js';
import { publishedDocument } from '../spec/published-document.js';
import { declaredSchemes, queryCredentialNames } from '../spec/security-requirement.js';
import { specOperations } from '../spec/spec-operations.js';
import { carriesBody, closesConnection } from '../validation/carries-body.js';
import { jsonOnly, jsonSubtypes, readsAsJson } from '../validation/json-media-type.js';
import { parseJsonBody } from '../validation/parse-json-body.js';
import type { MacaronFastifyOptions, VersionInfo } from './plugin-options.js';

// Fastify tests a RegExp parser against the whole content type, parameters included, as it
// writes it back (`application/problem+json; charset="utf-8"`): the subtype ends at the end or
// at its parameters, as isJsonMediaType reads the spec's media types.

// How messages name a spec: two specs on one server are told apart by title and version.
// Escaped: a title may hold a line break or a bidi control.
function specLabel(options: MacaronFastifyOptions): string {
  const info = options.api.document.info as { title?: unknown; version?: unknown } | undefined;
  return shownText(`"${String(info?.title ?? 'untitled')}" ${String(info?.version ?? '')}`.trim());
}

// `GET /v1/users/{id}`: a route as the spec writes it, escaped.
function specRoute(method: string, path: string): string {
  return shownText(`${method.toUpperCase()} ${path}`);
}

// Two specs' operations at one route: the first one's route names it, as the spec writes it,
// and the second's too where its parameters have other names.
function duplicateLine(first: RouteOwner, second: RouteOwner): string {
  const at = second.route === first.route ? '' : ` at ${second.route}`;
  return `${first.route}: declared by ${first.spec} and by ${second.spec} (${first.what}, and ${second.what}${at})`;
}

// The plugin's options, and the ones fastify's register reads from the same object; any other
// is refused (P-110): a misspelt `auth` or `validateResponses` would serve with the default.
const pluginOptionNames = optionNames(
  'api',
  'handlers',
  'auth',
  'decorators',
  'securityHandlers',
  'errorFormatter',
  'onError',
  'ping',
  'version',
  'bodyLimit',
  'validateResponses',
  'bigintsInResponses',
  'compat',
  'specRoute',
  'prefix',
  'logLevel',
  'logSerializers',
);
const authOptionNames = optionNames(
  'secret',
  'allowShortSecret',
  'jwks',
  'issuer',
  'audience',
  'algorithms',
  'clockToleranceSeconds',
);
const versionOptionNames = optionNames('name', 'version', 'container', 'pym_env');

function checkPluginOptions(options: MacaronFastifyOptions): void {
  checkOptionNames(options, pluginOptionNames, '@macaron/fastify', TypeError);
  if (typeof options.auth === 'object' && options.auth !== null)
    checkOptionNames(options.auth, authOptionNames, '@macaron/fastify auth', TypeError);
  if (typeof options.version === 'object' && options.version !== null)
    checkOptionNames(options.version, versionOptionNames, '@macaron/fastify version', TypeError);
  // From JavaScript the options may hold anything: refused here, by name, rather than read as
  // an Api (a TypeError from deep inside) or as handlers (a string's characters as names).
  const api: unknown = options.api;
  if (
    typeof api !== 'object' ||
    api === null ||
    typeof (api as { document?: unknown }).document !== 'object' ||
    (api as { document?: unknown }).document === null ||
    typeof (api as { schema?: unknown }).schema !== 'function'
  )
    throw new TypeError(
      `@macaron/fastify needs api: the Api that loadApi returns, not ${shownJson(api)}`,
    );
  for (const name of ['handlers', 'decorators', 'securityHandlers'] as const) {
    const value: unknown = options[name];
    if (
      value !== undefined &&
      value !== null &&
      (typeof value !== 'object' || Array.isArray(value))
    )
      throw new TypeError(
        `@macaron/fastify ${name} must be an object of functions by name, not ${shownJson(value)}`,
      );
  }
}

async function serveApi(instance: FastifyInstance, options: MacaronFastifyOptions) {
  checkPluginOptions(options);
  const { api } = options;
  const compat = options.compat;
  if (compat !== undefined && compat !== 'pymacaron') {
    throw new TypeError(`compat must be 'pymacaron' or left out, not ${shownJson(compat)}`);
  }
  const bigints = options.bigintsInResponses ?? 'string';
  if (bigints !== 'string' && bigints !== 'number') {
    throw new TypeError(
      `bigintsInResponses must be 'string' or 'number', not ${shownJson(bigints)}`,
    );
  }
  const operations = specOperations(api, compat === 'pymacaron');
  const unservable = [
    ...[...new Set(operations.map(({ path }) => path))].flatMap((path) => {
      const message = unservablePath(path);
      return message === undefined ? [] : [{ pointer: appendPointer('/paths', path), message }];
    }),
    // The document's own parts (its `security`) once, not once per operation.
    ...new Map(
      operations
        .flatMap((operation) => operation.unservable)
        .map((part) => [`${part.pointer} ${part.message}`, part]),
    ).values(),
  ];
  if (unservable.length > 0) {
    throw new SpecError(
      `The spec ${specLabel(options)} has operations fastify cannot serve`,
      unservable,
    );
  }
  const bound = bindHandlers(operations, options.handlers ?? {});
  const decorators = options.decorators ?? {};
  const undecorated = bound.flatMap(({ operation }) =>
    operation.decorators
      .filter((name) => !Object.hasOwn(decorators, name) || typeof decorators[name] !== 'function')
      .map((name) => `  - ${routeName(operation)}: x-decorate-server ${name}`),
  );
  if (undecorated.length > 0) {
    throw new TypeError(
      `These operations name a decorator the plugin's decorators option does not give (a function by that name), so they would be served without it:\n${undecorated.join('\n')}`,
    );
  }
  const securityHandlers = options.securityHandlers ?? {};
  const declared = declaredSchemes(api.document);
  const unchecked = bound.flatMap(({ operation }) => [
    ...new Set(
      (operation.security ?? []).flatMap((schemes) =>
        schemes
          .filter(
            ({ name, bearer, scopes }) =>
              (!bearer || scopes.length > 0) &&
              (!Object.hasOwn(securityHandlers, name) ||
                typeof securityHandlers[name] !== 'function'),
          )
          .map(
            ({ name, bearer, scopes }) =>
              `  - ${routeName(operation)}: security scheme ${name}${
                bearer
                  ? ` with roles ${scopes.join(', ')} (the plugin verifies the token; its roles are the handler's to check)`
                  : declared.has(name)
                    ? ''
                    : ', which the spec does not declare'
              }`,
          ),
      ),
    ),
  ]);
  if (unchecked.length > 0) {
    throw new TypeError(
      `These operations' security names a scheme the plugin's securityHandlers option does not check (a function by that name), so they would be served without that check:\n${unchecked.join('\n')}`,
    );
  }
  const needAuth = bound.filter(({ operation }) => operation.auth !== 'none');
  if (needAuth.length > 0 && !options.auth) {
    throw new TypeError(
      `These operations require a bearer token, but the plugin has no auth option:\n${needAuth
        .map(({ operation }) => `  - ${routeName(operation)}`)
        .join('\n')}`,
    );
  }
  const verifier = options.auth
    ? createTokenVerifier(options.auth, compat === 'pymacaron' ? pymacaronTokens : {})
    : undefined;
  const basePath = specBasePath(api, compat);
  const prefix = instance.prefix;
  const served = servedRoutes(instance.server);
  const label = specLabel(options);
  const fullKey = (method: string, path: string, base = basePath) =>
    routeKey(method, path, `${prefix}${base}`);

  // Only JSON bodies: anything else is answered 415 by fastify, then formatted below.
  instance.removeAllContentTypeParsers();
  // As bytes: the parser decodes them as strict UTF-8.
  instance.addContentTypeParser('application/json', { parseAs: 'buffer' }, parseJsonBody);
  instance.addContentTypeParser(jsonSubtypes, { parseAs: 'buffer' }, parseJsonBody);
  // PyMacaron read any body as JSON: a body sent without a Content-Type is read as JSON too.
  // Other types stay 415 (text/plain too: an HTML form sends it cross-site, without preflight).
  // So does a body without a Content-Type that carries cookies but no Authorization header: a
  // page on another site can send one (`fetch` in no-cors mode, `sendBeacon`) with the
  // browser's cookies, the `token` cookie included, and no preflight.
  if (compat === 'pymacaron') {
    instance.addContentTypeParser('*', { parseAs: 'buffer' }, (request, raw, done) => {
      if (readsAsJson(request.headers, true)) parseJsonBody(request, raw, done);
      else done(new UnsupportedMediaTypeError(jsonOnly));
    });
  }
  const hooks: ErrorHooks = {
    errorFormatter: options.errorFormatter,
    onError: options.onError,
    pymacaron: compat === 'pymacaron',
    queryCredentials: queryCredentialNames(options.api.document),
  };
  // Before any route or not-found handler: each takes the child logger factory in force.
  hideQueryCredentialsInLogs(instance, hooks.queryCredentials ?? new Set());
  instance.setErrorHandler((error, request, reply) => sendError(error, request, reply, hooks));
  answerExpectationsInJson(instance.server, compat === 'pymacaron');
  trackPendingResponses(instance.server);
  // A request no operation matches is answered 404 or 405 whatever its body: never read,
  // so never refused for it (not JSON, too large, compressed: a 400, 413 or 415 would
  // send its client after its body rather than its URL or method).
  // Nor drained past what a route reads: a body of a length not told, or longer than the
  // body limit, ends the connection after the answer, as fastify's 413 does (else the
  // server would read all of it, however large, to keep the connection).
  const bodyLimit = options.bodyLimit ?? instance.initialConfig.bodyLimit ?? 1024 * 1024;
  const unrouted = (request: FastifyRequest, reply: FastifyReply) => {
    if (
      parsesBody(request) &&
      closesConnection(request.raw) &&
      !drainable(request.headers, bodyLimit)
    )
      reply.header('connection', 'close');
    return notFound(instance, served, request.method, request.url);
  };
  // One not-found handler a prefix: another registration of the plugin under the same prefix
  // keeps the first one's (fastify would throw from its own start-up, where nothing catches it).
  let ownsNotFound = false;
  if (!served.notFoundPrefixes.has(prefix)) {
    try {
      instance.setNotFoundHandler((request, reply) =>
        sendError(notFound(instance, served, request.method, request.url), request, reply, hooks),
      );
      instance.addHook('preParsing', (request, reply, payload, done) => {
        if (request.is404 && parsesBody(request)) done(unrouted(request, reply));
        else done(null, payload);
      });
      served.notFoundPrefixes.add(prefix);
      ownsNotFound = true;
    } catch {
      // The application set a not-found handler for this prefix first: it keeps it.
    }
  }

  const specRoutes = new Set(
    bound.map(({ operation }) => routeKey(operation.method, operation.path, basePath)),
  );
  const settings = {
    api,
    decorators,
    securityHandlers,
    basePath,
    verifier,
    bodyLimit: options.bodyLimit,
    validateResponses: options.validateResponses ?? true,
    bigints,
    specRoutes,
    compat,
    reportLate: (error: unknown, request: FastifyRequest) => reportLateError(error, request, hooks),
  };
  const routes: { bound: BoundOperation; key: string; route: RouteOptions }[] = bound.map(
    (entry) => ({
      bound: entry,
      key: fullKey(entry.operation.method, entry.operation.path),
      route: operationRoute(entry, settings),
    }),
  );
  // Messages name routes as the spec writes them, under the prefix and base path, and each
  // operation by its operationId: fastify's form (`/users/:p`) is no path of the spec.
  const owner = (entry: BoundOperation): RouteOwner => ({
    spec: label,
    route: specRoute(entry.operation.method, `${prefix}${basePath}${entry.operation.path}`),
    what:
      entry.operation.operationId === undefined
        ? 'an operation without operationId'
        : `operation ${shownName(entry.operation.operationId)}`,
  });
  const duplicates = routes
    .filter(({ key }) => served.owners.has(key) && !served.defaults.has(key))
    .map(({ bound: entry, key }) => duplicateLine(served.owners.get(key)!, owner(entry)));
  if (duplicates.length > 0) {
    throw new DuplicateRouteError(
      `Two specs on this server declare the same route:\n${duplicates.map((line) => `  - ${line}`).join('\n')}`,
    );
  }
  // A route of the application (or of another plugin) there already: fastify would refuse it
  // with FST_ERR_DUPLICATED_ROUTE, naming its own form of the route. Not a HEAD: the one there
  // may be the one fastify made of a GET, which a HEAD route replaces (else fastify refuses it,
  // and the registration below names it).
  const taken = routes
    .filter(
      ({ key, route }) =>
        !served.owners.has(key) &&
        route.method !== 'HEAD' &&
        instance.hasRoute({
          method: route.method as HTTPMethods,
          url: `${prefix}${route.url}`,
          constraints: route.constraints,
        }),
    )
    .map(({ bound: entry }) => {
      const { route, what } = owner(entry);
      return `${route}: ${what} of ${label}`;
    });
  if (taken.length > 0) {
    throw new DuplicateRouteError(
      `These operations are at a route the server serves already (a route of the application, or of another plugin):\n${taken.map((line) => `  - ${line}`).join('\n')}`,
    );
  }
  // OpenAPI 3.2's additionalOperations may name a method Node reads but fastify routes only
  // once told to (COPY, LOCK…). This set is the server's, not the plugin context's.
  for (const { route } of routes) {
    const method = route.method as string;
    if (!instance.supportedMethods.includes(method))
      instance.addHttpMethod(method, { hasBody: true });
  }
  // A default route of an earlier registration (/ping, and the HEAD fastify made of it) gives
  // way to this spec's operations there; taken over, it is this spec's route, which another
  // spec declaring it duplicates.
  const overDefault = (route: RouteOptions, path: string, key: string) =>
    served.defaults.has(key) ||
    (route.method === 'HEAD' && served.defaults.has(fullKey('GET', path)));
  const lifted = routes.map(({ bound: entry, key, route }) =>
    overDefault(route, entry.operation.path, key),
  );
  routes.forEach(({ bound: entry, key, route }, index) => {
    const named = owner(entry);
    try {
      instance.route(lifted[index] ? overDefaultRoute(instance, route) : route);
    } catch (error) {
      // Routes that differ as written but not to the router under its options (caseSensitive,
      // ignoreTrailingSlash, ignoreDuplicateSlashes): named as the spec writes them too.
      if ((error as { code?: unknown } | null)?.code !== 'FST_ERR_DUPLICATED_ROUTE') throw error;
      throw new DuplicateRouteError(
        `${named.route}: ${named.what} of ${label} is at a route the server's router reads as one it serves already (under its options: caseSensitive, ignoreTrailingSlash, ignoreDuplicateSlashes)`,
        { cause: error },
      );
    }
    served.owners.set(key, named);
    recordPath(served, `${prefix}${basePath}${entry.operation.path}`, entry.operation.method);
  });
  for (const { key } of routes) served.defaults.delete(key);
  // Requests the router reads as under the prefix, but fastify's not-found router does not
  // (`/V1/nothing` with caseSensitive: false): answered here too, not by fastify's 404.
  if (ownsNotFound) routeUnroutedPrefix(instance, prefix, unrouted);
  const serveDefault = (url: string, answer?: (request: FastifyRequest) => Promise<string>) => {
    const key = fullKey('GET', url, '');
    // A route of the spec, of another spec, or of the application itself keeps the URL.
    if (served.owners.has(key) || instance.hasRoute({ method: 'GET', url: `${prefix}${url}` }))
      return;
    served.owners.set(key, {
      spec: label,
      route: specRoute('GET', `${prefix}${url}`),
      what: `its default ${shownText(url)}`,
    });
    recordPath(served, `${prefix}${url}`, 'GET');
    served.defaults.add(key);
    instance.get(url, defaultRoute(answer));
  };
  if (options.ping !== false) {
    serveDefault('/ping');
    // PyMacaron's ping spec served /version, and /auth/version behind the token.
    if (options.version !== false && (compat === 'pymacaron' || options.version !== undefined)) {
      const text = JSON.stringify(versionReply(options));
      serveDefault('/version', async () => text);
      if (verifier) {
        serveDefault('/auth/version', async (request) => {
          await verifier({
            authorization: request.headers.authorization,
            cookie: request.headers.cookie,
          });
          return text;
        });
      }
    }
  }
  if (options.specRoute) {
    const url = options.specRoute;
    const text = writtenSpecJson(publishedDocument(api, `${prefix}${basePath}`));
    const key = fullKey('GET', url, '');
    const route = specRoute('GET', `${prefix}${url}`);
    const other = served.owners.get(key);
    if (other !== undefined) {
      throw new DuplicateRouteError(
        `${route}: the specRoute of ${label} is a route of ${other.spec} already (${other.what} at ${other.route})`,
      );
    }
    served.owners.set(key, { spec: label, route, what: 'its specRoute' });
    recordPath(served, `${prefix}${url}`, 'GET');
    instance.get(url, async (_request, reply) =>
      reply.type('application/json; charset=utf-8').send(text),
    );
  }
}

// What GET /version answers: PyMacaron's keys, in the order its JSON had them.
function versionReply(options: MacaronFastifyOptions): Required<VersionInfo> {
  const given = options.version ?? {};
  if (typeof given !== 'object' || given === null) {
    throw new TypeError(
      'version must be false or an object of strings: name, version, container, pym_env',
    );
  }
  const info = options.api.document.info as { title?: unknown; version?: unknown } | undefined;
  const reply = {
    container: given.container ?? 'local',
    name: given.name ?? String(info?.title ?? ''),
    pym_env: given.pym_env ?? process.env.PYM_ENV ?? '',
    version: given.version ?? String(info?.version ?? ''),
  };
  for (const [key, value] of Object.entries(reply)) {
    if (typeof value !== 'string') {
      throw new TypeError(`version.${key} must be a string, not ${shownJson(value)}`);
    }
  }
  return reply;
}

// PyMacaron read the token from a `token` cookie too, with a clock leeway of 300 s.
const pymacaronTokens = { cookieName: 'token', clockToleranceSeconds: 300, integerSubjects: true };

// Whether fastify would read a body for the request, or run a body parser on it: one of a
// length, or chunked, or declared by a Content-Type even when there is none (`Content-Length: 0`,
// or no length: the parser's checks still run), or a QUERY, which fastify refuses without a
// Content-Type before any handler.
function parsesBody(request: FastifyRequest): boolean {
  return (
    carriesBody(request) ||
    request.headers['content-type'] !== undefined ||
    request.method === 'QUERY'
  );
}

// Whether the unread body of a request is told to be within `bodyLimit` bytes.
function drainable(headers: FastifyRequest['headers'], bodyLimit: number): boolean {
  const length = headers['content-length'];
  return (
    headers['transfer-encoding'] === undefined &&
    (length === undefined || (/^[0-9]{1,15}$/.test(length) && Number(length) <= bodyLimit))
  );
}

function notFound(instance: FastifyInstance, served: ServedRoutes, method: string, url: string) {
  // findRoute answers null when no route matches, whatever its type says.
  const routes = (other: string) =>
    (instance.findRoute({ method: other as HTTPMethods, url }) as unknown) !== null;
  const allow = allowedMethods(served, url, routes);
  const shown = requestExcerpt(`${method} ${url.split('?')[0]}`);
  if (allow.length > 0 && !allow.includes(method.toUpperCase())) {
    return new MethodNotAllowedError(`${shown}: the path answers ${allow.join(', ')} only`, allow);
  }
  return new RouteNotFoundError(`No operation matches ${shown}`);
}

/**
 * The fastify plugin that serves a Macaron API: one route per operation of the spec, bound
 * to its handler, with request validation, bearer auth, model serialisation and PyMacaron's
 * error JSON. Registration fails when the handlers and the spec's operations disagree, or when
 * two specs registered on one server declare the same route. Encapsulated: register it with a
 * `prefix`, as often as there are specs.
 */
export const macaronFastify: FastifyPluginAsync<MacaronFastifyOptions> = fastifyPlugin(serveApi, {
  name: '@macaron/fastify',
  // 5.9 is the first that lower-cases media types before matching parsers, reads
  // `routerOptions` and answers a parameter past `maxParamLength` with 414.
  fastify: '>=5.9.0 <6',
  // Its error handler, not-found handler and body parsers stay in its own context.
  encapsulate: true,
});
