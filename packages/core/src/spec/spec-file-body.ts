import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
// Node's, not the global: Jest's jsdom environment defines no `TextDecoder`.
import { TextDecoder } from 'node:util';

/**
 * The text of a spec file as its parsers and its line numbers read it, from the text read as
 * UTF-8: without the byte order mark Windows editors write first (the YAML and JSON parsers skip
 * it, but a position counted in the text with it was one character off), and with its line
 * breaks as LF: CRLF, as redocly reads a file, and a lone CR (classic Mac OS), which YAML reads as
 * a line break (YAML 1.2 §5.4) but redocly's line numbers did not, putting every problem on line 1. A file in UTF-16 with its byte order mark, which
 * YAML 1.2 readers read (§5.2) and Windows tools write, is read as what it says: read as UTF-8,
 * its byte order mark was two U+FFFD and its text failed with "null byte is not allowed".
 */
export function specFileBody(file: string, text: string): string {
  const decoded =
    text.charCodeAt(0) === 0xfffd && text.charCodeAt(1) === 0xfffd ? utf16Text(file) : undefined;
  const read = decoded ?? text;
  const body = read.charCodeAt(0) === 0xfeff ? read.slice(1) : read;
  return body.replace(/\r\n?/g, '\n');
}

/**
 * The local file a `$ref` that is a `file:` URL names (`file:///C:/specs/user.yaml`), undefined
 * for any other `$ref`. Written in the file `base`, a relative one (`file:schemas/user.yaml`)
 * is read from that file's folder, as URL parsers (WHATWG, Python's `urljoin`) read it; in a
 * document fetched by URL (`http:`, `https:`, `data:`) it names none: a document from a server
 * names no file of the machine that reads it, as a browser reads it.
 */
export function fileUrlPath(base: string | null, ref: string): string | undefined {
  if (!/^file:/i.test(ref)) return undefined;
  if (base !== null && /^(https?:|data:)/i.test(base)) return undefined;
  try {
    return fileURLToPath(base === null ? ref : new URL(ref, pathToFileURL(base)));
  } catch {
    return undefined; // a host other than localhost, say: left to redocly, which reports it
  }
}

// The text of a UTF-16 file that starts with its byte order mark (without it); undefined for any
// other file, and for one whose bytes are not UTF-16 after all (left to fail as they read).
function utf16Text(file: string): string | undefined {
  try {
    const bytes = readFileSync(file);
    const encoding =
      bytes[0] === 0xff && bytes[1] === 0xfe
        ? 'utf-16le'
        : bytes[0] === 0xfe && bytes[1] === 0xff
          ? 'utf-16be'
          : undefined;
    return encoding && new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
