import { loadApi, type MacaronError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { MacaronFastifyOptions, OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// Every response of an operation is one the spec declares: by its status, a `2XX`-style range
// or `default`. With validateResponses (the default) any other status is a 500, never a body
// sent unchecked.
const thing = {
  description: 'A thing.',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
};
const spec = {
  openapi: '3.1.0',
  info: { title: 'statuses', version: '1' },
  paths: {
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      delete: { operationId: 'deleteThing', responses: { '204': { description: 'Deleted.' } } },
      put: { operationId: 'putThing', responses: { '201': thing, '202': thing } },
      get: { operationId: 'getThing', responses: { '2XX': thing } },
      patch: { operationId: 'patchThing', responses: { '200': thing, default: thing } },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: { id: { type: 'string' }, password: { type: 'string', writeOnly: true } },
      },
    },
  },
};

const secret = { secret: 'internal', password: 'hunter2' };

async function serveThings(
  handlers: Partial<OperationHandlers>,
  options: Partial<MacaronFastifyOptions> = {},
) {
  const reported: MacaronError[] = [];
  const served = await serve({
    api: await loadApi(spec),
    handlers: {
      deleteThing: () => undefined,
      putThing: ({ params }) => ({ id: params.id }),
      getThing: ({ params }) => ({ id: params.id }),
      patchThing: ({ params }) => ({ id: params.id }),
      ...handlers,
    } as OperationHandlers,
    onError: (error) => {
      reported.push(error);
    },
    ...options,
  });
  return { ...served, reported };
}

// The query as sent: the spec declares no query parameter, so `query` has none.
function flags(request: { query: unknown }): Record<string, string | undefined> {
  return request.query as Record<string, string | undefined>;
}

function causeOf(error: MacaronError | undefined): string {
  return (error?.cause as Error | undefined)?.message ?? '';
}

describe('a status the spec does not declare', () => {
  it('is a 500 when a handler returns a body where the spec declares only 204', async () => {
    const { url, reported } = await serveThings({ deleteThing: () => secret });
    const response = await call(`${url}/things/a`, { method: 'DELETE' });
    expect([response.status, response.json.error]).toEqual([500, 'SERVER_ERROR']);
    expect(response.text).not.toContain('hunter2');
    expect(reported.map((error) => error.code)).toEqual(['SERVER_ERROR']);
    expect(causeOf(reported[0])).toBe(
      'deleteThing answered 200, a status the spec does not declare for it (it declares 204)',
    );
  });

  it('is a 500 when the handler picks it with reply.code, body or none', async () => {
    const { url, reported } = await serveThings({
      putThing: ({ params, reply, request }) => {
        reply.code(299);
        return flags(request).none === undefined
          ? { id: params.id, leaked: 'anything' }
          : undefined;
      },
    });
    const withBody = await call(`${url}/things/a`, { method: 'PUT' });
    expect([withBody.status, withBody.json.error]).toEqual([500, 'SERVER_ERROR']);
    expect(withBody.text).not.toContain('leaked');
    expect(causeOf(reported[0])).toContain('putThing answered 299, a status the spec does not');
    expect(causeOf(reported[0])).toContain('(it declares 201, 202)');
    const withNone = await call(`${url}/things/a?none`, { method: 'PUT' });
    expect([withNone.status, withNone.json.error]).toEqual([500, 'SERVER_ERROR']);
  });

  it('is a 500 for HEAD too, which runs the GET handler', async () => {
    const { url } = await serveThings({
      getThing: ({ reply }) => {
        reply.code(304);
        return undefined;
      },
    });
    // GET declares 2XX only: a 304 is not one of them.
    expect((await call(`${url}/things/a`)).status).toBe(500);
    expect((await fetch(`${url}/things/a`, { method: 'HEAD' })).status).toBe(500);
  });

  it('is sent as the handler returned it when validateResponses is false, a model still without its writeOnly properties', async () => {
    const api = await loadApi(spec);
    const Thing = api.model<{ id: string; password?: string }>('Thing');
    const { url } = await serveThings(
      {
        putThing: ({ params, reply }) => {
          reply.code(299);
          return new Thing({ id: params.id as string, password: 'hunter2' });
        },
        deleteThing: () => ({ deleted: true }),
      },
      { api, validateResponses: false },
    );
    const put = await call(`${url}/things/a`, { method: 'PUT' });
    expect([put.status, put.json]).toEqual([299, { id: 'a' }]);
    const deleted = await call(`${url}/things/a`, { method: 'DELETE' });
    expect([deleted.status, deleted.json]).toEqual([200, { deleted: true }]);
  });
});

