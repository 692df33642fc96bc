/**
 * The spec the engine-move probe copies between backends: a versioned document table with an
 * open schema and a sparse index, and tables keyed by strings, numbers and bytes.
 */
export function createMoveSpec(): Record<string, unknown> {
  const string = { type: 'string' };
  return {
    openapi: '3.0.3',
    info: { title: 'moves', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Doc: {
          type: 'object',
          required: ['id'],
          additionalProperties: true,
          'x-persist': {
            table: 'docs',
            key: 'id',
            version: 'rev',
            indexes: { byOwner: { key: 'owner', sort: 'rank' } },
          },
          properties: {
            id: string,
            rev: { type: 'integer' },
            owner: string,
            rank: { type: 'number' },
            big: { type: 'integer', format: 'int64' },
            photo: { type: 'string', format: 'binary' },
          },
        },
        Word: {
          type: 'object',
          required: ['p', 's'],
          additionalProperties: true,
          'x-persist': {
            table: 'words',
            key: 'p',
            sort: 's',
            indexes: { byText: { key: 'g', sort: 't' } },
          },
          properties: { p: string, s: string, g: string, t: string },
        },
        Amount: {
          type: 'object',
          required: ['p', 'n'],
          additionalProperties: true,
          'x-persist': { table: 'amounts', key: 'p', sort: 'n' },
          properties: { p: string, n: { type: 'number' } },
        },
        // Two models sharing a table, each with an index of its own.
        Cat: {
          type: 'object',
          required: ['pk', 'sk'],
          additionalProperties: true,
          'x-persist': {
            table: 'pets',
            key: 'pk',
            sort: 'sk',
            discriminator: 'kind',
            indexes: { byName: { key: 'name' } },
          },
          properties: { pk: string, sk: string, name: string, kind: string },
        },
        Dog: {
          type: 'object',
          required: ['pk', 'sk'],
          additionalProperties: true,
          'x-persist': {
            table: 'pets',
            key: 'pk',
            sort: 'sk',
            discriminator: 'kind',
            indexes: { byName: { key: 'name' } },
          },
          properties: { pk: string, sk: string, name: string, kind: string },
        },
        Blob: {
          type: 'object',
          required: ['p', 'b'],
          additionalProperties: true,
          'x-persist': { table: 'blobs', key: 'p', sort: 'b' },
          properties: { p: string, b: { type: 'string', format: 'binary' } },
        },
      },
    },
  };
}
