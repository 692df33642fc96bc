import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { loadApi } from '@macaron/core';
import type { FastifyInstance } from 'fastify';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../src/open-storage.js';
import { buildProfilesServer } from '../src/profiles-server.js';
import { readServiceConfig } from '../src/service-config.js';

// No credential or token reaches a log line, an error report or a response: the service
// runs with logging at `info`, every output is captured, and the test greps it for every
// token it sent and for the JWT secret.

const spec = fileURLToPath(new URL('../apis/profiles.yaml', import.meta.url));
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const secret = 'security-test-secret-0123456789-abcdefghij';
const otherSecret = 'an-attacker-secret-0123456789-abcdefghijk';
const cursorKey = 'security-test-cursor-key-0123456789-abcdef';
const issuer = 'security-tests';
const audience = 'profiles';

function sign(
  key: string,
  claims: { exp?: number | string | null; iss?: string; sub?: string | null } = {},
): Promise<string> {
  // null leaves the claim out.
  const jwt = new SignJWT(claims.sub === null ? {} : { sub: claims.sub ?? 'tester' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(claims.iss ?? issuer)
    .setAudience(audience)
    .setIssuedAt();
  if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? '1h');
  return jwt.sign(new TextEncoder().encode(key));
}

interface Sent {
  /** Every credential sent, to look for in what came back. */
  secrets: string[];
  /** Every response: status, headers and body as text. */
  responses: string[];
}

/** Sends valid, expired, forged, unsigned and malformed tokens to every operation. */
async function exercise(base: string): Promise<Sent> {
  const valid = await sign(secret);
  const expired = await sign(secret, { exp: Math.floor(Date.now() / 1000) - 3600 });
  const forged = await sign(otherSecret);
  const wrongIssuer = await sign(secret, { iss: 'someone-else' });
  // Valid signatures that are refused later: another owner (403), no sub (403), no exp (401).
  const otherOwner = await sign(secret, { sub: 'someone-else' });
  const noSubject = await sign(secret, { sub: null });
  const noExpiry = await sign(secret, { exp: null });
  const unsigned = new UnsecuredJWT({ sub: 'tester' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setExpirationTime('1h')
    .encode();
  const garbage = 'not-a-jwt-but-a-credential-ZXhhbXBsZQ';
  const truncated = valid.slice(0, -10);
  const tokens = [
    valid,
    expired,
    forged,
    wrongIssuer,
    otherOwner,
    noSubject,
    noExpiry,
    unsigned,
    garbage,
    truncated,
  ];
  const headers = [
    ...tokens.map((token) => `Bearer ${token}`),
    `Basic ${Buffer.from(`user:${garbage}`).toString('base64')}`,
    `Bearer ${valid} trailing`,
    garbage,
  ];
  const responses: string[] = [];
  const send = async (method: string, path: string, authorization: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    responses.push(
      `${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`,
    );
    return response.status;
  };
  expect(await send('POST', '/profiles', `Bearer ${valid}`, { profile_id: 'sec', name: 'S' })).toBe(
    201,
  );
  for (const authorization of headers) {
    await send('POST', '/profiles', authorization, { profile_id: 'sec', name: 'Taken' });
    await send('POST', '/profiles', authorization, { profile_id: 'sec2', name: 42 });
    await send('PATCH', '/profiles/sec', authorization, { name: 'Changed' });
    await send('PATCH', '/profiles/missing', authorization, { name: 'Nobody' });
    await send('DELETE', '/profiles/missing', authorization);
    await send('GET', '/profiles/sec', authorization);
    await send('GET', '/profiles?limit=1000', authorization);
    await send('GET', '/profiles?limit=1&cursor=not-a-cursor', authorization);
    await send('GET', '/profiles/not%20a%20key', authorization);
    await send('GET', '/nowhere', authorization);
  }
  // Each credential whole, and its signature alone (a log that cut the token would still leak it).
  const secrets = [
    secret,
    cursorKey,
    ...tokens,
    ...tokens.map((token) => token.split('.')[2]).filter((part): part is string => !!part),
    Buffer.from(`user:${garbage}`).toString('base64'),
  ];
  return { secrets, responses };
}

function leaks(text: string, secrets: string[]): string[] {
  return secrets.filter((candidate) => candidate.length >= 16 && text.includes(candidate));
}

describe('no credential in logs, error reports or responses', () => {
  describe('the service process, logging at info', () => {
    let child: ChildProcess;
    let output = '';
    let base = '';

    beforeAll(async () => {
      child = spawn(process.execPath, [main], {
        env: {
          ...process.env,
          PORT: '0',
          LOG_LEVEL: 'info',
          JWT_SECRET: secret,
          MACARON_CURSOR_KEY: cursorKey,
          JWT_ISSUER: issuer,
          JWT_AUDIENCE: audience,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk) => (output += chunk));
      child.stderr?.on('data', (chunk) => (output += chunk));
      while (!/Profiles service on (http:\/\/\S+),/.test(output)) {
        if (child.exitCode !== null) throw new Error(`the service exited: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      base = /Profiles service on (http:\/\/\S+),/.exec(output)![1]!;
    }, 30_000);

    afterAll(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    });

    it('logs requests and errors, and none of the tokens or the secret', async () => {
      const { secrets, responses } = await exercise(base);
      child.kill('SIGTERM');
      await once(child, 'exit');
      // The capture is real: fastify logged each request at info.
      expect(output).toMatch(/"msg":"incoming request"/);
      expect(output).toMatch(/"statusCode":401/);
      expect(output).toMatch(/"statusCode":403/);
      expect(leaks(output, secrets)).toEqual([]);
      expect(leaks(responses.join('\n'), secrets)).toEqual([]);
    }, 30_000);
  });

  describe('in process, with every error fastify handles recorded', () => {
    let storage: Storage;
    let app: FastifyInstance;
    let base: string;
    const reports: string[] = [];

    beforeAll(async () => {
      storage = await openStorage(readServiceConfig({}), {});
      const api = await loadApi(spec, { backend: storage.backend, cursorKey });
      await storage.backend.ensureTables?.(api.tables());
      app = await buildProfilesServer({
        api,
        auth: { secret, issuer, audience, algorithms: ['HS256'] },
      });
      app.addHook('onError', async (_request, _reply, error) => {
        reports.push(describeError(error));
      });
      base = await app.listen({ host: '127.0.0.1', port: 0 });
    });

    afterAll(async () => {
      await app?.close();
      await storage?.stop();
    });

    it('no error, message, cause or property carries a token or the secret', async () => {
      const { secrets, responses } = await exercise(base);
      expect(reports.length).toBeGreaterThan(20);
      expect(leaks(reports.join('\n'), secrets)).toEqual([]);
      expect(leaks(responses.join('\n'), secrets)).toEqual([]);
    });
  });
});

/** The error as a log serializer could see it: message, stack, own properties, causes. */
function describeError(error: unknown, depth = 0): string {
  if (depth > 5 || error === null || typeof error !== 'object') return String(error);
  const parts = [String((error as Error).message), String((error as Error).stack)];
  for (const name of Object.getOwnPropertyNames(error)) {
    const value = (error as Record<string, unknown>)[name];
    parts.push(name === 'cause' ? describeError(value, depth + 1) : safeJson(value));
  }
  return parts.join('\n');
}

function safeJson(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
