import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
// Node's, not the global: Jest's jsdom environment defines no `TextDecoder`.
import { TextDecoder } from 'node:util';
import { shownText } from '../errors/shown-name.js';
import { SpecError } from '../errors/spec-error.js';
import { specFileBody } from './spec-file-body.js';

/**
 * The largest spec file Macaron reads (and the largest answer it takes for a `$ref` by URL):
 * 128 MiB. A 50 MB spec takes some 2 GB of memory to load; past this size a file is not a spec
 * that loads, but a device, a log or an answer that would never end.
 */
export const maxSpecFileBytes = 128 * 1024 * 1024;

/**
 * The text of a spec file as Macaron reads it (see `specFileBody`): UTF-8, or UTF-16 with or
 * without its byte order mark (YAML 1.2 §5.2), without the mark, line breaks as LF. Refused with
 * a `SpecError` naming the file, before a byte is read: anything but a regular file (a FIFO no
 * one writes to waits forever, `/dev/zero` never ends, a folder holds no text) and a file over
 * `maxSpecFileBytes`. Bytes that are not UTF-8 are refused at their line and column, where the
 * decoder would have made each a U+FFFD, silently, in a description or an `enum` value. A file
 * that cannot be opened (none there, no permission) throws the error of `open`.
 */
export async function readSpecFile(file: string): Promise<string> {
  // Non-blocking: opening a FIFO waits for a writer, for ever; so opened, fstat tells what it is.
  const handle = await open(file, constants.O_RDONLY | nonBlocking);
  try {
    const stats = await handle.stat();
    refuseUnlessSpecFile(file, stats);
    const bytes = Buffer.alloc(stats.size);
    let length = 0;
    // A file that grows while it is read is read as far as its size said.
    while (length < bytes.length) {
      const { bytesRead } = await handle.read(bytes, length, bytes.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return specText(file, bytes.subarray(0, length));
  } finally {
    await handle.close();
  }
}

/** `readSpecFile`, synchronously. */
export function readSpecFileSync(file: string): string {
  const descriptor = openSync(file, constants.O_RDONLY | nonBlocking);
  try {
    const stats = fstatSync(descriptor);
    refuseUnlessSpecFile(file, stats);
    const bytes = Buffer.alloc(stats.size);
    let length = 0;
    while (length < bytes.length) {
      const read = readSync(descriptor, bytes, length, bytes.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return specText(file, bytes.subarray(0, length));
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The text of a spec file's bytes (see `readSpecFile`): also for the answer of a server to a
 * `$ref` by URL, which `file` then is.
 */
export function specText(file: string, bytes: Uint8Array): string {
  const encoding = encodingOf(bytes);
  if (encoding !== 'utf-8') {
    try {
      return specFileBody(file, new TextDecoder(encoding, { fatal: true }).decode(bytes));
    } catch {
      throw fileError(file, `is not valid ${encoding.toUpperCase()}, as its first bytes say it is`);
    }
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const invalid = firstInvalidUtf8(text, bytes);
  if (invalid !== undefined) {
    const before = text.slice(0, invalid.at);
    const line = before.split(/\r\n|\r|\n/).length;
    const column = before.length - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    throw fileError(
      file,
      `is not valid UTF-8 at line ${line}, column ${column} (byte 0x${invalid.byte.toString(16).toUpperCase().padStart(2, '0')}): a spec is written in UTF-8 (or UTF-16); save it so`,
    );
  }
  return specFileBody(file, text);
}

// O_NONBLOCK where the platform has it (not on Windows, which has no FIFO of this kind).
const nonBlocking = constants.O_NONBLOCK ?? 0;

function refuseUnlessSpecFile(file: string, stats: Stats): void {
  if (!stats.isFile())
    throw fileError(
      file,
      `is ${kindOf(stats)}, not a file: a spec and the files its $refs name are read from regular files`,
    );
  if (stats.size > maxSpecFileBytes)
    throw fileError(
      file,
      `is ${stats.size} bytes, more than the ${maxSpecFileBytes} (128 MiB) a spec file may have`,
    );
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

// The encoding of a spec's bytes as YAML 1.2 §5.2 tells it: a byte order mark, else the zero
// byte beside the first character (ASCII in any spec: `{`, `o` of openapi, `#`, a space).
function encodingOf(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  const [first, second] = bytes;
  if (first === 0xff && second === 0xfe) return 'utf-16le';
  if (first === 0xfe && second === 0xff) return 'utf-16be';
  if (bytes.length >= 2 && first !== 0 && second === 0) return 'utf-16le';
  if (bytes.length >= 2 && first === 0 && second !== 0) return 'utf-16be';
  return 'utf-8';
}

// Where the first byte that is not UTF-8 made a U+FFFD in `text` (read from `bytes`), with that
// byte; undefined when every U+FFFD of the text is one the file wrote. Up to the first invalid
// byte, the text and the bytes agree: the bytes of the text before a U+FFFD are its offset.
function firstInvalidUtf8(
  text: string,
  bytes: Uint8Array,
): { at: number; byte: number } | undefined {
  let offset = 0;
  let counted = 0;
  for (let at = text.indexOf('\ufffd'); at !== -1; at = text.indexOf('\ufffd', at + 1)) {
    offset += Buffer.byteLength(text.slice(counted, at), 'utf8');
    counted = at;
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd)
      return { at, byte: bytes[offset]! };
  }
  return undefined;
}

function fileError(file: string, message: string): SpecError {
  return new SpecError('Cannot load the spec', [
    { file, pointer: '', message: `${shownText(file)} ${message}` },
  ]);
}
