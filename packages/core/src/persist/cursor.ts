import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
  randomFillSync,
} from 'node:crypto';
import { InvalidCursorError } from '../errors/persistence-errors.js';
import { setOwnProperty } from '../schema/own-property.js';
import { sameValue } from '../schema/same-value.js';
import {
  boundTo,
  type CursorQuery,
  canonicalQuery,
  fingerprintOf,
  withIndexKeys,
} from './query-fingerprint.js';
import type { ItemKey, KeyValue } from './stored-value.js';

type EncodedValue = { s: string } | { n: string } | { b: string };

/** First byte of every cursor: the format, so that another one is refused, not misread. */
const formatVersion = 2;
/**
 * Format 2's layout with the key in bytes rather than JSON (see `compactKey`), for keys whose
 * JSON would be far longer than they are (control characters, bytes): bound to the query as
 * format 2 is. Other keys keep format 2, which instances of earlier releases open too.
 */
const compactFormatVersion = 3;
/**
 * Formats 4 and 5: formats 2 and 3 for a read of an index, bound to the index's keys as well
 * (`CursorQuery.indexKeys`): an index whose keys changed under its name orders its items
 * otherwise, and refuses the cursors of its former keys. Only instances of this version and
 * later open those; cursors of format 2 and 3 that earlier versions made of an index still open.
 */
const indexFormatVersion = 4;
const indexCompactFormatVersion = 5;
// A JSON plaintext longer than this, and than 1.5 times the compact one, is sent compact.
const compactFromBytes = 512;
/**
 * The format before cursors were bound to their backend's name: still opened, with the
 * query's fingerprint as it was then, so that pages read across an upgrade go on.
 */
const unboundFormatVersion = 1;
const ivLength = 12;
const tagLength = 16;
/**
 * Far above any genuine cursor, refused unread. DynamoDB's keys are 2 KB at most, but a key
 * another client wrote in PostgreSQL may be far longer (a compressible 60,000-character sort
 * key fits its index), and its listing must page past it. Reading a forged cursor this long
 * costs milliseconds.
 */
const maxCursorLength = 4 * 1024 * 1024;
const base64url = /^[A-Za-z0-9_-]+$/;

/** One message for every cursor that does not open: it tells an attacker nothing. */
/** What every cursor that does not open for the query is told, whatever the cause. */
export const invalidMessage = 'The cursor is invalid, or belongs to another query';

// IVs come from a pool refilled 256 at a time: one CSPRNG call per IV costs as much as the
// encryption. Each IV is copied out (into the cipher and the cursor) before the next is taken.
const ivPool = Buffer.alloc(ivLength * 256);
let ivOffset = ivPool.length;

function nextIv(): Buffer {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  ivOffset += ivLength;
  return ivPool.subarray(ivOffset - ivLength, ivOffset);
}

