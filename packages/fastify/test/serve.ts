import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { onTestFinished } from 'vitest';
import { type MacaronFastifyOptions, macaronFastify } from '../src/index.js';

/** A server listening on a free loopback port, closed when the test ends. */
export interface Served {
  /** Base URL, e.g. `http://127.0.0.1:53211`. */
  url: string;
  /** The fastify instance. */
  app: FastifyInstance;
}

/** Starts fastify with the plugin on a real socket and closes it after the current test. */
export async function serve(
  options: MacaronFastifyOptions,
  serverOptions: FastifyServerOptions = {},
): Promise<Served> {
  const app = Fastify(serverOptions);
  onTestFinished(() => app.close());
  await app.register(macaronFastify, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, app };
}

/** Sends a JSON body (or none) and returns the status and the parsed JSON reply. */
export async function call(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method: init.method ?? 'GET', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}
