import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const requirementsFile = `${repositoryRoot}scripts/moto/requirements.txt`;
const serveScript = `${repositoryRoot}scripts/moto/serve.py`;
const serveOneAtATimeScript = fileURLToPath(
  new URL('./moto-serve-one-at-a-time.py', import.meta.url),
);
const venvPython = `${repositoryRoot}.venv-moto/bin/python`;

/** The command that installs the pinned moto server, as the messages below name it. */
export const motoSetupCommand = 'bash scripts/moto/setup.sh';

/** A running moto server, on a loopback port of its own. */
export interface MotoServer {
  /** The server's URL, e.g. `http://127.0.0.1:54321`. */
  readonly endpoint: string;
  /** The region clients sign requests for (moto keeps one store per region). */
  readonly region: string;
  /** Dummy credentials: moto accepts any. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The moto version the server reports (the pin of scripts/moto/requirements.txt). */
  readonly version: string;
  /** The server's process id, which is also its process group's. */
  readonly pid: number;
  /** Stops the server and its whole process group; safe to call more than once. */
  stop(): Promise<void>;
}

/** Options of `startMotoServer`. */
export interface MotoServerOptions {
  /** How long to wait for the server to answer, in ms; 60 s by default. */
  startTimeoutMs?: number;
  /**
   * Arguments for the virtualenv's Python instead of scripts/moto/serve.py, for tests of
   * this launcher; the program must behave like serve.py.
   */
  pythonArguments?: readonly string[];
  /**
   * Handle one request at a time (test/moto-serve-one-at-a-time.py): moto 5 does not isolate
   * concurrent writes to an item as DynamoDB does, which the contention tests need.
   */
  oneRequestAtATime?: boolean;
}

/** Whether the pinned moto server is installed, and why not when it is not. */
export type MotoInstall =
  | { readonly installed: true; readonly version: string }
  | { readonly installed: false; readonly reason: string };

/** The moto version pinned in scripts/moto/requirements.txt, the one place it is recorded. */
export function pinnedMotoVersion(): string {
  const pin = /^moto\[server\]==(\S+)$/m.exec(readFileSync(requirementsFile, 'utf8'));
  if (!pin?.[1]) throw new Error(`${requirementsFile} has no moto[server]==<version> line`);
  return pin[1];
}

/** Looks for the virtualenv that scripts/moto/setup.sh creates; starts nothing. */
export function findMotoInstall(): MotoInstall {
  const version = pinnedMotoVersion();
  if (!existsSync(venvPython)) {
    return {
      installed: false,
      reason: `moto ${version} is not installed in .venv-moto/: run ${motoSetupCommand}`,
    };
  }
  return { installed: true, version };
}

