import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './cli-error.js';

// Written beside the file it replaces (a rename cannot cross file systems), hidden, and unique
// to this run: two runs at once each write their own. The output's name is shortened in it: a
// name may hold 255 bytes, and a long output name with what is added would pass them.
function temporaryPath(target: string): string {
  const unique = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const name = [...basename(target)].slice(0, 40).join('');
  return join(dirname(target), `.${name}.${unique}.tmp`);
}

// Refused by the folder or the file's owner, not by the disk: a folder the user may not add a
// file to (read-only, or sticky as /tmp is), a file of another user whose owner the new file
// cannot take.
function refused(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'EACCES' || code === 'EPERM';
}

// The whole text goes to a file of its own, which then takes the output's name in one step:
// a run that fails or is stopped midway (a full disk, a file size limit, Ctrl-C) leaves the
// previous file whole, and a reader (tsc, a second run) never sees half a file. The new file
// takes the replaced one's owner and permissions. Where the folder or the file's owner refuses
// that, the file is written in place, as it always could be: the output is still written, and
// a failure still says which file (not the temporary one) could not be.
function replaceFile(target: string, text: string, existing: Stats | undefined): void {
  const temporary = temporaryPath(target);
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    if (existing !== undefined) {
      // The owner first: a change of owner clears a set-user-ID bit the mode then restores.
      const written = statSync(temporary);
      if (written.uid !== existing.uid || written.gid !== existing.gid)
        chownSync(temporary, existing.uid, existing.gid);
      chmodSync(temporary, existing.mode & 0o7777);
    }
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    if (!refused(error)) throw error;
    writeFileSync(target, text);
  }
}

// `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`: a descriptor of this process, by its number.
function ownDescriptor(path: string): number | undefined {
  if (process.platform === 'win32') return undefined;
  const match = /^\/(?:dev\/(?:std(out|err)|fd\/(\d+))|proc\/self\/fd\/(\d+))$/.exec(path);
  if (!match) return undefined;
  return match[1] === 'out' ? 1 : match[1] === 'err' ? 2 : Number(match[2] ?? match[3]);
}

// What a descriptor of this process is open on that is written through it: a file (see
// writeFile), or a socket, which no path opens (ENXIO), as a Node.js parent's `stdio: 'pipe'`
// gives. A pipe, a terminal or a device is opened by its path, as any other.
function throughDescriptor(descriptor: number): boolean {
  try {
    const stats = fstatSync(descriptor);
    return stats.isFile() || stats.isSocket();
  } catch {
    return false; // not open: left to the path, which says so
  }
}

// The whole text through the descriptor. A socket this process also holds as its stdout stream
// is non-blocking: a reader slower than the writer fills it (EAGAIN), and the rest is written
// once there is room, from where the last write stopped.
function writeThrough(descriptor: number, text: string): void {
  const bytes = Buffer.from(text);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(descriptor, bytes, written);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}

function writeFile(path: string, text: string): void {
  // A descriptor of this process on a file (`-o /dev/stdout > out.json`): written through it,
  // where the shell's output goes, after what went there before and before what follows (the
  // line of `echo done`). Renamed over, the file would be one the shell no longer writes to;
  // opened anew, it would be written from its start, over what the shell writes there. On a
  // socket (a Node.js parent's pipe), written through it too: no path opens a socket.
  const descriptor = ownDescriptor(path);
  if (descriptor !== undefined && throughDescriptor(descriptor)) {
    writeThrough(descriptor, text);
    return;
  }
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new CliError('it is a directory, not a file');
  if (existing === undefined) {
    // A symlink to nothing yet: written through, as before, creating the file it names.
    if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) {
      writeFileSync(path, text);
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
    replaceFile(path, text, undefined);
    return;
  }
  // A device or a pipe (`-o /dev/stdout`) is no file to replace: written as it is; so is a
  // file of several names (a hard link), which a new file would leave holding the old text.
  if (!existing.isFile() || existing.nlink > 1) {
    writeFileSync(path, text);
    return;
  }
  // Through a symlink, the file it names is replaced and the link stays. A file the user may
  // not write is refused, as writing it in place would be, not replaced by the rename.
  const target = realpathSync(path);
  accessSync(target, constants.W_OK);
  replaceFile(target, text, existing);
}

/**
 * Writes a command's output file, creating its folders, whole or not at all (see
 * `replaceFile`). A path that is a folder, or under a file, is the user's mistake: one clear
 * line (a `CliError`), not a raw EISDIR or EEXIST.
 */
export function writeOutputFile(path: string, shown: string, text: string): void {
  try {
    writeFile(path, text);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      error instanceof CliError
        ? error.message
        : code === 'EEXIST' || code === 'ENOTDIR'
          ? 'a part of its path is a file, not a directory'
          : (error as Error).message.split('\n')[0];
    throw new CliError(`cannot write ${shown}: ${reason}`, 1, { cause: error });
  }
}
