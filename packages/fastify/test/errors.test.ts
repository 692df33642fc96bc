import type { AddressInfo } from 'node:net';
import {
  AccessDeniedError,
  BackendError,
  defineError,
  loadApi,
  TableMismatchError,
  TableNotFoundError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type ErrorRequestInfo, macaronFastify, type OperationHandlers } from '../src/index.js';
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
            schema: {
              type: 'string',
              enum: [
                'macaron',
                'plain',
                'string',
                'backend-failure',
                'backend-cause',
                'table-missing',
                'access-denied',
                'table-mismatch',
                'outcome-unknown',
                'returned',
                'returned-plain',
                'status-200',
                'status-999',
                'own-405',
              ],
            },
          },
        ],
        responses: { '200': { description: 'never' } },
      },
    },
  },
};

const PaymentRequired = defineError({ code: 'PAYMENT_REQUIRED', status: 402 });
// Error classes an application got wrong: no error status.
const SaysSuccess = defineError({ code: 'SAYS_SUCCESS', status: 200 });
const NoStatus = defineError({ code: 'NO_STATUS', status: 999 });
// An application's own error with a code the plugin's errors have too (no `allow`).
const NotAllowedHere = defineError({ code: 'METHOD_NOT_ALLOWED', status: 405 });
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
      case 'backend-failure':
        throw new BackendError(`PostgreSQL GetItem: relation "${secret}" does not exist`);
      case 'backend-cause':
        // As node-postgres reports a server's error: its detail quotes the stored row.
        throw new BackendError('PostgreSQL PutItem: the statement failed; nothing was written', {
          cause: Object.assign(new Error('new row violates check constraint "c"'), {
            code: '23514',
            detail: `Failing row contains (bob, ${secret})`,
          }),
        });
      case 'table-mismatch':
        throw new TableMismatchError(`${secret}_profiles`, ['GetItem: the key does not fit']);
      case 'access-denied':
        throw new AccessDeniedError(`PostgreSQL PutItem: permission denied for table ${secret}`);
      case 'table-missing':
        throw new TableNotFoundError(`PostgreSQL PutItem: the table ${secret} does not exist`);
      case 'outcome-unknown':
        throw new WriteOutcomeUnknownError(`PutItem on ${secret}: the connection was lost`);
      case 'status-200':
        throw new SaysSuccess('a 200 would read as success');
      case 'status-999':
        throw new NoStatus('999 is no status');
      case 'own-405':
        throw new NotAllowedHere('This account cannot do that');
      // Returned, as PyMacaron handlers could return their exception.
      case 'returned':
        return new PaymentRequired('Your plan does not include this');
      case 'returned-plain':
        return new Error(`connect failed with ${secret}`);
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

  it("answers an application's error of a code the plugin uses too (METHOD_NOT_ALLOWED) as its own, without Allow", async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    const response = await call(`${url}/fail/own-405`);
    expect([response.status, response.headers.get('allow'), response.json]).toEqual([
      405,
      null,
      {
        error: 'METHOD_NOT_ALLOWED',
        error_description: 'This account cannot do that',
        status: 405,
      },
    ]);
  });

  it('answers an error the handler returns as if it threw it, never as a 200', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    const returned = await call(`${url}/fail/returned`);
    expect(returned.status).toBe(402);
    expect(returned.json).toEqual({
      error: 'PAYMENT_REQUIRED',
      error_description: 'Your plan does not include this',
      status: 402,
    });
    const plain = await call(`${url}/fail/returned-plain`);
    expect(plain.status).toBe(500);
    expect(plain.json).toMatchObject({ error: 'SERVER_ERROR', status: 500 });
    expect(plain.text).not.toContain(secret);
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

  it("answers core's server-side errors with their code and status, not their message", async () => {
    const reported: string[] = [];
    const { url } = await serve({
      api: await loadApi(spec),
      handlers,
      onError: (error) => {
        reported.push(error.message);
      },
    });
    for (const [kind, code, status] of [
      ['backend-failure', 'BACKEND_ERROR', 500],
      ['table-missing', 'TABLE_NOT_FOUND', 500],
      ['access-denied', 'ACCESS_DENIED', 500],
      ['table-mismatch', 'TABLE_MISMATCH', 409],
      ['outcome-unknown', 'WRITE_OUTCOME_UNKNOWN', 503],
    ] as const) {
      const response = await call(`${url}/fail/${kind}`);
      expect(response.status).toBe(status);
      expect(response.json).toMatchObject({ error: code, status });
      expect(response.text).not.toContain(secret);
    }
    expect(reported.every((message) => message.includes(secret))).toBe(true);
    expect(reported).toHaveLength(5);
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
    expect(Object.keys(reported[0]!.info).sort()).toEqual([
      'errorId',
      'id',
      'method',
      'operation',
      'url',
    ]);
    // A new UUID per error reply, which the default format does not send.
    expect(new Set(reported.map(({ info }) => info.errorId)).size).toBe(4);
    expect(reported[0]!.info.errorId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(JSON.stringify(reported)).not.toContain('abc.def.ghi');
    expect(reported[3]!.info.operation).toBeUndefined();
  });

  it("logs a 5xx as the error answered, its own message and code first and its cause's message after: never the cause's fields, which quote stored values", async () => {
    const lines: string[] = [];
    const stream = { write: (line: string) => lines.push(line) };
    const { url } = await serve(
      { api: await loadApi(spec), handlers },
      { logger: { level: 'error', stream } },
    );
    await call(`${url}/fail/backend-cause`);
    await call(`${url}/fail/plain`);
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; err: any });
    expect(logged.map(({ msg, err }) => [msg, err.code, err.type])).toEqual([
      ['request failed', 'BACKEND_ERROR', 'BackendError'],
      // What the application threw, not the 500 that answered it.
      ['request failed', undefined, 'Error'],
    ]);
    expect(logged[0]!.err.message).toBe(
      'PostgreSQL PutItem: the statement failed; nothing was written: new row violates check constraint "c"',
    );
    expect(logged[0]!.err.stack).toContain('caused by: Error: new row violates check constraint');
    expect(lines[0]).not.toContain(secret);
    expect(logged[1]!.err.message).toBe(`connect failed with ${secret}`);
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

  it('falls back to the standard error JSON when errorFormatter answers no final status (1xx, 600, 1.5)', async () => {
    for (const status of [100, 199, 600, 1.5]) {
      const { url } = await serve({
        api: await loadApi(spec),
        handlers,
        errorFormatter: () => ({ status, body: { formatted: true } }),
      });
      const response = await call(`${url}/fail/macaron`);
      expect([response.status, response.json.error], String(status)).toEqual([
        402,
        'PAYMENT_REQUIRED',
      ]);
    }
  });
});

