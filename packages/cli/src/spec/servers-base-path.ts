/**
 * The path of the first of OpenAPI 3 `servers` (its variables at their defaults), as
 * @macaron/fastify reads it for its base path; undefined when there is none.
 */
export function serversBasePath(servers: unknown): string | undefined {
  const first = Array.isArray(servers) ? servers[0] : undefined;
  if (typeof first !== 'object' || first === null) return undefined;
  const server = first as { url?: unknown; variables?: Record<string, { default?: unknown }> };
  if (typeof server.url !== 'string') return '';
  const url = server.url.replace(/\{([^{}]+)\}/g, (_, name: string) =>
    String(server.variables?.[name]?.default ?? ''),
  );
  let path = url.split(/[?#]/)[0]!;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    try {
      path = new URL(url).pathname;
    } catch {
      return undefined; // not a URL the adapter could serve under either: lint says nothing
    }
  }
  const trimmed = decodeURI(path).replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
