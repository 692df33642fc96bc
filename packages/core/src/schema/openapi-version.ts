/** Whether a document is OpenAPI 3.2 or later, whose fields (`query`, `defaultMapping`…) count. */
export function isOpenApi32OrLater(document: Record<string, unknown>): boolean {
  return typeof document.openapi === 'string' && /^3\.(?:[2-9]|\d{2,})\./.test(document.openapi);
}
