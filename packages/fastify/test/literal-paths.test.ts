import { loadApi, SpecError } from '@macaron/core';
import Fastify from 'fastify';
import { expect, it, onTestFinished } from 'vitest';
import { macaronFastify } from '../src/index.js';
import { call, serve } from './serve.js';

// Characters of a path that fastify's router (find-my-way) reads as syntax in a route:
// `*` (a wildcard), `:` (a parameter), `(` (a parameter's pattern), `?` and `#` (the end of
// the path). RFC 3986 allows `*`, `:`, `(`, `)` and `;` in a path segment.
function pathsApi(paths: string[]) {
  return loadApi({
    openapi: '3.0.3',
    info: { title: 'literal', version: '1' },
    paths: Object.fromEntries(
      paths.map((path) => [
        path,
        {
          get: {
            parameters: [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => ({
              name: match[1],
              in: 'path',
              required: true,
              schema: { type: 'string' },
            })),
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { type: 'object' } } },
              },
            },
          },
        },
      ]),
    ),
  });
}

it('serves paths with a literal *, (, ), ; and : as written', async () => {
  const paths = ['/a*b', '/files/{name}*', '/stars/**/{id}', '/x(y)', '/semi;colon', '/t:x*'];
  const api = await pathsApi(paths);
  const handlers = Object.fromEntries(
    paths.map((path) => [`GET ${path}`, ({ params }: { params: unknown }) => ({ path, params })]),
  );
  const { url } = await serve({ api, handlers });
  expect((await call(`${url}/a*b`)).json).toEqual({ path: '/a*b', params: {} });
  expect((await call(`${url}/a%2Ab`)).json).toEqual({ path: '/a*b', params: {} });
  expect((await call(`${url}/axb`)).status).toBe(404);
  expect((await call(`${url}/files/notes*`)).json).toEqual({
    path: '/files/{name}*',
    params: { name: 'notes' },
  });
  expect((await call(`${url}/files/notes`)).status).toBe(404);
  expect((await call(`${url}/stars/**/7`)).json).toEqual({
    path: '/stars/**/{id}',
    params: { id: '7' },
  });
  expect((await call(`${url}/x(y)`)).json.path).toBe('/x(y)');
  expect((await call(`${url}/semi;colon`)).json.path).toBe('/semi;colon');
  expect((await call(`${url}/t:x*`)).json.path).toBe('/t:x*');
});

it('refuses at registration, with a SpecError naming it, a path with a literal ? or #', async () => {
  for (const path of ['/a?b', '/items/{id}#top']) {
    const api = await pathsApi([path, '/fine']);
    const app = Fastify();
    onTestFinished(() => app.close());
    const registered = app.register(macaronFastify, {
      api,
      handlers: { [`GET ${path}`]: () => ({}), 'GET /fine': () => ({}) },
    });
    const error = await registered.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error, path).toBeInstanceOf(SpecError);
    const pointer = `/paths/${path.replaceAll('/', '~1')}`;
    expect((error as SpecError).problems).toEqual([
      { pointer, message: expect.stringContaining('fastify') },
    ]);
    expect((error as Error).message).toContain(pointer);
  }
});
