import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError } from './cli-error.js';

/**
 * Writes a command's output file, creating its folders. A path that is a folder, or under a
 * file, is the user's mistake: one clear line (a `CliError`), not a raw EISDIR or EEXIST.
 */
export function writeOutputFile(path: string, shown: string, text: string): void {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
      throw new CliError(`cannot write ${shown}: it is a directory, not a file`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as { code?: string }).code;
    const reason =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a part of its path is a file, not a directory'
        : (error as Error).message.split('\n')[0];
    throw new CliError(`cannot write ${shown}: ${reason}`, 1, { cause: error });
  }
}
