import { hkdfSync, randomBytes } from 'node:crypto';
import { CursorCodec } from './cursor.js';

/** The cursor options of `loadApi`. */
export interface CursorKeyOptions {
  /**
   * Key material of at least 32 characters, well-formed text (no lone surrogate); a random key
   * per `loadApi` when absent.
   */
  cursorKey?: string | undefined;
  /** Former keys, still accepted for reading cursors (rotation). */
  previousCursorKeys?: readonly string[] | undefined;
  /** @deprecated The former name of `cursorKey`. */
  cursorSecret?: string | undefined;
}

/** Fewest characters of key material: a random key spelled in base64 has 44. */
export const minCursorKeyLength = 32;

// Domain separation: the same material used elsewhere yields another AES key.
const hkdfSalt = Buffer.from('macaron/cursor', 'utf8');
const hkdfInfo = Buffer.from('macaron cursor v1 aes-256-gcm', 'utf8');

/** The AES-256 key HKDF-SHA256 derives from key material. */
export function deriveCursorKey(material: string | Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', material, hkdfSalt, hkdfInfo, 32));
}

/**
 * Checks the cursor options and builds the codec: the current key encrypts, every key
 * (current first) opens. Without a key, a random one: cursors then work only within
 * this API object. Throws a TypeError naming the option; it never echoes a key.
 */
export function createCursorCodec(options: CursorKeyOptions): CursorCodec {
  if (options.cursorKey !== undefined && options.cursorSecret !== undefined) {
    throw new TypeError('loadApi: give cursorKey only; cursorSecret is its deprecated former name');
  }
  const current =
    options.cursorKey !== undefined
      ? checkedMaterial(options.cursorKey, 'cursorKey')
      : options.cursorSecret !== undefined
        ? checkedMaterial(options.cursorSecret, 'cursorSecret')
        : randomBytes(32);
  const previous = options.previousCursorKeys;
  if (previous !== undefined && !Array.isArray(previous)) {
    throw new TypeError('loadApi: previousCursorKeys must be an array of strings');
  }
  const keys = [
    current,
    ...(previous ?? []).map((key, index) => checkedMaterial(key, `previousCursorKeys[${index}]`)),
  ];
  return new CursorCodec(keys.map(deriveCursorKey));
}

function checkedMaterial(material: unknown, option: string): string {
  if (typeof material !== 'string') {
    throw new TypeError(`loadApi: ${option} must be a string`);
  }
  if (material.length < minCursorKeyLength) {
    throw new TypeError(
      `loadApi: ${option} must have at least ${minCursorKeyLength} characters (it has ${material.length}); make one with \`openssl rand -base64 32\``,
    );
  }
  // HKDF reads the text as UTF-8, where every lone surrogate is U+FFFD: keys that differ only
  // there would be one key (32 of them, a well-known one), opening each other's cursors.
  if (!material.isWellFormed()) {
    throw new TypeError(
      `loadApi: ${option} holds a lone surrogate (half of a UTF-16 pair), which UTF-8 cannot hold; give well-formed text: the key's toWellFormed() (each lone surrogate as U+FFFD) is the key earlier versions used, and opens their cursors`,
    );
  }
  return material;
}
