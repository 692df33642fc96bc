import { writeFileSync } from 'node:fs';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { generateTypes } from '../src/generate/generate-types.js';
import { compileProject, temporaryProject } from './typescript-project.js';

// The generated handler types (probe 308) against what @macaron/fastify accepts from a handler
// and hands it. Each line of `uses` is something the adapter takes: it must compile.
const spec = {
  openapi: '3.0.3',
  info: { title: 'probe308', version: '1' },
  paths: {
    '/plain': {
      get: {
        operationId: 'getPlain',
        responses: {
          '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      },
    },
    '/pdf': {
      get: {
        operationId: 'getPdf',
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
    '/a': {
      get: {
        'x-bind-server': 'app.shared',
        responses: {
          '200': {
            description: 'ok',
            ...{
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { a: { type: 'integer' } },
                    additionalProperties: false,
                  },
                },
              },
            },
          },
          '201': {
            description: 'ok',
            ...{
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { b: { type: 'integer' } },
                    additionalProperties: false,
                  },
                },
              },
            },
          },
        },
      },
    },
    '/b': {
      get: {
        'x-bind-server': 'app.shared',
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { c: { type: 'integer' } },
                  additionalProperties: false,
                },
              },
            },
          },
        },
      },
    },
  },
};

const uses = `import type { Handlers } from './api.generated.js';
// README (fastify): a response without a JSON schema is sent as JSON all the same.
export const plain: Handlers['getPlain'] = () => 'text';
// README (fastify): send another media type yourself and return the reply.
export const pdf: Handlers['getPdf'] = ({ reply }) => reply.type('application/pdf').send(new Uint8Array([37]));
// Two operations share one handler: GET /a's 201 body (the adapter takes it with reply.code).
export const shared: Handlers['app.shared'] = ({ reply }) => { reply.code(201); return { b: 1 }; };
`;

describe('generated handler types take what the adapter takes from a handler', () => {
  // One project, compiled once; each use below is judged by the errors on its own line.
  let compiled: Promise<string> | undefined;
  const output = () =>
    (compiled ??= (async () => {
      const folder = temporaryProject({
        packages: ['core', 'fastify'],
        compilerOptions: { noEmit: true, noUnusedLocals: false },
        files: { 'src/uses.ts': uses },
      });
      try {
        const api = await loadApi(structuredClone(spec));
        writeFileSync(
          folder.file('src/api.generated.ts'),
          generateTypes(api, { source: 'api.yaml' }),
        );
        return (await compileProject(folder)).output;
      } finally {
        folder.remove();
      }
    })());
  const errorsOn = async (line: number) =>
    (await output()).split('\n').filter((text) => text.startsWith(`src/uses.ts(${line},`));

  it('lets a handler return a string for a text/plain response (sent as JSON)', async () => {
    expect(await errorsOn(3)).toEqual([]);
  }, 60_000);
  it('lets a handler return the reply it sent itself (README: return reply.type(...).send(...))', async () => {
    expect(await errorsOn(5)).toEqual([]);
  }, 60_000);
  it("lets a handler shared by operations (x-bind-server) return either operation's 2xx body", async () => {
    expect(await errorsOn(7)).toEqual([]);
  }, 60_000);
});
