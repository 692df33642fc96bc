import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { AccessDeniedError, loadApi, MacaronError, UnreachableError } from '@macaron/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetStatementNames } from '../../src/client/node-postgres-client.js';
import { createPostgresBackend, type PostgresBackendOptions } from '../../src/index.js';
import { type PostgresServer, startPostgresServer } from '../../src/local/index.js';

/*
 * A server as managed services run it: TLS only (pg_hba's hostssl; plain connections are
 * refused), SCRAM passwords, a certificate from an authority of their own. The certificates
 * are made here with the openssl command; the test is skipped without it.
 */
const openssl = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
})();

const spec = {
  openapi: '3.0.3',
  info: { title: 'over tls', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['owner', 'id'],
        'x-persist': { table: 'notes', key: 'owner', sort: 'id' },
        properties: {
          owner: { type: 'string' },
          id: { type: 'string' },
          count: { type: 'integer' },
        },
      },
    },
  },
};
type Note = { owner: string; id: string; count?: number };

/** Makes an authority, another one, and certificates it signs, in `folder`. */
function makeCertificates(folder: string): void {
  const ssl = (...args: string[]) =>
    execFileSync(openssl, args, { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] });
  for (const authority of ['authority', 'stranger'])
    ssl(
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30'],
      ...['-keyout', `${authority}.key`, '-out', `${authority}.crt`, '-subj', `/CN=${authority}`],
    );
  // `openssl ca` takes validity dates, so the expired one is made as every other (OpenSSL 1.1+).
  mkdirSync(join(folder, 'issued'));
  writeFileSync(join(folder, 'issued', 'index.txt'), '');
  writeFileSync(join(folder, 'issued', 'serial'), '1000\n');
  writeFileSync(
    join(folder, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = issuing',
      '[issuing]',
      'dir = issued',
      'database = issued/index.txt',
      'serial = issued/serial',
      'new_certs_dir = issued',
      'default_md = sha256',
      'policy = any',
      'copy_extensions = copy',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  const issue = (name: string, subject: string, names: string, from: string, until: string) => {
    ssl(
      ...['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`],
      ...['-subj', `/CN=${subject}`, ...(names ? ['-addext', `subjectAltName=${names}`] : [])],
    );
    ssl(
      ...['ca', '-batch', '-config', 'ca.cnf', '-cert', 'authority.crt', '-keyfile'],
      ...['authority.key', '-in', `${name}.csr`, '-out', `${name}.crt`],
      ...['-startdate', from, '-enddate', until],
    );
  };
  const now = Date.now();
  const stamp = (time: number) => `${new Date(time).toISOString().replace(/[-:T]|\.\d+/g, '')}`;
  const [from, until] = [stamp(now - 86_400_000), stamp(now + 30 * 86_400_000)];
  issue('server', 'localhost', 'IP:127.0.0.1,DNS:localhost', from, until);
  issue('elsewhere', 'db.example.com', 'DNS:db.example.com', from, until);
  issue('expired', 'localhost', 'IP:127.0.0.1,DNS:localhost', '20200101000000Z', '20200201000000Z');
  issue('future', 'localhost', 'IP:127.0.0.1,DNS:localhost', '20900101000000Z', '20900201000000Z');
  issue('client', 'postgres', '', from, until);
  // The server reads them as its own system user, and its key only if no one else can.
  chmodSync(folder, 0o755);
  if (userInfo().uid === 0) {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
    for (const name of ['server', 'elsewhere', 'expired', 'future'])
      for (const file of [`${name}.key`, `${name}.crt`])
        chownSync(join(folder, file), id('-u'), id('-g'));
  }
}

describe.skipIf(openssl === '')(
  'TLS on a PostgreSQL 17 server, hostssl only, SCRAM (skipped without the openssl command, which makes its certificates)',
  () => {
    let server: PostgresServer;
    let folder = '';
    let dataDir = '';
    let password = '';
    let admin: pg.Pool;
    let counter = 0;

    /** The server's URL with `parameters`, through TCP (the pg_hba rules below apply). */
    const url = (parameters: string, withPassword = password) => {
      const given = new URL(server.connectionString);
      given.password = withPassword;
      return `${given}${parameters}`;
    };
    const file = (name: string) => join(folder, name);

    /**
     * Serves `certificate` (none: TLS off) and the pg_hba rules that go with it, and waits
     * until a new session sees them: the postmaster reloads after pg_reload_conf() returns.
     */
    async function serve(certificate: string | undefined): Promise<void> {
      const on = certificate !== undefined;
      await admin.query(`ALTER SYSTEM SET ssl = ${on ? 'on' : 'off'}`);
      if (on) {
        await admin.query(`ALTER SYSTEM SET ssl_cert_file = '${file(`${certificate}.crt`)}'`);
        await admin.query(`ALTER SYSTEM SET ssl_key_file = '${file(`${certificate}.key`)}'`);
        await admin.query(`ALTER SYSTEM SET ssl_ca_file = '${file('authority.crt')}'`);
      }
      writeFileSync(
        join(dataDir, 'pg_hba.conf'),
        on
          ? 'local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n'
          : 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
      );
      await admin.query('SELECT pg_reload_conf()');
      const wanted = on ? `on ${file(`${certificate}.crt`)}` : 'off';
      for (let attempt = 0; ; attempt++) {
        const fresh = new pg.Client(socketConfig());
        await fresh.connect();
        const { rows } = await fresh.query(
          `SELECT current_setting('ssl') || CASE current_setting('ssl') WHEN 'on' THEN ' ' || current_setting('ssl_cert_file') ELSE '' END AS now`,
        );
        await fresh.end();
        if (rows[0].now === wanted) return;
        if (attempt === 500) throw new Error(`the server serves ${rows[0].now}, not ${wanted}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    // Through the server's Unix socket (pg_hba's `local`), which TLS does not concern.
    const socketConfig = () => ({
      host: dataDir,
      port: server.port,
      user: 'postgres',
      password,
      database: 'postgres',
    });

    /** The tables named `<prefix>…` the server holds. */
    async function tablesOf(prefix: string): Promise<string[]> {
      const { rows } = await admin.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND starts_with(tablename, $1)",
        [prefix],
      );
      return rows.map((row) => row.tablename as string);
    }

    /** Provisions, writes, reads a partition by pages and commits a transaction. */
    async function exercise(options: PostgresBackendOptions): Promise<void> {
      const tablePrefix = `tls${++counter}-`;
      const backend = createPostgresBackend(options);
      try {
        const api = await loadApi(spec, { backend, tablePrefix });
        await backend.ensureTables(api.tables());
        const Note = api.persistent<Note>('Note');
        await Note.create({ owner: 'o', id: 'a', count: 1 });
        await Note.saveMany([
          { owner: 'o', id: 'b' },
          { owner: 'o', id: 'c' },
        ]);
        await Note.update({ owner: 'o', id: 'a' }, { add: { count: 2 } });
        await api.transaction((t) => {
          t.delete(Note, { owner: 'o', id: 'b' });
          t.update(Note, { owner: 'o', id: 'c' }, { set: { count: 9 } });
        });
        const first = await Note.query({ partition: 'o', limit: 1 });
        const rest = await Note.query({ partition: 'o', cursor: first.cursor! });
        expect([...first.items, ...rest.items].map((note) => [note.id, note.count])).toEqual([
          ['a', 3],
          ['c', 9],
        ]);
      } finally {
        await backend.close();
      }
    }

    /** The error of provisioning through `options`, after which no table was made. */
    async function refusal(options: PostgresBackendOptions): Promise<Error> {
      const tablePrefix = `refused${++counter}-`;
      const backend = createPostgresBackend(options);
      const api = await loadApi(spec, { backend, tablePrefix });
      const error = await backend.ensureTables(api.tables()).then(
        () => new Error('provisioned'),
        (caught: unknown) => caught as Error,
      );
      await backend.close();
      expect(MacaronError.isInstance(error), error.message).toBe(true);
      expect(error.message).not.toContain(password);
      expect(await tablesOf(tablePrefix)).toEqual([]);
      return error;
    }

    beforeAll(async () => {
      forgetStatementNames();
      folder = mkdtempSync(join(tmpdir(), 'macaron-tls-'));
      makeCertificates(folder);
      server = await startPostgresServer();
      password = decodeURIComponent(new URL(server.connectionString).password);
      // The data directory (where the server's socket is) read over TCP before TLS is on; the
      // admin pool then uses the socket, also for connections it makes again after idling.
      const first = new pg.Client({ connectionString: server.connectionString });
      await first.connect();
      dataDir = (await first.query('SHOW data_directory')).rows[0].data_directory;
      await first.end();
      admin = new pg.Pool({ ...socketConfig(), max: 1 });
      // pool.end() resolves once it has asked its connection to close, not once it has: the
      // server's stop can still end it (57P01), an 'error' event that, unheard, fails the run.
      admin.on('error', () => undefined);
      await serve('server');
    }, 120_000);

    afterAll(async () => {
      await admin?.end();
      await server?.stop();
      if (folder) rmSync(folder, { recursive: true, force: true });
    });

    it('provisions, writes, pages and commits through every way of giving the authority: sslmode verify-full, verify-ca and require with sslrootcert, a client certificate, a pool with ssl: { ca } and one that verifies nothing', async () => {
      const authority = `sslrootcert=${file('authority.crt')}`;
      for (const mode of ['verify-full', 'verify-ca', 'require'])
        await exercise({ connectionString: url(`?sslmode=${mode}&${authority}`) });
      await exercise({
        connectionString: url(
          `?sslmode=verify-full&${authority}&sslcert=${file('client.crt')}&sslkey=${file('client.key')}`,
        ),
      });
      const ca = readFileSync(file('authority.crt'));
      for (const ssl of [{ ca, rejectUnauthorized: true }, { rejectUnauthorized: false }]) {
        await exercise({ connection: { connectionString: server.connectionString, ssl } });
        const pool = new pg.Pool({ connectionString: server.connectionString, ssl });
        pool.on('error', () => undefined);
        await exercise({ pool });
        await pool.end();
      }
      // Each session was encrypted: pg_hba refuses the others.
      const { rows } = await admin.query(
        "SELECT rule_number FROM pg_hba_file_rules WHERE type = 'hostnossl' AND auth_method = 'reject'",
      );
      expect(rows).toHaveLength(1);
    });

    it('a plain connection, which the server refuses, is an AccessDeniedError saying so; nothing is made', async () => {
      const error = await refusal({ connectionString: url('?sslmode=disable') });
      expect(AccessDeniedError.isInstance(error)).toBe(true);
      expect(error.message).toContain('no encryption');
    });

    it('a certificate the client cannot verify is an UnreachableError saying what to change, never the password; nothing is made', async () => {
      for (const [parameters, advice] of [
        ['?sslmode=verify-full', 'as sslrootcert=<file> in the connection string'],
        [`?sslmode=verify-full&sslrootcert=${file('stranger.crt')}`, 'as sslrootcert=<file>'],
      ] as const) {
        const error = await refusal({ connectionString: url(parameters) });
        expect(UnreachableError.isInstance(error), error.message).toBe(true);
        expect(error.message).toContain(advice);
      }
      const stranger = new pg.Pool({
        connectionString: server.connectionString,
        ssl: { ca: readFileSync(file('stranger.crt')) },
      });
      const error = await refusal({ pool: stranger });
      await stranger.end();
      expect(error.message).toContain('ssl: { ca }');
      try {
        await serve('elsewhere');
        const elsewhere = await refusal({
          connectionString: url(`?sslmode=verify-ca&sslrootcert=${file('authority.crt')}`),
        });
        expect(elsewhere.message).toContain('does not name the host connected to');
        await serve('expired');
        const expired = await refusal({
          connectionString: url(`?sslmode=verify-full&sslrootcert=${file('authority.crt')}`),
        });
        expect(expired.message).toContain('renew it on the server');
        await serve('future');
        const future = await refusal({
          connectionString: url(`?sslmode=verify-full&sslrootcert=${file('authority.crt')}`),
        });
        expect(future.message).toContain('out of its validity period');
        await serve(undefined);
        const plain = await refusal({ connectionString: url('?sslmode=require') });
        expect(UnreachableError.isInstance(plain), plain.message).toBe(true);
        expect(plain.message).toContain('or connect unencrypted with sslmode=disable');
      } finally {
        await serve('server');
      }
    });

    it('SCRAM-SHA-256: the right password is taken, a wrong one is an AccessDeniedError showing neither', async () => {
      const { rows } = await admin.query(
        "SELECT auth_method FROM pg_hba_file_rules WHERE type = 'hostssl'",
      );
      expect(rows).toEqual([{ auth_method: 'scram-sha-256' }]);
      const stored = await admin.query(
        "SELECT starts_with(rolpassword, 'SCRAM-SHA-256$') AS scram FROM pg_authid WHERE rolname = 'postgres'",
      );
      expect(stored.rows).toEqual([{ scram: true }]);
      const authority = `sslmode=verify-full&sslrootcert=${file('authority.crt')}`;
      await exercise({ connectionString: url(`?${authority}`) });
      const wrong = 'wrong-Secret-42';
      const error = await refusal({ connectionString: url(`?${authority}`, wrong) });
      expect(AccessDeniedError.isInstance(error), error.message).toBe(true);
      expect(error.message).toContain('password authentication failed for user "postgres"');
      expect(error.message).not.toContain(wrong);
    });
  },
);
