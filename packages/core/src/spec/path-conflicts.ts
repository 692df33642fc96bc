import type { SpecProblem } from '../errors/spec-error.js';
import { specOperations } from './spec-operations.js';

/**
 * Operations that no server can tell apart: the same method on paths that differ only in the
 * names of their parameters (`/cards/{filter}` and `/cards/{idCard}`). Each conflict is
 * reported once, at the later path, naming both.
 */
export function pathConflicts(document: Record<string, unknown>): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const firstByRoute = new Map<string, string>();
  for (const { path, method, pointer } of specOperations(document)) {
    const route = `${method} ${routeShape(path)}`;
    const first = firstByRoute.get(route);
    if (first === undefined) {
      firstByRoute.set(route, path);
      continue;
    }
    problems.push({
      pointer,
      message:
        path === first
          ? `${method} ${path} is declared twice (OpenAPI 3.2's additionalOperations repeats a method the path item has)`
          : `${method} ${path} and ${method} ${first} are the same route with other parameter names: a server cannot tell them apart`,
    });
  }
  return problems;
}

// The path with every template parameter's name set aside: `/cards/{}`.
function routeShape(path: string): string {
  const absolute = path.startsWith('/') ? path : `/${path}`;
  return absolute.replace(/\{[^{}]*\}/g, '{}');
}
