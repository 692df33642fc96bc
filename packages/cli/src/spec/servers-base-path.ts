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
  // The path of an absolute URL or of a path, decoded where it decodes, as the adapter reads it.
  // A network-path reference (`//host/v1`, RFC 3986 §4.2) has an authority too.
  const path = url.replace(/^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*/i, '').split(/[?#]/)[0]!;
  let decoded = path;
  try {
    decoded = decodeURI(path);
  } catch {
    // Malformed percent-encoding: the path as written.
  }
  const trimmed = decoded.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
