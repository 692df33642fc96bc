import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/support/specs.js';
import { InvalidCursorError } from '../errors/persistence-errors.js';
import { CursorCodec, type CursorScope } from './cursor.js';
import type { ItemKey } from './stored-value.js';

const codec = new CursorCodec('s3cret');
const query: CursorScope = { table: 'dev-orders', index: '', partition: 'customer-1' };
const scan: CursorScope = { table: 'dev-orders', index: '', partition: undefined };

function invalid(run: () => unknown): void {
  const error = thrown(run);
  expect(error).toBeInstanceOf(InvalidCursorError);
  expect((error as InvalidCursorError).code).toBe('INVALID_CURSOR');
  expect((error as InvalidCursorError).status).toBe(400);
}

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
  ] as const)('keeps %s key exactly', (_label, key) => {
    const cursor = codec.encode(query, key as ItemKey);
    expect(codec.decode(query, cursor, ['pk', 'sk'])).toEqual(key);
  });

  it('gives back a small bigint as the equal number', () => {
    const decoded = codec.decode(query, codec.encode(query, { pk: 'customer-1', sk: 7n }), [
      'pk',
      'sk',
    ]);
    expect(decoded.sk).toBe(7);
  });

  it('works for scans (no partition) and for indexes', () => {
    expect(codec.decode(scan, codec.encode(scan, { pk: 'a' }), ['pk'])).toEqual({ pk: 'a' });
    const byDay: CursorScope = { table: 'dev-orders', index: 'byDay', partition: 20240229 };
    const key = { day: 20240229, pk: 'a', sk: 'b' };
    expect(codec.decode(byDay, codec.encode(byDay, key), ['day', 'pk', 'sk'])).toEqual(key);
  });

  it('matches partitions of bigint, number and bytes by value', () => {
    for (const partition of [2n ** 60n, 12, new Uint8Array([1, 2])]) {
      const scope: CursorScope = { table: 't', index: '', partition };
      const cursor = codec.encode(scope, { pk: partition });
      expect(codec.decode(scope, cursor, ['pk'])).toEqual({ pk: partition });
    }
  });

  it('is opaque and URL-safe', () => {
    const cursor = codec.encode(query, { pk: 'customer-1', sk: 'a/b+c=d' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('customer-1');
  });

  it('is stable for the same scope and key', () => {
    const key = { pk: 'customer-1', sk: 3 };
    expect(codec.encode(query, key)).toBe(codec.encode(query, key));
  });
});

describe('[P-56] CursorCodec refuses', () => {
  const key = { pk: 'customer-1', sk: 'order#0001' };
  const cursor = codec.encode(query, key);
  const [body, signature] = cursor.split('.') as [string, string];

  it('a body changed to point elsewhere, signature kept', () => {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    payload.k.sk = { s: 'order#9999' };
    const forged = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    invalid(() => codec.decode(query, forged, ['pk', 'sk']));
  });

  it('a body with one character changed', () => {
    const index = Math.floor(body.length / 2);
    const changed = body[index] === 'A' ? 'B' : 'A';
    const altered = `${body.slice(0, index)}${changed}${body.slice(index + 1)}.${signature}`;
    invalid(() => codec.decode(query, altered, ['pk', 'sk']));
  });

  it('a signature with one character changed, or cut short', () => {
    const changed = signature[0] === 'A' ? 'B' : 'A';
    invalid(() => codec.decode(query, `${body}.${changed}${signature.slice(1)}`, ['pk', 'sk']));
    invalid(() => codec.decode(query, `${body}.${signature.slice(0, -1)}`, ['pk', 'sk']));
  });

  it.each([
    ['an empty string', ''],
    ['no signature', body],
    ['an empty signature', `${body}.`],
    ['an extra part', `${cursor}.x`],
    ['random text', 'hello.world'],
  ])('%s', (_label, text) => {
    invalid(() => codec.decode(query, text, ['pk', 'sk']));
  });

  it('a value that is not a string', () => {
    invalid(() => codec.decode(query, 42 as unknown as string, ['pk', 'sk']));
    invalid(() => codec.decode(query, undefined as unknown as string, ['pk', 'sk']));
  });

  it('a cursor of another table', () => {
    invalid(() => codec.decode({ ...query, table: 'prod-orders' }, cursor, ['pk', 'sk']));
  });

  it('a cursor of another index', () => {
    invalid(() => codec.decode({ ...query, index: 'byDay' }, cursor, ['pk', 'sk']));
  });

  it('a cursor of another partition', () => {
    invalid(() => codec.decode({ ...query, partition: 'customer-2' }, cursor, ['pk', 'sk']));
  });

  it('a partition of another type with the same spelling', () => {
    const numeric: CursorScope = { table: 't', index: '', partition: 1 };
    const text: CursorScope = { table: 't', index: '', partition: '1' };
    invalid(() => codec.decode(text, codec.encode(numeric, { pk: 1 }), ['pk']));
  });

  it('a query cursor used for a scan, and a scan cursor used for a query', () => {
    invalid(() => codec.decode(scan, cursor, ['pk', 'sk']));
    invalid(() => codec.decode(query, codec.encode(scan, key), ['pk', 'sk']));
  });

  it('a cursor that does not hold the key of this table or index', () => {
    invalid(() => codec.decode(query, cursor, ['pk']));
    invalid(() => codec.decode(query, cursor, ['pk', 'sk', 'day']));
    invalid(() => codec.decode(query, cursor, ['pk', 'other']));
  });

  it('a cursor signed with another secret', () => {
    invalid(() => new CursorCodec('another').decode(query, cursor, ['pk', 'sk']));
    invalid(() => new CursorCodec(undefined).decode(query, cursor, ['pk', 'sk']));
    const unsigned = new CursorCodec(undefined).encode(query, key);
    invalid(() => codec.decode(query, unsigned, ['pk', 'sk']));
  });
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
