import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type Api, loadApi } from '@macaron/core';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../src/open-storage.js';
import { buildProfilesServer } from '../src/profiles-server.js';
import { readServiceConfig } from '../src/service-config.js';
import { failedStart } from './start-service.js';

// End to end over a real socket, on the embedded DynamoDB engine (dynalite).

const spec = fileURLToPath(new URL('../apis/profiles.yaml', import.meta.url));
const secret = 'a-test-secret-that-is-at-least-32-bytes-long';
const auth = { secret, issuer: 'tests', audience: 'profiles', algorithms: ['HS256'] };

let storage: Storage;
let api: Api;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  storage = await openStorage(readServiceConfig({}), {});
  api = await loadApi(spec, { backend: storage.backend });
  await storage.backend.ensureTables?.(api.tables());
  app = await buildProfilesServer({ api, auth });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await storage?.stop();
});

function token(
  claims: { exp?: number | null; iss?: string; sub?: string | null } = {},
  key = secret,
): Promise<string> {
  // null leaves the claim out.
  const jwt = new SignJWT(claims.sub === null ? {} : { sub: claims.sub ?? 'tester' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(claims.iss ?? 'tests')
    .setAudience('profiles')
    .setIssuedAt();
  if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? '1h');
  return jwt.sign(new TextEncoder().encode(key));
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

  it('answers HEAD as GET, without a body, and counts no view', async () => {
    await call('POST', '/profiles', {
      token: await token(),
      body: { profile_id: 'heady', name: 'Heady' },
    });
    for (let probe = 0; probe < 3; probe++)
      expect((await call('HEAD', '/profiles/heady')).status).toBe(200);
    expect((await call('HEAD', '/profiles/nobody')).status).toBe(404);
    expect((await call('GET', '/profiles/heady')).body.view_count).toBe(1);
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
    // A cursor blanked on the way is refused, never read as "from the start" (a client would loop).
    const blank = await call('GET', '/profiles?limit=2&cursor=');
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ error: 'INVALID_CURSOR' });
    expect((await call('DELETE', '/profiles/cat', { token: write })).status).toBe(204);
    expect((await call('DELETE', '/profiles/cat', { token: write })).status).toBe(404);
  });

  it('answers 401 TOKEN_INVALID for a token without exp, and writes nothing', async () => {
    const eternal = await call('POST', '/profiles', {
      token: await token({ exp: null }),
      body: { profile_id: 'eternal', name: 'Eternal' },
    });
    expect(eternal).toEqual({
      status: 401,
      body: {
        error: 'TOKEN_INVALID',
        error_description: 'The token has no exp claim',
        status: 401,
      },
    });
    expect((await call('GET', '/profiles/eternal')).status).toBe(404);
  });

  it('answers the PyMacaron ping', async () => {
    expect(await call('GET', '/ping')).toEqual({ status: 200, body: {} });
  });
});

