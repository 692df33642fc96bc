import { type AddressInfo, createServer, type Socket } from 'node:net';
import { createPostgresBackend } from '@macaron/backend-postgres';
import { type PostgresServer, startPostgresServer } from '@macaron/backend-postgres/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';
import { profilesSpec } from './sample-specs.js';

// The same spec without its indexes: a table made before the spec gained them.
const withoutIndexes = profilesSpec.replace(
  / {8}indexes:\n {10}byEmail: \{ key: email \}\n {10}byCountry: \{ key: country, sort: age \}\n/,
  '',
);
// Attribute names a spec written by someone else may hold: a line break that would start a
// plan line of its own, an escape sequence that would colour the terminal, bidi controls.
const hostileKey = 'a\n+ create evil (key pwn)\nPlan: 0 to create\u001b[31m';
const hostileTtl = 'exp\u2028\u202eires';
const hostileSpec = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'hostile', version: '1' },
  paths: {},
  components: {
    schemas: {
      Hostile: {
        type: 'object',
        required: [hostileKey],
        'x-persist': { table: 'hostile', key: hostileKey, ttl: hostileTtl },
        properties: { [hostileKey]: { type: 'string' }, [hostileTtl]: { type: 'integer' } },
      },
    },
  },
});
const folder = temporaryFolder({
  'hostile.json': hostileSpec,
  'profiles.yaml': profilesSpec,
  'without-indexes.yaml': withoutIndexes,
});
let server: PostgresServer;
let runs = 0;

beforeAll(async () => {
  server = await startPostgresServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
  folder.remove();
});

function uniquePrefix(): string {
  runs += 1;
  return `p${runs}_${Math.random().toString(36).slice(2, 8)}_`;
}

function tables(prefix: string, command: string, spec = 'profiles.yaml', ...args: string[]) {
  return runMacaron(
    [
      'tables',
      command,
      spec,
      '--database-url',
      server.connectionString,
      '--prefix',
      prefix,
      ...args,
    ],
    { cwd: folder.path },
  );
}

async function sql(text: string, parameters: unknown[] = []) {
  const backend = createPostgresBackend({ connectionString: server.connectionString });
  try {
    return await backend.client.query(text, parameters);
  } finally {
    await backend.close();
  }
}

const relations = async (prefix: string) =>
  (
    await sql(`SELECT relname AS name FROM pg_class WHERE relname LIKE $1 ORDER BY relname`, [
      `${prefix}%`,
    ])
  ).map((row) => String(row.name));

