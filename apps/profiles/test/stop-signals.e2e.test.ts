import { once } from 'node:events';
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
});
