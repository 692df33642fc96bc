import {
  accessSync,
  chmodSync,
  constants,
  lstatSync,
  mkdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './cli-error.js';

// Written beside the file it replaces (a rename cannot cross file systems), hidden, and unique
// to this run: two runs at once each write their own.
function temporaryPath(target: string): string {
  const unique = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  return join(dirname(target), `.${basename(target)}.${unique}.tmp`);
}

// The whole text goes to a file of its own, which then takes the output's name in one step:
// a run that fails or is stopped midway (a full disk, a file size limit, Ctrl-C) leaves the
// previous file whole, and a reader (tsc, a second run) never sees half a file.
function replaceFile(target: string, text: string, mode: number | undefined): void {
  const temporary = temporaryPath(target);
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    // The file replaced keeps its permissions (an executable bit, a group's write).
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function writeFile(path: string, text: string): void {
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
  // A device or a pipe (`-o /dev/stdout`) is no file to replace: written as it is.
  if (!existing.isFile()) {
    writeFileSync(path, text);
    return;
  }
  // Through a symlink, the file it names is replaced and the link stays. A file the user may
  // not write is refused, as writing it in place would be, not replaced by the rename.
  const target = realpathSync(path);
  accessSync(target, constants.W_OK);
  replaceFile(target, text, existing.mode & 0o7777);
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