/**
 * Starts the pinned moto server (from .venv-moto/, see scripts/moto/setup.sh) on a free
 * loopback port, waits until it answers DynamoDB requests, and returns how to reach it.
 * The port is picked by the system and reported by the server itself, so no other process
 * can take it in between. Fails with the server's stderr when it dies before answering.
 */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const install = findMotoInstall();
  if (!install.installed) throw new Error(install.reason);
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;

  const script = options.oneRequestAtATime ? serveOneAtATimeScript : serveScript;
  const child = spawn(venvPython, options.pythonArguments ?? [script, '127.0.0.1'], {
    cwd: repositoryRoot,
    // Its own process group, so that stop() ends it and anything it started.
    detached: true,
    // stdin stays open: the server exits when it closes, i.e. when this process is gone.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: serverEnvironment(),
  });
  const stderr = tailBuffer(16 * 1024);
  child.stderr?.setEncoding('utf8').on('data', stderr.append);
  // 'close' comes after the exit, once stdout and stderr are drained: the stderr is complete.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // A failed spawn (no such file) emits 'error' and has no process to wait for.
  child.once('error', (error) => stderr.append(`\n${error.message}`));
  // Ending stdin of a server that already died is EPIPE: nothing to report.
  child.stdin?.on('error', () => undefined);

  const stop = once(async () => {
    child.stdin?.end();
    await killGroup(child, exited);
    child.stdout?.destroy();
    child.stderr?.destroy();
  });

  try {
    const ready = await withTimeout(
      readReadyLine(child),
      startTimeoutMs,
      () => `moto did not report its port within ${startTimeoutMs} ms`,
    );
    const pinned = pinnedMotoVersion();
    if (ready.moto !== pinned) {
      throw new Error(
        `.venv-moto/ holds moto ${ready.moto}, scripts/moto/requirements.txt pins ${pinned}: run ${motoSetupCommand}`,
      );
    }
    const server = {
      endpoint: `http://127.0.0.1:${ready.port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' },
      version: ready.moto,
      pid: child.pid ?? 0,
      stop,
    };
    await waitUntilAnswering(server, child, startTimeoutMs);
    return server;
  } catch (error) {
    await stop();
    const output = stderr.text().trim();
    throw new Error(
      `could not start the moto server: ${(error as Error).message}${output ? `\nmoto's stderr:\n${output}` : ''}`,
      { cause: error },
    );
  }
}

/** The server's environment: this one's, less AWS settings meant for real accounts. */
function serverEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_')) environment[name] = value;
  }
  return environment;
}

interface ReadyLine {
  port: number;
  moto: string;
}

/** Resolves with serve.py's JSON line; rejects when the process ends before printing it. */
function readReadyLine(child: ChildProcess): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      cleanUp();
      try {
        const line = JSON.parse(buffered.slice(0, newline)) as Partial<ReadyLine>;
        if (typeof line.port !== 'number' || typeof line.moto !== 'string') throw new Error();
        resolve({ port: line.port, moto: line.moto });
      } catch {
        reject(new Error(`unexpected first line from serve.py: ${buffered.slice(0, newline)}`));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanUp();
      reject(new Error(`the server exited early (${describeExit(code, signal)})`));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(new Error(`could not run ${venvPython}: ${error.message}`));
    };
    const cleanUp = () => {
      child.stdout?.off('data', onData);
      child.off('close', onExit);
      child.off('error', onError);
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.once('close', onExit);
    child.once('error', onError);
  });
}

/** Sends ListTables until the server answers; fails at once if the process exits. */
async function waitUntilAnswering(
  server: Pick<MotoServer, 'endpoint' | 'region' | 'credentials'>,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `the server exited early (${describeExit(child.exitCode, child.signalCode)})`,
        );
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode) {
          // It answered, with an error: it is up but refuses DynamoDB requests.
          throw new Error(`ListTables failed: ${(error as Error).message}`);
        }
        if (Date.now() > deadline) {
          throw new Error(
            `moto did not answer ListTables within ${timeoutMs} ms: ${(error as Error).message}`,
          );
        }
        await delay(100);
      }
    }
  } finally {
    client.destroy();
  }
}

/** Ends the process group: SIGTERM, then SIGKILL if it is still there after 5 s. */
async function killGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined) return;
  const pid = child.pid;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch (error) {
      // ESRCH: the group is already gone.
      if ((error as { code?: string }).code !== 'ESRCH') throw error;
    }
  };
  if (child.exitCode === null && child.signalCode === null) signalGroup('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), delay(5_000).then(() => true)]);
  // SIGKILL the group even after a clean exit of the leader: nothing it started may remain.
  signalGroup('SIGKILL');
  if (timedOut) await exited;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

interface TailBuffer {
  append(chunk: string): void;
  text(): string;
}

/** Keeps the last `limit` characters written to it (stderr must be drained, and can be long). */
function tailBuffer(limit: number): TailBuffer {
  let kept = '';
  return {
    append(chunk) {
      kept = (kept + chunk).slice(-limit);
    },
    text: () => kept,
  };
}

function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= run();
    return running;
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
