import { statSync } from 'node:fs';
import { specFiles } from '../spec/spec-files.js';
import { CliError } from './cli-error.js';

// The identity of a file whatever the path says: `./h.yaml`, a symlink, a hard link, or
// another case on a case-insensitive disk all name the same device and inode.
// A path that cannot be a file (under a file: ENOTDIR) is none: writing it reports why.
function fileIdentity(path: string): string | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false, bigint: true });
    return stats?.isFile() ? `${stats.dev}:${stats.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses an output path that is the spec, or a file the spec reads through its `$ref`s,
 * under any spelling: writing there would replace the source with what was made of it.
 */
export function refuseSpecAsOutput(output: string, shown: string, spec: string): void {
  const target = fileIdentity(output);
  if (target === undefined) return;
  const overwritten = specFiles(spec).find((file) => fileIdentity(file) === target);
  if (overwritten === undefined) return;
  throw new CliError(
    overwritten === spec
      ? `cannot write ${shown}: it is the spec itself, not an output file`
      : `cannot write ${shown}: it is a file the spec reads through its $refs, not an output file`,
  );
}
