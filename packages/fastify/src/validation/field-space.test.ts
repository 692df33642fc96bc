import { describe, expect, it } from 'vitest';
import { withoutFieldSpace } from './field-space.js';

describe('withoutFieldSpace', () => {
  it('takes the spaces and tabs around an item, nothing inside it, no other whitespace', () => {
    expect(withoutFieldSpace(' \ta b\t ')).toBe('a b');
    expect(withoutFieldSpace('a')).toBe('a');
    expect(withoutFieldSpace(' \t ')).toBe('');
    expect(withoutFieldSpace('\u00a0a\n')).toBe('\u00a0a\n');
  });

  it('walks a long run of spaces inside an item once (the pattern it replaces took minutes)', () => {
    const item = `a${' '.repeat(400_000)}b`;
    expect(withoutFieldSpace(`  ${item} `)).toBe(item);
  });
});
