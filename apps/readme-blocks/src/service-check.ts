import { spawn } from 'node:child_process';
import { repositoryRoot } from './repository.js';

const startTimeoutMs = 90_000;
const stopTimeoutMs = 15_000;

/** What a run of a long-running command showed, from start to Ctrl-C. */
export interface ServiceRun {
  readonly url: string;
  readonly pingStatus: number;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/**
 * Runs a command that starts a service (`npx pnpm@… start`) from the repository root, as a
 * reader would, on a free port (`PORT=0`): waits for the URL it prints, GETs `/ping` there,
 * then presses Ctrl-C (SIGINT to the whole process group, as a terminal does) and waits for
 * every process to end.
 */
export async function runService(command: string): Promise<ServiceRun> {
  const child = spawn('sh', ['-c', command], {
    cwd: repositoryRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: withoutTurboVariables({ ...process.env, PORT: '0' }),
  });
  let output = '';
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const found = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+/.exec(output);
      if (found) resolve(found[0]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void closed.then(() => reject(new Error('it exited before printing a URL')));
    setTimeout(
      () => reject(new Error(`no URL printed within ${startTimeoutMs} ms`)),
      startTimeoutMs,
    ).unref();
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // ESRCH: the group has already ended.
    }
  };
  try {
    const address = await url;
    const ping = await fetch(`${address}/ping`);
    signalGroup('SIGINT');
    const timer = setTimeout(() => signalGroup('SIGKILL'), stopTimeoutMs);
    const { code, signal } = await closed;
    clearTimeout(timer);
    return { url: address, pingStatus: ping.status, exitCode: code, signal, output };
  } catch (error) {
    signalGroup('SIGKILL');
    await closed;
    throw new Error(`${(error as Error).message}; its output:\n${output}`);
  }
}

/**
 * The harness runs inside `turbo run test`: a nested turbo run must not take the outer run's
 * settings for its own (it would, for one, log as the outer task).
 */
function withoutTurboVariables(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(environment).filter(([name]) => !name.startsWith('TURBO_')),
  );
}
