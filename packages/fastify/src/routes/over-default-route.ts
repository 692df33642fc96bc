import type { FastifyInstance, RouteOptions } from 'fastify';

// The name of the constraint that lifts a spec's operation over a default route.
const strategyName = 'macaronOverDefaultRoute';

/**
 * A spec's operation at the URL of a default route (`/ping`, `/version`) that a registration
 * before it served: fastify cannot drop a route, so the operation's route is registered with
 * a constraint every request meets, which the router prefers to the unconstrained default. It
 * is the operation's own route, in its registration's scope (the application's hooks and
 * decorations there, its error handler, its body limit, its HEAD route), whatever the order
 * of the registrations.
 */
export function overDefaultRoute(instance: FastifyInstance, route: RouteOptions): RouteOptions {
  if (!instance.hasConstraintStrategy(strategyName)) {
    instance.addConstraintStrategy({
      name: strategyName,
      storage() {
        const handlers = new Map<string, unknown>();
        return {
          get: (value: string) => (handlers.get(value) ?? null) as never,
          set: (value: string, handler: unknown) => void handlers.set(value, handler),
        };
      },
      deriveConstraint: () => 'over',
      mustMatchWhenDerived: false,
    });
  }
  return { ...route, constraints: { ...route.constraints, [strategyName]: 'over' } };
}
