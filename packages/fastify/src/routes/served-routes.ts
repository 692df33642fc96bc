import type { FastifyReply, FastifyRequest, RequestPayload, RouteOptions } from 'fastify';
import { answerAsOperation, type ErrorHooks } from '../errors/error-reply.js';

/** A route some registration of the plugin serves, to answer 405 for its other methods. */
interface ServedPath {
  /**
   * Matches the path of a request URL that fastify's router may match to it, whatever the
   * router's options: any case, repeated and trailing slashes, `;` parameters. The router
   * itself decides (see allowedMethods).
   */
  pattern: RegExp;
  /** Upper-case methods served at that path. */
  methods: Set<string>;
}

/** The operation of a later registration that a default route (`/ping`) hands over to. */
export interface PingDelegate {
  /** The operation's own route: its hooks and handler run in the default route's stead. */
  route: RouteOptions;
  /** The operation's name, for the error hooks. */
  operation: string;
  /** The error hooks of the operation's registration, which answer its errors. */
  errors: ErrorHooks;
}

/** The stages of a default route, each handing over to its delegate once it has one. */
export type DefaultRoute = Pick<
  RouteOptions,
  'onRequest' | 'preParsing' | 'preHandler' | 'handler'
>;

/**
 * What every registration of the plugin on one server has served: several specs share one
 * server (PyMacaron served its ping spec beside the application's), so duplicates are found
 * and named here before fastify's own `FST_ERR_DUPLICATED_ROUTE`.
 */
export interface ServedRoutes {
  /** The spec that serves each route, by `METHOD /full/url` with parameter names set aside. */
  readonly owners: Map<string, string>;
  /** Served paths, for 405 replies. */
  readonly paths: Map<string, ServedPath>;
  /** Route keys of the default routes (`/ping`, `/version`), and the spec operation that took one over, if any. */
  readonly pings: Map<string, { delegate: PingDelegate | undefined }>;
}

// One record per HTTP server: encapsulated contexts and prefixes share it.
const byServer = new WeakMap<object, ServedRoutes>();

/** The routes served on this server by every registration of the plugin. */
export function servedRoutes(server: object): ServedRoutes {
  let served = byServer.get(server);
  if (!served) {
    served = { owners: new Map(), paths: new Map(), pings: new Map() };
    byServer.set(server, served);
  }
  return served;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Records a served path (a spec template under its prefix) for 405 replies. */
export function recordPath(served: ServedRoutes, fullTemplate: string, method: string): void {
  const shape = fullTemplate.replace(/\{[^{}]*\}/g, '{p}');
  let path = served.paths.get(shape);
  if (!path) {
    const source = shape
      .split('{p}')
      .map((piece) => escapeRegExp(piece).replaceAll('/', '/+'))
      .join('[^/]+');
    path = { pattern: new RegExp(`^${source}/*(?:;.*)?$`, 'i'), methods: new Set() };
    served.paths.set(shape, path);
  }
  path.methods.add(method.toUpperCase());
  if (method.toUpperCase() === 'GET') path.methods.add('HEAD');
}

/**
 * The methods served at the URL of a request, sorted; empty when none is. `routes` says
 * whether fastify's router has a route for a method at the URL: it alone knows whether the
 * application's router options (`ignoreTrailingSlash`, `caseSensitive`…) let `/items/x/`
 * reach `/items/{id}`, and a 405 that names methods answering 404 there sends clients astray.
 */
export function allowedMethods(
  served: ServedRoutes,
  url: string,
  routes: (method: string) => boolean,
): string[] {
  let path = url.split('?')[0]!;
  try {
    path = decodeURI(path);
  } catch {
    return [];
  }
  const methods = new Set<string>();
  for (const candidate of served.paths.values()) {
    if (candidate.pattern.test(path)) for (const method of candidate.methods) methods.add(method);
  }
  return [...methods].filter(routes).sort();
}

/**
 * A default route (`/ping`: 200 `{}`; PyMacaron's `/version`), or the spec operation
 * registered later at the same route. `answer` gives the JSON text of the default reply.
 * Fastify cannot drop a route once registered, so the operation runs in this route's
 * lifecycle, stage by stage, as its own route would: its onRequest hooks (security) with the
 * reply, its preParsing (a GET body, read within its own body limit), its preHandler
 * (decorators), its handler, each stopping once the reply is sent; and its errors are
 * answered by its own registration (its errorFormatter, onError and compat).
 */
export function pingRoute(
  served: ServedRoutes,
  key: string,
  answer: (request: FastifyRequest) => string | Promise<string> = () => '{}',
): DefaultRoute {
  const ping = { delegate: undefined as PingDelegate | undefined };
  served.pings.set(key, ping);
  return {
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      const delegate = ping.delegate;
      if (!delegate) return;
      answerAsOperation(request, delegate.operation, delegate.errors);
      await runHooks(delegate.route.onRequest, request, reply);
    },
    preParsing: async (request: FastifyRequest, reply: FastifyReply, payload: RequestPayload) => {
      let stream = payload;
      for (const hook of hookList(ping.delegate?.route.preParsing)) {
        const replaced = await runHook(hook, [request, reply, stream]);
        if (replaced !== undefined) stream = replaced as RequestPayload;
        if (reply.sent) break;
      }
      return stream;
    },
    preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
      await runHooks(ping.delegate?.route.preHandler, request, reply);
    },
    handler: async function answerPing(
      this: unknown,
      request: FastifyRequest,
      reply: FastifyReply,
    ) {
      const delegate = ping.delegate;
      if (!delegate) {
        const text = await answer(request);
        return reply.type('application/json; charset=utf-8').send(text);
      }
      return (
        delegate.route.handler as (request: FastifyRequest, reply: FastifyReply) => unknown
      ).call(this, request, reply);
    },
  };
}

// A route option's hooks: none, one, or a list.
function hookList(hooks: unknown): unknown[] {
  return hooks === undefined ? [] : [hooks].flat();
}

// Runs hooks in order, as fastify does, until one sends the reply.
async function runHooks(hooks: unknown, request: FastifyRequest, reply: FastifyReply) {
  for (const hook of hookList(hooks)) {
    await runHook(hook, [request, reply]);
    if (reply.sent) return;
  }
}

// A fastify hook, written either way fastify takes one: with a `done` callback, or async.
function runHook(hook: unknown, args: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null, value?: unknown) =>
      error ? reject(error) : resolve(value);
    const result = (hook as (...all: unknown[]) => unknown)(...args, done);
    if (result instanceof Promise) result.then(resolve, reject);
  });
}