describe('profiles belong to the subject that created them', () => {
  const notOwner = (id: string) => ({
    status: 403,
    body: {
      error: 'NOT_PROFILE_OWNER',
      error_description: `Profile ${id} belongs to another subject, or to none`,
      user_message: 'Only the owner of this profile may change it',
      status: 403,
    },
  });

  it("stores the token's subject as owner, and shows it", async () => {
    const created = await call('POST', '/profiles', {
      token: await token({ sub: 'user-dan' }),
      body: { profile_id: 'dan', name: 'Dan' },
    });
    expect([created.status, created.body.owner]).toEqual([201, 'user-dan']);
    expect((await call('GET', '/profiles/dan')).body.owner).toBe('user-dan');
  });

  it('lets no body set or change the owner (400), and writes nothing', async () => {
    const set = await call('POST', '/profiles', {
      token: await token({ sub: 'user-mallory' }),
      body: { profile_id: 'fay', name: 'Fay', owner: 'user-fay' },
    });
    expect([set.status, set.body.error]).toEqual([400, 'INVALID_PARAMETER']);
    expect((await call('GET', '/profiles/fay')).status).toBe(404);
    await call('POST', '/profiles', {
      token: await token({ sub: 'user-gil' }),
      body: { profile_id: 'gil', name: 'Gil' },
    });
    const change = await call('PATCH', '/profiles/gil', {
      token: await token({ sub: 'user-gil' }),
      body: { owner: 'user-mallory' },
    });
    expect([change.status, change.body.error]).toEqual([400, 'INVALID_PARAMETER']);
    expect((await call('GET', '/profiles/gil')).body.owner).toBe('user-gil');
  });

  it('answers 403 NOT_PROFILE_OWNER to another subject on change and delete; the owner may', async () => {
    await call('POST', '/profiles', {
      token: await token({ sub: 'user-hal' }),
      body: { profile_id: 'hal', name: 'Hal' },
    });
    const other = await token({ sub: 'user-mallory' });
    expect(
      await call('PATCH', '/profiles/hal', { token: other, body: { name: 'Hijacked' } }),
    ).toEqual(notOwner('hal'));
    expect(await call('DELETE', '/profiles/hal', { token: other })).toEqual(notOwner('hal'));
    expect((await call('GET', '/profiles/hal')).body).toMatchObject({
      name: 'Hal',
      owner: 'user-hal',
    });
    const owner = await token({ sub: 'user-hal' });
    const changed = await call('PATCH', '/profiles/hal', { token: owner, body: { name: 'Hally' } });
    expect([changed.status, changed.body.name, changed.body.owner]).toEqual([
      200,
      'Hally',
      'user-hal',
    ]);
    expect((await call('DELETE', '/profiles/hal', { token: owner })).status).toBe(204);
    // A missing profile is still a 404, for anyone.
    expect((await call('DELETE', '/profiles/hal', { token: other })).status).toBe(404);
    expect(
      (await call('PATCH', '/profiles/hal', { token: other, body: { name: 'X' } })).status,
    ).toBe(404);
  });

  it('lets nobody change or delete a profile without an owner', async () => {
    // Written straight to the store, as the demo profile and profiles older than owners are.
    await api.persistent('Profile').create({
      profile_id: 'legacy',
      name: 'Legacy',
      view_count: 0,
      created_at: new Date().toISOString(),
    });
    for (const sub of ['tester', 'legacy', 'undefined']) {
      const caller = await token({ sub });
      expect(
        await call('PATCH', '/profiles/legacy', { token: caller, body: { name: 'Mine' } }),
      ).toEqual(notOwner('legacy'));
      expect(await call('DELETE', '/profiles/legacy', { token: caller })).toEqual(
        notOwner('legacy'),
      );
    }
    const kept = await call('GET', '/profiles/legacy');
    expect([kept.body.name, kept.body.owner]).toEqual(['Legacy', undefined]);
  });

  it('answers 403 TOKEN_SUBJECT_MISSING to a subject that is not well-formed text, and writes nothing', async () => {
    for (const [sub, id] of [
      ['\ud800', 'lone'],
      ['ali\u0000ce', 'nul'],
    ] as const) {
      const created = await call('POST', '/profiles', {
        token: await token({ sub }),
        body: { profile_id: id, name: 'X' },
      });
      expect([created.status, created.body.error]).toEqual([403, 'TOKEN_SUBJECT_MISSING']);
      expect((await call('GET', `/profiles/${id}`)).status).toBe(404);
    }
  });

  it('answers 403 TOKEN_SUBJECT_MISSING to a token without sub, and writes nothing', async () => {
    const anonymous = await token({ sub: null });
    const created = await call('POST', '/profiles', {
      token: anonymous,
      body: { profile_id: 'nemo', name: 'Nemo' },
    });
    expect(created).toEqual({
      status: 403,
      body: {
        error: 'TOKEN_SUBJECT_MISSING',
        error_description: 'The token has no subject (sub): it cannot own a profile',
        user_message: 'Sign in with an account to change profiles',
        status: 403,
      },
    });
    expect((await call('GET', '/profiles/nemo')).status).toBe(404);
    const changed = await call('PATCH', '/profiles/nemo', {
      token: anonymous,
      body: { name: 'X' },
    });
    expect([changed.status, changed.body.error]).toEqual([403, 'TOKEN_SUBJECT_MISSING']);
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

  // README (Configuration): an endpoint that cannot be reached is one line naming the variable
  // and quoting the value, except DATABASE_URL, which is never echoed.
  it('names the variable that gave the endpoint it cannot reach, and quotes its value', async () => {
    const quiet = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const direct = await failedStart({ ...quiet, DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });
    expect(direct.code).toBe(1);
    expect(direct.output.trim()).toMatch(
      /^profiles: cannot start: DYNAMODB_ENDPOINT "http:\/\/127\.0\.0\.1:9": .*cannot be reached/,
    );
    const viaAws = await failedStart({
      ...quiet,
      DYNAMODB_ENDPOINT: 'aws',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    expect(viaAws.code).toBe(1);
    expect(viaAws.output.trim()).toMatch(
      /^profiles: cannot start: AWS_ENDPOINT_URL_DYNAMODB "http:\/\/127\.0\.0\.1:9" \(with DYNAMODB_ENDPOINT=aws\): .*cannot be reached/,
    );
    const password = 'not-the-password-5521';
    const postgres = await failedStart({
      ...quiet,
      MACARON_BACKEND: 'postgres',
      DATABASE_URL: `postgres://u:${password}@127.0.0.1:9/db`,
    });
    expect(postgres.code).toBe(1);
    expect(postgres.output.trim().split('\n')).toHaveLength(1);
    expect(postgres.output.trim()).toMatch(/^profiles: cannot start: DATABASE_URL: .*connect/);
    expect(postgres.output).not.toContain(password);
  }, 60_000);

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
    expect(output).toContain('Generated for this process only: JWT_SECRET, MACARON_CURSOR_KEY');
    // The printed create and change lines work as a newcomer types them.
    const printed = /Authorization: Bearer ([\w.-]+)"/.exec(output)?.[1];
    const headers = { authorization: `Bearer ${printed}`, 'content-type': 'application/json' };
    const created = await fetch(`${url}/profiles`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ profile_id: 'ann', name: 'Ann' }),
    });
    expect([created.status, ((await created.json()) as { owner: string }).owner]).toEqual([
      201,
      'newcomer',
    ]);
    expect(output).toContain(`curl -s -X PATCH ${url}/profiles/ann`);
    const changed = await fetch(`${url}/profiles/ann`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ name: 'Annie' }),
    });
    expect(changed.status).toBe(200);
    // The demo profile has no owner: not even the demo token may change it.
    const demoChange = await fetch(`${url}/profiles/demo`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ name: 'Mine' }),
    });
    expect(demoChange.status).toBe(403);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output).toContain('Stopped.');
  }, 30_000);
});