describe('a status the spec declares', () => {
  it('is checked and stripped of writeOnly properties when reply.code picks it', async () => {
    const { url, reported } = await serveThings({
      putThing: ({ params, reply, request }) => {
        reply.code(202);
        return {
          id: params.id,
          password: 'hunter2',
          ...(flags(request).extra === undefined ? {} : secret),
        };
      },
    });
    const accepted = await call(`${url}/things/a`, { method: 'PUT' });
    expect([accepted.status, accepted.json]).toEqual([202, { id: 'a' }]);
    const extra = await call(`${url}/things/a?extra`, { method: 'PUT' });
    expect([extra.status, extra.json.error]).toEqual([500, 'SERVER_ERROR']);
    expect(causeOf(reported[0])).toContain('putThing returned a 202 response that does not match');
  });

  it('by a 2XX range: any 2xx status, checked against it', async () => {
    const { url } = await serveThings({
      getThing: ({ params, reply, request }) => {
        reply.code(Number(flags(request).status ?? 200));
        return {
          id: params.id,
          password: 'hunter2',
          ...(flags(request).extra === undefined ? {} : secret),
        };
      },
    });
    const multi = await call(`${url}/things/a?status=207`);
    expect([multi.status, multi.json]).toEqual([207, { id: 'a' }]);
    expect((await call(`${url}/things/a?status=207&extra`)).status).toBe(500);
    expect((await call(`${url}/things/a?status=404`)).status).toBe(500);
  });

  it('by default: any status, checked against it', async () => {
    const { url } = await serveThings({
      patchThing: ({ params, reply, request }) => {
        reply.code(Number(flags(request).status ?? 200));
        return {
          id: params.id,
          password: 'hunter2',
          ...(flags(request).extra === undefined ? {} : secret),
        };
      },
    });
    const teapot = await call(`${url}/things/a?status=418`, { method: 'PATCH' });
    expect([teapot.status, teapot.json]).toEqual([418, { id: 'a' }]);
    const extra = await call(`${url}/things/a?status=418&extra`, { method: 'PATCH' });
    expect([extra.status, extra.json.error]).toEqual([500, 'SERVER_ERROR']);
  });
});

describe('a status the handler sets', () => {
  const choices = {
    openapi: '3.1.0',
    info: { title: 'chosen statuses', version: '1' },
    paths: {
      '/jobs/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        post: {
          operationId: 'runJob',
          responses: { '200': { description: 'Ran.' }, '204': { description: 'Nothing to run.' } },
        },
        put: { operationId: 'putJob', responses: { '201': thing } },
      },
    },
    components: spec.components,
  };

  async function serveJobs(handlers: Partial<OperationHandlers>, validateResponses = true) {
    const reported: MacaronError[] = [];
    const served = await serve({
      api: await loadApi(choices),
      handlers: {
        runJob: () => undefined,
        putJob: ({ params }) => ({ id: params.id }),
        ...handlers,
      } as OperationHandlers,
      validateResponses,
      onError: (error) => {
        reported.push(error);
      },
    });
    return { ...served, reported };
  }

  it('is kept when it is 200, though 200 is also the status nothing chosen would default to', async () => {
    const { url } = await serveJobs({
      runJob: ({ reply, request }) => {
        if (flags(request).ran !== undefined) reply.code(200);
        return undefined;
      },
    });
    expect((await call(`${url}/jobs/a?ran`, { method: 'POST' })).status).toBe(200);
    expect((await call(`${url}/jobs/a`, { method: 'POST' })).status).toBe(204);
  });

  it('is kept when it is 200 set through reply.status or statusCode', async () => {
    const { url } = await serveJobs({
      runJob: ({ reply, request }) => {
        if (flags(request).by === 'status') reply.status(200);
        else reply.statusCode = 200;
        return undefined;
      },
    });
    expect((await call(`${url}/jobs/a?by=status`, { method: 'POST' })).status).toBe(200);
    expect((await call(`${url}/jobs/a?by=property`, { method: 'POST' })).status).toBe(200);
  });

  it('is kept when set on the raw response, any status but 200 (which Fastify cannot tell from none)', async () => {
    const { url } = await serveJobs({
      putJob: ({ params, reply }) => {
        reply.raw.statusCode = 202;
        return { id: params.id };
      },
    });
    // 202 is not declared: a 500 says the handler's choice was seen.
    const answered = await call(`${url}/jobs/a`, { method: 'PUT' });
    expect(answered.status).toBe(500);
  });

  it('is not replaced by the single status the spec declares: 200 there is undeclared', async () => {
    const checked = await serveJobs({
      putJob: ({ params, reply }) => {
        reply.code(200);
        return { id: params.id };
      },
    });
    const refused = await call(`${checked.url}/jobs/a`, { method: 'PUT' });
    expect([refused.status, refused.json.error]).toEqual([500, 'SERVER_ERROR']);
    expect(causeOf(checked.reported[0])).toBe(
      'putJob answered 200, a status the spec does not declare for it (it declares 201)',
    );
    const unchecked = await serveJobs(
      {
        putJob: ({ params, reply }) => {
          reply.code(200);
          return { id: params.id };
        },
      },
      false,
    );
    const sent = await call(`${unchecked.url}/jobs/a`, { method: 'PUT' });
    expect([sent.status, sent.json]).toEqual([200, { id: 'a' }]);
  });
});
