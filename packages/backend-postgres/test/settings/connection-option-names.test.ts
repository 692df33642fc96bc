import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';

// P-88: an option name the caller gave is named escaped, as core's option checks name theirs.
describe('an unknown connection option holding a line separator or a bidi control', () => {
  it('is named escaped in the TypeError', () => {
    const name = 'max\u2028\u202e';
    const error = (() => {
      try {
        createPostgresBackend({ connection: { [name]: 1 } as never });
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.message).not.toMatch(/[\u2028\u202e]/);
    expect(error?.message).toContain('has no "max\\u2028\\u202e"');
  });
});
