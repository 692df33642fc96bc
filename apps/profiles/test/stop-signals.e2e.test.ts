import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startService } from './start-service.js';

// `pnpm start` ends with Ctrl-C: the service must stop cleanly and exit 0, or pnpm prints
// ELIFECYCLE after "Stopped." (and a process manager sees a failure).

/** How the process ended: its exit code, or the signal that killed it. */
async function ending(child: import('node:child_process').ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null)
    return { code: child.exitCode, signal: child.signalCode };
  const [code, signal] = await once(child, 'exit');
  return { code: code as number | null, signal: signal as NodeJS.Signals | null };
}

/** How the process ended, and how long after the call: null when still running after `ms`. */
async function endingWithin(child: import('node:child_process').ChildProcess, ms: number) {
  const started = Date.now();
  const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), ms));
  const ended = await Promise.race([ending(child), timer]);
  if (ended === null) child.kill('SIGKILL'); // the test fails; no process left behind
  return { ended, afterMs: Date.now() - started };
}

/** A client connection to `url` that has sent `text` and holds the connection open. */
async function rawClient(url: string, text: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.on('error', () => {}); // the service closes it
  await new Promise<void>((resolve) => socket.write(text, () => resolve()));
  // Let the server read it before the signal comes.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return socket;
}

describe('stopping the service with a signal', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops on ${signal}, prints Stopped. and exits 0`, async () => {
      const service = await startService({});
      service.child.kill(signal);
      expect(await ending(service.child)).toEqual({ code: 0, signal: null });
      expect(service.output()).toContain(`${signal}: finishing requests in flight, then stopping.`);
      expect(service.output()).toMatch(/\nStopped\.\n$/);
    });
  }

  it('exits 0, never by signal, when Ctrl-C keeps coming until it has exited', async () => {
    // pnpm and npx forward the terminal's Ctrl-C, so more SIGINTs may arrive while the
    // process ends; one arriving after Node removed the handlers used to kill it by signal.
    const service = await startService({});
    const exited = ending(service.child);
    let sent = 0;
    while (service.child.exitCode === null && service.child.signalCode === null) {
      if (service.child.kill('SIGINT')) sent += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(sent).toBeGreaterThan(1);
    expect(service.output().match(/^Stopped\.$/gm)).toEqual(['Stopped.']);
  });

  for (const [what, request] of [
    ['headers half sent', 'GET /ping HTTP/1.1\r\nHost: localhost\r\n'],
    [
      'a body half sent',
      'POST /profiles HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"profile_id":',
    ],
  ] as const) {
    it(`closes a connection with ${what} at the deadline (MACARON_STOP_TIMEOUT_MS), then exits 0`, async () => {
      const service = await startService({ MACARON_STOP_TIMEOUT_MS: '500' });
      const client = await rawClient(service.url, request);
      service.child.kill('SIGTERM');
      const { ended, afterMs } = await endingWithin(service.child, 10_000);
      client.destroy();
      expect(ended).toEqual({ code: 0, signal: null });
      expect(afterMs).toBeGreaterThanOrEqual(400);
      expect(service.output()).toContain(
        'Requests still in flight after 0.5 s: closing their connections.\n',
      );
      expect(service.output()).toMatch(/\nStopped\.\n$/);
    });
  }

  it('takes two signals sent at once as one, even when the wall clock steps between them', async () => {
    // "Well after the first" is measured on a monotonic clock: by the wall clock, the second
    // signal here comes an hour after the first.
    const stepping = fileURLToPath(new URL('./wall-clock-steps-on-signal.mjs', import.meta.url));
    const service = await startService({
      MACARON_STOP_TIMEOUT_MS: '60000',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${JSON.stringify(stepping)}`,
    });
    const client = await rawClient(service.url, 'GET /ping HTTP/1.1\r\nHost: localhost\r\n');
    // Two signals of one kind sent at once may arrive as one: a terminal's Ctrl-C forwarded by
    // pnpm, then a process manager's SIGTERM.
    service.child.kill('SIGINT');
    service.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Still waiting for the request in flight: the second signal did not force the stop.
    expect(service.child.exitCode).toBeNull();
    client.destroy();
    const { ended } = await endingWithin(service.child, 10_000);
    expect(ended).toEqual({ code: 0, signal: null });
    expect(service.output()).not.toContain('again');
    expect(service.output()).toMatch(/\nStopped\.\n$/);
  });

  it('stops at once on a second signal well after the first', async () => {
    const service = await startService({ MACARON_STOP_TIMEOUT_MS: '60000' });
    const client = await rawClient(service.url, 'GET /ping HTTP/1.1\r\nHost: localhost\r\n');
    service.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(service.child.exitCode).toBeNull();
    service.child.kill('SIGINT');
    const { ended } = await endingWithin(service.child, 10_000);
    client.destroy();
    expect(ended).toEqual({ code: 0, signal: null });
    expect(service.output()).toContain(
      'SIGINT again: closing the connections of requests in flight.\n',
    );
  });
});
