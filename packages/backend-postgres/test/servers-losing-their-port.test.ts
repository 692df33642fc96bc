import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/local/free-port.js';
import { type LocalScratch, localScratch } from './local-in-child-processes.js';

// A child process that starts a server, trying first the ports its arguments name (then free
// ones), proves it answers as its own (its password), and once its stdin closes halts it, finds
// its port taken by another program, restarts (which must fail and say so) and stops it.
const startingChild = `
import { createServer } from 'node:net';
import pg from 'pg';
import { freePort } from './local/free-port.js';
import { startPostgresServerPicking } from './local/start-postgres-server.js';

const { picks, port, settings } = JSON.parse(process.argv[2]);
const report = (fields) => console.log(JSON.stringify(fields));
let server;
try {
  server = await startPostgresServerPicking({ port, settings }, async () => picks.shift() ?? freePort());
} catch (error) {
  report({ startError: error.message.split('\\n')[0] });
  process.exit(0);
}
const client = new pg.Client({ connectionString: server.connectionString });
await client.connect();
const { rows } = await client.query('SELECT 1 AS one');
await client.end();
report({ port: server.port, rows });
process.stdin.resume();
await new Promise((resolve) => process.stdin.once('end', resolve));
await server.halt();
const squatter = createServer((socket) => socket.destroy());
await new Promise((resolve) => squatter.listen(server.port, '127.0.0.1', resolve));
const restartError = await server.restart().then(() => 'restarted', (error) => error.message.split('\\n')[0]);
squatter.close();
await server.stop();
report({ restartError });
`;

function squat(port = 0): Promise<Server> {
  // A plain program on the port: it takes connections and hangs up, speaking no PostgreSQL.
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// Every PostgreSQL process still running whose command line names `folder`.
async function processesUnder(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.includes(folder) && commandLine.includes('postgres'))
      found.push(commandLine.replaceAll('\0', ' '));
  }
  return found;
}

// A port is checked free, then bound only after initdb, seconds later: meanwhile another
// program or another start (another worker's, another process's) can take it.
describe('servers started at once while others take their ports', () => {
  let scratch: LocalScratch;
  let temporary: string;
  let squatter: Server;
  beforeAll(async () => {
    scratch = await localScratch();
    // The children's TMPDIR: their data folders (and anything left behind) land here.
    temporary = join(scratch.folder, 'tmp');
    await mkdir(temporary, { mode: 0o755 });
    squatter = await squat();
  });
  afterAll(async () => {
    squatter.close();
    await scratch.remove();
  });

  it('each start that loses its port takes another; a port given or restarted on fails saying so; nothing is left behind', async () => {
    const squatted = (squatter.address() as { port: number }).port;
    // Free now, tried second by every picking start: the first to bind it wins, the others lose it.
    const shared = await freePort();
    const picking = { picks: [squatted, shared] };
    // With two listen addresses, PostgreSQL starts when it could bind only ::1: the IPv4
    // address of its connection string is then another program's.
    const twoAddresses = { ...picking, settings: { listen_addresses: '127.0.0.1,::1' } };
    const configurations = [picking, picking, twoAddresses, twoAddresses, { port: squatted }];
    const children = configurations.map((configuration) =>
      scratch.run(startingChild, [JSON.stringify(configuration)], { TMPDIR: temporary }),
    );
    const started = await Promise.all(
      children.map(async (child) =>
        JSON.parse((await child.line((line) => line.startsWith('{'))) || '{}'),
      ),
    );
    for (const child of children) child.process.stdin.end();
    const exits = await Promise.all(children.map((child) => child.exit));
    const finished = children.map((child) =>
      child
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{"restartError"'))
        .map((line) => JSON.parse(line)),
    );

    expect({ started, exits }).toMatchObject({
      started: [
        ...[1, 2, 3, 4].map(() => ({ port: expect.any(Number), rows: [{ one: 1 }] })),
        { startError: `PostgreSQL did not start: 127.0.0.1:${squatted} is in use:` },
      ],
      exits: configurations.map(() => ({ code: 0 })),
    });
    const ports = started.slice(0, 4).map((outcome) => outcome.port);
    expect(new Set(ports).size).toBe(4);
    expect(ports).not.toContain(squatted);
    expect(finished.slice(0, 4)).toEqual(
      ports.map((port) => [
        { restartError: `PostgreSQL did not restart: 127.0.0.1:${port} is in use:` },
      ]),
    );
    expect(await readdir(temporary)).toEqual([]);
    expect(await processesUnder(temporary)).toEqual([]);
  }, 120_000);
});
