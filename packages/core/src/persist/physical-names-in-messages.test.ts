import { describe, expect, it } from 'vitest';
import { loadApi } from '../api/load-api.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { checkUpdatePaths } from '../evaluate/update-paths.js';
import { indexRead } from './read-request.js';

// A physical table name holds the deployment's prefix (a stage, a tenant): the deployment's,
// not a client's. A 400's message reaches HTTP clients (@macaron/fastify sends it as
// `error_description`), so it names tables as the spec does.
const prefix = 'prod-tenant42.';

async function table() {
  const api = await loadApi(
    {
      openapi: '3.0.3',
      info: { title: 'names', version: '1' },
      paths: {},
      components: {
        schemas: {
          T: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'things', key: 'id', indexes: { byEmail: { key: 'email' } } },
            properties: { id: { type: 'string' }, email: { type: 'string' } },
          },
        },
      },
    },
    { tablePrefix: prefix },
  );
  const things = api.persistent('T').descriptor.table;
  expect(things.name).toBe(`${prefix}things`);
  return things;
}

function refusal(check: () => unknown): InvalidRequestError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error('not refused');
}

describe("a 400's message names a table as the spec does, never by its physical name", () => {
  it('an update setting, adding to or appending to an index key attribute as the index refuses', async () => {
    const things = await table();
    for (const operation of [
      { action: 'set', path: ['email'], value: '' },
      { action: 'add', path: ['email'], value: 1 },
      { action: 'append', path: ['email'], value: ['x'] },
    ] as const) {
      const { message } = refusal(() => checkUpdatePaths([operation], { id: 'a' }, things));
      expect(message).toContain('of an index of table things');
      expect(message).not.toContain(prefix);
    }
  });

  it('a query or scan of an index the table does not have', async () => {
    const things = await table();
    const { message } = refusal(() => indexRead(things, 'byName'));
    expect(message).toBe('Table things has no index byName');
  });
});
