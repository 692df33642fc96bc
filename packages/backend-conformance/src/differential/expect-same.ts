import { expect } from 'vitest';
import { describeValue } from './comparable-value.js';

/**
 * Vitest's equality, with both sides written out in full in the message: fast-check's report
 * carries only the message, where vitest's own would abbreviate them (`{ Object (error) }`).
 */
export function expectSame(actual: unknown, expected: unknown, what: string): void {
  try {
    expect(actual).toEqual(expected);
  } catch (difference) {
    throw new Error(
      `${what}\n  reference: ${describeValue(expected)}\n  backend:   ${describeValue(actual)}`,
      { cause: difference },
    );
  }
}
