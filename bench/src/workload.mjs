// The one workload every library runs: a Profile item, its keys, and the Macaron spec that describes it.

/** Items per query or scan page. */
export const pageSize = 100;

/** Pages walked by one "query a partition page by page" run. */
export const queryPages = 10;

/** A Profile: string partition and sort keys, strings, an integer, a list of strings, a nested map, a date-time. */
export function profile(partition, index) {
  return {
    owner: partition,
    profile_id: `p-${String(index).padStart(6, '0')}`,
    name: `Name ${index}`,
    email: `user${index}@example.com`,
    view_count: index % 1000,
    tags: ['alpha', 'beta', 'gamma'],
    address: { street: `${index} rue de la Paix`, city: 'Paris', zip: '75002' },
    created_at: '2026-11-26T10:00:00.000Z',
  };
}

/** The key of `profile(partition, index)`. */
export function profileKey(partition, index) {
  return { owner: partition, profile_id: `p-${String(index).padStart(6, '0')}` };
}

/** The table's keys, as DynamoDB's CreateTable and DescribeTable state them. */
export const profilesKeySchema = {
  KeySchema: [
    { AttributeName: 'owner', KeyType: 'HASH' },
    { AttributeName: 'profile_id', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'owner', AttributeType: 'S' },
    { AttributeName: 'profile_id', AttributeType: 'S' },
  ],
};

/** The Macaron spec of the same model (OpenAPI 3.0, the full `x-persist` form). */
export function profileSpec(table) {
  return {
    openapi: '3.0.3',
    info: { title: 'bench', version: '1' },
    paths: {},
    components: {
      schemas: {
        Profile: {
          type: 'object',
          required: ['owner', 'profile_id', 'name'],
          'x-persist': { table, key: 'owner', sort: 'profile_id' },
          properties: {
            owner: { type: 'string' },
            profile_id: { type: 'string' },
            name: { type: 'string' },
            email: { type: 'string' },
            view_count: { type: 'integer' },
            tags: { type: 'array', items: { type: 'string' } },
            address: {
              type: 'object',
              properties: {
                street: { type: 'string' },
                city: { type: 'string' },
                zip: { type: 'string' },
              },
            },
            created_at: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
  };
}

/** DynamoDB's wire form of a plain value (strings, numbers, lists, maps only: all the workload has). */
export function marshall(value) {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (Array.isArray(value)) return { L: value.map(marshall) };
  return { M: marshallItem(value) };
}

/** DynamoDB's wire form of an item. */
export function marshallItem(item) {
  const result = {};
  for (const [name, value] of Object.entries(item)) result[name] = marshall(value);
  return result;
}
