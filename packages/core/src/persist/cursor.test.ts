import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/support/specs.js';
import { InvalidCursorError } from '../errors/persistence-errors.js';
import { CursorCodec } from './cursor.js';
import { deriveCursorKey } from './cursor-keys.js';
import { type CursorQuery, canonicalQuery, fingerprintOf } from './query-fingerprint.js';
import type { ItemKey } from './stored-value.js';

const keyOne = deriveCursorKey('k1-0123456789abcdef0123456789abcdef');
const keyTwo = deriveCursorKey('k2-0123456789abcdef0123456789abcdef');
const codec = new CursorCodec([keyOne]);
const query: CursorQuery = {
  kind: 'query',
  model: 'Order',
  table: 'dev-orders',
  index: '',
  partition: 'customer-1',
};
const scan: CursorQuery = { kind: 'scan', model: 'Order', table: 'dev-orders', index: '' };
const names = ['pk', 'sk'];
const key = { pk: 'customer-1', sk: 'order#0001' };

function invalid(run: () => unknown): void {
  const error = thrown(run);
  expect(error).toBeInstanceOf(InvalidCursorError);
  expect((error as InvalidCursorError).code).toBe('INVALID_CURSOR');
  expect((error as InvalidCursorError).status).toBe(400);
}

function roundTrip(scope: CursorQuery, lastKey: ItemKey, keyNames = Object.keys(lastKey)) {
  return codec.forQuery(scope).decode(codec.forQuery(scope).encode(lastKey), keyNames);
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('encodeWhenRead', () => {
  it('reads the key at once and encrypts it once, at the first call', () => {
    const cursors = codec.forQuery(query);
    const bytes = new Uint8Array([1, 2]);
    const cursor = cursors.encodeWhenRead({ pk: 'customer-1', sk: bytes });
    bytes.fill(9);
    const made = cursor();
    expect(cursor()).toBe(made);
    expect(codec.forQuery(query).decode(made, names)).toEqual({
      pk: 'customer-1',
      sk: new Uint8Array([1, 2]),
    });
  });
});

describe('CursorCodec round trip', () => {
  it.each([
    ['a string', { pk: 'customer-1', sk: 'order#0001' }],
    ['a Unicode string', { pk: 'customer-1', sk: 'été 😀 \u0000' }],
    ['an integer', { pk: 'customer-1', sk: 42 }],
    ['a negative fraction', { pk: 'customer-1', sk: -1.25 }],
    ['a tiny number', { pk: 'customer-1', sk: 1.5e-100 }],
    ['the largest safe integer', { pk: 'customer-1', sk: Number.MAX_SAFE_INTEGER }],
    ['a bigint beyond 2^53', { pk: 'customer-1', sk: 2n ** 64n + 1n }],
    ['a negative bigint beyond 2^53', { pk: 'customer-1', sk: -(10n ** 37n) - 3n }],
    ['bytes', { pk: 'customer-1', sk: new Uint8Array([0, 1, 254, 255]) }],
  ] as const)('keeps %s key exactly', (_label, lastKey) => {
    expect(roundTrip(query, lastKey as ItemKey)).toEqual(lastKey);
  });

  it('binds each cursor to its own query while cursors of several queries are made and opened in turn', () => {
    // The codec keeps the last query's associated data: taking turns must not mix them up.
    const other: CursorQuery = { ...query, partition: 'customer-2' };
    const fromQuery = codec.forQuery(query).encode(key);
    const fromOther = codec.forQuery(other).encode({ ...key, pk: 'customer-2' });
    expect(codec.forQuery(query).decode(fromQuery, names)).toEqual(key);
    invalid(() => codec.forQuery(other).decode(fromQuery, names));
    expect(codec.forQuery(other).decode(fromOther, names)).toEqual({ ...key, pk: 'customer-2' });
    invalid(() => codec.forQuery(query).decode(fromOther, names));
    expect(codec.forQuery(query).decode(codec.forQuery(query).encode(key), names)).toEqual(key);
  });

  it('gives back a small bigint as the equal number', () => {
    expect(roundTrip(query, { pk: 'customer-1', sk: 7n }).sk).toBe(7);
  });

  it('works for scans (no partition) and for indexes', () => {
    expect(roundTrip(scan, { pk: 'a' })).toEqual({ pk: 'a' });
    const byDay: CursorQuery = { ...query, index: 'byDay', partition: 20240229 };
    const indexKey = { day: 20240229, pk: 'a', sk: 'b' };
    expect(roundTrip(byDay, indexKey)).toEqual(indexKey);
  });

  it('works for partitions of bigint, number and bytes', () => {
    for (const partition of [2n ** 60n, 12, new Uint8Array([1, 2])]) {
      expect(roundTrip({ ...query, partition }, { pk: partition })).toEqual({ pk: partition });
    }
  });

  it("is bound to its backend's name: a cursor of one engine does not open on another", () => {
    const onMemory = { ...query, backend: 'memory' };
    const cursor = codec.forQuery(onMemory).encode(key);
    expect(codec.forQuery({ ...query, backend: 'memory' }).decode(cursor, names)).toEqual(key);
    invalid(() => codec.forQuery({ ...query, backend: 'dynamodb' }).decode(cursor, names));
    invalid(() => codec.forQuery(query).decode(cursor, names));
  });

  it('opens a cursor of format 1 (made before cursors named their backend) for the same query on any backend', () => {
    // Format 1: the version byte, then the same layout, bound to the query without a backend.
    const unbound = codec.forQuery(query).encode(key);
    const bytes = Buffer.from(unbound, 'base64url');
    bytes[0] = 1;
    const legacy = new CursorCodec([keyOne]);
    const associated = Buffer.concat([Buffer.of(1), fingerprintOf(canonicalQuery(query))]);
    const made = legacy.encode(associated, key);
    expect(Buffer.from(made, 'base64url')[0]).toBe(1);
    expect(codec.forQuery({ ...query, backend: 'postgres' }).decode(made, names)).toEqual(key);
    invalid(() =>
      codec
        .forQuery({ ...query, partition: 'customer-2', backend: 'postgres' })
        .decode(made, names),
    );
    // A format 1 cursor is opened only where a query names its backend (every model query does).
    invalid(() => codec.forQuery(query).decode(made, names));
    invalid(() =>
      codec.forQuery({ ...query, backend: 'postgres' }).decode(bytes.toString('base64url'), names),
    );
  });

  it('is URL-safe base64url, version byte first, and small', () => {
    const cursor = codec.forQuery(query).encode({ pk: 'customer-1', sk: 'a/b+c=d' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(cursor, 'base64url')[0]).toBe(2);
    // version + IV + tag is 29 bytes; the query is bound by its hash, never embedded.
    const long = { ...query, filter: { attr: 'note', eq: 'x'.repeat(5000) } };
    const bound = codec.forQuery(long).encode({ pk: 'customer-1', sk: 'a/b+c=d' });
    expect(bound.length).toBe(cursor.length);
    expect(cursor.length).toBeLessThan(110);
  });

  it('opens the longest genuine cursor: four key attributes at their size limits, escaped in JSON', () => {
    const control = (bytes: number) => '\u0001'.repeat(bytes);
    const longest = {
      pk: control(2048),
      sk: control(1024),
      gpk: control(2048),
      gsk: control(1024),
    };
    const byIndex: CursorQuery = { ...query, index: 'byOther', partition: longest.gpk };
    const cursor = codec.forQuery(byIndex).encode(longest);
    expect(cursor.length).toBeLessThan(65_536);
    expect(codec.forQuery(byIndex).decode(cursor, Object.keys(longest))).toEqual(longest);
  });

  it('differs each time (a fresh IV, across refills of the IV pool) for the same page, and every one opens', () => {
    const cursors = Array.from({ length: 600 }, () => codec.forQuery(query).encode(key));
    const ivs = cursors.map((cursor) =>
      Buffer.from(cursor, 'base64url').subarray(1, 13).toString('hex'),
    );
    expect(new Set(ivs).size).toBe(600);
    for (const cursor of cursors) expect(codec.forQuery(query).decode(cursor, names)).toEqual(key);
  });
});

describe('[P-56] CursorCodec cursors are opaque', () => {
  const secrets = ['dev-orders', 'customer-1', 'order#0001'];
  const cursor = codec.forQuery(query).encode(key);

  /** Every text a client can get from the cursor by reading it as base64 or base64url. */
  function readings(text: string): string[] {
    const found = [text];
    for (let offset = 0; offset < 4; offset += 1) {
      for (const encoding of ['base64url', 'base64'] as const) {
        const bytes = Buffer.from(text.slice(offset), encoding);
        found.push(bytes.toString('utf8'), bytes.toString('latin1'));
      }
    }
    return found;
  }

  it('holds neither the table name nor a key value, as text or base64(url)-decoded', () => {
    for (const reading of readings(cursor)) {
      for (const secret of secrets) expect(reading).not.toContain(secret);
    }
  });
});

describe('[P-56] CursorCodec refuses', () => {
  const cursor = codec.forQuery(query).encode(key);
  const bytes = Buffer.from(cursor, 'base64url');
  const decode = (text: unknown) => () => codec.forQuery(query).decode(text, names);

  it('every cursor with one character changed, at every position', () => {
    for (let position = 0; position < cursor.length; position += 1) {
      const next = alphabet[(alphabet.indexOf(cursor[position] as string) + 1) % 64];
      invalid(decode(`${cursor.slice(0, position)}${next}${cursor.slice(position + 1)}`));
    }
  });

  it('every cursor with one bit of one byte flipped, at every byte and bit', () => {
    for (let index = 0; index < bytes.length; index += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const flipped = Buffer.from(bytes);
        flipped[index] = (flipped[index] as number) ^ (1 << bit);
        invalid(decode(flipped.toString('base64url')));
      }
    }
  });

  it('every truncation and an extension', () => {
    for (let length = 0; length < cursor.length; length += 1)
      invalid(decode(cursor.slice(0, length)));
    invalid(decode(`${cursor}A`));
    invalid(decode(Buffer.concat([bytes, Buffer.of(0)]).toString('base64url')));
  });

  it('a non-canonical spelling of the same bytes (padding, base64 alphabet, unused bits)', () => {
    invalid(decode(`${cursor}=`));
    // Standard base64 is another spelling only where the bytes give `+`, `/` or padding; a
    // random IV sometimes gives none, and then the text is the cursor itself.
    const standard = bytes.toString('base64');
    if (standard !== cursor) invalid(decode(standard));
    // The last character of a length-2-mod-4 text carries 4 unused bits.
    const shortKey = Array.from({ length: 3 }, (_, length) =>
      codec.forQuery(query).encode({ pk: 'customer-1', sk: 'x'.repeat(length + 1) }),
    ).find((text) => text.length % 4 !== 0) as string;
    const last = alphabet.indexOf(shortKey.at(-1) as string);
    const sameBytes = `${shortKey.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(sameBytes, 'base64url')).toEqual(Buffer.from(shortKey, 'base64url'));
    invalid(() => codec.forQuery(query).decode(sameBytes, names));
  });

  it('another format version', () => {
    for (const version of [0, 1, 3, 255]) {
      const other = Buffer.from(bytes);
      other[0] = version;
      invalid(decode(other.toString('base64url')));
    }
  });

  it.each([
    ['an empty string', ''],
    ['random text', 'hello-world'],
    ['characters outside base64url', `${cursor.slice(0, 10)}.${cursor.slice(11)}`],
    ['text far longer than any cursor', 'A'.repeat(70_000)],
    [
      'a 0.1.0 cursor (signed JSON, the former default secret)',
      (() => {
        const body = Buffer.from(
          JSON.stringify({ v: 1, t: 'dev-orders', i: '', p: { s: 'customer-1' }, k: {} }),
        ).toString('base64url');
        const signature = createHmac('sha256', 'macaron-cursor-v1')
          .update(body)
          .digest('base64url')
          .slice(0, 22);
        return `${body}.${signature}`;
      })(),
    ],
  ])('%s', (_label, text) => {
    invalid(decode(text));
  });

  it('a value that is not a string', () => {
    invalid(decode(42));
    invalid(decode(undefined));
    invalid(decode(bytes));
  });

  it('a cursor of another key, and one of a key no longer listed', () => {
    invalid(() => new CursorCodec([keyTwo]).forQuery(query).decode(cursor, names));
    const rotated = new CursorCodec([keyTwo, keyOne]);
    expect(rotated.forQuery(query).decode(cursor, names)).toEqual(key);
    // The current key encrypts: the new cursor opens where keyOne is gone.
    const fresh = rotated.forQuery(query).encode(key);
    expect(new CursorCodec([keyTwo]).forQuery(query).decode(fresh, names)).toEqual(key);
    invalid(() => codec.forQuery(query).decode(fresh, names));
  });

  it('the same message for every failure, naming nothing of the cursor', () => {
    const messages = new Set(
      [
        'garbage',
        cursor.slice(0, -1),
        `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`,
        new CursorCodec([keyTwo]).forQuery(query).encode(key),
        codec.forQuery({ ...query, partition: 'customer-2' }).encode(key),
      ].map((text) => (thrown(decode(text)) as Error).message),
    );
    expect(messages.size).toBe(1);
    const [message] = [...messages] as [string];
    expect((thrown(decode('garbage')) as Error).cause).toBeUndefined();
    for (const secret of ['dev-orders', 'customer', 'order', 'key', 'tag', 'auth']) {
      expect(message.toLowerCase()).not.toContain(secret);
    }
  });

  it('a cursor that does not hold the key of this table or index', () => {
    invalid(() => codec.forQuery(query).decode(cursor, ['pk']));
    invalid(() => codec.forQuery(query).decode(cursor, ['pk', 'sk', 'day']));
    invalid(() => codec.forQuery(query).decode(cursor, ['pk', 'other']));
  });
});

describe('[P-56] CursorCodec binds a cursor to its whole query', () => {
  const sorted: CursorQuery = { ...query, sort: { gt: 'order#0000' } };
  const others: [string, CursorQuery, CursorQuery][] = [
    ['another table', query, { ...query, table: 'prod-orders' }],
    ['another model on the table', query, { ...query, model: 'Invoice' }],
    ['another index', query, { ...query, index: 'byDay' }],
    ['another partition', query, { ...query, partition: 'customer-2' }],
    [
      'a partition of another type, same spelling',
      { ...query, partition: 1 },
      { ...query, partition: '1' },
    ],
    [
      'a partition of bytes, same text',
      { ...query, partition: 'ab' },
      { ...query, partition: new Uint8Array([97, 98]) },
    ],
    ['a scan for a query', query, scan],
    ['a query for a scan', scan, { ...query, partition: undefined }],
    ['a scan of an index for a scan of the table', { ...scan, index: 'byDay' }, scan],
    ['another sort condition', sorted, { ...query, sort: { gt: 'order#0005' } }],
    ['another sort operator', sorted, { ...query, sort: { gte: 'order#0000' } }],
    ['no sort condition', sorted, query],
    ['a sort condition added', query, sorted],
    [
      'another between bound',
      { ...query, sort: { between: ['a', 'b'] } },
      { ...query, sort: { between: ['a', 'c'] } },
    ],
    ['the reverse direction', query, { ...query, reverse: true }],
    ['a filter added', query, { ...query, filter: { attr: 'status', eq: 'open' } }],
    ['a filter removed', { ...query, filter: { attr: 'status', eq: 'open' } }, query],
    [
      'another filter value',
      { ...query, filter: { attr: 'status', eq: 'open' } },
      { ...query, filter: { attr: 'status', eq: 'shut' } },
    ],
    [
      'a filter value of another type',
      { ...query, filter: { attr: 'n', eq: 5 } },
      { ...query, filter: { attr: 'n', eq: '5' } },
    ],
    [
      'a bigint one apart',
      { ...query, filter: { attr: 'n', eq: 2n ** 64n } },
      { ...query, filter: { attr: 'n', eq: 2n ** 64n + 1n } },
    ],
    [
      'other bytes',
      { ...query, filter: { attr: 'b', eq: new Uint8Array([1, 2]) } },
      { ...query, filter: { attr: 'b', eq: new Uint8Array([1, 3]) } },
    ],
    [
      'another Unicode normalisation',
      { ...query, filter: { attr: 's', eq: 'caf\u00e9' } },
      { ...query, filter: { attr: 's', eq: 'cafe\u0301' } },
    ],
    [
      'a lone surrogate for U+FFFD',
      { ...query, filter: { attr: 's', eq: '\ud800' } },
      { ...query, filter: { attr: 's', eq: '\ufffd' } },
    ],
    [
      'a nested path for a dotted name',
      { ...query, filter: { attr: ['a', 'b'], exists: true } },
      { ...query, filter: { attr: 'a.b', exists: true } },
    ],
    [
      'a list position for a map key',
      { ...query, filter: { attr: ['a', 0], exists: true } },
      { ...query, filter: { attr: ['a', '0'], exists: true } },
    ],
  ];

  it.each(others)('refuses a cursor used with %s', (_label, made, used) => {
    const cursor = codec.forQuery(made).encode({ pk: 'customer-1', sk: 'order#0001' });
    expect(codec.forQuery(made).decode(cursor, names)).toBeDefined();
    invalid(() => codec.forQuery(used).decode(cursor, names));
  });

  it.each([
    [
      'filter fields in another order',
      { ...query, filter: { attr: 's', eq: 1 } },
      { ...query, filter: { eq: 1, attr: 's' } as never },
    ],
    [
      'a number for the equal bigint',
      { ...query, sort: { gt: 5 } },
      { ...query, sort: { gt: 5n } },
    ],
    [
      'a map value with keys in another order',
      { ...query, filter: { attr: 'm', eq: { a: 1, b: 2 } } },
      { ...query, filter: { attr: 'm', eq: { b: 2, a: 1 } } },
    ],
    [
      'a set in another order',
      { ...query, filter: { attr: 't', eq: new Set(['x', 'y']) } as never },
      { ...query, filter: { attr: 't', eq: new Set(['y', 'x']) } as never },
    ],
    ['reverse false for reverse absent', query, { ...query, reverse: false }],
  ] as [string, CursorQuery, CursorQuery][])(
    'opens a cursor of the same query spelt with %s',
    (_label, made, used) => {
      const cursor = codec.forQuery(made).encode(key);
      expect(codec.forQuery(used).decode(cursor, names)).toEqual(key);
    },
  );
});

describe('CursorCodec.keyInPartition', () => {
  it('compares the partition attribute by value', () => {
    expect(CursorCodec.keyInPartition({ pk: 'a', sk: 1 }, 'pk', 'a')).toBe(true);
    expect(CursorCodec.keyInPartition({ pk: 'a', sk: 1 }, 'pk', 'b')).toBe(false);
    expect(CursorCodec.keyInPartition({ pk: 2n ** 60n }, 'pk', 2n ** 60n)).toBe(true);
    expect(CursorCodec.keyInPartition({ pk: 5 }, 'pk', 5n)).toBe(true);
    expect(CursorCodec.keyInPartition({ pk: '5' }, 'pk', 5)).toBe(false);
    expect(CursorCodec.keyInPartition({ pk: new Uint8Array([1]) }, 'pk', new Uint8Array([1]))).toBe(
      true,
    );
  });
});

describe('CursorCodec: keys whose JSON would be far longer than they are', () => {
  const controls = '\u0001'.repeat(2048);
  const formatOf = (cursor: string) => Buffer.from(cursor, 'base64url')[0];

  it('are carried as bytes (format 3): a key of 2,048 control characters makes a cursor of under 3,000 characters, not 16,000, and reads back exactly', () => {
    const small = codec.forQuery(query).encode({ pk: controls, sk: 'x' });
    expect(formatOf(small)).toBe(3);
    expect(small.length).toBeLessThan(3000);
    // 3,072 bytes of key: some 4,100 characters of base64 (format 2's JSON: over 16,000).
    const lastKey = { pk: controls, sk: new Uint8Array(1024).fill(255) };
    const cursor = codec.forQuery(query).encode(lastKey);
    expect(cursor.length).toBeLessThan(4300);
    expect(codec.forQuery(query).decode(cursor, ['pk', 'sk'])).toEqual(lastKey);
    for (const value of [2 ** 53 - 1, 12345678901234567890n, -1.5e-130, 'é😀\u0000'])
      expect(roundTrip(query, { pk: controls, sk: value })).toEqual({ pk: controls, sk: value });
  });

  it('are bound to their query as format 2 cursors are, and refused altered or for another query', () => {
    const cursor = codec.forQuery(query).encode({ pk: controls, sk: 'x' });
    invalid(() => codec.forQuery({ ...query, partition: 'customer-2' }).decode(cursor, names));
    invalid(() => codec.forQuery({ ...query, backend: 'other' }).decode(cursor, names));
    const altered = Buffer.from(cursor, 'base64url');
    altered[20] = (altered[20] ?? 0) ^ 1;
    invalid(() => codec.forQuery(query).decode(altered.toString('base64url'), names));
    // Format 2's authenticated data does not open a format 3 cursor: its first byte is bound.
    const relabelled = Buffer.from(cursor, 'base64url');
    relabelled[0] = 2;
    invalid(() => codec.forQuery(query).decode(relabelled.toString('base64url'), names));
  });

  it('ordinary keys keep format 2, which instances of earlier releases open during a rolling deploy', () => {
    expect(formatOf(codec.forQuery(query).encode(key))).toBe(2);
    expect(formatOf(codec.forQuery(query).encode({ pk: 'a'.repeat(2048), sk: 'b' }))).toBe(2);
  });

  it('a cursor holding other key names is refused, names of Object.prototype included', () => {
    const cursor = codec.forQuery(query).encode({ pk: 'customer-1' });
    invalid(() => codec.forQuery(query).decode(cursor, ['toString']));
  });
});

describe("[P-56] CursorCodec binds a cursor of an index to the index's keys", () => {
  // An index's name may be kept while its keys change (PostgreSQL's ensureTables rebuilds it;
  // another spec sharing the cursor key names its index alike): its items are then in another
  // order, where the cursor's key is at another place.
  const indexQuery: CursorQuery = {
    kind: 'scan',
    model: 'Order',
    table: 'dev-orders',
    index: 'byTag',
    backend: 'postgres',
    indexKeys: ['tag', 'rank'],
  };
  const indexNames = ['pk', 'sk', 'tag', 'rank'];
  const indexKey = { pk: 'customer-1', sk: 'order#0001', tag: 'x', rank: 5 };
  const formatOf = (cursor: string) => Buffer.from(cursor, 'base64url')[0];

  it.each([
    ['its partition and sort keys swapped', ['rank', 'tag']],
    ['its sort key dropped', ['tag']],
    ['another partition key', ['label', 'rank']],
    ['another sort key', ['tag', 'label']],
  ] as [string, CursorQuery['indexKeys']][])(
    'refuses a cursor of the index used once it has %s',
    (_label, indexKeys) => {
      const cursor = codec.forQuery(indexQuery).encode(indexKey);
      expect(codec.forQuery(indexQuery).decode(cursor, indexNames)).toEqual(indexKey);
      invalid(() => codec.forQuery({ ...indexQuery, indexKeys }).decode(cursor, indexNames));
      for (const kind of ['query', 'scan'] as const) {
        const read = { ...indexQuery, kind, partition: kind === 'query' ? 'x' : undefined };
        const made = codec.forQuery(read).encode(indexKey);
        invalid(() => codec.forQuery({ ...read, indexKeys }).decode(made, indexNames));
      }
    },
  );

  it('makes cursors of format 4, or 5 for keys carried as bytes, bound like those of format 2 and 3', () => {
    const cursor = codec.forQuery(indexQuery).encode(indexKey);
    expect(formatOf(cursor)).toBe(4);
    const long = { ...indexKey, tag: '\u0001'.repeat(2048) };
    const compact = codec.forQuery(indexQuery).encode(long);
    expect(formatOf(compact)).toBe(5);
    expect(codec.forQuery(indexQuery).decode(compact, indexNames)).toEqual(long);
    invalid(() =>
      codec.forQuery({ ...indexQuery, indexKeys: ['rank', 'tag'] }).decode(compact, indexNames),
    );
    invalid(() => codec.forQuery({ ...indexQuery, index: 'byDay' }).decode(cursor, indexNames));
    // Another format byte on the same bytes: refused.
    for (const version of [2, 3, 5]) {
      const other = Buffer.from(cursor, 'base64url');
      other[0] = version;
      invalid(() => codec.forQuery(indexQuery).decode(other.toString('base64url'), indexNames));
    }
  });

  it('opens a cursor of format 2 or 3 that an earlier version made for the same read of the index', () => {
    const { indexKeys: _keys, ...earlier } = indexQuery;
    const cursor = codec.forQuery(earlier).encode(indexKey);
    expect(formatOf(cursor)).toBe(2);
    expect(codec.forQuery(indexQuery).decode(cursor, indexNames)).toEqual(indexKey);
    const long = { ...indexKey, tag: '\u0001'.repeat(2048) };
    const compact = codec.forQuery(earlier).encode(long);
    expect(formatOf(compact)).toBe(3);
    expect(codec.forQuery(indexQuery).decode(compact, indexNames)).toEqual(long);
  });
});
