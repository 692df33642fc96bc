import type { Api } from '@macaron/core';
import type { SpecParameter } from './spec-operations.js';

// OpenAPI 3 ignores header parameters with these names: the HTTP layer owns them.
const reservedHeaders = new Set(['accept', 'content-type', 'authorization']);

/** True when the adapter reads the parameter: not an OpenAPI 3 Accept, Content-Type or Authorization header. */
export function readsParameter(api: Api, parameter: SpecParameter): boolean {
  return (
    api.dialect === 'swagger2' ||
    parameter.in !== 'header' ||
    !reservedHeaders.has(parameter.name.toLowerCase())
  );
}
