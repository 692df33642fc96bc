import { appendPointer, isRecord, resolveObject } from './json-pointer.js';

/** Whether an operation asks for a bearer token. */
export type AuthRequirement = 'required' | 'optional' | 'none';

/** PyMacaron's decorator that marks an operation as authenticated. */
export const pymacaronRequiresAuth = 'pymacaron.auth.requires_auth';

/**
 * Whether an operation requires a bearer token: PyMacaron's `x-decorate-server:
 * pymacaron.auth.requires_auth`, or an OpenAPI 3 `security` (the operation's, else the
 * document's) naming an `http` scheme `bearer`. A token is `required` when every alternative
 * names a bearer scheme, `optional` when another alternative (`{}`, or a scheme Macaron
 * does not check) also satisfies the operation, `none` when no alternative names one.
 */
export function bearerRequirement(
  document: Readonly<Record<string, unknown>>,
  operation: Record<string, unknown>,
): AuthRequirement {
  if (decoratorNames(operation).includes(pymacaronRequiresAuth)) return 'required';
  const security = operation.security ?? document.security;
  if (!Array.isArray(security) || security.length === 0) return 'none';
  const bearer = bearerSchemes(document);
  const namesBearer = security.map(
    (alternative) =>
      isRecord(alternative) && Object.keys(alternative).some((name) => bearer.has(name)),
  );
  if (namesBearer.every(Boolean)) return 'required';
  return namesBearer.some(Boolean) ? 'optional' : 'none';
}

/**
 * The names in an operation's `x-decorate-server` (one, or a list) other than PyMacaron's
 * bearer auth: decorators the application gives (the `decorators` option), or start-up fails
 * rather than serve the operation undecorated.
 */
export function serverDecorators(operation: Record<string, unknown>): string[] {
  return decoratorNames(operation).filter((name) => name !== pymacaronRequiresAuth);
}

function decoratorNames(operation: Record<string, unknown>): string[] {
  const declared = operation['x-decorate-server'];
  if (declared === undefined) return [];
  // A value that is no name is kept as its JSON: no decorator has it, so start-up says so.
  return (Array.isArray(declared) ? declared : [declared]).map((name) =>
    typeof name === 'string' ? name : JSON.stringify(name),
  );
}

// Swagger 2.0 has no bearer scheme (an apiKey in the Authorization header is not one).
function bearerSchemes(document: Readonly<Record<string, unknown>>): Set<string> {
  const names = new Set<string>();
  const components = isRecord(document.components) ? document.components : {};
  const schemes = isRecord(components.securitySchemes) ? components.securitySchemes : {};
  for (const name of Object.keys(schemes)) {
    const { value } = resolveObject(document, appendPointer('/components/securitySchemes', name));
    if (value?.type === 'http' && String(value.scheme).toLowerCase() === 'bearer') names.add(name);
  }
  return names;
}
