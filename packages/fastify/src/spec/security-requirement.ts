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

/** One scheme of a security alternative: the bearer token check, or a check the application gives. */
export interface SecurityScheme {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly bearer: boolean;
}

/**
 * The alternatives of an operation's security (any one satisfies it; every scheme of one must
 * pass) when one names a scheme other than a bearer token, or a bearer scheme with roles: the
 * application checks those (the `securityHandlers` option; a bearer scheme's roles once its token
 * is verified). Undefined when the bearer check alone decides (`bearerRequirement`).
 * With PyMacaron's `requires_auth`, a token is required in every alternative, and a Swagger 2.0
 * `apiKey` in the `Authorization` header stands for that token.
 */
export function securityAlternatives(
  document: Readonly<Record<string, unknown>>,
  operation: Record<string, unknown>,
): SecurityScheme[][] | undefined {
  const security = operation.security ?? document.security;
  if (!Array.isArray(security) || security.length === 0) return undefined;
  const bearer = bearerSchemes(document);
  const requiresAuth = decoratorNames(operation).includes(pymacaronRequiresAuth);
  const tokenHeaders = requiresAuth ? authorizationApiKeys(document) : new Set<string>();
  const alternatives = security.map((alternative): SecurityScheme[] => {
    const entries = isRecord(alternative) ? Object.entries(alternative) : [];
    // A scheme that stands for the token is that token's, its roles (OpenAPI 3.1) included:
    // dropped, they would never be checked.
    const schemes = entries.map(([name, scopes]) => ({
      name,
      scopes: Array.isArray(scopes) ? scopes.map(String) : [],
      bearer: bearer.has(name) || tokenHeaders.has(name),
    }));
    if (requiresAuth && !schemes.some((scheme) => scheme.bearer))
      schemes.unshift({ name: pymacaronRequiresAuth, scopes: [], bearer: true });
    return schemes;
  });
  // A bearer scheme that lists roles (OpenAPI 3.1) needs them checked too: by the application.
  return alternatives.some((schemes) =>
    schemes.some((scheme) => !scheme.bearer || scheme.scopes.length > 0),
  )
    ? alternatives
    : undefined;
}

/**
 * A `security` the adapter cannot read as requirements (not a list of objects whose values
 * are lists of scopes), where it is written: read as no requirement, it would serve the
 * operation open.
 */
export function unreadableSecurity(
  document: Readonly<Record<string, unknown>>,
  operation: Record<string, unknown>,
  pointer: string,
): { pointer: string; message: string }[] {
  const [at, security] =
    operation.security === undefined
      ? ['/security', document.security]
      : [appendPointer(pointer, 'security'), operation.security];
  if (security === undefined) return [];
  const readable =
    Array.isArray(security) &&
    security.every(
      (alternative) =>
        isRecord(alternative) &&
        Object.values(alternative).every(
          (scopes) => Array.isArray(scopes) && scopes.every((scope) => typeof scope === 'string'),
        ),
    );
  return readable
    ? []
    : [
        {
          pointer: at,
          message:
            'security is not a list of requirements (objects naming schemes, each with a list of scopes), so the operation would be served without the checks it asks for',
        },
      ];
}

// The schemes of the document (OpenAPI 3's components, Swagger 2.0's securityDefinitions).
function securitySchemes(
  document: Readonly<Record<string, unknown>>,
): [string, Record<string, unknown> | undefined][] {
  const components = isRecord(document.components) ? document.components : {};
  const [pointer, schemes] = isRecord(components.securitySchemes)
    ? ['/components/securitySchemes', components.securitySchemes]
    : [
        '/securityDefinitions',
        isRecord(document.securityDefinitions) ? document.securityDefinitions : {},
      ];
  return Object.keys(schemes).map((name) => [
    name,
    resolveObject(document, appendPointer(pointer, name)).value,
  ]);
}

// Swagger 2.0 has no bearer scheme (an apiKey in the Authorization header is not one).
/** The names of the security schemes the spec declares (3.x's `securitySchemes`, 2.0's `securityDefinitions`). */
export function declaredSchemes(document: Readonly<Record<string, unknown>>): Set<string> {
  return new Set(securitySchemes(document).map(([name]) => name));
}

function bearerSchemes(document: Readonly<Record<string, unknown>>): Set<string> {
  const names = new Set<string>();
  for (const [name, value] of securitySchemes(document))
    if (value?.type === 'http' && String(value.scheme).toLowerCase() === 'bearer') names.add(name);
  return names;
}

/**
 * The query and cookie names that carry the API keys of an operation's security alternatives
 * (`apiKey` schemes `in: query` or `in: cookie`): credentials, never the value of an object
 * parameter that takes names no other parameter reads.
 */
export function credentialNames(
  document: Readonly<Record<string, unknown>>,
  alternatives: readonly (readonly SecurityScheme[])[] | undefined,
): { query: Set<string>; cookie: Set<string> } {
  const names = { query: new Set<string>(), cookie: new Set<string>() };
  const used = new Set(alternatives?.flat().map((scheme) => scheme.name));
  for (const [name, value] of securitySchemes(document)) {
    if (!used.has(name) || value?.type !== 'apiKey' || typeof value.name !== 'string') continue;
    if (value.in === 'query' || value.in === 'cookie') names[value.in].add(value.name);
  }
  return names;
}

/**
 * The query names that carry an API key in the whole document (`apiKey` schemes `in: query`),
 * whichever operation a request reaches: what error hooks learn of a URL hides their values.
 */
export function queryCredentialNames(document: Readonly<Record<string, unknown>>): Set<string> {
  const names = new Set<string>();
  for (const [, value] of securitySchemes(document))
    if (value?.type === 'apiKey' && value.in === 'query' && typeof value.name === 'string')
      names.add(value.name);
  return names;
}

// Schemes that document the Authorization header as an API key (Swagger 2.0's way to write a token).
function authorizationApiKeys(document: Readonly<Record<string, unknown>>): Set<string> {
  const names = new Set<string>();
  for (const [name, value] of securitySchemes(document))
    if (
      value?.type === 'apiKey' &&
      value.in === 'header' &&
      String(value.name).toLowerCase() === 'authorization'
    )
      names.add(name);
  return names;
}