function encodeValue(value: KeyValue): EncodedValue {
  if (typeof value === 'string') return { s: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { n: String(value) };
  return { b: Buffer.from(value).toString('base64') };
}

const valueTypes = ['s', 'n', 'b'] as const;

/**
 * A key as bytes: for each attribute, its name's length (2 bytes) and UTF-8 bytes, the type
 * of its value (`s`, `n` or `b`), and the value's length (4 bytes) and bytes (UTF-8 text, the
 * number's decimal text, or the bytes themselves).
 */
function compactKey(encoded: Record<string, EncodedValue>): Buffer {
  const parts: Buffer[] = [];
  for (const name of Object.keys(encoded)) {
    const value = encoded[name] as Record<string, string>;
    const type = Object.keys(value)[0] as (typeof valueTypes)[number];
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes =
      type === 'b'
        ? Buffer.from(value.b as string, 'base64')
        : Buffer.from(value[type] as string, 'utf8');
    const head = Buffer.alloc(2 + nameBytes.length + 1 + 4);
    head.writeUInt16BE(nameBytes.length, 0);
    nameBytes.copy(head, 2);
    head.writeUInt8(valueTypes.indexOf(type), 2 + nameBytes.length);
    head.writeUInt32BE(valueBytes.length, 3 + nameBytes.length);
    parts.push(head, valueBytes);
  }
  return Buffer.concat(parts);
}

/** The key `compactKey` wrote, as format 2's JSON would hold it; throws on anything else. */
function readCompactKey(bytes: Buffer): Record<string, EncodedValue> {
  const key: Record<string, EncodedValue> = {};
  let position = 0;
  const take = (length: number) => {
    if (position + length > bytes.length) throw new Error('short');
    position += length;
    return bytes.subarray(position - length, position);
  };
  while (position < bytes.length) {
    const name = take(take(2).readUInt16BE(0)).toString('utf8');
    const type = valueTypes[take(1).readUInt8(0)];
    const value = take(take(4).readUInt32BE(0));
    if (type === undefined || Object.hasOwn(key, name)) throw new Error('bad key');
    setOwnProperty(
      key,
      name,
      type === 's'
        ? { s: value.toString('utf8') }
        : type === 'n'
          ? { n: value.toString('utf8') }
          : { b: value.toString('base64') },
    );
  }
  return key;
}

/** The authenticated data of a format's compact variant (3 for 2, 5 for 4). */
function compactData(associated: Buffer): Buffer {
  const compact =
    associated[0] === indexFormatVersion ? indexCompactFormatVersion : compactFormatVersion;
  return Buffer.concat([Buffer.of(compact), associated.subarray(1)]);
}

function decodeValue(value: unknown): KeyValue {
  if (typeof value !== 'object' || value === null) throw new Error('bad value');
  const encoded = value as Record<string, unknown>;
  if (typeof encoded.s === 'string') return encoded.s;
  if (typeof encoded.n === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(encoded.n)) {
    const number = Number(encoded.n);
    if (/^-?\d+$/.test(encoded.n) && !Number.isSafeInteger(number)) return BigInt(encoded.n);
    return number;
  }
  if (typeof encoded.b === 'string') return new Uint8Array(Buffer.from(encoded.b, 'base64'));
  throw new Error('bad value');
}

/** The cursors of one query: made for it, and opened only for it. */
export interface QueryCursors {
  /** Encrypts the last key of a page as the cursor of the next one. */
  encode(lastKey: ItemKey): string;
  /**
   * The cursor of `lastKey`, encrypted when first asked for (then the same string): the key's
   * values are read now, so a caller changing them later (bytes are shared with the page's
   * items) changes no cursor. A page whose cursor is never read pays no cipher.
   */
  encodeWhenRead(lastKey: ItemKey): () => string;
  /**
   * Opens a cursor of this query and returns the key it holds. Anything else (garbage,
   * another key, another query, another format, an altered byte) is an InvalidCursorError.
   */
  decode(cursor: unknown, keyNames: readonly string[]): ItemKey;
}

/**
 * Opaque, unforgeable pagination cursors: the last key of a page, encrypted with
 * AES-256-GCM under a random 96-bit IV. The authenticated data is the format version and
 * the fingerprint of the whole query and of the backend's name (`canonicalQuery`), so a
 * cursor opens only for the query that made it, on the engine family that made it, and a
 * client learns nothing from one and can forge none.
 *
 * Layout, in base64url: version (1 byte) | IV (12) | ciphertext of the key as JSON (format 2;
 * 4 reading an index, bound to its keys too) or as bytes (format 3, or 5, see `compactKey`) |
 * tag (16).
 */
export class CursorCodec {
  // Key objects, made once: a cipher from one skips preparing the raw key every call.
  private readonly keys: readonly KeyObject[];
  private lastAssociated: { readonly canonical: string; readonly data: Buffer } | undefined;

  /** `keys`: AES-256 keys, the first encrypts; all are tried to open (key rotation). */
  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0 || keys.some((key) => key.length !== 32)) {
      throw new TypeError('CursorCodec needs 32-byte keys, the first one current');
    }
    this.keys = keys.map((key) => createSecretKey(key));
  }

  /** The cursors of one query, bound to it as it is at this call. */
  forQuery(query: CursorQuery): QueryCursors {
    return new CursorsOfQuery(this, query);
  }

  /** True when the key's partition attribute holds the query's partition value. */
  static keyInPartition(key: ItemKey, attribute: string, partition: KeyValue): boolean {
    return sameValue(key[attribute], partition);
  }

  /**
   * @internal The authenticated data of format 2 for a query's canonical form: the format and
   * the form's fingerprint. The last one is kept, so that a listing read page after page, or
   * asked again for the same partition, hashes its query once (a SHA-256 is a quarter of what
   * a cursor costs).
   */
  associatedData(canonical: string, version = formatVersion): Buffer {
    if (this.lastAssociated?.canonical !== canonical || this.lastAssociated.data[0] !== version)
      this.lastAssociated = {
        canonical,
        data: Buffer.concat([Buffer.of(version), fingerprintOf(canonical)]),
      };
    return this.lastAssociated.data;
  }

  /** @internal The cursor of `lastKey` (see `QueryCursors.encode`). */
  encode(associated: Buffer, lastKey: ItemKey): string {
    return this.seal(associated, CursorCodec.encodedKey(lastKey));
  }

  /** @internal A key's values as a cursor holds them (read at once: bytes are copied). */
  static encodedKey(lastKey: ItemKey): Record<string, EncodedValue> {
    const encoded: Record<string, EncodedValue> = {};
    for (const name of Object.keys(lastKey))
      setOwnProperty(encoded, name, encodeValue(lastKey[name] as KeyValue));
    return encoded;
  }

  /** @internal The cursor of a key read by `encodedKey`. */
  seal(associated: Buffer, encoded: Record<string, EncodedValue>): string {
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.keys[0] as KeyObject, iv, {
      authTagLength: tagLength,
    });
    let plaintext: Buffer | string = JSON.stringify(encoded);
    let data = associated;
    if (plaintext.length > compactFromBytes) {
      const compact = compactKey(encoded);
      if (Buffer.byteLength(plaintext, 'utf8') > 1.5 * compact.length) {
        plaintext = compact;
        data = compactData(associated);
      }
    }
    cipher.setAAD(data);
    // In this order: the tag exists once the cipher is final.
    const ciphertext =
      typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext);
    const last = cipher.final();
    return Buffer.concat([data.subarray(0, 1), iv, ciphertext, last, cipher.getAuthTag()]).toString(
      'base64url',
    );
  }

  /**
   * @internal The key a cursor holds (see `QueryCursors.decode`); `associated` gives the
   * authenticated data of a format version, undefined for a version not opened.
   */
  decode(
    associated: (version: number) => Buffer | undefined,
    cursor: unknown,
    keyNames: readonly string[],
  ): ItemKey {
    if (typeof cursor !== 'string') throw new InvalidCursorError('A cursor must be a string');
    const opened = this.open(associated, cursor);
    if (opened === undefined) throw new InvalidCursorError(invalidMessage);
    let key: ItemKey;
    try {
      const parsed =
        opened.version === compactFormatVersion || opened.version === indexCompactFormatVersion
          ? readCompactKey(opened.plaintext)
          : (JSON.parse(opened.plaintext.toString('utf8')) as Record<string, unknown>);
      key = Object.fromEntries(
        Object.entries(parsed).map(([name, value]) => [name, decodeValue(value)]),
      );
    } catch {
      // Only a codec bug could get here: the plaintext is authenticated.
      throw new InvalidCursorError(invalidMessage);
    }
    const names = Object.keys(key);
    if (names.length !== keyNames.length || !keyNames.every((name) => Object.hasOwn(key, name))) {
      throw new InvalidCursorError(invalidMessage);
    }
    return key;
  }

  /** The plaintext of a cursor that authenticates under one of the keys, else undefined. */
  private open(
    associatedOf: (version: number) => Buffer | undefined,
    cursor: string,
  ): { version: number; plaintext: Buffer } | undefined {
    if (cursor.length > maxCursorLength || !base64url.test(cursor)) return undefined;
    const bytes = Buffer.from(cursor, 'base64url');
    // Only the canonical spelling: unused low bits of the last character may not vary.
    if (bytes.toString('base64url') !== cursor) return undefined;
    if (bytes.length < 1 + ivLength + tagLength) return undefined;
    const associated = associatedOf(bytes[0]!);
    if (associated === undefined) return undefined;
    const iv = bytes.subarray(1, 1 + ivLength);
    const ciphertext = bytes.subarray(1 + ivLength, bytes.length - tagLength);
    const tag = bytes.subarray(bytes.length - tagLength);
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
        decipher.setAAD(associated);
        decipher.setAuthTag(tag);
        return {
          version: bytes[0]!,
          plaintext: Buffer.concat([decipher.update(ciphertext), decipher.final()]),
        };
      } catch {
        // Not this key (or altered): try the next one.
      }
    }
    return undefined;
  }
}

