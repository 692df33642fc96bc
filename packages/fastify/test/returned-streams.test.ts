import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { loadApi } from '@macaron/core';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { httpRequest, rawRequest } from './raw-request.js';
import { serve } from './serve.js';

const responses = {
  '/octets': { '200': { description: 'a file', content: { 'application/octet-stream': {} } } },
  '/json': {
    '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
  },
  '/nothing': { '200': { description: 'no content declared' } },
  '/fetched': { '200': { description: 'a fetch Response' } },
};
const octets = responses['/octets'];

// Open descriptors of this process, which serves the requests too (Linux).
const openDescriptors = () => readdirSync('/proc/self/fd').length;

async function streamServer() {
  const directory = mkdtempSync(join(tmpdir(), 'macaron-streams-'));
  const returned: Readable[] = [];
  // A file stream destroyed before its file opened still opens it, later: removing the folder
  // first fails that open, as an error thrown after the test, in whichever file runs then.
  onTestFinished(async () => {
    await Promise.all(
      returned.map(
        (stream) => stream.closed || new Promise((closed) => stream.once('close', closed)),
      ),
    );
    rmSync(directory, { recursive: true, force: true });
  });
  const file = join(directory, 'secret-report.bin');
  writeFileSync(file, 'PDF-bytes');
  const api = await loadApi({
    openapi: '3.0.3',
    info: { title: 'streams', version: '1' },
    paths: {
      ...Object.fromEntries(
        Object.entries(responses).map(([path, declared]) => [
          path,
          { get: { operationId: path.slice(1), responses: declared } },
        ]),
      ),
      '/sent': { get: { operationId: 'sent', responses: octets } },
    },
  });
  const cancelled: string[] = [];
  const webStream = (name: string) =>
    new ReadableStream({
      pull: (controller) => controller.enqueue(new TextEncoder().encode('bytes')),
      cancel: () => {
        cancelled.push(name);
      },
    });
  const fileStream = () => {
    const stream = createReadStream(file);
    returned.push(stream);
    return stream;
  };
  const causes: string[] = [];
  const { url } = await serve({
    api,
    handlers: {
      octets: fileStream,
      json: fileStream,
      // A web stream, as `Readable.toWeb` or `fetch`'s `response.body` give one.
      nothing: () => webStream('web stream'),
      // An upstream's answer handed on as it is.
      fetched: () => new Response(webStream('response body')),
      // How a handler sends another media type: the reply is its own.
      sent: ({ reply }) => reply.type('application/octet-stream').send(fileStream()),
    },
    onError: (error) => {
      causes.push(String((error.cause as Error | undefined)?.message));
    },
  });
  return { url, file, returned, cancelled, causes };
}

describe('a handler that returns a stream', () => {
  it('is answered 500 without anything of the stream, which is destroyed, unless the handler sends it itself', async () => {
    const { url, file, returned, cancelled, causes } = await streamServer();
    for (const path of Object.keys(responses)) {
      const reply = await rawRequest(url, httpRequest('GET', path));
      expect([path, reply.status, JSON.parse(reply.text)]).toEqual([
        path,
        500,
        {
          error: 'SERVER_ERROR',
          error_description: 'The server could not complete the request',
          status: 500,
        },
      ]);
      expect(reply.text).not.toContain(file);
    }
    // A stream the handler sends itself is sent, as fastify sends it.
    const sent = await rawRequest(url, httpRequest('GET', '/sent'));
    expect([sent.status, sent.headers['content-type'], sent.text]).toEqual([
      200,
      'application/octet-stream',
      expect.stringContaining('PDF-bytes'),
    ]);
    expect(returned.map((stream) => stream.destroyed)).toEqual([true, true, true]);
    expect(cancelled).toEqual(['web stream', 'response body']);
    expect(causes).toEqual(
      Object.keys(responses).map(
        (path) =>
          `${path.slice(1)} returned a stream, and a returned value is sent as JSON: send a body of another media type with \`return reply.type(…).send(stream)\``,
      ),
    );
  });

  it.runIf(existsSync('/proc/self/fd'))('leaks no file descriptor', async () => {
    const { url } = await streamServer();
    // One request first: the server's own descriptors are open from then on.
    await rawRequest(url, httpRequest('GET', '/octets'));
    const before = openDescriptors();
    for (let request = 0; request < 100; request++) {
      await rawRequest(url, httpRequest('GET', request % 2 === 0 ? '/octets' : '/json'));
    }
    // A file stream destroyed before its file opened closes it once open, which a loaded host
    // can delay: waited for, rather than slept on. A leak never closes, and still fails.
    await vi.waitFor(() => expect(openDescriptors() - before).toBeLessThan(5), { timeout: 10_000 });
  });
});
