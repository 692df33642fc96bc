/** Small specs for provisioning tests: one schema per table, string properties unless typed. */
export function specOf(schemas: Record<string, unknown>): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'provision', version: '1.0.0' },
    paths: {},
    components: { schemas },
  };
}

/** A persisted schema: `key` (and `sort`) required; `properties` as name → type. */
export function modelOf(
  annotation: {
    table: string;
    key: string;
    sort?: string;
    indexes?: Record<string, unknown>;
    ttl?: string;
  },
  properties: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  return {
    type: 'object',
    required: [annotation.key, ...(annotation.sort ? [annotation.sort] : [])],
    'x-persist': annotation,
    properties,
  };
}

export const string = { type: 'string' };
export const number = { type: 'number' };
export const binary = { type: 'string', format: 'binary' };

let counter = 0;
/** A table prefix no other test uses. */
export const uniquePrefix = (): string =>
  `prov${++counter}${Math.random().toString(36).slice(2, 6)}-`;
