import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The file a `$ref` written in the file `base` names by a relative path (the part before `#`).
 * A `$ref` is a URI reference (RFC 3986): its path is percent-encoded, `my%20models/user.yaml`
 * for `my models/user.yaml`, `caf%C3%A9.yaml` for `café.yaml`, as PyMacaron's bravado-core read
 * it. A file whose name is the path as written (a real `%` in it) comes first, so that every spec
 * that loaded before loads the same files; a path that is no valid encoding (`100%.yaml`) is
 * taken as written.
 */
export function refFilePath(base: string, path: string): string {
  const written = resolve(dirname(base), path);
  if (!path.includes('%') || existsSync(written)) return written;
  try {
    return resolve(dirname(base), decodeURIComponent(path));
  } catch {
    return written;
  }
}
