import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { generateTypes } from './generate-types.js';

describe('operation types: readOnly and writeOnly', () => {
  it('types a body without its required readOnly properties and a response without its required writeOnly ones', async () => {
    const body = (name: string) => ({
      required: true,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
    });
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'accounts', version: '1' },
      paths: {
        '/accounts': {
          post: {
            operationId: 'createAccount',
            requestBody: body('Account'),
            responses: { '201': { description: 'created', ...body('Account') } },
          },
        },
        '/extra': {
          post: {
            operationId: 'extra',
            requestBody: body('Extra'),
            responses: { '200': { description: 'ok', ...body('Extra') } },
          },
        },
        '/plain': {
          post: {
            operationId: 'plain',
            requestBody: body('Plain'),
            responses: { '200': { description: 'ok', ...body('Plain') } },
          },
        },
      },
      components: {
        schemas: {
          Account: {
            type: 'object',
            required: ['id', 'email', 'password'],
            properties: {
              id: { type: 'string', readOnly: true },
              email: { type: 'string' },
              password: { type: 'string', writeOnly: true },
            },
          },
          Plain: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
          Extra: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string', readOnly: true } },
            additionalProperties: { type: 'string' },
          },
        },
      },
    });
    const text = generateTypes(api, { source: 'apis/accounts.yaml' });
    expect(text).toContain("body: Omit<Account, 'id'> & Partial<Pick<Account, 'id'>>;");
    expect(text).toContain(
      "'201': Omit<Account, 'password'> & Partial<Pick<Account, 'password'>>;",
    );
    expect(text).toContain('body: Plain;');
    // Omit of a type with an index signature would keep only the signature.
    expect(text).toContain('body: Extra;');
  });
});
