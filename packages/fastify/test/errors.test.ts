import { defineError, loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { ErrorRequestInfo, OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

const spec = {
  openapi: '3.1.0',
  info: { title: 'errors', version: '1' },
  paths: {
    '/fail/{kind}': {
      get: {
        operationId: 'fail',
        parameters: [
          {
            name: 'kind',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: ['macaron', 'plain', 'string'] },
          },
        ],
        responses: { '200': { description: 'never' } },
      },
    },
  },
};

const PaymentRequired = defineError({ code: 'PAYMENT_REQUIRED', status: 402 });
const secret = 'db-password-hunter2';

const handlers: OperationHandlers = {
  fail({ params }) {
    switch (params.kind) {
      case 'macaron':
        throw new PaymentRequired('Your plan does not include this', {
          userMessage: 'Upgrade first',
        });
      case 'plain':
        throw new Error(`connect failed with ${secret}`);
      default:
        throw secret;
    }
  },
};

describe('error replies', () => {
  it('answers a MacaronError with its status and PyMacaron error JSON', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    const response = await call(`${url}/fail/macaron`);
    expect(response.status).toBe(402);
    expect(response.json).toEqual({
      error: 'PAYMENT_REQUIRED',
      error_description: 'Your plan does not include this',
      user_message: 'Upgrade first',
      status: 402,
    });
  });

  it('answers anything else with SERVER_ERROR / 500, without stack or message', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    for (const kind of ['plain', 'string']) {
      const response = await call(`${url}/fail/${kind}`);
      expect(response.status).toBe(500);
      expect(Object.keys(response.json).sort()).toEqual(['error', 'error_description', 'status']);
      expect(response.json).toMatchObject({ error: 'SERVER_ERROR', status: 500 });
      expect(response.text).not.toContain(secret);
      expect(response.text).not.toMatch(/\bat .+:\d+:\d+/);
      expect(response.text).not.toContain('Error:');
    }
  });

  it('reports every error to onError, with the original as cause and no request headers', async () => {
    const reported: { code: string; status: number; cause: unknown; info: ErrorRequestInfo }[] = [];
    const { url } = await serve({
      api: await loadApi(spec),
      handlers,
      onError(error, info) {
        reported.push({ code: error.code, status: error.status, cause: error.cause, info });
      },
    });
    await call(`${url}/fail/plain?x=1`, { headers: { authorization: 'Bearer abc.def.ghi' } });
    await call(`${url}/fail/macaron`);
    await call(`${url}/fail/unknown`);
    await call(`${url}/missing`);
    expect(reported.map(({ code, status }) => [code, status])).toEqual([
      ['SERVER_ERROR', 500],
      ['PAYMENT_REQUIRED', 402],
      ['INVALID_PARAMETER', 400],
      ['NOT_FOUND', 404],
    ]);
    expect(reported[0]!.cause).toBeInstanceOf(Error);
    expect((reported[0]!.cause as Error).message).toContain(secret);
    expect(reported[0]!.info).toMatchObject({
      method: 'GET',
      url: '/fail/plain?x=1',
      operation: 'fail',
    });
    expect(Object.keys(reported[0]!.info).sort()).toEqual(['id', 'method', 'operation', 'url']);
    expect(JSON.stringify(reported)).not.toContain('abc.def.ghi');
    expect(reported[3]!.info.operation).toBeUndefined();
  });

  it('still answers when onError throws or rejects', async () => {
    for (const onError of [
      () => {
        throw new Error('reporter down');
      },
      () => Promise.reject(new Error('reporter down')),
    ]) {
      const { url } = await serve({ api: await loadApi(spec), handlers, onError });
      const response = await call(`${url}/fail/macaron`);
      expect([response.status, response.json.error]).toEqual([402, 'PAYMENT_REQUIRED']);
    }
  });

  it('lets errorFormatter replace the status and body of every error', async () => {
    const { url } = await serve({
      api: await loadApi(spec),
      handlers,
      errorFormatter: (error, info) => ({
        status: error.status === 500 ? 503 : error.status,
        body: { problem: { code: error.code, operation: info.operation ?? null } },
      }),
    });
    const macaron = await call(`${url}/fail/macaron`);
    expect([macaron.status, macaron.json]).toEqual([
      402,
      { problem: { code: 'PAYMENT_REQUIRED', operation: 'fail' } },
    ]);
    const plain = await call(`${url}/fail/plain`);
    expect([plain.status, plain.json]).toEqual([
      503,
      { problem: { code: 'SERVER_ERROR', operation: 'fail' } },
    ]);
    expect(plain.text).not.toContain(secret);
    const invalid = await call(`${url}/fail/unknown`);
    expect([invalid.status, invalid.json.problem.code]).toEqual([400, 'INVALID_PARAMETER']);
  });

  it('falls back to the standard error JSON when errorFormatter throws', async () => {
    const { url } = await serve({
      api: await loadApi(spec),
      handlers,
      errorFormatter: () => {
        throw new Error('formatter bug');
      },
    });
    const response = await call(`${url}/fail/macaron`);
    expect([response.status, response.json.error]).toEqual([402, 'PAYMENT_REQUIRED']);
  });
});