describe('macaron tables --database-url (PostgreSQL)', () => {
  it('plans, creates idempotently and deletes the tables of the spec', async () => {
    expect(withoutIndexes).not.toBe(profilesSpec);
    const prefix = uniquePrefix();
    const plan = await tables(prefix, 'plan');
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    expect(plan.stdout).toBe(
      [
        `+ create ${prefix}profiles (key profile_id (string); indexes byEmail, byCountry)`,
        `- TTL on ${prefix}profiles (expires_at): the engine has no TTL; items will not expire`,
        `+ create ${prefix}events (key stream (string), seq (number))`,
        'Plan: 2 to create, 0 to change, 0 unchanged.',
        '',
      ].join('\n'),
    );
    expect(await relations(prefix)).toEqual([]);

    const created = await tables(prefix, 'create');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toBe(
      [
        `created ${prefix}profiles`,
        `no TTL on ${prefix}profiles: PostgreSQL has no expiry; items will not expire by expires_at`,
        `created ${prefix}events`,
        '',
      ].join('\n'),
    );
    expect(await relations(prefix)).toEqual(
      expect.arrayContaining([`${prefix}events`, `${prefix}profiles`]),
    );
    const again = await tables(prefix, 'create');
    expect(again.stdout).toContain(`unchanged ${prefix}events\n`);
    expect((await tables(prefix, 'plan')).stdout).toContain(
      'Plan: 0 to create, 0 to change, 2 unchanged.',
    );

    // Asked even on this machine: a local port may be a tunnel to production.
    const unconfirmed = await tables(prefix, 'delete');
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('pass --yes to confirm');
    expect(await relations(prefix)).toContain(`${prefix}events`);
    const deleted = await tables(prefix, 'delete', 'profiles.yaml', '--yes');
    expect(deleted).toMatchObject({ code: 0, stderr: '' });
    expect(deleted.stdout).toBe(`deleted ${prefix}profiles\ndeleted ${prefix}events\n`);
    expect(await relations(prefix)).toEqual([]);
    expect((await tables(prefix, 'delete', 'profiles.yaml', '--yes')).stdout).toBe(
      `absent ${prefix}profiles\nabsent ${prefix}events\n`,
    );
  });

  it('two creates at once: each table is "created" by one of them and "unchanged" by the other', async () => {
    const prefix = uniquePrefix();
    const runs = await Promise.all([tables(prefix, 'create'), tables(prefix, 'create')]);
    for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = runs.flatMap((run) => run.stdout.trim().split('\n'));
    for (const table of [`${prefix}profiles`, `${prefix}events`]) {
      expect(lines.filter((line) => line === `created ${table}`)).toHaveLength(1);
      expect(lines.filter((line) => line === `unchanged ${table}`)).toHaveLength(1);
    }
  });

  it('plans and adds the indexes a spec gained', async () => {
    const prefix = uniquePrefix();
    expect((await tables(prefix, 'create', 'without-indexes.yaml')).code).toBe(0);
    const plan = await tables(prefix, 'plan');
    expect(plan.stdout).toContain(`~ add index byEmail to ${prefix}profiles\n`);
    expect(plan.stdout).toContain(`~ add index byCountry to ${prefix}profiles\n`);
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to change, 1 unchanged.');
    const created = await tables(prefix, 'create');
    expect(created.stdout).toContain(`added index byEmail to ${prefix}profiles\n`);
    expect(await relations(prefix)).toEqual(
      expect.arrayContaining([`${prefix}profiles:byEmail`, `${prefix}profiles:byCountry`]),
    );
  });

  it("plans and makes the renames of an earlier version's names", async () => {
    const prefix = uniquePrefix();
    const table = `${prefix}profiles`;
    expect((await tables(prefix, 'create')).code).toBe(0);
    // The names versions before 2026-12-01 gave: PostgreSQL's `<table>_pkey`, `<table>.<index>`.
    await sql(`ALTER TABLE "${table}" RENAME CONSTRAINT "${table}#pkey" TO "${table}_pkey"`);
    await sql(`ALTER INDEX "${table}:byEmail" RENAME TO "${table}.byEmail"`);
    const plan = await tables(prefix, 'plan');
    expect(plan.stdout).toContain(`~ rename primary key of ${table} (an earlier version's name)\n`);
    expect(plan.stdout).toContain(
      `~ rename index byEmail of ${table} (an earlier version's name)\n`,
    );
    // A rename is a change of the table's.
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to change, 1 unchanged.');
    expect(plan.stdout).not.toContain(`unchanged ${table}\n`);
    const created = await tables(prefix, 'create');
    expect(created.stdout).toContain(`renamed primary key of ${table}\n`);
    expect(created.stdout).toContain(`renamed index byEmail of ${table}\n`);
    expect(await relations(prefix)).toEqual(
      expect.arrayContaining([`${table}#pkey`, `${table}:byEmail`]),
    );
    expect((await tables(prefix, 'plan')).stdout).toContain(`= unchanged ${table}\n`);
  });

  it('a table made for another key: plan says how it differs and exits 1; create changes no table', async () => {
    const prefix = uniquePrefix();
    await sql(
      `CREATE TABLE "${prefix}events" (stream integer, seq numeric, item jsonb NOT NULL, item_types jsonb, PRIMARY KEY (stream, seq))`,
    );
    const plan = await tables(prefix, 'plan');
    expect(plan.code).toBe(1);
    // One line on stderr, nothing on stdout: create's refusal, word for word.
    expect(plan.stdout).toBe('');
    expect(plan.stderr).toMatch(
      new RegExp(`^macaron: Table ${prefix}events differs from the spec: [^\n]*stream[^\n]*\n$`),
    );
    const created = await tables(prefix, 'create');
    expect(created).toEqual(plan);
    expect(await relations(prefix)).toEqual([`${prefix}events`, `${prefix}events_pkey`]);
  });

  it('names holding line breaks, escape sequences or bidi controls are shown quoted: one plan line per change, nothing a spec can forge', async () => {
    const prefix = uniquePrefix();
    const key = JSON.stringify(hostileKey);
    // JSON.stringify leaves U+2028 and the bidi controls as they are: they are escaped too.
    const ttl = '"exp\\u2028\\u202eires"';
    const plan = await tables(prefix, 'plan', 'hostile.json');
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    expect(plan.stdout).toBe(
      [
        `+ create ${prefix}hostile (key ${key} (string))`,
        `- TTL on ${prefix}hostile (${ttl}): the engine has no TTL; items will not expire`,
        'Plan: 1 to create, 0 to change, 0 unchanged.',
        '',
      ].join('\n'),
    );
    const created = await tables(prefix, 'create', 'hostile.json');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toBe(
      [
        `created ${prefix}hostile`,
        `no TTL on ${prefix}hostile: PostgreSQL has no expiry; items will not expire by ${ttl}`,
        '',
      ].join('\n'),
    );
    // A table another client made, keyed by a column of such a name: the refusal is one line.
    const other = `${prefix}hostile2`;
    await sql(
      `CREATE TABLE "${other}" ("x\n+ create evil\u001b[31m" text PRIMARY KEY, item jsonb NOT NULL, item_types jsonb)`,
    );
    folder.write('hostile2.json', hostileSpec.replace('"table":"hostile"', '"table":"hostile2"'));
    const differing = await tables(prefix, 'plan', 'hostile2.json');
    expect(differing.code).toBe(1);
    expect(differing.stdout).toBe('');
    // One line, the names escaped: no line break, no escape character.
    expect(differing.stderr).toMatch(/^macaron: Table [^\n]+ differs from the spec: [^\n]*\n$/);
    expect(differing.stderr).not.toContain('\u001b');
    expect(differing.stderr).toContain('x\\u000a+ create evil\\u001b[31m');
    const refused = await tables(prefix, 'create', 'hostile2.json');
    expect(refused).toEqual(differing);
  });

  it('refuses a wrong URL or a DynamoDB option beside it (exit 2); an unreachable server is one line without the password (exit 1)', async () => {
    const wrong = await runMacaron(
      ['tables', 'plan', 'profiles.yaml', '--database-url', 'http://secret:pw@127.0.0.1:1/db'],
      { cwd: folder.path },
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--database-url must be a postgres:// or postgresql:// URL');
    expect(wrong.stderr).not.toContain('pw@');
    // A space the shell kept: new URL() drops it, the driver would read another host.
    const spaced = await runMacaron(
      ['tables', 'plan', 'profiles.yaml', '--database-url', ` ${server.connectionString}`],
      { cwd: folder.path },
    );
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toContain('--database-url must not begin or end with spaces');
    // node-postgres's Unix socket form, as the profiles service's DATABASE_URL takes it: tried
    // (no server listens in that folder), not refused as a usage error.
    const socket = await runMacaron(
      ['tables', 'plan', 'profiles.yaml', '--database-url', 'socket:/nonexistent-folder?db=app'],
      { cwd: folder.path },
    );
    expect(socket.code).toBe(1);
    expect(socket.stderr).not.toContain('--database-url must be');
    const both = await runMacaron(
      [
        'tables',
        'plan',
        'profiles.yaml',
        '--database-url',
        server.connectionString,
        '--endpoint',
        'http://127.0.0.1:8000',
      ],
      { cwd: folder.path },
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give one or the other');
    const withRegion = await runMacaron(
      [
        'tables',
        'plan',
        'profiles.yaml',
        '--database-url',
        server.connectionString,
        '--region',
        'eu-west-1',
      ],
      { cwd: folder.path },
    );
    expect(withRegion).toMatchObject({ code: 2, stdout: '' });
    expect(withRegion.stderr).toContain('give one or the other');
    // A URL that does not parse (a # in the password) is not echoed.
    const unparsed = await runMacaron(
      ['tables', 'plan', 'profiles.yaml', '--database-url', 'postgres://u:pa#ss@127.0.0.1:1/db'],
      { cwd: folder.path },
    );
    expect(unparsed.code).toBe(2);
    expect(unparsed.stderr).not.toContain('pa#ss');
    const password = 'not-the-password-4711';
    const unreachable = await runMacaron(
      [
        'tables',
        'plan',
        'profiles.yaml',
        '--database-url',
        `postgres://u:${password}@127.0.0.1:1/db`,
      ],
      { cwd: folder.path },
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('could not connect');
    expect(unreachable.stderr).not.toContain(password);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a URL with a schema parameter node-postgres would ignore is wrong usage (exit 2), not an unexpected failure', async () => {
    const password = 'not-the-password-4712';
    const run = await runMacaron(
      [
        'tables',
        'plan',
        'profiles.yaml',
        '--database-url',
        `postgres://u:${password}@127.0.0.1:1/db?schema=orders`,
      ],
      { cwd: folder.path },
    );
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain("--database-url: the connection string's ?schema= parameter");
    expect(run.stderr).toContain('search_path');
    expect(run.stderr).not.toContain('unexpected failure');
    expect(run.stderr).not.toContain(password);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a server that takes the connection and never answers: exit 1 after the connection timeout, not a hang', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const run = await runMacaron(
        ['tables', 'plan', 'profiles.yaml', '--database-url', `postgres://u@127.0.0.1:${port}/db`],
        { cwd: folder.path },
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('connection timeout');
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 40_000);
});
