import type { SpecFinding } from './spec-finding.js';
import { walkSpecDocument } from './spec-walk.js';

// PyMacaron's extensions that Macaron reads, and the one value of x-decorate-server it acts on
// by itself (others are the fastify plugin's `decorators` option).
const implemented = new Set([
  'x-persist',
  'x-bind-server',
  'x-no-bind-server',
  'x-decorate-server',
]);
const requiresAuth = 'pymacaron.auth.requires_auth';

// PyMacaron's (pymacaron-core's) extensions Macaron does not implement, and what to do instead.
// A Map: it is looked up by every key of the document, a schema named `toString` included.
const notImplemented = new Map([
  [
    'x-parent',
    'x-parent (a parent class for the model) is not implemented: the model is a plain Macaron model; move shared behaviour into functions, or subclass the class api.model() returns',
  ],
  [
    'x-bind-client',
    'x-bind-client (a generated client call) is not implemented: call the service with fetch or a generated client',
  ],
  [
    'x-decorate-request',
    'x-decorate-request (a decorator around client requests) is not implemented',
  ],
]);

// The named schemas of OpenAPI 3 or Swagger 2.0, where x-persist is read. By object, not by
// pointer: bundling makes a named schema of a subschema another file's `$ref` names
// (`Q: { $ref: "p.yaml#/properties/inner" }`), and the walk may meet it first inside its file's.
function namedSchemas(document: unknown): ReadonlySet<unknown> {
  if (typeof document !== 'object' || document === null) return new Set();
  const root = document as Record<string, unknown>;
  const schemas = [
    (root.components as Record<string, unknown> | undefined)?.schemas,
    root.definitions,
  ];
  return new Set(
    schemas.flatMap((named) =>
      typeof named === 'object' && named !== null ? Object.values(named) : [],
    ),
  );
}

/**
 * The decorators an `x-decorate-server` names (one, or a list, as @macaron/fastify reads it)
 * other than PyMacaron's bearer auth, each as its JSON: the application gives their code.
 */
function otherDecorators(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value])
    .filter((name) => name !== requiresAuth)
    .map((name) => JSON.stringify(name));
}

/**
 * PyMacaron's extensions Macaron does not implement, one warning each, so that none is ignored
 * silently: `x-parent`, `x-bind-client`, `x-decorate-request`, `x-decorate-server` with a
 * decorator other than `pymacaron.auth.requires_auth` (the application gives its code), and
 * `x-persist` anywhere but on a named
 * schema.
 */
export function pymacaronExtensionFindings(document: unknown): SpecFinding[] {
  const findings: SpecFinding[] = [];
  const named = namedSchemas(document);
  walkSpecDocument(document, ({ key, value, parent, at }) => {
    const message = notImplemented.get(key);
    if (message) findings.push({ rule: 'pymacaron-extensions', pointer: at, message });
    else if (key === 'x-persist' && !named.has(parent)) {
      findings.push({
        rule: 'pymacaron-extensions',
        pointer: at,
        message:
          'x-persist is read on named schemas only (components/schemas, or definitions): here it is ignored',
      });
    } else if (key === 'x-decorate-server' && otherDecorators(value).length > 0) {
      const others = otherDecorators(value);
      findings.push({
        rule: 'pymacaron-extensions',
        pointer: at,
        message: `x-decorate-server ${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} not implemented by Macaron (only ${requiresAuth}, bearer auth, is): give ${others.length > 1 ? 'their' : 'its'} code in @macaron/fastify's decorators option, or the server does not start`,
      });
    } else return !implemented.has(key);
    return false;
  });
  return findings;
}
