import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The file a `$ref` written in the file `base` names by a relative path (the part before `#`).
 * A `$ref` is a URI reference (RFC 3986): its path is percent-encoded, `my%20models/user.yaml`
 * for `my models/user.yaml`, `caf%C3%A9.yaml` for `café.yaml`, as PyMacaron's bravado-core read
 * it. A file whose name is the path as written (a real `%` in it) comes first, so that every spec
 * that loaded before loads the same files; a `%` that starts no escape (`100%.yaml`) is taken as
 * written, the escapes beside it decoded (`my%20models/100%.yaml`). A `\` between segments, as
 * Windows writes a relative path (`schemas\user.yaml`), is a `/`, as URL parsers read it.
 */
export function refFilePath(base: string, path: string): string {
  const written = resolve(dirname(base), path);
  if (!/[%\\]/.test(path) || existsSync(written)) return written;
  return resolve(dirname(base), percentDecoded(slashed(path)));
}

// A relative path as Windows writes it (`schemas\user.yaml`) with `/` between its segments, as a
// URL parser reads a `\` in a file URL (WHATWG URL): the spec reads on every system, not only
// on Windows. A file whose name has a real `\` (as written) is found first.
function slashed(path: string): string {
  return path.replaceAll('\\', '/');
}

// Each run of `%XX` escapes decoded as UTF-8 where it is one; a `%` that starts no escape
// (`100%.yaml`), or bytes that are no UTF-8, stay as written.
function percentDecoded(path: string): string {
  return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}
