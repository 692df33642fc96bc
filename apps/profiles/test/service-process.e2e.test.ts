import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { failedStart, type ServiceProcess, startService } from './start-service.js';

// The service as `pnpm start` runs it: configuration from the environment, over real sockets.

const jwtSecret = 'process-test-secret-0123456789-abcdefghij';
const cursorKey = 'cursor-key-one-0123456789-abcdefghijklmnop';
const nextCursorKey = 'cursor-key-two-0123456789-abcdefghijklmnop';

function token(subject: string): Promise<string> {
  return new SignJWT({ sub: subject })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('macaron-profiles')
    .setAudience('macaron-profiles')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(jwtSecret));
}

async function json(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The first page (limit 1) from one instance. */
async function firstPage(service: ServiceProcess) {
  return json(`${service.url}/profiles?limit=1`);
}

describe('secrets and keys from the environment', () => {
  it('refuses a JWT_SECRET under 32 bytes in one line that names it, without echoing it', async () => {
    const short = 'short-but-not-32-bytes';
    const { code, output } = await failedStart({ JWT_SECRET: short });
    expect(code).toBe(1);
    expect(output.trim()).toMatch(
      /^profiles: cannot start: JWT_SECRET must be at least 32 bytes \(it has 22\)/,
    );
    expect(output).not.toContain(short);
  }, 30_000);

  it('refuses a short MACARON_CURSOR_KEY or previous key, without echoing it', async () => {
    const short = 'a-cursor-key-too-short';
    const current = await failedStart({ MACARON_CURSOR_KEY: short });
    expect(current.code).toBe(1);
    expect(current.output).toMatch(
      /cannot start: MACARON_CURSOR_KEY must be at least 32 characters/,
    );
    const previous = await failedStart({
      MACARON_CURSOR_KEY: cursorKey,
      MACARON_PREVIOUS_CURSOR_KEYS: `${nextCursorKey},${short}`,
    });
    expect(previous.code).toBe(1);
    expect(previous.output).toMatch(/MACARON_PREVIOUS_CURSOR_KEYS \(key 2\) must be at least 32/);
    expect(current.output + previous.output).not.toContain(short);
  }, 30_000);

  it("with the application's JWT_SECRET, prints a line that makes a token in the shell, and curl lines that use it", async () => {
    const service = await startService({ JWT_SECRET: jwtSecret, MACARON_BACKEND: 'memory' });
    onTestFinished(() => service.stop().then(() => undefined));
    const output = service.output();
    expect(output).not.toContain('Generated for this process only: JWT_SECRET');
    const make = /^ {2}(export TOKEN=.*)$/m.exec(output)?.[1];
    expect(make).toBeDefined();
    const post = /^ {2}(curl -s -X POST .*)$/m.exec(output)?.[1];
    expect(post).toContain('-H "Authorization: Bearer $TOKEN"');
    // Both lines pasted into one shell, with the service's secret in its environment.
    const { stdout } = await promisify(execFile)('sh', ['-c', `${make}\n${post}`], {
      env: { ...process.env, JWT_SECRET: jwtSecret },
    });
    expect(JSON.parse(stdout)).toMatchObject({ profile_id: 'ann', owner: 'newcomer' });
    // Without the secret, the maker says why it has no token, and fails.
    const maker = /node '([^']+)'/.exec(make ?? '')?.[1] ?? '';
    const refused = await promisify(execFile)(process.execPath, [maker, 'newcomer'], {
      env: { ...process.env, JWT_SECRET: undefined },
    }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in refused && refused.code).toBe(1);
    expect(refused.stderr).toMatch(/JWT_SECRET is not set/);
  }, 60_000);

  it('shares cursors between instances with one key, and reads the previous key while rotating', async () => {
    // Instance A runs the embedded engine; B and C are more instances on the same tables.
    const a = await startService({ JWT_SECRET: jwtSecret, MACARON_CURSOR_KEY: cursorKey });
    onTestFinished(async () => void (await a.stop()));
    const endpoint = a.engineEndpoint!;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const owner = await token('user-pages');
    for (const id of ['page1', 'page2', 'page3']) {
      const created = await json(`${a.url}/profiles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
        body: JSON.stringify({ profile_id: id, name: id }),
      });
      expect(created.status).toBe(201);
    }
    const [b, c] = await Promise.all([
      startService({
        DYNAMODB_ENDPOINT: endpoint,
        JWT_SECRET: jwtSecret,
        MACARON_CURSOR_KEY: cursorKey,
      }),
      startService({
        DYNAMODB_ENDPOINT: endpoint,
        JWT_SECRET: jwtSecret,
        MACARON_CURSOR_KEY: nextCursorKey,
        MACARON_PREVIOUS_CURSOR_KEYS: cursorKey,
      }),
    ]);
    onTestFinished(async () => void (await Promise.all([b.stop(), c.stop()])));

    const page = await firstPage(a);
    expect([page.status, page.body.items.length, typeof page.body.cursor]).toEqual([
      200,
      1,
      'string',
    ]);
    const next = `/profiles?limit=1&cursor=${encodeURIComponent(page.body.cursor)}`;
    const fromA = await json(`${a.url}${next}`);
    // Same key: B continues A's listing exactly where A would.
    const onB = await json(`${b.url}${next}`);
    expect(onB.status).toBe(200);
    expect(onB.body.items).toEqual(fromA.body.items);
    // Rotated: C encrypts with the new key and still opens cursors made with the previous one.
    const onC = await json(`${c.url}${next}`);
    expect(onC.status).toBe(200);
    expect(onC.body.items).toEqual(fromA.body.items);
    // A does not know C's new key: its cursors are refused there, without detail.
    const pageOnC = await firstPage(c);
    const refused = await json(
      `${a.url}/profiles?limit=1&cursor=${encodeURIComponent(pageOnC.body.cursor)}`,
    );
    expect([refused.status, refused.body.error]).toEqual([400, 'INVALID_CURSOR']);
  }, 60_000);
});
