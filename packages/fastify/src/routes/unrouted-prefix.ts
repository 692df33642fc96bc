import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  HTTPMethods,
} from 'fastify';

// The name of the constraint that matches a request under a plugin's prefix that fastify's
// not-found router does not read as under it.
const strategyName = 'macaronUnroutedPrefix';

// Whether a request's path is under `prefix` as written (`/v1`, `/v1/…`), decoded or not: where
// fastify's not-found router (case-sensitive, without the router's other options) finds the
// not-found handler of the prefix.
function underExactly(path: string, prefix: string): boolean {
  const under = (text: string) => text === prefix || text.startsWith(`${prefix}/`);
  if (under(path)) return true;
  try {
    return under(decodeURI(path));
  } catch {
    return false;
  }
}

/**
 * Answers with `refuse` the requests under the plugin's `prefix` that match no route and that
 * fastify's own not-found router would not give to the prefix's not-found handler: it matches
 * a path as written (case-sensitive, without `ignoreDuplicateSlashes`), where the router the
 * application configured (`caseSensitive: false`, `ignoreDuplicateSlashes`) reads `/V1/nothing`
 * or `//v1/nothing` as under `/v1`; fastify would answer them with its own 404 body. A route
 * under the prefix for every method, at `/` and `/*`, with a constraint that only such a
 * request meets: any route of the spec or of the application is preferred to it, `findRoute`
 * (405's `Allow`) never sees it, and its `onRequest` answers before any body is read.
 */
export function routeUnroutedPrefix(
  instance: FastifyInstance,
  prefix: string,
  refuse: (request: FastifyRequest, reply: FastifyReply) => Error,
): void {
  if (prefix === '') return;
  if (!instance.hasConstraintStrategy(strategyName)) {
    instance.addConstraintStrategy({
      name: strategyName,
      storage() {
        const handlers = new Map<string, unknown>();
        return {
          // The path of the request: a handler of a prefix it is not written under.
          get: (path: string) => {
            let found: unknown = null;
            for (const [stored, handler] of handlers) {
              if (underExactly(path, stored)) return null as never;
              found ??= handler;
            }
            return found as never;
          },
          set: (stored: string, handler: unknown) => void handlers.set(stored, handler),
        };
      },
      deriveConstraint: (request: { url?: string }) => (request.url ?? '').split('?', 1)[0]!,
      mustMatchWhenDerived: false,
    });
  }
  const route = {
    method: [...instance.supportedMethods] as HTTPMethods[],
    constraints: { [strategyName]: prefix },
    // No route of the API: left out of documents made from the routes (@fastify/swagger).
    schema: { hide: true } as FastifySchema,
    onRequest: (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) =>
      done(refuse(request, reply)),
    // Never reached: onRequest always answers.
    handler: async () => undefined,
  };
  instance.route({ ...route, url: '/' });
  instance.route({ ...route, url: '/*' });
}
