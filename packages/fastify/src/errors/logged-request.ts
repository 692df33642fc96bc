import type { FastifyInstance } from 'fastify';
import { withoutCredentials } from './error-reply.js';

// Where pino keeps a logger's serializers (a public symbol of pino's, `pino.symbols`).
const pinoSerializers = Symbol.for('pino.serializers');

type Serializer = (value: unknown) => unknown;
type Serializers = Record<string, Serializer>;

// Fastify's own `req` serializer, for a logger that has none.
function fastifyRequestShape(request: unknown): unknown {
  const req = request as {
    method?: unknown;
    url?: unknown;
    headers?: Record<string, unknown>;
    host?: unknown;
    ip?: unknown;
    socket?: { remotePort?: unknown };
  };
  return {
    method: req.method,
    url: req.url,
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

// The request as a serializer reads it, its URL (fastify's `url` and `originalUrl`, Node's
// `url` under `raw`) and its parsed `query` (which pino's `stdSerializers.req` writes) with
// the value of each API key of the query written `***`.
function withHiddenCredentials(request: unknown, names: ReadonlySet<string>): unknown {
  if (typeof request !== 'object' || request === null) return request;
  return new Proxy(request, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if ((key === 'url' || key === 'originalUrl') && typeof value === 'string')
        return withoutCredentials(value, names);
      if (key === 'query') return withHiddenFields(value, names);
      if (key === 'raw') return withHiddenCredentials(value, names);
      return value;
    },
  });
}

// A copy of a parsed query (same prototype: fastify's has none) with the value of each of
// `names` written `***`; the query itself where it holds none of them.
function withHiddenFields(query: unknown, names: ReadonlySet<string>): unknown {
  if (typeof query !== 'object' || query === null) return query;
  const fields = Object.keys(query);
  if (!fields.some((field) => names.has(field))) return query;
  const copy = Object.create(Object.getPrototypeOf(query) as object | null) as Record<
    string,
    unknown
  >;
  // Defined, not assigned: a field named `__proto__` of a query with Object's prototype (an
  // application's own query parser) stays a field.
  for (const field of fields)
    Object.defineProperty(copy, field, {
      value: names.has(field) ? '***' : (query as Record<string, unknown>)[field],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}

/**
 * Makes the logger of each request the plugin serves (its routes and its not-found answers)
 * write the request's URL and parsed query with the value of each API key of the query
 * (`names`) as `***`:
 * fastify's `incoming request` line, and any `{ req }` logged. The `req` serializer in force
 * (the route's `logSerializers`, else the logger's own: the application's, else fastify's) is
 * kept, and given the request with its URL hidden. Only the plugin's context: the
 * application's routes log as they did.
 */
export function hideQueryCredentialsInLogs(
  instance: FastifyInstance,
  names: ReadonlySet<string>,
): void {
  if (names.size === 0) return;
  const inherited = instance.childLoggerFactory;
  instance.setChildLoggerFactory(function childLogger(logger, bindings, options, rawRequest) {
    const given = options.serializers as Serializers | undefined;
    const own = (logger as unknown as Record<symbol, Serializers | undefined>)[pinoSerializers];
    const serializer: Serializer = given?.req ?? own?.req ?? fastifyRequestShape;
    // Over the serializers given, as their prototype: fastify chains a context's
    // `logSerializers` by prototype, and pino reads them with for…in.
    const serializers = Object.assign(Object.create(given ?? null) as Serializers, {
      req: (request: unknown) => serializer(withHiddenCredentials(request, names)),
    });
    return inherited.call(this, logger, bindings, { ...options, serializers }, rawRequest);
  });
}
