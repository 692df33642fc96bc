import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../../test/support/specs.js';
import { SpecError } from '../errors/spec-error.js';
import { loadApi } from '../index.js';
import { boundedSpecFetch } from './spec-fetch.js';

// A loopback server that answers each path as its handler says; `sent` counts the bytes of
// the endless answer, and `closed` tells when its reader hung up.
let server: Server;
let base: string;
let sent = 0;
let closed: Promise<void>;
const handlers: Record<string, (response: ServerResponse) => void> = {
  // Never answers at all.
  '/never.yaml': () => {},
  // Answers its head, then a byte a second, for ever.
  '/dribble.yaml': (response) => {
    response.writeHead(200, { 'content-type': 'application/yaml' });
    response.write('type: object\n');
    const timer = setInterval(() => response.write('#'), 1000);
    response.on('close', () => clearInterval(timer));
  },
  // 1 GB, streamed: never allocated, stopped as soon as the reader hangs up.
  '/gigabyte.yaml': (response) => {
    response.writeHead(200, { 'content-type': 'application/yaml' });
    const chunk = Buffer.alloc(64 * 1024, '#');
    sent = 0;
    closed = new Promise((done) => response.on('close', done));
    const pump = () => {
      while (sent < 1024 ** 3 && !response.destroyed) {
        sent += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      response.end();
    };
    pump();
  },
  // Says it is 200 MiB, and sends none of it.
  '/declared.yaml': (response) => {
    response.writeHead(200, { 'content-length': String(200 * 1024 * 1024) });
    response.flushHeaders();
  },
};

beforeAll(async () => {
  server = createServer((request, response) => handlers[request.url ?? '']?.(response));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const bounds = { timeoutMs: 200, maxBytes: 1024 * 1024 };

async function fetchRefusal(path: string): Promise<SpecError> {
  const error = await rejection(boundedSpecFetch(bounds)(`${base}${path}`));
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

describe('a spec file a $ref names by URL is fetched within bounds', () => {
  it.each([
    ['a server that never answers', '/never.yaml'],
    ['a server that answers a byte a second', '/dribble.yaml'],
  ])('%s: refused when the time is up', async (_label, path) => {
    const error = await fetchRefusal(path);
    expect(error.problems[0]!.message).toBe(
      `${base}${path} did not answer in full within 0.2 s: a $ref by URL is read within that time`,
    );
  });

  it('an endless answer (1 GB): refused once past the size, the connection closed', async () => {
    const error = await fetchRefusal('/gigabyte.yaml');
    expect(error.problems[0]!.message).toContain(
      'is larger than the 1048576 bytes a spec file may have (its answer went on past that)',
    );
    await closed;
    // What the server wrote before it saw the reader go: the socket's buffers, not the gigabyte.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('an answer that says it is too large: refused before its body is read', async () => {
    const error = await fetchRefusal('/declared.yaml');
    expect(error.problems[0]!.message).toContain('(its answer says 209715200 bytes)');
  });

  it('loadApi fetches so: the $ref to the too large answer is reported at the $ref, at once', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'macaron-fetch-'));
    const file = join(directory, 'api.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\ncomponents:\n  schemas:\n    Note: { $ref: "${base}/declared.yaml" }\n`,
    );
    try {
      const error = await rejection(loadApi(file));
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).problems).toEqual([
        expect.objectContaining({
          file,
          pointer: expect.stringMatching(/^\/components\/schemas\/Note/),
          message: expect.stringContaining(
            `${base}/declared.yaml is larger than the 134217728 bytes a spec file may have`,
          ),
        }),
      ]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