describe('an error class whose status is no error status', () => {
  it('is answered 500 in the same JSON, never a success and never a status HTTP lacks', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    for (const [kind, code, description] of [
      ['status-200', 'SAYS_SUCCESS', 'a 200 would read as success'],
      ['status-999', 'NO_STATUS', '999 is no status'],
    ]) {
      const reply = await call(`${url}/fail/${kind}`);
      expect(reply.status).toBe(500);
      expect(reply.json).toEqual({ error: code, error_description: description, status: 500 });
    }
  });
});

describe('errors that carry an HTTP status', () => {
  const upstreamSpec = {
    openapi: '3.1.0',
    info: { title: 'upstream', version: '1' },
    paths: {
      '/call/{status}': {
        get: {
          operationId: 'call',
          parameters: [
            { name: 'status', in: 'path', required: true, schema: { type: 'integer' } },
            {
              name: 'when',
              in: 'query',
              schema: { type: 'string', enum: ['await', 'serialise', 'send'] },
            },
          ],
          responses: { '200': { description: 'ok', content: { 'application/json': {} } } },
        },
      },
      '/echo': {
        post: {
          operationId: 'echo',
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { '200': { description: 'ok', content: { 'application/json': {} } } },
        },
      },
    },
  };
  // What an HTTP client library throws: the status of the service it called.
  const upstreamError = (status: number) =>
    Object.assign(new Error(`upstream said ${status}: token abc123 rejected`), {
      statusCode: status,
      status,
    });
  const upstreamHandlers: OperationHandlers = {
    async call({ params, query, reply }) {
      const error = upstreamError(params.status as number);
      if (query.when === 'serialise') {
        // A result whose serialisation throws.
        return new (class {
          toJSON() {
            throw error;
          }
        })();
      }
      if (query.when === 'await') await Promise.reject(error);
      if (query.when === 'send') return reply.send(error);
      throw error;
    },
    echo: ({ body }) => body,
  };

  it("answers a handler's non-Macaron error with 500 SERVER_ERROR, whatever its statusCode", async () => {
    const reported: { code: string; status: number; cause: unknown }[] = [];
    const { url } = await serve({
      api: await loadApi(upstreamSpec),
      handlers: upstreamHandlers,
      onError: (error) => {
        reported.push({ code: error.code, status: error.status, cause: error.cause });
      },
    });
    for (const status of [400, 401, 404, 409, 429, 302, 503]) {
      for (const when of ['', '?when=await', '?when=serialise', '?when=send']) {
        const response = await call(`${url}/call/${status}${when}`);
        expect([response.status, response.json]).toEqual([
          500,
          {
            error: 'SERVER_ERROR',
            error_description: 'The server could not complete the request',
            status: 500,
          },
        ]);
        expect(response.text).not.toContain('abc123');
      }
    }
    expect(reported).toHaveLength(28);
    for (const entry of reported) expect([entry.code, entry.status]).toEqual(['SERVER_ERROR', 500]);
    expect((reported[4]!.cause as Error).message).toBe('upstream said 401: token abc123 rejected');
  });

  it('keeps the 4xx status of a hook of the application (a rate limit), the original as cause', async () => {
    const reported: { code: string; status: number; cause: unknown }[] = [];
    const api = await loadApi(upstreamSpec);
    const app = Fastify();
    onTestFinished(() => app.close());
    app.addHook('onRequest', async (request) => {
      if (request.headers['x-over-limit'] !== undefined) {
        throw Object.assign(new Error('Rate limit exceeded, retry in 1 minute'), {
          statusCode: 429,
        });
      }
    });
    await app.register(macaronFastify, {
      api,
      handlers: upstreamHandlers,
      onError: (error) => {
        reported.push({ code: error.code, status: error.status, cause: error.cause });
      },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const limited = await call(`http://127.0.0.1:${port}/call/401`, {
      headers: { 'x-over-limit': '1' },
    });
    expect([limited.status, limited.json]).toEqual([
      429,
      {
        error: 'BAD_REQUEST',
        error_description: 'The request was refused: Too Many Requests',
        status: 429,
      },
    ]);
    expect(reported[0]).toMatchObject({ code: 'BAD_REQUEST', status: 429 });
    expect((reported[0]!.cause as Error).message).toBe('Rate limit exceeded, retry in 1 minute');
    // The same route, past the hook: the handler's 401 is a 500.
    expect((await call(`http://127.0.0.1:${port}/call/401`)).status).toBe(500);
  });

  it("keeps the status of fastify's own errors, in the error JSON", async () => {
    const { url } = await serve({
      api: await loadApi(upstreamSpec),
      handlers: upstreamHandlers,
      bodyLimit: 64,
    });
    const post = (body: string, type = 'application/json') =>
      call(`${url}/echo`, { method: 'POST', body, headers: { 'content-type': type } });
    const answers = [
      await post('{"a":1}'),
      await post('hi', 'text/plain'),
      await post(`"${'a'.repeat(100)}"`),
      await post('{'),
    ];
    expect(answers.map((answer) => [answer.status, answer.json.error ?? answer.json])).toEqual([
      [200, { a: 1 }],
      [415, 'UNSUPPORTED_MEDIA_TYPE'],
      [413, 'REQUEST_TOO_LARGE'],
      [400, 'INVALID_PARAMETER'],
    ]);
  });
});
