import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { failedStart, type ServiceProcess, silentServer, startService } from './start-service.js';

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

// README (Configuration): a bad value, or a place it cannot listen or reach, is one line on
// stderr and exit 1, naming the variable and quoting the value: never the bare system error.
describe('where it listens, and which AWS region', () => {
  const quiet = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

  it('names PORT when the port is in use, and says what to write', async () => {
    const other = createServer();
    other.listen(0, '127.0.0.1');
    await once(other, 'listening');
    onTestFinished(() => void other.close());
    const port = (other.address() as { port: number }).port;
    const { code, output } = await failedStart({ MACARON_BACKEND: 'memory', PORT: String(port) });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output.trim()).toMatch(
      new RegExp(
        `^profiles: cannot start: PORT "${port}" is in use on HOST "127\\.0\\.0\\.1".*PORT=0`,
      ),
    );
  }, 30_000);

  it('names HOST when it is no address of this machine', async () => {
    const { code, output } = await failedStart({
      MACARON_BACKEND: 'memory',
      HOST: 'no-such-host.invalid',
    });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output.trim()).toMatch(
      /^profiles: cannot start: HOST "no-such-host\.invalid" is not an address of this machine.*127\.0\.0\.1/,
    );
  }, 30_000);

  it('names AWS_REGION when DYNAMODB_ENDPOINT=aws finds no region, or a bad one', async () => {
    const aws = {
      ...quiet,
      DYNAMODB_ENDPOINT: 'aws',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
    const missing = await failedStart({ ...aws, AWS_REGION: '' });
    expect(missing.code).toBe(1);
    expect(missing.output.trim().split('\n')).toHaveLength(1);
    expect(missing.output.trim()).toMatch(
      /^profiles: cannot start: DYNAMODB_ENDPOINT=aws needs an AWS region.*AWS_REGION=/,
    );
    const bad = await failedStart({ ...aws, AWS_REGION: 'us east 1' });
    expect(bad.code).toBe(1);
    expect(bad.output.trim().split('\n')).toHaveLength(1);
    expect(bad.output.trim()).toMatch(
      /^profiles: cannot start: AWS_REGION must be a region name, as eu-west-1, not "us east 1"/,
    );
  }, 30_000);
});

// It takes no arguments: `pnpm start --port 9000` must not start on 8080 as if it had been heard.
describe('command-line arguments', () => {
  it('refuses any argument in one line pointing at the environment, and starts nothing', async () => {
    const { code, output } = await failedStart({ MACARON_BACKEND: 'memory' }, ['--port', '9000']);
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output.trim()).toMatch(
      /^profiles: cannot start: it takes no arguments \("--port" "9000"\): it is configured by environment variables, as PORT=9000 \(README: Configuration\)$/,
    );
  }, 30_000);

  // `make-token --help` must not print a token whose subject is "--help".
  it('make-token answers --help with its usage and reads no option as a subject', async () => {
    const maker = fileURLToPath(new URL('../dist/make-token.js', import.meta.url));
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [maker, ...args], {
        env: { ...process.env, JWT_SECRET: jwtSecret },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const help = await run(['--help']);
    expect([help.code, help.stdout]).toEqual([0, expect.stringMatching(/^usage: make-token /)]);
    const option = await run(['--sub=bob']);
    expect([option.code, option.stdout]).toEqual([2, '']);
    expect(option.stderr).toMatch(/^usage: make-token /);
    // A subject that starts with a dash comes after --.
    const dashed = await run(['--', '-bob']);
    expect(dashed.code).toBe(0);
    expect(dashed.stdout).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+\n$/);
  }, 30_000);

  it('answers --help with where the configuration is documented, and exits 0', async () => {
    const { code, output } = await failedStart({ MACARON_BACKEND: 'memory' }, ['--help']);
    expect(code).toBe(0);
    expect(output).toContain('README');
    expect(output).toContain('MACARON_BACKEND');
    expect(output).not.toContain('Profiles service on');
  }, 30_000);
});

