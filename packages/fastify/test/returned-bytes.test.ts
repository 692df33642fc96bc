import { runInNewContext } from 'node:vm';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { call, serve } from './serve.js';

const bytes = [0, 1, 0xfe, 0xff];
const base64 = Buffer.from(bytes).toString('base64');

// Every way a handler may hold bytes: each is sent as a Buffer is, base64 in the JSON reply.
const returned: Record<string, () => unknown> = {
  buffer: () => Buffer.from(bytes),
  uint8array: () => new Uint8Array(bytes),
  arraybuffer: () => new Uint8Array(bytes).buffer,
  // A view of part of a larger buffer: only its own bytes.
  dataview: () => new DataView(new Uint8Array([9, ...bytes, 9]).buffer, 1, bytes.length),
  blob: () => new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }),
  file: () => new File([new Uint8Array(bytes)], 'report.pdf'),
  // Of another realm, as a vm context (Jest, Vitest's vmThreads) or jsdom's Uint8Array (Vitest's
  // jsdom environment, beside Node's Buffer) gives them: bytes all the same.
  foreignUint8array: () => runInNewContext(`new Uint8Array(${JSON.stringify(bytes)})`),
  foreignArraybuffer: () => runInNewContext(`new Uint8Array(${JSON.stringify(bytes)}).buffer`),
  foreignDataview: () =>
    runInNewContext(
      `new DataView(new Uint8Array([9, ...${JSON.stringify(bytes)}, 9]).buffer, 1, 4)`,
    ),
};

async function bytesServer(validateResponses: boolean) {
  const ok = (schema?: unknown) => ({
    '200': {
      description: 'ok',
      content: { 'application/json': schema === undefined ? {} : { schema } },
    },
  });
  const paths: Record<string, unknown> = {};
  const handlers: Record<string, () => unknown> = {};
  for (const [name, value] of Object.entries(returned)) {
    paths[`/described/${name}`] = {
      get: {
        operationId: `described_${name}`,
        responses: ok({ type: 'string', format: 'binary' }),
      },
    };
    paths[`/undescribed/${name}`] = {
      get: { operationId: `undescribed_${name}`, responses: ok() },
    };
    paths[`/inside/${name}`] = {
      get: {
        operationId: `inside_${name}`,
        responses: ok({
          type: 'object',
          properties: { data: { type: 'string', format: 'binary' } },
        }),
      },
    };
    handlers[`described_${name}`] = value;
    handlers[`undescribed_${name}`] = value;
    handlers[`inside_${name}`] = () => ({ data: value() });
  }
  const causes: string[] = [];
  const { url } = await serve({
    api: await loadApi({ openapi: '3.0.3', info: { title: 'bytes', version: '1' }, paths }),
    handlers,
    validateResponses,
    onError: (error) => {
      causes.push(String((error.cause as Error | undefined)?.message));
    },
  });
  const get = (path: string) =>
    call(`${url}${path}`).then(({ status, json, headers }) => [
      path,
      status,
      headers.get('content-type'),
      json,
    ]);
  return { get, causes };
}

describe('a handler that returns bytes', () => {
  it('has them sent base64, as a Buffer, in a Blob, a File, an ArrayBuffer or a DataView', async () => {
    for (const validate of [true, false]) {
      const { get } = await bytesServer(validate);
      for (const name of Object.keys(returned)) {
        for (const [path, json] of [
          [`/described/${name}`, base64],
          [`/undescribed/${name}`, base64],
        ] as const) {
          expect([validate, ...(await get(path))]).toEqual([
            validate,
            path,
            200,
            'application/json; charset=utf-8',
            json,
          ]);
        }
      }
    }
  });

  it('has them sent base64 within the response, but a Blob, whose bytes a 500 asks for', async () => {
    for (const validate of [true, false]) {
      const { get, causes } = await bytesServer(validate);
      for (const name of Object.keys(returned)) {
        const path = `/inside/${name}`;
        const blob = name === 'blob' || name === 'file';
        expect([validate, ...(await get(path))]).toEqual([
          validate,
          path,
          blob ? 500 : 200,
          'application/json; charset=utf-8',
          blob ? expect.objectContaining({ error: 'SERVER_ERROR' }) : { data: base64 },
        ]);
      }
      expect(causes).toEqual([
        expect.stringContaining('the response holds a Blob'),
        expect.stringContaining('the response holds a Blob'),
      ]);
    }
  });
});
