import type { KeyValue } from '@macaron/core';
import { escapeKeyText } from './nul-escape.js';

/**
 * A key value as the parameter of its typed column: escaped text, decimal text, or bytes.
 * Bytes are copied (into a Buffer, which node-postgres sends as it is): a parameter is read
 * when its statement is sent, after a wait for a connection, and again on a retry.
 */
export function keyParameter(value: KeyValue): string | Uint8Array {
  if (typeof value === 'string') return escapeKeyText(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return Buffer.from(value);
}
