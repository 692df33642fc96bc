import { appendPointer } from './json-pointer.js';

/**
 * A JSON pointer that is spelt out only when a problem is reported: a walk over a valid
 * value builds no strings. A string is a pointer as it is; a step is its parent's pointer
 * and one more reference token.
 */
export type Pointer = string | PointerStep;

/** One reference token below a parent pointer. */
export interface PointerStep {
  readonly parent: Pointer;
  readonly token: string | number;
}

/** The pointer as RFC 6901 text. */
export function pointerText(at: Pointer): string {
  return typeof at === 'string' ? at : appendPointer(pointerText(at.parent), at.token);
}

/** Whether two pointers spell the same text (compared step by step, without spelling either). */
export function samePointer(a: Pointer, b: Pointer): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string') return pointerText(a) === pointerText(b);
  return String(a.token) === String(b.token) && samePointer(a.parent, b.parent);
}
