import type { Api } from '@macaron/core';

/**
 * The path every route of the spec is served under: Swagger 2.0's `basePath`, or the path of
 * OpenAPI 3's first `servers` URL (its variables at their defaults). PyMacaron registered the
 * paths as written, without `basePath`: in `compat: 'pymacaron'` there is none.
 */
export function specBasePath(api: Api, compat: 'pymacaron' | undefined): string {
  if (compat === 'pymacaron') return '';
  const document = api.document as Record<string, unknown>;
  if (api.dialect === 'swagger2') {
    return typeof document.basePath === 'string' ? trimSlash(document.basePath) : '';
  }
  return serversBasePath(document.servers) ?? '';
}

/**
 * The path of the first of OpenAPI 3 `servers` (its variables at their defaults); undefined
 * when there is none (a path item or an operation without `servers` of its own).
 */
export function serversBasePath(servers: unknown): string | undefined {
  const first = Array.isArray(servers) ? servers[0] : undefined;
  if (typeof first !== 'object' || first === null) return undefined;
  const server = first as { url?: unknown; variables?: Record<string, { default?: unknown }> };
  if (typeof server.url !== 'string') return '';
  const url = server.url.replace(/\{([^{}]+)\}/g, (_, name: string) =>
    String(server.variables?.[name]?.default ?? ''),
  );
  return trimSlash(urlPath(url));
}

// The path of an absolute URL (`https://api.example/v1`) or of a path (`/v1`), decoded where it
// decodes: a URL no parser takes (a server variable left empty) still has one, never a throw.
function urlPath(url: string): string {
  // A network-path reference (`//host/v1`, RFC 3986 §4.2) has an authority too.
  const path = url.replace(/^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*/i, '').split(/[?#]/)[0]!;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function trimSlash(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
