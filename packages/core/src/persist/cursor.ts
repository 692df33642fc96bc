import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../errors/persistence-errors.js';
import { sameValue } from '../schema/same-value.js';
import type { ItemKey, KeyValue } from './stored-value.js';

/** What a cursor is bound to: the table, the index and (for queries) the partition. */
export interface CursorScope {
  /** Physical table name. */
  table: string;
  /** Index name, or `''` for the table. */
  index: string;
  /** The queried partition value, or undefined for a scan. */
  partition: KeyValue | undefined;
}

type EncodedValue = { s: string } | { n: string } | { b: string };

interface CursorPayload {
  v: 1;
  t: string;
  i: string;
  p: EncodedValue | null;
  k: Record<string, EncodedValue>;
}

const defaultSecret = 'macaron-cursor-v1';

function encodeValue(value: KeyValue): EncodedValue {
  if (typeof value === 'string') return { s: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { n: String(value) };
  return { b: Buffer.from(value).toString('base64') };
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

/**
 * Signs and checks opaque pagination cursors. A cursor carries the last key of a page and
 * the scope it belongs to; an HMAC makes tampering evident, and the scope check makes a
 * cursor from another table, index or partition an error instead of a read elsewhere.
 */
export class CursorCodec {
  private readonly secret: string;

  constructor(secret: string | undefined) {
    this.secret = secret ?? defaultSecret;
  }

  /** Encodes the last key of a page as a cursor for the same scope. */
  encode(scope: CursorScope, lastKey: ItemKey): string {
    const payload: CursorPayload = {
      v: 1,
      t: scope.table,
      i: scope.index,
      p: scope.partition === undefined ? null : encodeValue(scope.partition),
      k: Object.fromEntries(
        Object.entries(lastKey).map(([name, value]) => [name, encodeValue(value)]),
      ),
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** Decodes a cursor, checking its signature and that it belongs to this scope. */
  decode(scope: CursorScope, cursor: string, keyNames: readonly string[]): ItemKey {
    if (typeof cursor !== 'string') throw new InvalidCursorError('A cursor must be a string');
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined || !this.verify(body, signature)) {
      throw new InvalidCursorError('The cursor is malformed or was altered');
    }
    let payload: CursorPayload;
    let key: ItemKey;
    let partition: KeyValue | undefined;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPayload;
      key = Object.fromEntries(
        Object.entries(payload.k).map(([name, value]) => [name, decodeValue(value)]),
      );
      partition = payload.p === null ? undefined : decodeValue(payload.p);
    } catch (error) {
      throw new InvalidCursorError('The cursor is malformed or was altered', { cause: error });
    }
    if (
      payload.v !== 1 ||
      payload.t !== scope.table ||
      payload.i !== scope.index ||
      !sameValue(partition, scope.partition)
    ) {
      throw new InvalidCursorError(
        'The cursor belongs to another query (table, index or partition)',
      );
    }
    const names = Object.keys(key);
    if (names.length !== keyNames.length || !keyNames.every((name) => name in key)) {
      throw new InvalidCursorError('The cursor does not hold the key of this table or index');
    }
    return key;
  }

  /** True when the key's partition attribute holds the scope's partition value. */
  static keyInPartition(key: ItemKey, attribute: string, partition: KeyValue): boolean {
    return sameValue(key[attribute], partition);
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 22);
  }

  private verify(body: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
