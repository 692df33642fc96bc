import type { Api } from '@macaron/core';

/**
 * The spec as served: the bundled document, with its base path (Swagger 2.0 `basePath`,
 * OpenAPI 3 `servers`) saying where its paths really are (the registration's prefix, plus
 * the base path the plugin applied), so clients and documentation UIs call the right URLs.
 */
export function publishedDocument(api: Api, servedBase: string): Record<string, unknown> {
  // A shallow copy: the objects it holds are the loaded document's, whose numbers
  // `writtenSpecJson` writes as the spec file did.
  const document = { ...api.document } as Record<string, unknown>;
  const base = servedBase === '' ? '/' : servedBase;
  if (api.dialect === 'swagger2') document.basePath = base;
  else document.servers = [{ url: base }];
  return document;
}
