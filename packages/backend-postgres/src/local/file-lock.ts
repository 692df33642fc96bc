import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';

// A lock whose holder cannot be checked (another machine's, an empty file whose holder has not
// written itself yet, the folder earlier releases made) is stale only when this old.
const uncheckedStaleMs = 60_000;

/**
 * Runs `work` while this process holds `lock`: a file only one process can create, naming its
 * holder (pid, host, a token of this holding, and where the system says, when the process
 * started). A lock whose holder is not running (or, when that cannot be checked, older than a
 * minute) is a crashed holder's: exactly one of the processes finding it removes it.
 */
export async function whileHolding<T>(lock: string, work: () => Promise<T>): Promise<T> {
  const holding = await acquire(lock);
  try {
    return await work();
  } finally {
    await release(lock, holding);
  }
}

// The holder of a lock as seen once: `identity` names that holding and no other.
interface Holder {
  readonly identity: string;
  readonly stale: boolean;
}

async function acquire(lock: string): Promise<string> {
  const started = await startTime(process.pid);
  const holding = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}${started === undefined ? '' : ` ${started}`}\n`;
  for (;;) {
    if (await createWith(lock, holding)) return holding;
    const holder = await inspect(lock);
    if (!holder) continue; // released meanwhile
    if (!holder.stale) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    // Two processes that both saw the crashed holder must not both remove the lock (the second
    // would remove the first's new one): the one that creates the marker named after that
    // holding removes it, if it is still there. The marker is a lock in turn, so a remover that
    // crashed is taken over too.
    const marker = `${lock}.takeover-${holder.identity}`;
    const markerHolding = await acquire(marker);
    try {
      if ((await inspect(lock))?.identity === holder.identity)
        await rm(lock, { recursive: true, force: true });
    } finally {
      await release(marker, markerHolding);
    }
  }
}

// Creates `file` with `text` unless something is there: false then.
async function createWith(file: string, text: string): Promise<boolean> {
  const handle = await open(file, 'wx').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') return undefined;
    throw error;
  });
  if (!handle) return false;
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  return true;
}

async function inspect(lock: string): Promise<Holder | undefined> {
  const found = await stat(lock).catch(() => undefined);
  if (!found) return undefined;
  const text = await readFile(lock, 'utf8').catch(() => '');
  const written = /^(\d+) (\S+) ([0-9a-z-]+)(?: (\d+))?\n$/.exec(text);
  const old = Date.now() - found.mtimeMs > uncheckedStaleMs;
  if (!written) return { identity: `unnamed-${found.ino}-${found.mtimeMs}`, stale: old };
  const [, pid, host, token, started] = written as unknown as [
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  const checked = host === hostname();
  return {
    identity: `${pid}-${token}`,
    stale: checked ? !(await running(Number(pid), started)) : old,
  };
}

// Whether the holder runs: its pid, unless that is another process's since (pids are reused:
// after a container's restart, its processes count from 1 again).
async function running(pid: number, started: string | undefined): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: running, as another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (started === undefined) return true;
  const now = await startTime(pid);
  return now === undefined || now === started;
}

// When the process started, in the system's clock ticks since boot (Linux's /proc), or
// undefined where the system does not say.
async function startTime(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The fields after the command name (which may hold spaces and parentheses): the 22nd is
  // the start time.
  const started = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return started !== undefined && /^\d+$/.test(started) ? started : undefined;
}

// Removes the lock if this holding still has it (one taken over from a holder deemed crashed is
// the new holder's).
async function release(lock: string, holding: string): Promise<void> {
  if ((await readFile(lock, 'utf8').catch(() => '')) === holding) await rm(lock, { force: true });
}
