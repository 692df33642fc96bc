import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';

// A lock whose holder cannot be checked (another machine's, an empty file whose holder has not
// written itself yet, the folder earlier releases made) is stale only when this old.
const uncheckedStaleMs = 60_000;

/**
 * Runs `work` while this process holds `lock`: a file only one process can create, naming its
 * holder (pid, host, a token of this holding). A lock whose holder is not running (or, when
 * that cannot be checked, older than a minute) is a crashed holder's: exactly one of the
 * processes finding it removes it.
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
  const holding = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}\n`;
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
  const written = /^(\d+) (\S+) ([0-9a-z-]+)\n$/.exec(text);
  const old = Date.now() - found.mtimeMs > uncheckedStaleMs;
  if (!written) return { identity: `unnamed-${found.ino}-${found.mtimeMs}`, stale: old };
  const [, pid, host, token] = written as unknown as [string, string, string, string];
  const checked = host === hostname();
  return { identity: `${pid}-${token}`, stale: checked ? !running(Number(pid)) : old };
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: running, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Removes the lock if this holding still has it (one taken over from a holder deemed crashed is
// the new holder's).
async function release(lock: string, holding: string): Promise<void> {
  if ((await readFile(lock, 'utf8').catch(() => '')) === holding) await rm(lock, { force: true });
}