// The cursors of one query. Its canonical form is taken when the query is made, from the
// options as they are at the call: a caller changing its filter while the page is read does
// not bind the page's cursor to another query. It is hashed into the associated data (format
// and fingerprint) at the first cursor made or opened: a page that needs none pays no hash.
class CursorsOfQuery implements QueryCursors {
  private readonly canonical: string;
  // The canonical form without the backend: what format 1 cursors are bound to.
  private readonly unbound: string | undefined;
  // Reading an index: the canonical form with the index's keys, which its cursors are bound to.
  private readonly indexed: string | undefined;
  private associated: Buffer | undefined;
  private earlier: Buffer | undefined;

  constructor(
    private readonly codec: CursorCodec,
    query: CursorQuery,
  ) {
    const backend = query.backend;
    const canonical = canonicalQuery({ ...query, backend: undefined });
    this.unbound = backend === undefined ? undefined : canonical;
    this.canonical = backend === undefined ? canonical : boundTo(canonical, backend);
    this.indexed =
      query.indexKeys === undefined ? undefined : withIndexKeys(this.canonical, query.indexKeys);
  }

  encode(lastKey: ItemKey): string {
    return this.codec.encode(this.associatedData(), lastKey);
  }

  encodeWhenRead(lastKey: ItemKey): () => string {
    const encoded = CursorCodec.encodedKey(lastKey);
    let cursor: string | undefined;
    return () => {
      cursor ??= this.codec.seal(this.associatedData(), encoded);
      return cursor;
    };
  }

  decode(cursor: unknown, keyNames: readonly string[]): ItemKey {
    return this.codec.decode(
      (version) =>
        version === formatVersion
          ? this.earlierData()
          : version === compactFormatVersion
            ? compactData(this.earlierData())
            : version === indexFormatVersion && this.indexed !== undefined
              ? this.associatedData()
              : version === indexCompactFormatVersion && this.indexed !== undefined
                ? compactData(this.associatedData())
                : version === unboundFormatVersion && this.unbound !== undefined
                  ? Buffer.concat([Buffer.of(unboundFormatVersion), fingerprintOf(this.unbound)])
                  : undefined,
      cursor,
      keyNames,
    );
  }

  // What the cursors this query makes are bound to: format 4 reading an index, else 2.
  private associatedData(): Buffer {
    this.associated ??=
      this.indexed === undefined
        ? this.codec.associatedData(this.canonical)
        : this.codec.associatedData(this.indexed, indexFormatVersion);
    return this.associated;
  }

  // Format 2's, without the index's keys: what cursors of earlier versions are bound to.
  private earlierData(): Buffer {
    if (this.indexed === undefined) return this.associatedData();
    this.earlier ??= this.codec.associatedData(this.canonical);
    return this.earlier;
  }
}
