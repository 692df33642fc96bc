import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

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

/** Who serves a route, as messages name it. */
export interface RouteOwner {
  /** The spec, by its title and version (escaped). */
  spec: string;
  /** The route as the spec writes it, under its prefix and base path (`GET /v1/users/{id}`), escaped. */
  route: string;
  /** What of the spec it is: `operation getUser`, `its default /ping`, `its specRoute`. */
  what: string;
}

/**
 * What every registration of the plugin on one server has served: several specs share one
 * server (PyMacaron served its ping spec beside the application's), so duplicates are found
 * and named here before fastify's own `FST_ERR_DUPLICATED_ROUTE`.
 */
export interface ServedRoutes {
  /** Who serves each route, by `METHOD /full/url` with parameter names set aside. */
  readonly owners: Map<string, RouteOwner>;
  /** Served paths, for 405 replies. */
  readonly paths: Map<string, ServedPath>;
  /** Route keys of the default routes (`/ping`, `/version`): a later spec's operation takes over. */
  readonly defaults: Set<string>;
  /** The prefixes a registration of the plugin set its not-found handler for. */
  readonly notFoundPrefixes: Set<string>;
}

// One record per HTTP server: encapsulated contexts and prefixes share it.
const byServer = new WeakMap<object, ServedRoutes>();

/** The routes served on this server by every registration of the plugin. */
export function servedRoutes(server: object): ServedRoutes {
  let served = byServer.get(server);
  if (!served) {
    served = {
      owners: new Map(),
      paths: new Map(),
      defaults: new Set(),
      notFoundPrefixes: new Set(),
    };
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
 * The handler of a default route (`/ping`: 200 `{}`; PyMacaron's `/version`): `answer` gives the
 * JSON text of its reply. A spec registered later that declares the route takes it over (see
 * `overDefaultRoute`).
 */
export function defaultRoute(
  answer: (request: FastifyRequest) => string | Promise<string> = () => '{}',
): RouteOptions['handler'] {
  return async (request: FastifyRequest, reply: FastifyReply) =>
    reply.type('application/json; charset=utf-8').send(await answer(request));
}
