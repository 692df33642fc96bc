// A spec with 200 schemas, written as YAML: the workload's Profile, 19 more persisted models,
// and 180 plain schemas that refer to each other, with paths that use them.
import { profileSpec } from './workload.mjs';

const schemaCount = 200;
const persistedCount = 20;

function plainSchema(index) {
  const properties = {
    id: { type: 'string' },
    title: { type: 'string', maxLength: 200 },
    count: { type: 'integer', minimum: 0 },
    ratio: { type: 'number' },
    active: { type: 'boolean' },
    kind: { type: 'string', enum: ['small', 'medium', 'large'] },
    labels: { type: 'array', items: { type: 'string' } },
    updated_at: { type: 'string', format: 'date-time' },
  };
  // Each schema refers to two earlier ones, so bundling and normalising follow real references.
  if (index > persistedCount + 1) {
    properties.parent = { $ref: `#/components/schemas/Thing${index - 1}` };
    properties.related = {
      type: 'array',
      items: {
        $ref: `#/components/schemas/Thing${Math.max(persistedCount, Math.floor(index / 2))}`,
      },
    };
  }
  return { type: 'object', required: ['id'], properties };
}

function persistedSchema(index) {
  return {
    type: 'object',
    required: ['tenant', 'record_id'],
    'x-persist': { table: `records-${index}`, key: 'tenant', sort: 'record_id' },
    properties: {
      tenant: { type: 'string' },
      record_id: { type: 'string' },
      name: { type: 'string' },
      total: { type: 'integer' },
      tags: { type: 'array', items: { type: 'string' } },
      detail: { $ref: `#/components/schemas/Thing${persistedCount + 1 + index}` },
      created_at: { type: 'string', format: 'date-time' },
    },
  };
}

/** The spec as an object. */
export function coldStartSpec() {
  const schemas = { Profile: profileSpec('profiles').components.schemas.Profile };
  for (let index = 1; index < persistedCount; index++)
    schemas[`Record${index}`] = persistedSchema(index);
  for (let index = persistedCount; index < schemaCount; index++)
    schemas[`Thing${index}`] = plainSchema(index);
  const paths = {};
  for (let index = 1; index < persistedCount; index++) {
    const reference = { $ref: `#/components/schemas/Record${index}` };
    paths[`/records-${index}/{tenant}/{record_id}`] = {
      parameters: [
        { name: 'tenant', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'record_id', in: 'path', required: true, schema: { type: 'string' } },
      ],
      get: {
        operationId: `getRecord${index}`,
        responses: {
          200: {
            description: 'The record',
            content: { 'application/json': { schema: reference } },
          },
        },
      },
      put: {
        operationId: `putRecord${index}`,
        requestBody: { content: { 'application/json': { schema: reference } } },
        responses: { 204: { description: 'Saved' } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'cold start', version: '1' },
    paths,
    components: { schemas },
  };
}

function scalar(value) {
  if (typeof value !== 'string') return String(value);
  return /^[A-Za-z_][\w .\-/]*$/.test(value) && !/^(true|false|null|yes|no|on|off)$/i.test(value)
    ? value
    : JSON.stringify(value);
}

/** Block-style YAML of plain JSON data. */
export function toYaml(value, indent = '') {
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value
      .map((element) => {
        const inner = toYaml(element, `${indent}  `);
        return typeof element === 'object' && element !== null
          ? `\n${indent}- ${inner.trimStart()}`
          : `\n${indent}-${inner}`;
      })
      .join('');
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return ' {}';
    return entries
      .map(([key, inner]) => `\n${indent}${scalar(key)}:${toYaml(inner, `${indent}  `)}`)
      .join('');
  }
  return ` ${scalar(value)}`;
}
