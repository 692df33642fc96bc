import type { KeyValue } from '@macaron/core/backend';

/** A string equal for equal key values, for map look-ups (1 and 1n are equal). */
export function keyValueId(value: KeyValue): string {
  if (typeof value === 'string') return `s${value}`;
  // Key numbers are safe integers, decimals or bigints beyond 2^53: none prints with an exponent clash.
  if (typeof value === 'number' || typeof value === 'bigint') return `n${value}`;
  return `b${Buffer.from(value).toString('base64')}`;
}
