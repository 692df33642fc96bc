import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { createNodePostgresClient } from './node-postgres-client.js';

// A pool whose one statement answers after 50 ms: only what close() waits for is under test.
function slowPool() {
  const client = {
    on() {},
    release() {},
    query(_config: unknown, answer: (error: null, result: { rows: unknown[] }) => void) {
      setTimeout(() => answer(null, { rows: [{ ok: 1 }] }), 50);
    },
  };
  return {
    ended: false,
    connect(callback: (error: null, connected: typeof client) => void) {
      setImmediate(() => callback(null, client));
    },
    async end() {
      this.ended = true;
    },
  };
}

describe('createNodePostgresClient close()', () => {
  it('waits for the calls in flight, however many times it is called, then ends the pool it owns', async () => {
    const pool = slowPool();
    const client = createNodePostgresClient(pool as unknown as Pool, true);
    const statement = client.query('SELECT 1');
    const closes = [client.close(), client.close()];
    const outcome = await Promise.race([
      Promise.all([statement, ...closes]).then(() => 'settled'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1000)),
    ]);
    expect(outcome).toBe('settled');
    expect(pool.ended).toBe(true);
  });
});
