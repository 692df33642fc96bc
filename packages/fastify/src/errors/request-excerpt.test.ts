import { describe, expect, it } from 'vitest';
import { requestExcerpt } from './request-excerpt.js';

describe('requestExcerpt', () => {
  it('keeps short text as it is', () => {
    expect(requestExcerpt('/profiles/ann')).toBe('/profiles/ann');
  });

  it('cuts long text to 80 characters and marks the cut', () => {
    const excerpt = requestExcerpt(`/${'a'.repeat(500)}`);
    expect(excerpt).toBe(`/${'a'.repeat(79)}…`);
  });

  it('escapes control characters, line separators and bidirectional overrides', () => {
    expect(requestExcerpt('a\u001b[31mb\r\nc\u2028d\u202ee\u0085')).toBe(
      'a\\u001b[31mb\\u000d\\u000ac\\u2028d\\u202ee\\u0085',
    );
  });

  it('never cuts a surrogate pair in half', () => {
    const excerpt = requestExcerpt(`${'a'.repeat(79)}😀😀`);
    expect(excerpt).toBe(`${'a'.repeat(79)}…`);
  });
});
