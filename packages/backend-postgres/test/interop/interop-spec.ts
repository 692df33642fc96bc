/** A spec with the shapes interop needs: a profile table and a message table with an index. */
export function createInteropSpec(indexes = true): Record<string, unknown> {
  const string = { type: 'string' };
  return {
    openapi: '3.0.3',
    info: { title: 'interop', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Profile: {
          type: 'object',
          required: ['profile_id', 'name'],
          'x-persist': { table: 'profiles', key: 'profile_id' },
          properties: {
            profile_id: string,
            name: string,
            view_count: { type: 'integer' },
            balance: { type: 'integer', format: 'int64' },
            ratio: { type: 'number' },
            photo: { type: 'string', format: 'binary' },
            tags: { type: 'array', items: string },
            address: { type: 'object', properties: { city: string } },
          },
        },
        Message: {
          type: 'object',
          required: ['channel', 'sent'],
          'x-persist': {
            table: 'messages',
            key: 'channel',
            sort: 'sent',
            ...(indexes ? { indexes: { byAuthor: { key: 'author', sort: 'score' } } } : {}),
          },
          properties: {
            channel: string,
            sent: string,
            author: string,
            score: { type: 'number' },
            body: string,
          },
        },
      },
    },
  };
}
