import type { KeyValue } from '@macaron/core';
import { escapeKeyText } from './nul-escape.js';

/** A key value as the parameter of its typed column: escaped text, decimal text, or bytes. */
export function keyParameter(value: KeyValue): string | Uint8Array {
  if (typeof value === 'string') return escapeKeyText(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return value;
}
