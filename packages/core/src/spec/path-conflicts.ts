import type { SpecProblem } from '../errors/spec-error.js';
import { appendPointer } from '../schema/json-pointer.js';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Operations that no server can tell apart: the same method on paths that differ only in the
 * names of their parameters (`/cards/{filter}` and `/cards/{idCard}`). Each conflict is
 * reported once, at the later path, naming both.
 */
export function pathConflicts(document: Record<string, unknown>): SpecProblem[] {
  const paths = document.paths;
  if (typeof paths !== 'object' || paths === null) return [];
  const problems: SpecProblem[] = [];
  const firstByRoute = new Map<string, string>();
  for (const [path, item] of Object.entries(paths)) {
    if (typeof item !== 'object' || item === null) continue;
    const shape = routeShape(path);
    for (const method of methods) {
      if (!Object.hasOwn(item, method)) continue;
      const route = `${method} ${shape}`;
      const first = firstByRoute.get(route);
      if (first === undefined) {
        firstByRoute.set(route, path);
        continue;
      }
      const operation = method.toUpperCase();
      problems.push({
        pointer: appendPointer(appendPointer('/paths', path), method),
        message: `${operation} ${path} and ${operation} ${first} are the same route with other parameter names: a server cannot tell them apart`,
      });
    }
  }
  return problems;
}

// The path with every template parameter's name set aside: `/cards/{}`.
function routeShape(path: string): string {
  const absolute = path.startsWith('/') ? path : `/${path}`;
  return absolute.replace(/\{[^{}]*\}/g, '{}');
}
