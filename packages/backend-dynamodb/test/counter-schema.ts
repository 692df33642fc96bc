/** The model the fault tests write: a counter under a string key, with a label. */
export const counterSchema = {
  type: 'object',
  required: ['id'],
  'x-persist': { table: 'counters', key: 'id' },
  properties: {
    id: { type: 'string' },
    count: { type: 'integer' },
    label: { type: 'string' },
  },
};
