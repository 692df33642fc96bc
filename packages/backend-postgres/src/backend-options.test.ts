import { PGlite } from '@electric-sql/pglite';
import { BackendError, InvalidRequestError, loadApi } from '@macaron/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend, type PostgresBackendOptions } from './index.js';

const client = {
  kind: 'test',
  query: async () => [],
  transaction: async () => undefined as never,
  close: async () => undefined,
};

describe('a connection string node-postgres cannot read', () => {
  // Each as node-postgres reads it (a client made from it, never connected): the backend takes
  // what it takes, and refuses the rest when it is made, not at every request as a 500.
  const texts = [
    'postgres://u:pw@127.0.0.1:5432/db',
    'postgresql://u:pw@db.internal/app?sslmode=disable&application_name=x',
    'postgres://u:p w@h/db',
    'postgres://u:%zz@h/db',
    'postgres://@/db',
    'postgres:///db?host=/var/run/postgresql',
    '/var/run/postgresql db',
    'socket:/var/run/postgresql?db=app',
    'postgres://[::1]:5432/db',
    'db.internal:5432/app',
    'postgres://u:pw@127.0.0.1:99999999/db',
    'postgres://u:pw@[::1/db',
    'postgres://u:pw@h:-1/db',
    'postgres://u:pw@h:port/db',
    'postgres://u:pw@exa mple.com:5432/db',
    'postgres://u:\ud800@h/db',
  ];
  it.each(texts)('%s', (text) => {
    let read = true;
    try {
      new pg.Client({ connectionString: text });
    } catch {
      read = false;
    }
    if (read) expect(() => createPostgresBackend({ connectionString: text })).not.toThrow();
    else {
      const refusal = () => createPostgresBackend({ connectionString: text });
      expect(refusal).toThrow(TypeError);
      expect(refusal).toThrow('not one node-postgres reads');
      expect(refusal).not.toThrow(/pw|99999999/);
    }
  });

  it('refuses at least the invalid port, and the backend never sends a request for it', () => {
    expect(() =>
      createPostgresBackend({ connectionString: 'postgres://u:pw@127.0.0.1:99999999/db' }),
    ).toThrow(TypeError);
    expect(() =>
      createPostgresBackend({
        connection: { connectionString: 'postgres://u:pw@127.0.0.1:99999999/db' },
      }),
    ).toThrow(TypeError);
  });
});

describe('connection options beside a connection string that replaces them', () => {
  // Each as node-postgres reads it (a client made, never connected): an option it keeps is
  // taken, one the string replaces (a password beside a URL without one, as an IAM token's
  // function; a port beside a URL without one, which connects to 5432) is a TypeError, never
  // dropped for the string's value, or for node-postgres's default and another database.
  const urls = [
    'postgres://127.0.0.1:1/db',
    'postgres://u:pw@127.0.0.1:1/db?sslmode=verify-full',
    'postgres://u@h/db?application_name=x&ssl=true',
    // A client certificate or key alone (node-postgres reads the file as it parses the string).
    `postgres://u@h/db?sslcert=${import.meta.filename}`,
    `postgres://u@h/db?sslkey=${import.meta.filename}`,
    // Direct TLS negotiation (PostgreSQL 17) alone: node-postgres makes its ssl `true`.
    'postgres://u@h/db?sslnegotiation=direct',
    'postgres://u@h/db?sslnegotiation=postgres',
    'postgres://u@h/db?sslnegotiation=postgres&sslnegotiation=direct',
    'socket:/var/run/postgresql?db=app',
    '/var/run/postgresql db',
    // No host before the path (read with a placeholder host): its parameters replace as well.
    'postgres://u@/db?host=h&sslmode=verify-full&application_name=x',
    'postgres://u@/db?host=h&sslnegotiation=direct',
  ];
  const options: [string, unknown][] = [
    ['user', 'app'],
    ['password', 'other'],
    ['password', () => 'token'],
    ['host', 'elsewhere'],
    ['port', 7777],
    ['database', 'other'],
    ['ssl', { ca: 'authority', rejectUnauthorized: true }],
    ['application_name', 'mine'],
    ['statement_timeout', 1000],
  ];
  for (const url of urls)
    it.each(options)(`${url} beside %s`, (name, value) => {
      const made = new pg.Client({ connectionString: url, [name]: value });
      const kept = (made as unknown as { connectionParameters: Record<string, unknown> })
        .connectionParameters[name];
      const create = () =>
        createPostgresBackend({ connection: { connectionString: url, [name]: value } });
      if (kept === value) expect(create).not.toThrow();
      else {
        expect(create).toThrow(TypeError);
        expect(create).toThrow(`its "${name}" would be ignored`);
        expect(create).not.toThrow(/pw/);
      }
    });
});

it('names each TLS parameter of the string once, given twice or more', () => {
  const create = () =>
    createPostgresBackend({
      connection: {
        connectionString:
          'postgres://u@h/db?sslmode=require&sslmode=verify-full&sslnegotiation=direct&sslnegotiation=direct',
        ssl: { ca: 'authority' },
      },
    });
  expect(create).toThrow(
    "from the connectionString's sslmode, sslnegotiation alone: give the certificate authority there too",
  );
});

// One persistent model, for the tests that reach an engine.
const thingSpec = {
  openapi: '3.0.3',
  info: { title: 'options', version: '1' },
  paths: {},
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'things', key: 'id' },
        properties: { id: { type: 'string' } },
      },
    },
  },
};

