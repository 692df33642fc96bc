import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileHolding } from '../src/local/file-lock.js';
import { type LocalScratch, localScratch } from './local-in-child-processes.js';

const run = promisify(execFile);

// A child process that, once told the moment, takes each round's lock in turn and, while it
// holds it, makes the round's "inside" file exclusively: finding it made is a second holder.
const lockingChild = `
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { whileHolding } from './local/file-lock.js';

const [folder, rounds] = [process.argv[2], Number(process.argv[3])];
console.log('ready');
const [start, roundMs] = await new Promise((resolve) =>
  process.stdin.once('data', (data) => resolve(String(data).trim().split(' ').map(Number))),
);
const overlaps = [];
for (let round = 0; round < rounds; round++) {
  // Every child at the same moment: all find the round's crashed holder's lock at once.
  const at = start + round * roundMs;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now() - 5)));
  while (Date.now() < at);
  await whileHolding(join(folder, 'lock-' + round), async () => {
    const inside = join(folder, 'inside-' + round);
    const file = await open(inside, 'wx').catch(() => undefined);
    if (!file) overlaps.push(round);
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (file) {
      await file.close();
      await rm(inside);
    }
  });
}
console.log(JSON.stringify({ overlaps }));
`;

// The pid of a process that ran and is gone.
async function deadPid(): Promise<number> {
  const child = execFile(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? 0;
}

// When this process started, as Linux's /proc/<pid>/stat says (its 22nd field).
function ownStartTime(): string {
  const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

// The lock of a holder that crashed: its process is gone, and (for launchers that only look at
// the age) it was taken two minutes ago.
async function crashedHoldersLock(lock: string): Promise<void> {
  await writeFile(lock, `${await deadPid()} ${hostname()} crashed-holder\n`);
  const then = new Date(Date.now() - 120_000);
  await utimes(lock, then, then);
}

describe('the lock of a crashed holder', () => {
  let scratch: LocalScratch;
  beforeAll(async () => {
    scratch = await localScratch();
  });
  afterAll(() => scratch.remove());

  it('is taken over by exactly one of the processes that find it at once', async () => {
    const folder = join(scratch.folder, 'locks');
    await mkdir(folder);
    const rounds = 4;
    for (let round = 0; round < rounds; round++)
      await crashedHoldersLock(join(folder, `lock-${round}`));
    const children = [1, 2, 3, 4, 5, 6].map(() =>
      scratch.run(lockingChild, [folder, String(rounds)]),
    );
    await Promise.all(children.map((child) => child.line((line) => line === 'ready')));
    const start = Date.now() + 200;
    for (const child of children) child.process.stdin.end(`${start} 300\n`);
    const exits = await Promise.all(children.map((child) => child.exit));
    expect(exits).toEqual(children.map(() => ({ code: 0, stderr: '' })));
    const overlaps = children.flatMap(
      (child) => JSON.parse(child.stdout().split('\n')[1] ?? '{}').overlaps,
    );
    expect(overlaps).toEqual([]);
    // Each lock released, and no takeover's marker left.
    expect(await readdir(folder)).toEqual([]);
  }, 60_000);

  it('is taken over at once when its holder is not running, however young', async () => {
    const lock = join(scratch.folder, 'young.lock');
    await writeFile(lock, `${await deadPid()} ${hostname()} crashed-holder\n`);
    expect(await whileHolding(lock, async () => 'ran')).toBe('ran');
    expect(await readdir(scratch.folder)).not.toContain('young.lock');
  });

  // A pid is another process's once its holder is gone (a container's processes count from 1
  // again after a restart): the start time the holder wrote tells them apart.
  it('is taken over at once when its pid is now that of another process, started since', async () => {
    const lock = join(scratch.folder, 'reused-pid.lock');
    // This process runs, but was not running at the start time the holder wrote.
    await writeFile(lock, `${process.pid} ${hostname()} crashed-holder 1\n`);
    expect(await whileHolding(lock, async () => 'ran')).toBe('ran');
    expect(await readdir(scratch.folder)).not.toContain('reused-pid.lock');
  });

  it.each([
    ['its pid', ''],
    ['its pid and start time', ` ${ownStartTime()}`],
  ])('is waited for while its holder runs, named by %s', async (label, started) => {
    const lock = join(scratch.folder, `held-${label.replaceAll(' ', '-')}.lock`);
    const released = `${lock}.released`;
    // This process holds it: a lock that is not stale, which the child must wait for.
    await writeFile(lock, `${process.pid} ${hostname()} live-holder${started}\n`);
    const child = scratch.run(
      `import { existsSync } from 'node:fs';
import { whileHolding } from './local/file-lock.js';
console.log('taking');
await whileHolding(process.argv[2], async () =>
  console.log(existsSync(process.argv[3]) ? 'held after the release' : 'held while another held it'),
);`,
      [lock, released],
    );
    await child.line((line) => line === 'taking');
    // Time for the child to find the lock (a child process of our own run to its end).
    await run(process.execPath, ['-e', '']);
    await writeFile(released, '');
    await rm(lock);
    expect(await child.line((line) => line.startsWith('held'))).toBe('held after the release');
    expect(await child.exit).toEqual({ code: 0, stderr: '' });
  });

  // A holder that cannot be checked (another machine's, or one that has not written itself
  // yet) is taken for running until its lock is a minute old.
  it.each([
    ['another host', async (lock: string) => writeFile(lock, `1 another-host.invalid token\n`)],
    ['no holder written yet', async (lock: string) => writeFile(lock, '')],
  ])(
    'is waited for, however its holder is gone, while young when its holder cannot be checked: %s',
    async (label, write) => {
      const lock = join(scratch.folder, `unchecked-${label.replaceAll(' ', '-')}.lock`);
      const released = `${lock}.released`;
      await write(lock);
      const holding = whileHolding(lock, async () => existsSync(released));
      // Time for whileHolding to find the lock (a child process of our own run to its end).
      await run(process.execPath, ['-e', '']);
      await writeFile(released, '');
      await rm(lock);
      expect(await holding).toBe(true);
    },
  );

  it('is taken over when a holder that cannot be checked is over a minute old', async () => {
    const lock = join(scratch.folder, 'old-unchecked.lock');
    await writeFile(lock, `1 another-host.invalid token\n`);
    const then = new Date(Date.now() - 120_000);
    await utimes(lock, then, then);
    expect(await whileHolding(lock, async () => 'ran')).toBe('ran');
  });

  it('is left to the holder that took it over from a holder deemed crashed, when that one releases it', async () => {
    const lock = join(scratch.folder, 'taken-over.lock');
    const taker = `${process.pid} ${hostname()} taker\n`;
    // Meanwhile another process deemed this holding crashed and holds the lock now.
    await whileHolding(lock, () => writeFile(lock, taker));
    expect(await readFile(lock, 'utf8')).toBe(taker);
    await rm(lock);
  });
});
