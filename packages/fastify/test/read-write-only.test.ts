import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// A spec as APIs commonly write it: the server sets `id` and `created_at` (readOnly, yet
// required, so responses always carry them); the client sends a password the server never
// returns (writeOnly, required in requests).
function accountsSpec() {
  return {
    openapi: '3.0.3',
    info: { title: 'accounts', version: '1' },
    paths: {
      '/accounts': {
        post: {
          operationId: 'createAccount',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Account' } } },
          },
          responses: {
            '201': {
              description: 'created',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Account' } } },
            },
          },
        },
        get: {
          operationId: 'listAccounts',
          responses: {
            '200': {
              description: 'every account',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['items'],
                    properties: {
                      items: { type: 'array', items: { $ref: '#/components/schemas/Account' } },
                      audit: {
                        type: 'object',
                        required: ['by', 'token'],
                        properties: {
                          by: { type: 'string' },
                          token: { type: 'string', writeOnly: true },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Account: {
          type: 'object',
          required: ['id', 'email', 'password', 'created_at'],
          'x-persist': { table: 'accounts', key: 'id' },
          properties: {
            id: { type: 'string', readOnly: true },
            email: { type: 'string', format: 'email' },
            password: { type: 'string', writeOnly: true, minLength: 8 },
            created_at: { type: 'string', format: 'date-time', readOnly: true },
          },
        },
      },
    },
  };
}

async function served(handlers?: Partial<OperationHandlers>) {
  const api = await loadApi(accountsSpec(), { backend: createMemoryBackend() });
  const Account = api.persistent('Account');
  let next = 0;
  const { url } = await serve({
    api,
    handlers: {
      async createAccount({ body, reply }) {
        const account = new Account({
          ...(body as object),
          id: `a${++next}`,
          created_at: '2026-12-01T10:00:00Z',
        });
        await account.save();
        reply.code(201);
        return account;
      },
      async listAccounts() {
        return { items: (await Account.scan()).items, audit: { by: 'admin', token: 't0ken' } };
      },
      ...handlers,
    },
  });
  return { url, Account };
}

describe('readOnly and writeOnly over HTTP', () => {
  it('takes a body without its readOnly properties, stores the whole object and never sends the writeOnly one back', async () => {
    const { url, Account } = await served();
    const created = await call(`${url}/accounts`, {
      method: 'POST',
      body: { email: 'ann@example.com', password: 'correct horse' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: 'a1',
      email: 'ann@example.com',
      created_at: '2026-12-01T10:00:00Z',
    });
    // Stored whole: the password is data the server keeps.
    expect((await Account.load({ id: 'a1' })).toJSON()).toEqual({
      id: 'a1',
      email: 'ann@example.com',
      password: 'correct horse',
      created_at: '2026-12-01T10:00:00Z',
    });
    const listed = await call(`${url}/accounts`);
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({
      items: [{ id: 'a1', email: 'ann@example.com', created_at: '2026-12-01T10:00:00Z' }],
      audit: { by: 'admin' },
    });
  });

  it('still requires a writeOnly property in the request, and checks readOnly ones sent', async () => {
    const { url } = await served();
    const missing = await call(`${url}/accounts`, {
      method: 'POST',
      body: { email: 'ann@example.com' },
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('password');
    const wrongType = await call(`${url}/accounts`, {
      method: 'POST',
      body: { id: 7, email: 'ann@example.com', password: 'correct horse' },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.text).toContain('/body/id');
  });

  it('still requires a readOnly property in the response', async () => {
    const { url } = await served({
      createAccount: ({ reply }) => {
        reply.code(201);
        return { email: 'ann@example.com', created_at: '2026-12-01T10:00:00Z' };
      },
    });
    const response = await call(`${url}/accounts`, {
      method: 'POST',
      body: { email: 'ann@example.com', password: 'correct horse' },
    });
    expect(response.status).toBe(500);
  });
});
