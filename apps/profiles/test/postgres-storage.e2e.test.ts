import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPostgresBackend } from '@macaron/backend-postgres';
import { type PostgresServer, startPostgresServer } from '@macaron/backend-postgres/local';
import { loadApi } from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedStart, type ServiceProcess, startService } from './start-service.js';

// MACARON_BACKEND=postgres switches the service to PostgreSQL: PGlite in the process by
// default, or the server DATABASE_URL names. The same requests behave the same on both.
async function exercise(service: ServiceProcess): Promise<void> {
  const read = async () =>
    (await (await fetch(`${service.url}/profiles/demo`)).json()) as { view_count: number };
  const first = await read();
  const second = await read();
  expect(second.view_count).toBe(first.view_count + 1);
  const token = /Bearer ([\w.-]+)/.exec(service.output())?.[1];
  expect(token).toBeDefined();
  const created = await fetch(`${service.url}/profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ profile_id: 'ann', name: 'Ann' }),
  });
  expect(created.status).toBe(201);
  const listed = await (await fetch(`${service.url}/profiles`)).json();
  expect(JSON.stringify(listed)).toContain('"ann"');
  const missing = await fetch(`${service.url}/profiles/nobody`);
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as { error?: string }).error).toBeDefined();
}

describe('the service on PostgreSQL', { timeout: 120_000 }, () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('runs on the embedded PGlite with MACARON_BACKEND=postgres alone', async () => {
    const service = await startService({ MACARON_BACKEND: 'postgres' });
    try {
      expect(service.output()).toContain('an embedded PostgreSQL (PGlite, in memory)');
      await exercise(service);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it('refuses a DATABASE_URL whose ?schema= node-postgres would ignore: one line naming the variable, exit 1, the URL not echoed', async () => {
    const password = 'not-the-password-4713';
    const { code, output } = await failedStart({
      MACARON_BACKEND: 'postgres',
      DATABASE_URL: `postgres://u:${password}@127.0.0.1:${server.port}/db?schema=orders`,
    });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output.trim()).toMatch(
      /^profiles: cannot start: DATABASE_URL: the connection string's \?schema= parameter is not node-postgres's/,
    );
    expect(output).not.toContain(password);
  });

  it('runs on the PostgreSQL server DATABASE_URL names', async () => {
    const service = await startService({
      MACARON_BACKEND: 'postgres',
      DATABASE_URL: server.connectionString,
    });
    try {
      expect(service.output()).toContain(`PostgreSQL at 127.0.0.1:${server.port}`);
      expect(service.output()).not.toContain(server.connectionString);
      await exercise(service);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  // README (Load test): on the server DATABASE_URL names, in tables of its own, dropped at the
  // end; the service's profiles (the test above made them) are neither counted nor touched.
  it('runs the load script on the PostgreSQL server DATABASE_URL names, and drops its tables', async () => {
    const script = fileURLToPath(new URL('../load/run-load.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      env: {
        ...process.env,
        MACARON_BACKEND: 'postgres',
        DATABASE_URL: server.connectionString,
        LOAD_SECONDS: '1',
        LOAD_CONNECTIONS: '2',
        LOAD_PROFILES: '3',
      },
      timeout: 60_000,
    });
    const prefix = new RegExp(
      `^load: storing in PostgreSQL at 127\\.0\\.0\\.1:${server.port}, tables (load_\\w+_)profiles$`,
      'm',
    ).exec(stdout)?.[1];
    expect(prefix).toBeDefined();
    expect(stdout).toContain('load: PASS');
    expect(stdout).not.toContain(server.connectionString);
    const backend = createPostgresBackend({
      connection: { connectionString: server.connectionString },
    });
    try {
      const spec = fileURLToPath(new URL('../apis/profiles.yaml', import.meta.url));
      const run = await loadApi(spec, { backend, tablePrefix: prefix });
      const [plan] = await backend.planTables(run.tables());
      expect(plan?.changes.map((change) => change.action)).toEqual(['created']);
      const service = await loadApi(spec, { backend });
      const page = await service.persistent('Profile').scan({ limit: 100 });
      const ids = page.items.map((item) => String(item.profile_id)).sort();
      expect(ids).toEqual(['ann', 'demo']);
    } finally {
      await backend.close();
    }
  });
});
