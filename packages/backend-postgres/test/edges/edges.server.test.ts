import {
  AccessDeniedError,
  BackendError,
  BatchIncompleteError,
  InvalidRequestError,
  loadApi,
  TransactionCanceledError,
} from '@macaron/core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';
import { describeEdges } from './describe-edges.js';

const engine = useServerEngine();

describeEdges({
  backend: () => createPostgresBackend({ pool: engine().pool }),
  sql: () => engine().sql,
  deepLevels: 10_000,
});

it('on a database whose default isolation is SERIALIZABLE, contended updates all land', async () => {
  // The backend's transactions ask for READ COMMITTED, whatever the session's default.
  const pool = new pg.Pool({
    connectionString: engine().server.connectionString,
    options: '-c default_transaction_isolation=serializable',
    max: 8,
  });
  pool.on('error', () => undefined);
  try {
    const backend = createPostgresBackend({ pool });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'serializable', version: '1.0.0' },
        paths: {},
        components: {
          schemas: {
            Counter: {
              type: 'object',
              required: ['id'],
              'x-persist': { table: 'serializable_counters', key: 'id' },
              properties: { id: { type: 'string' }, hits: { type: 'integer' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const Counter = api.persistent<{ id: string; hits?: number }>('Counter');
    await Counter.create({ id: 'c', hits: 0 });
    const workers = Array.from({ length: 8 }, async () => {
      for (let hit = 0; hit < 25; hit++) await Counter.update('c', { add: { hits: 1 } });
    });
    await Promise.all(workers);
    expect((await Counter.load('c')).hits).toBe(200);
  } finally {
    await pool.end();
  }
}, 60_000);

it('two transactions that each check that the other’s key is free commit one at a time (no write skew)', async () => {
  // Row locks lock nothing where a row is absent; the backend locks the keys themselves.
  const backend = createPostgresBackend({ pool: engine().pool });
  const api = await loadApi(
    {
      openapi: '3.0.3',
      info: { title: 'write skew', version: '1.0.0' },
      paths: {},
      components: {
        schemas: {
          Slot: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'write_skew_slots', key: 'id' },
            properties: { id: { type: 'string' }, who: { type: 'string' } },
          },
        },
      },
    },
    { backend },
  );
  await backend.ensureTables(api.tables());
  const Slot = api.persistent<{ id: string; who?: string }>('Slot');
  const rounds = 30;
  let bothCommitted = 0;
  for (let round = 0; round < rounds; round++) {
    const outcomes = await Promise.allSettled([
      api.transaction((transaction) => {
        transaction.check(Slot, `a${round}`, { attr: 'id', exists: false });
        transaction.create(new Slot({ id: `b${round}`, who: 'first' }));
      }),
      api.transaction((transaction) => {
        transaction.check(Slot, `b${round}`, { attr: 'id', exists: false });
        transaction.create(new Slot({ id: `a${round}`, who: 'second' }));
      }),
    ]);
    if (outcomes.every((outcome) => outcome.status === 'fulfilled')) bothCommitted++;
    for (const outcome of outcomes)
      if (outcome.status === 'rejected')
        expect(outcome.reason).toBeInstanceOf(TransactionCanceledError);
  }
  expect(bothCommitted).toBe(0);
  const keys = Array.from({ length: rounds }, (_, round) => [`a${round}`, `b${round}`]).flat();
  expect((await Slot.getMany(keys)).filter(Boolean)).toHaveLength(rounds);
}, 60_000);

it('a role that may only read: its reads go on, its writes are AccessDeniedError and write nothing; a unique index the spec does not know refuses a second value without quoting it', async () => {
  const owner = createPostgresBackend({ pool: engine().pool });
  const spec = {
    openapi: '3.0.3',
    info: { title: 'roles', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Member: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'role_members', key: 'id' },
          properties: { id: { type: 'string' }, email: { type: 'string' } },
        },
      },
    },
  };
  const api = await loadApi(spec, { backend: owner });
  await owner.ensureTables(api.tables());
  await engine().sql.query(
    `CREATE UNIQUE INDEX role_members_email ON role_members ((item->>'email'))`,
  );
  const Member = api.persistent<{ id: string; email?: string }>('Member');
  await Member.create({ id: 'a', email: 'ann@example.com' });
  const duplicate = await Member.create({ id: 'b', email: 'ann@example.com' }).catch(
    (caught: unknown) => caught,
  );
  expect(duplicate).toBeInstanceOf(InvalidRequestError);
  // A 400's message: the constraint, the physical table's name in it masked, no stored value.
  expect((duplicate as Error).message).toContain('unique constraint "<table>_email"');
  expect((duplicate as Error).message).not.toContain('role_members');
  expect((duplicate as Error).message).not.toContain('ann@example.com');

  await engine().sql.query(`CREATE ROLE role_reader LOGIN PASSWORD 'reader'`);
  await engine().sql.query(`GRANT SELECT ON role_members TO role_reader`);
  const url = new URL(engine().server.connectionString);
  url.username = 'role_reader';
  url.password = 'reader';
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined);
  try {
    const reader = await loadApi(spec, { backend: createPostgresBackend({ pool }) });
    const ReadOnly = reader.persistent<{ id: string; email?: string }>('Member');
    expect((await ReadOnly.load('a')).email).toBe('ann@example.com');
    for (const attempt of [
      () => ReadOnly.create({ id: 'c' }),
      () => new ReadOnly({ id: 'a', email: 'changed@example.com' }).save(),
      () => ReadOnly.delete('a'),
      () => ReadOnly.saveMany([{ id: 'd' }, { id: 'e' }]),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AccessDeniedError);
      expect(error).not.toBeInstanceOf(BatchIncompleteError);
    }
    expect((await Member.load('a')).email).toBe('ann@example.com');
    expect(await Member.get('c')).toBeUndefined();
  } finally {
    await pool.end();
    await engine().sql.query('DROP OWNED BY role_reader');
    await engine().sql.query('DROP ROLE role_reader');
  }
}, 60_000);

it('a session the server refuses for another reason (a database not accepting connections): writes are a BackendError marked notSent, and saveMany throws it whole, not a batch left unconfirmed', async () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 'closed database', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Slot: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'closed_slots', key: 'id' },
          properties: { id: { type: 'string' } },
        },
      },
    },
  };
  await engine().sql.query('CREATE DATABASE closed_db');
  await engine().sql.query('ALTER DATABASE closed_db ALLOW_CONNECTIONS false');
  const url = new URL(engine().server.connectionString);
  url.pathname = '/closed_db';
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  pool.on('error', () => undefined);
  try {
    const api = await loadApi(spec, { backend: createPostgresBackend({ pool }) });
    const Slot = api.persistent<{ id: string }>('Slot');
    for (const attempt of [
      () => Slot.create({ id: 'a' }),
      () => Slot.saveMany([{ id: 'b' }, { id: 'c' }]),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BackendError);
      expect(error).not.toBeInstanceOf(BatchIncompleteError);
      expect(error).toMatchObject({ code: 'BACKEND_ERROR', notSent: true });
      expect((error as Error).message).toContain('nothing was sent');
    }
  } finally {
    await pool.end();
    await engine().sql.query('DROP DATABASE closed_db');
  }
}, 60_000);
