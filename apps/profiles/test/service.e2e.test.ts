import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { loadApi } from '@macaron/core';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../src/open-storage.js';
import { buildProfilesServer } from '../src/profiles-server.js';
import { readServiceConfig } from '../src/service-config.js';

// End to end over a real socket, on the embedded DynamoDB engine (dynalite).

const spec = fileURLToPath(new URL('../apis/profiles.yaml', import.meta.url));
const secret = 'a-test-secret-that-is-at-least-32-bytes-long';
const auth = { secret, issuer: 'tests', audience: 'profiles', algorithms: ['HS256'] };

let storage: Storage;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  storage = await openStorage(readServiceConfig({}), {});
  const api = await loadApi(spec, { backend: storage.backend });
  await storage.backend.ensureTables?.(api.tables());
  app = await buildProfilesServer({ api, auth });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await storage?.stop();
});

function token(claims: { exp?: number; iss?: string } = {}, key = secret): Promise<string> {
  const jwt = new SignJWT({ sub: 'tester' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(claims.iss ?? 'tests')
    .setAudience('profiles')
    .setIssuedAt();
  return jwt.setExpirationTime(claims.exp ?? '1h').sign(new TextEncoder().encode(key));
}

async function call(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; raw?: string; type?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.raw !== undefined)
    headers['content-type'] = options.type ?? 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('the profiles service over HTTP', () => {
  it('creates a profile, then each get counts a view: 1, then 2', async () => {
    const created = await call('POST', '/profiles', {
      token: await token(),
      body: { profile_id: 'ann', name: 'Ann' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ profile_id: 'ann', name: 'Ann', view_count: 0 });
    expect((await call('GET', '/profiles/ann')).body.view_count).toBe(1);
    expect((await call('GET', '/profiles/ann')).body.view_count).toBe(2);
  });

  it('answers 404 in PyMacaron error JSON for an unknown profile', async () => {
    expect(await call('GET', '/profiles/nobody')).toEqual({
      status: 404,
      body: {
        error: 'USER_NOT_FOUND',
        error_description: 'No profile nobody',
        user_message: 'This user does not exist',
        status: 404,
      },
    });
  });

  it('answers 400 INVALID_PARAMETER for a bad body and for a body that is not JSON', async () => {
    const bad = await call('POST', '/profiles', {
      token: await token(),
      body: { profile_id: 'bob', name: 42, extra: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('INVALID_PARAMETER');
    const notJson = await call('POST', '/profiles', {
      token: await token(),
      raw: '{"profile_id":',
    });
    expect(notJson.status).toBe(400);
    expect((await call('GET', '/profiles/bob')).status).toBe(404);
  });

  it('answers 401 for a missing, an expired and an invalid token, and writes nothing', async () => {
    const body = { profile_id: 'eve', name: 'Eve' };
    const missing = await call('POST', '/profiles', { body });
    const expired = await call('POST', '/profiles', {
      body,
      token: await token({ exp: Math.floor(Date.now() / 1000) - 3600 }),
    });
    const forged = await call('POST', '/profiles', {
      body,
      token: await token({}, 'another-secret-that-is-at-least-32-bytes'),
    });
    const wrongIssuer = await call('POST', '/profiles', {
      body,
      token: await token({ iss: 'someone-else' }),
    });
    expect(
      [missing, expired, forged, wrongIssuer].map((reply) => [reply.status, reply.body.error]),
    ).toEqual([
      [401, 'AUTHORIZATION_HEADER_MISSING'],
      [401, 'TOKEN_EXPIRED'],
      [401, 'TOKEN_INVALID'],
      [401, 'TOKEN_INVALID'],
    ]);
    expect((await call('GET', '/profiles/eve')).status).toBe(404);
  });

  it('counts exactly 50 views for 50 concurrent gets', async () => {
    await call('POST', '/profiles', {
      token: await token(),
      body: { profile_id: 'busy', name: 'Busy' },
    });
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => call('GET', '/profiles/busy')),
    );
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    expect(new Set(replies.map((reply) => reply.body.view_count)).size).toBe(50);
    expect((await call('GET', '/profiles/busy')).body.view_count).toBe(51);
  });

  it('changes, lists and deletes profiles', async () => {
    const write = await token();
    await call('POST', '/profiles', {
      token: write,
      body: { profile_id: 'cat', name: 'Cat', email: 'cat@example.com' },
    });
    const changed = await call('PATCH', '/profiles/cat', {
      token: write,
      body: { name: 'Kitty', email: null },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ profile_id: 'cat', name: 'Kitty' });
    expect(changed.body.email).toBeUndefined();
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await call(
        'GET',
        `/profiles?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      for (const profile of page.body.items) seen.add(profile.profile_id);
      cursor = page.body.cursor;
    } while (cursor);
    expect(seen.has('cat')).toBe(true);
    expect((await call('DELETE', '/profiles/cat', { token: write })).status).toBe(204);
    expect((await call('DELETE', '/profiles/cat', { token: write })).status).toBe(404);
  });

  it('answers the PyMacaron ping', async () => {
    expect(await call('GET', '/ping')).toEqual({ status: 200, body: {} });
  });
});

describe('the service process', () => {
  const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

  it('says in one line that it cannot reach a configured endpoint, and exits 1', async () => {
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    const lines = errors.split('\n').filter((line) => line.startsWith('profiles:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot start: .*cannot be reached/);
    expect(errors).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('starts with zero configuration and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, PORT: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    while (!output.includes('Ctrl-C stops it.')) await once(child.stdout, 'data');
    const url = /curl -s (http:\/\/\S+)\/profiles\/demo/.exec(output)?.[1];
    const demo = (await (await fetch(`${url}/profiles/demo`)).json()) as { profile_id: string };
    expect(demo.profile_id).toBe('demo');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output).toContain('Stopped.');
  }, 30_000);
});
