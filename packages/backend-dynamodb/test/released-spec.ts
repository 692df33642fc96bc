// The spec of the released-format tests: never change it (a change makes new fixtures, not a
// test of what earlier releases wrote). Each backend keeps its own copy, frozen with its own
// fixtures: one backend's stored form may need to change without touching the other's.
const string = { type: 'string' } as const;
const integer = { type: 'integer' } as const;
export const releasedSpec = {
  openapi: '3.0.3',
  info: { title: 'released formats', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['owner', 'note_id'],
        'x-persist': {
          table: 'released-notes',
          key: 'owner',
          sort: 'note_id',
          version: 'revision',
          indexes: { byTag: { key: 'tag', sort: 'rank' } },
        },
        properties: {
          owner: string,
          note_id: string,
          revision: integer,
          tag: string,
          rank: { type: 'number' },
          title: string,
          count: integer,
          huge: { type: 'integer', format: 'int64' },
          ratio: { type: 'number' },
          flag: { type: 'boolean' },
          nothing: { type: 'string', nullable: true },
          day: { type: 'string', format: 'date' },
          at: { type: 'string', format: 'date-time' },
          data: { type: 'string', format: 'binary' },
          encoded: { type: 'string', format: 'byte' },
          words: { type: 'array', items: string },
          matrix: { type: 'array', items: { type: 'array', items: integer } },
          place: { type: 'object', properties: { city: string, zip: integer } },
          extra: { type: 'object', additionalProperties: string },
        },
      },
      Pet: {
        type: 'object',
        required: ['owner', 'name', 'kind'],
        discriminator: { propertyName: 'kind' },
        'x-persist': { table: 'released-pets', key: 'owner', sort: 'name', discriminator: 'kind' },
        properties: { owner: string, name: string, kind: string },
      },
      Cat: {
        allOf: [
          { $ref: '#/components/schemas/Pet' },
          { type: 'object', properties: { lives: integer } },
        ],
        'x-persist': { table: 'released-pets', key: 'owner', sort: 'name', discriminator: 'kind' },
      },
      Tile: {
        type: 'object',
        required: ['layer', 'code'],
        'x-persist': { table: 'released-tiles', key: 'layer', sort: 'code' },
        properties: { layer: string, code: { type: 'string', format: 'binary' }, label: string },
      },
    },
  },
};

/** A note holding a value of every kind the spec declares. */
export const everyKind = {
  owner: 'ann',
  note_id: 'n-1',
  tag: 'red',
  rank: 2.5,
  title: 'Zoë \u0000 😀 \u202e',
  count: -42,
  huge: 2n ** 63n - 1n,
  ratio: 0.1,
  flag: false,
  nothing: null,
  day: '2026-12-06',
  at: '2026-12-06T10:00:00.123+01:00',
  data: new Uint8Array([0, 1, 254, 255]),
  encoded: 'AP8=',
  words: ['b', 'a', 'b', ''],
  matrix: [[1, 2], [], [3]],
  place: { city: 'Paris', zip: 75002 },
  // No `__proto__`: dynalite drops or refuses it (docs/engines.md).
  extra: { 'a.b': 'dot', '#x': 'hash', ' ': 'space' },
};
