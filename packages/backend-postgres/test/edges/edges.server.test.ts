import { loadApi, TransactionCanceledError } from '@macaron/core';
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
