import { loadApi, MacaronError } from '@macaron/core';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createTokenVerifier } from '../src/auth/token-verifier.js';
import { macaronFastify } from '../src/index.js';
import { call, serve } from './serve.js';

const api = await loadApi({
  openapi: '3.0.3',
  info: { title: 'k', version: '1' },
  paths: {
    '/x': { get: { operationId: 'x', responses: { '200': { description: 'ok' } } } },
    '/odd': { get: { operationId: 'odd', responses: { '200': { description: 'ok' } } } },
  },
});
class OddError extends MacaronError {
  static override code = 'ODD';
  static override status = 599;
}

describe('error and auth edges the suite did not pin', () => {
  it('a hook error with statusCode 500 is a SERVER_ERROR, not a BAD_REQUEST', async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    app.addHook('onRequest', async () => {
      throw Object.assign(new Error('upstream broke'), { statusCode: 500 });
    });
    await app.register(macaronFastify, { api, handlers: { x: () => ({}), odd: () => ({}) } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as { port: number };
    const response = await call(`http://127.0.0.1:${address.port}/x`);
    expect(response.status).toBe(500);
    expect(response.json.error).toBe('SERVER_ERROR');
  });
  it('an error class of status 599 is answered 599', async () => {
    const { url } = await serve({
      api,
      handlers: {
        x: () => ({}),
        odd: () => {
          throw new OddError('odd');
        },
      },
    });
    const response = await call(`${url}/odd`);
    expect(response.status).toBe(599);
    expect(response.json.error).toBe('ODD');
  });
  it('auth.algorithms refuses "None" in any case, with a jwks too', () => {
    expect(() =>
      createTokenVerifier({
        jwks: { keys: [] },
        algorithms: ['None'],
        issuer: 'i',
        audience: 'a',
      } as never),
    ).toThrow('cannot allow "none"');
  });
});
