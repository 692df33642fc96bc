import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chownSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../src/local/free-port.js';

/** A PgBouncer process of a test, in front of a server on 127.0.0.1. */
export interface PgBouncer {
  /** The server's connection string with PgBouncer's port, to database `postgres`. */
  readonly connectionString: string;
  /** The same through the database `single`: one server session for every client. */
  readonly singleSessionString: string;
  /** `RELOAD`: PgBouncer reads its configuration again (SIGHUP). */
  reload(): void;
  /**
   * Stops it with `signal` and starts it again on the same port: SIGINT waits for each
   * transaction (or, in session pooling, each client) to end, SIGQUIT (1.23+; SIGTERM before)
   * closes every connection at once, SIGKILL as a crash.
   */
  restart(signal: NodeJS.Signals): Promise<void>;
  stop(): void;
}

/** PgBouncer's version, as `pgbouncer --version` prints it: `[1, 24, 1]`. */
export function pgbouncerVersion(binary: string): number[] {
  const text = execFileSync(binary, ['--version'], { encoding: 'utf8' });
  const found = /PgBouncer (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return found ? found.slice(1).map((part) => Number(part ?? 0)) : [0];
}

function atLeast(version: number[], wanted: number[]): boolean {
  for (let index = 0; index < wanted.length; index++) {
    const part = version[index] ?? 0;
    if (part !== wanted[index]!) return part > wanted[index]!;
  }
  return true;
}

/**
 * The PgBouncer binaries found here, each with its version: on the PATH (or Debian's
 * /usr/sbin), and the one scripts/pgbouncer/build.sh builds into .pgbouncer/ at the repository
 * root (a release with protocol-level prepared statements, which Debian 12 lacks).
 */
export function findPgBouncers(): { binary: string; version: number[] }[] {
  const candidates: string[] = [];
  try {
    candidates.push(
      execFileSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' }).trim(),
    );
  } catch {
    // Debian installs it in /usr/sbin, which a user's PATH may leave out.
    candidates.push('/usr/sbin/pgbouncer');
  }
  const built = resolve(import.meta.dirname, '../../../../.pgbouncer');
  if (existsSync(built))
    for (const release of readdirSync(built))
      candidates.push(join(built, release, 'bin', 'pgbouncer'));
  return [...new Set(candidates)]
    .filter((binary) => binary !== '' && existsSync(binary))
    .map((binary) => ({ binary, version: pgbouncerVersion(binary) }));
}

/** The first PgBouncer found of `version` or later, or '' when there is none. */
export function pgbouncerAtLeast(version: number[]): string {
  return findPgBouncers().find((found) => atLeast(found.version, version))?.binary ?? '';
}

/**
 * Starts `binary` in front of the server of `connectionString` (its user and password, in
 * PgBouncer's auth file), with `settings` added to its `[pgbouncer]` section. As root it runs
 * as the `postgres` system user (PgBouncer refuses root), which startPostgresServer made.
 */
export async function startPgBouncer(
  binary: string,
  connectionString: string,
  settings: Record<string, string | number>,
  // The ports to try, for tests that hand it ports others take.
  pickPort: () => Promise<number> = freePort,
): Promise<PgBouncer> {
  const url = new URL(connectionString);
  const folder = mkdtempSync(join(tmpdir(), 'macaron-pgbouncer-'));
  let listenPort = await pickPort();
  const config = join(folder, 'pgbouncer.ini');
  writeFileSync(
    join(folder, 'userlist.txt'),
    `"${url.username}" "${decodeURIComponent(url.password)}"\n`,
  );
  const writeConfig = () =>
    writeFileSync(
      config,
      [
        '[databases]',
        `postgres = host=127.0.0.1 port=${url.port} dbname=postgres`,
        // One server session for every client: what one client deallocates, the next misses.
        `single = host=127.0.0.1 port=${url.port} dbname=postgres pool_size=1`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${listenPort}`,
        'unix_socket_dir =',
        'auth_type = md5',
        `auth_file = ${join(folder, 'userlist.txt')}`,
        'max_client_conn = 200',
        ...Object.entries(settings).map(([name, value]) => `${name} = ${value}`),
        '',
      ].join('\n'),
    );
  writeConfig();
  let ids: { uid: number; gid: number } | undefined;
  let program = binary;
  if (userInfo().uid === 0) {
    ids = {
      uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
      gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
    };
    // A binary built in the checkout may lie under a folder only root enters (/root).
    program = join(folder, 'pgbouncer');
    copyFileSync(binary, program);
    chownSync(folder, ids.uid, ids.gid);
    for (const file of ['userlist.txt', 'pgbouncer.ini', 'pgbouncer'])
      chownSync(join(folder, file), ids.uid, ids.gid);
  }
  let process: ChildProcess | undefined;
  // Starts PgBouncer, and waits until it says it listens, or exits: not only until something
  // answers on the port, which may be another program (PgBouncer then exits, unable to listen).
  const start = async (): Promise<'started' | 'port taken'> => {
    const started = spawn(program, [config], { stdio: ['ignore', 'ignore', 'pipe'], ...ids });
    process = started;
    let output = '';
    const outcome = await new Promise<'started' | 'exited'>((resolve) => {
      started.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes(`listening on 127.0.0.1:${listenPort}`)) resolve('started');
      });
      // 'close', not 'exit': once all it wrote is read.
      started.once('close', () => resolve('exited'));
    });
    // Read on, unkept: a pipe nobody reads would stop PgBouncer once full.
    started.stderr?.removeAllListeners('data').resume();
    if (outcome === 'started') return 'started';
    if (output.includes('Address already in use')) return 'port taken';
    throw new Error(`${binary} did not start (exit code ${started.exitCode}):\n${output}`);
  };
  for (let attempt = 1; (await start()) === 'port taken'; attempt++) {
    if (attempt === 20) throw new Error(`${binary}: 20 ports tried were in use`);
    listenPort = await pickPort();
    writeConfig();
  }
  url.port = String(listenPort);
  const connectionStringThrough = url.toString();
  url.pathname = '/single';
  return {
    connectionString: connectionStringThrough,
    singleSessionString: url.toString(),
    reload: () => process?.kill('SIGHUP'),
    async restart(signal) {
      const stopping = process;
      if (stopping && stopping.exitCode === null) {
        const exited = new Promise((resolve) => stopping.once('exit', resolve));
        stopping.kill(signal);
        await exited;
      }
      if ((await start()) === 'port taken')
        throw new Error(`${binary} did not restart: 127.0.0.1:${listenPort} is in use`);
    },
    stop() {
      process?.kill();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
