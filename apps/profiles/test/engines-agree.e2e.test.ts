import { fileURLToPath } from 'node:url';
import { loadApi } from '@macaron/core';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../src/open-storage.js';
import { buildProfilesServer } from '../src/profiles-server.js';
import { readServiceConfig } from '../src/service-config.js';

// MACARON_BACKEND switches the service's engine: the same requests get the same answers on
// each (dynalite, memory, PGlite), but for the order of a listing, which is a scan (each
// engine orders a scan its own way, P-58), and for cursors, which open on their own engine
// only (P-96), even under one MACARON_CURSOR_KEY.

const spec = fileURLToPath(new URL('../apis/profiles.yaml', import.meta.url));
const secret = 'a-test-secret-that-is-at-least-32-bytes-long';
const auth = { secret, issuer: 'tests', audience: 'profiles', algorithms: ['HS256'] };
const cursorKey = 'one cursor key for every instance, whatever its engine';
const backends = ['dynamodb', 'memory', 'postgres'] as const;
const services = new Map<string, { storage: Storage; app: FastifyInstance; base: string }>();

beforeAll(async () => {
  for (const backend of backends) {
    const storage = await openStorage(readServiceConfig({ MACARON_BACKEND: backend }), {});
    const api = await loadApi(spec, { backend: storage.backend, cursorKey });
    await storage.backend.ensureTables?.(api.tables());
    const app = await buildProfilesServer({ api, auth });
    services.set(backend, { storage, app, base: await app.listen({ host: '127.0.0.1', port: 0 }) });
  }
}, 120_000);

afterAll(async () => {
  for (const { app, storage } of services.values()) {
    await app.close();
    await storage.stop();
  }
});

function token(subject: string): Promise<string> {
  return new SignJWT({ sub: subject })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('tests')
    .setAudience('profiles')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

async function call(backend: string, method: string, path: string, body?: unknown, as?: string) {
  const headers: Record<string, string> = {};
  if (as) headers.authorization = `Bearer ${await token(as)}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${services.get(backend)?.base}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

// What differs by time alone: a profile's creation time.
const timeless = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (name, item) => (name === 'created_at' ? 'time' : item));

describe('the service on each MACARON_BACKEND', () => {
  it('answers the same requests alike', async () => {
    const answers = new Map<string, unknown[]>();
    for (const backend of backends) {
      const steps: unknown[] = [];
      const step = async (...args: Parameters<typeof call>) =>
        steps.push(timeless(await call(...args)));
      for (const id of ['b', 'a', 'Z', 'é', '😀', 'a_b', '0'].map((n) => `p-${n.length}${n}`))
        await step(
          backend,
          'POST',
          '/profiles',
          { profile_id: id.replace(/[^\w-]/g, 'x'), name: `N ${id} 😀\u0301`, tags: ['', 'x'] },
          'ann',
        );
      await step(backend, 'POST', '/profiles', { profile_id: 'p-1b', name: 'again' }, 'ann');
      await step(backend, 'POST', '/profiles', { profile_id: 'bad id', name: 'x' }, 'ann');
      await step(backend, 'GET', '/profiles/p-1b');
      await step(backend, 'GET', '/profiles/p-1b');
      await step(backend, 'PATCH', '/profiles/p-1b', { email: 'b@example.com', tags: [] }, 'ann');
      await step(backend, 'PATCH', '/profiles/p-1b', { email: null }, 'ann');
      await step(backend, 'PATCH', '/profiles/p-1b', { name: 'x' }, 'bob');
      await step(backend, 'DELETE', '/profiles/p-1a', undefined, 'bob');
      await step(backend, 'DELETE', '/profiles/p-1a', undefined, 'ann');
      await step(backend, 'GET', '/profiles/p-1a');
      await step(backend, 'GET', '/profiles?limit=0');
      await step(backend, 'GET', '/profiles?cursor=');
      // Every profile once across pages of 2, in whatever order the engine scans.
      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await call(
          backend,
          'GET',
          `/profiles?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        const body = page.body as { items: { profile_id: string }[]; cursor?: string };
        listed.push(...body.items.map((item) => item.profile_id));
        cursor = body.cursor;
      } while (cursor);
      steps.push(listed.sort());
      answers.set(backend, steps);
    }
    expect(answers.get('memory')).toEqual(answers.get('dynamodb'));
    expect(answers.get('postgres')).toEqual(answers.get('dynamodb'));
    expect(answers.get('dynamodb')?.at(-1)).toHaveLength(6);
  });

  it("a listing's cursor from an instance on one engine is a 400 INVALID_CURSOR on another", async () => {
    for (const from of backends) {
      const page = await call(from, 'GET', '/profiles?limit=1');
      const cursor = (page.body as { cursor?: string }).cursor;
      expect(cursor).toBeDefined();
      for (const to of backends.filter((backend) => backend !== from)) {
        const there = await call(
          to,
          'GET',
          `/profiles?limit=1&cursor=${encodeURIComponent(String(cursor))}`,
        );
        expect([from, to, there.status, (there.body as { error?: string }).error]).toEqual([
          from,
          to,
          400,
          'INVALID_CURSOR',
        ]);
      }
      // On its own engine it goes on.
      expect(
        (await call(from, 'GET', `/profiles?limit=1&cursor=${encodeURIComponent(String(cursor))}`))
          .status,
      ).toBe(200);
    }
  });
});
