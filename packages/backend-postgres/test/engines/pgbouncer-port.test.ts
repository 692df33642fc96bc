import { createServer, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/local/free-port.js';
import { findPgBouncers, type PgBouncer, startPgBouncer } from './pgbouncer.js';

const found = findPgBouncers()[0];

// What answers on `connectionString` to a wrong password: PgBouncer refuses in its own words
// (its auth file has the password; no server is asked), the other program hangs up.
async function answer(connectionString: string): Promise<string> {
  const url = new URL(connectionString);
  url.password = 'wrong';
  const client = new pg.Client({ connectionString: url.toString() });
  client.on('error', () => undefined);
  return client.connect().then(
    () => 'connected',
    (error: Error) => error.message,
  );
}

// PgBouncer listens on a port picked at random: another program (a server another test
// started, in the same range) may have it. PgBouncer then cannot listen and exits, and a
// wait that only connects to the port finds the other program there.
describe.skipIf(found === undefined)('PgBouncer on a port another program has', () => {
  let squatter: Server;
  let bouncer: PgBouncer | undefined;
  beforeAll(async () => {
    squatter = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    bouncer?.stop();
    squatter.close();
  });

  it('is started on another port, whose connection string reaches PgBouncer', async () => {
    const squatted = (squatter.address() as { port: number }).port;
    const picks = [squatted];
    const nowhere = `postgres://postgres:secret@127.0.0.1:${await freePort()}/postgres`;
    bouncer = await startPgBouncer(
      found!.binary,
      nowhere,
      {},
      async () => picks.shift() ?? freePort(),
    );
    expect(new URL(bouncer.connectionString).port).not.toBe(String(squatted));
    expect(await answer(bouncer.connectionString)).toMatch(/password authentication failed/);
  });
});
