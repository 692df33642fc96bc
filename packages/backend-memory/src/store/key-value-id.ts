import type { KeyValue } from '@macaron/core/backend';

/**
 * A string equal for equal values of one key attribute, for map look-ups (1 and 1n are equal).
 * A string is its own id: every value of an attribute has its declared type (core refuses
 * others before a table is reached), so ids need not tell types apart, and a look-up hashes
 * the caller's string, not a copy made for it.
 */
export function keyValueId(value: KeyValue): string {
  if (typeof value === 'string') return value;
  // Key numbers are safe integers, decimals or bigints beyond 2^53: none prints with an exponent clash.
  if (typeof value === 'number' || typeof value === 'bigint') return `n${value}`;
  return `b${Buffer.from(value).toString('base64')}`;
}