// An endpoint that accepts connections and never answers: the requests' own timeouts (10 s,
// tried 3 times) would hold start-up for 30 s and end in the SDK's words. One line within
// seconds instead, naming the variable (README: Configuration).
describe('an endpoint that never answers', () => {
  const quiet = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

  /** failedStart, and how long it took in seconds. */
  async function timedFailedStart(environment: Record<string, string>) {
    const started = Date.now();
    const result = await failedStart(environment);
    return { ...result, seconds: (Date.now() - started) / 1000 };
  }

  it('names DYNAMODB_ENDPOINT, or the AWS_ENDPOINT_URL variable, and says no answer came within 5 s', async () => {
    const silent = await silentServer();
    onTestFinished(() => silent.close());
    const endpoint = `http://127.0.0.1:${silent.port}`;
    const [direct, viaAws] = await Promise.all([
      timedFailedStart({ ...quiet, DYNAMODB_ENDPOINT: endpoint }),
      timedFailedStart({
        ...quiet,
        DYNAMODB_ENDPOINT: 'aws',
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      }),
    ]);
    for (const [result, source] of [
      [direct, `DYNAMODB_ENDPOINT "${endpoint}"`],
      [viaAws, `AWS_ENDPOINT_URL_DYNAMODB "${endpoint}" (with DYNAMODB_ENDPOINT=aws)`],
    ] as const) {
      expect(result.code).toBe(1);
      expect(result.output.trim().split('\n')).toEqual([
        `profiles: cannot start: ${source}: DynamoDB did not answer within 5 s (ListTables): is it a DynamoDB endpoint, and is it up? Nothing was written`,
      ]);
      // 5 s, and the start of a process on a busy two-core machine: never the 30 s of before.
      expect(result.seconds).toBeLessThan(15);
    }
  }, 60_000);

  // node-postgres's connectionTimeoutMillis (5 s) bounds it already: kept so.
  it('names DATABASE_URL for a PostgreSQL server that never answers, within seconds, without echoing it', async () => {
    const silent = await silentServer();
    onTestFinished(() => silent.close());
    const password = 'not-the-password-7731';
    const result = await timedFailedStart({
      ...quiet,
      MACARON_BACKEND: 'postgres',
      DATABASE_URL: `postgres://u:${password}@127.0.0.1:${silent.port}/db`,
    });
    expect(result.code).toBe(1);
    expect(result.output.trim().split('\n')).toHaveLength(1);
    expect(result.output.trim()).toMatch(
      /^profiles: cannot start: DATABASE_URL: .*could not connect.*connection timeout/,
    );
    expect(result.output).not.toContain(password);
    expect(result.seconds).toBeLessThan(15);
  }, 60_000);
});

// `node dist/main.js` on Node 20: the AWS SDK's notice that its later versions will need Node
// 22 is no news to whoever runs this service (it pins its SDK and supports Node 20.19): it
// is not printed, whether or not the start script sets the variable. Other warnings are.
describe("the AWS SDK's Node support notice", () => {
  const unsupported = Number(process.versions.node.split('.')[0]) < 22;
  const refused = { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' };

  it('is not printed by node dist/main.js run directly', async () => {
    // The variable unset, as in a newcomer's shell (vitest's config sets it for its own process).
    const { code, output } = await failedStart({
      ...refused,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '',
    });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toMatch(/^profiles: cannot start: DYNAMODB_ENDPOINT /);
    expect(output).not.toContain('NodeVersionSupportWarning');
  }, 30_000);

  it.runIf(unsupported)(
    'is printed when the environment asks for it, and other warnings are too',
    async () => {
      const shown = await failedStart({
        ...refused,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false',
        NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent('process.emitWarning("another warning")')}`,
      });
      expect(shown.code).toBe(1);
      expect(shown.output).toContain('NodeVersionSupportWarning');
      expect(shown.output).toContain('Warning: another warning');
    },
    30_000,
  );
});
