import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';

// Probe 307: node-postgres ignores query parameters it does not know; one other drivers read as
// the schema would leave the tables in the role's default schema without a word.
describe('a connection string naming a schema the way other drivers do', () => {
  // Also in a URL without a host before its path, which node-postgres reads all the same.
  for (const [base, query] of [
    ...['schema=orders', 'currentSchema=orders', 'search_path=orders'].map((query) => [
      'postgres://app:pw@127.0.0.1:1/db?',
      query,
    ]),
    ['postgres://app:pw@/db?host=127.0.0.1&', 'schema=orders'],
  ]) {
    it(`${base}${query} is a TypeError before anything connects`, () => {
      const url = `${base}${query}`;
      expect(() => createPostgresBackend({ connectionString: url })).toThrow(TypeError);
      expect(() => createPostgresBackend({ connection: { connectionString: url } })).toThrow(
        /search_path/,
      );
    });
  }
  it('options=-c search_path=… (node-postgres reads it) is taken', async () => {
    const backend = createPostgresBackend({
      connectionString: `postgres://app:pw@127.0.0.1:1/db?options=${encodeURIComponent('-c search_path=orders')}&sslmode=disable`,
    });
    await backend.close();
  });
});