describe('createPostgresBackend options', () => {
  it.each([
    ['nothing', undefined, 'options object'],
    ['null', null, 'options object'],
    ['no way to connect', {}, 'exactly one of'],
    ['a typo', { connectionstring: 'postgres://x' }, 'no option "connectionstring"'],
    ['an undefined pool only', { pool: undefined }, 'exactly one of'],
    ['two ways', { client, connectionString: 'postgres://x' }, 'not connectionString and client'],
    ['a number for a connection string', { connectionString: 42 }, 'non-empty string'],
    ['an empty connection string', { connectionString: ' ' }, 'non-empty string'],
    ['null for a client', { client: null }, 'a SqlClient'],
    ['an object that is no client', { client: {} }, 'a SqlClient'],
    ['a pool that is no pool', { pool: { query() {} } }, 'a node-postgres Pool'],
    // Never connected: a client made, and one a pool would lend (its release added).
    ['a pg.Client', { pool: new pg.Client({ host: '127.0.0.1', port: 1 }) }, 'not a Client'],
    [
      "a pool's client",
      { pool: Object.assign(new pg.Client({ port: 1 }), { release() {} }) },
      'not a Client',
    ],
    ['poolSize without a connection string', { client, poolSize: 2 }, 'goes with connectionString'],
    ['maxAttempts of 0', { client, maxAttempts: 0 }, 'at least 1'],
    ['maxAttempts of "x"', { client, maxAttempts: 'x' }, 'at least 1'],
    ['capabilities that are no object', { client, capabilities: 5 }, 'must be an object'],
    ['connection options in a list', { connection: [] }, 'node-postgres pool options'],
    ['a typo in the connection options', { connection: { hots: 'db' } }, 'has no "hots"'],
    ['a batch get limit of 0', { client, capabilities: { maxBatchGet: 0 } }, 'maxBatchGet must be'],
    ['a batch write limit of -1', { client, capabilities: { maxBatchWrite: -1 } }, 'at least 1'],
    ['a fractional limit', { client, capabilities: { maxBatchWrite: 0.5 } }, 'not 0.5'],
    ['an unknown capability', { client, capabilities: { maxBatch: 5 } }, 'no "maxBatch"'],
  ])(
    'refuses %s with a TypeError, as every configuration mistake, before connecting',
    (_label, options, message) => {
      const create = () => createPostgresBackend(options as unknown as PostgresBackendOptions);
      expect(create).toThrow(TypeError);
      expect(create).not.toThrow(InvalidRequestError);
      expect(create).toThrow(message);
    },
  );

  it('takes each way of connecting, with its settings', async () => {
    for (const options of [
      { client, maxAttempts: 3, capabilities: { maxBatchWrite: 5 } },
      { connectionString: 'postgres://127.0.0.1:1/none', poolSize: 2 },
      { connection: { host: '127.0.0.1', port: 1 } },
    ] as PostgresBackendOptions[]) {
      const backend = createPostgresBackend(options);
      await backend.close();
      await backend.close();
    }
  });

  it('takes the way of connecting given beside the others set to undefined (`pool: config.pool`)', async () => {
    const database = await PGlite.create();
    try {
      const backend = createPostgresBackend({
        pglite: database,
        pool: undefined,
        client: undefined,
        connectionString: undefined,
        connection: undefined,
      } as unknown as PostgresBackendOptions);
      const api = await loadApi(thingSpec, { backend });
      await backend.ensureTables(api.tables());
      const Thing = api.persistent<{ id: string }>('Thing');
      await Thing.create({ id: 'a' });
      expect(await Thing.exists({ id: 'a' })).toBe(true);
      await backend.close();
    } finally {
      await database.close();
    }
    // PGlite compiles its WebAssembly on start: seconds on a busy machine.
  }, 60_000);

  it('takes a pool, a connection string or connection settings given beside the others set to undefined', async () => {
    // A port nothing listens on: each way reaches it, and says so, rather than taking an
    // undefined option for the one given (`pool: undefined` made every request a TypeError).
    const refusing = 'postgres://app@127.0.0.1:1/none';
    const pool = new pg.Pool({ connectionString: refusing });
    const undefinedOthers = {
      pglite: undefined,
      pool: undefined,
      client: undefined,
      connectionString: undefined,
      connection: undefined,
    };
    try {
      for (const given of [
        { pool },
        { connectionString: refusing },
        { connection: { host: '127.0.0.1', port: 1 } },
      ]) {
        const backend = createPostgresBackend({
          ...undefinedOthers,
          ...given,
        } as unknown as PostgresBackendOptions);
        const api = await loadApi(thingSpec, { backend });
        const error = await api
          .persistent('Thing')
          .load('a')
          .catch((caught: unknown) => caught);
        expect(error, Object.keys(given)[0]).toBeInstanceOf(BackendError);
        expect(error, Object.keys(given)[0]).toMatchObject({
          code: 'UNREACHABLE',
          message: expect.stringMatching(/ECONNREFUSED 127\.0\.0\.1:1\b/),
        });
        await backend.close();
      }
    } finally {
      await pool.end();
    }
  });

  it('says why it could not connect, without the password', async () => {
    const backend = createPostgresBackend({
      connectionString: 'postgres://app:s3cret@127.0.0.1:1/none',
    });
    const api = await loadApi(thingSpec, { backend });
    const error = await api
      .persistent('Thing')
      .load('a')
      .catch((caught: unknown) => caught);
    await backend.close();
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: 'UNREACHABLE', status: 503 });
    expect((error as Error).message).toMatch(
      /could not connect \(nothing was sent\): .*ECONNREFUSED/,
    );
    expect((error as Error).message).not.toContain('s3cret');
  });
});
