import { loadApi, MacaronError } from '@macaron/core';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { DecoratorContext, MacaronFastifyOptions, SecurityContext } from '../src/index.js';
import { call, serve } from './serve.js';

const auth = { secret: 'hook-errors-jwt-secret-of-32-bytes!', issuer: 'me', audience: 'app' };

class QuotaError extends MacaronError {
  static override code = 'QUOTA_EXCEEDED';
  static override status = 429;
}

// What an HTTP client throws when the service it called answers an error: that service's
// status, never this request's.
const upstream = (statusCode: number, code?: string) =>
  Object.assign(new Error(`https://idp.internal answered ${statusCode}`), { statusCode, code });

const ok = { '200': { description: 'ok' } };

async function hooked(): Promise<{ url: string; reported: string[] }> {
  const api = await loadApi({
    openapi: '3.0.3',
    info: { title: 'hooks', version: '1' },
    components: {
      securitySchemes: {
        key: { type: 'apiKey', in: 'header', name: 'X-Key' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    paths: {
      '/secured': {
        post: {
          operationId: 'secured',
          security: [{ key: [] }],
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: ok,
        },
      },
      '/token': { get: { operationId: 'token', security: [{ bearer: [] }], responses: ok } },
      '/decorated': {
        post: {
          operationId: 'decorated',
          'x-decorate-server': 'app.check_quota',
          security: [],
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: ok,
        },
      },
    },
  });
  const reported: string[] = [];
  const options: MacaronFastifyOptions = {
    api,
    auth,
    handlers: { secured: () => undefined, token: () => undefined, decorated: () => undefined },
    securityHandlers: {
      key: ({ request, reply }: SecurityContext) => {
        const key = request.headers['x-key'];
        if (key === 'upstream-404') throw upstream(404);
        if (key === 'sent-404') return void reply.send(upstream(404));
        if (key === 'status-403') throw Object.assign(new Error('refused'), { status: 403 });
        if (key !== 'good') throw new QuotaError('No quota for this key');
      },
    },
    decorators: {
      'app.check_quota': ({ request, reply }: DecoratorContext) => {
        const given = request.headers['x-quota'];
        if (given === 'upstream-401') throw upstream(401);
        if (given === 'fastify-code') throw upstream(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE');
        if (given === 'sent') reply.send(upstream(404));
        if (given === 'none') throw new QuotaError('No quota left');
      },
    },
    onError: (error) => {
      const cause = error.cause as { statusCode?: number } | undefined;
      reported.push(`${error.code} ${error.status} ${cause?.statusCode ?? ''}`.trim());
    },
  };
  const { url } = await serve(options);
  return { url, reported };
}

const answer = async (...args: Parameters<typeof call>) => {
  const { status, json } = await call(...args);
  return [status, json?.error];
};

// Fastify's own refusals of a body on the same route keep their statuses.
async function bodyRefusals(url: string, headers: Record<string, string>) {
  const text = { 'content-type': 'text/plain', ...headers };
  return [
    await answer(url, { method: 'POST', body: 'hi', headers: text }),
    await answer(url, { method: 'POST', body: '{', headers }),
  ];
}
const refusals = [
  [415, 'UNSUPPORTED_MEDIA_TYPE'],
  [400, 'INVALID_PARAMETER'],
];

describe('errors of security handlers and decorators', () => {
  it('answers what a security handler throws with 500 unless it is a MacaronError, whatever its statusCode', async () => {
    const { url, reported } = await hooked();
    const post = (key: string) =>
      answer(`${url}/secured`, { method: 'POST', body: {}, headers: { 'x-key': key } });
    expect(await post('upstream-404')).toEqual([500, 'SERVER_ERROR']);
    expect(await post('sent-404')).toEqual([500, 'SERVER_ERROR']);
    expect(await post('status-403')).toEqual([500, 'SERVER_ERROR']);
    expect(await post('bad')).toEqual([429, 'QUOTA_EXCEEDED']);
    expect(await post('good')).toEqual([200, undefined]);
    expect(reported).toEqual([
      'SERVER_ERROR 500 404',
      'SERVER_ERROR 500 404',
      'SERVER_ERROR 500',
      'QUOTA_EXCEEDED 429',
    ]);
    // The plugin's own refusals keep theirs.
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('another-secret-of-at-least-32-bytes'));
    const bearer = { authorization: `Bearer ${forged}` };
    expect(await answer(`${url}/token`, { headers: bearer })).toEqual([401, 'TOKEN_INVALID']);
    expect(await answer(`${url}/token`)).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
    expect(await bodyRefusals(`${url}/secured`, { 'x-key': 'good' })).toEqual(refusals);
  });

  it('answers what a decorator throws or sends with 500 unless it is a MacaronError, fastify codes included', async () => {
    const { url, reported } = await hooked();
    const post = (quota: string) =>
      answer(`${url}/decorated`, { method: 'POST', body: {}, headers: { 'x-quota': quota } });
    expect(await post('upstream-401')).toEqual([500, 'SERVER_ERROR']);
    expect(await post('fastify-code')).toEqual([500, 'SERVER_ERROR']);
    expect(await post('sent')).toEqual([500, 'SERVER_ERROR']);
    expect(await post('none')).toEqual([429, 'QUOTA_EXCEEDED']);
    expect(await post('plenty')).toEqual([200, undefined]);
    expect(reported).toEqual([
      'SERVER_ERROR 500 401',
      'SERVER_ERROR 500 415',
      'SERVER_ERROR 500 404',
      'QUOTA_EXCEEDED 429',
    ]);
    expect(await bodyRefusals(`${url}/decorated`, { 'x-quota': 'plenty' })).toEqual(refusals);
  });
});
