import { describe, expect, it } from 'vitest';
import { commentText, quote, typeIdentifiers } from './type-identifiers.js';

describe('typeIdentifiers', () => {
  it('a schema named as an identifier keeps its name whatever schemas are added beside it', () => {
    expect([...typeIdentifiers(['Foo_Bar', '_1abc'])]).toEqual([
      ['Foo_Bar', 'Foo_Bar'],
      ['_1abc', '_1abc'],
    ]);
    // `Foo-Bar` and `1abc` sort first; they used to take `Foo_Bar` and `_1abc` from the others.
    expect(Object.fromEntries(typeIdentifiers(['Foo_Bar', 'Foo-Bar', '_1abc', '1abc']))).toEqual({
      Foo_Bar: 'Foo_Bar',
      'Foo-Bar': 'Foo_Bar_',
      _1abc: '_1abc',
      '1abc': '_1abc_',
    });
  });

  it('reserved names and names taken by a mangled one still get a suffix, one to one', () => {
    expect(Object.fromEntries(typeIdentifiers(['Promise', 'Promise_', 'a b', 'a_b_']))).toEqual({
      Promise: 'Promise__',
      Promise_: 'Promise_',
      'a b': 'a_b',
      a_b_: 'a_b_',
    });
  });
});

describe('quote and commentText', () => {
  // Bidi controls and zero-width characters make generated code read otherwise than it
  // compiles (Trojan Source): none is left raw where a reader cannot see it.
  const hidden = ['\u202a', '\u202e', '\u2066', '\u2069', '\u200b', '\u200d', '\ufeff', '\u2028'];

  it('write invisible characters as \\u escapes in string literals', () => {
    for (const character of hidden) {
      const literal = quote(`a${character}b`);
      expect(literal).toMatch(/^'a\\u[0-9a-f]{4}b'$/);
      // The escape is the same string to the compiler.
      expect(JSON.parse(`"${literal.slice(1, -1)}"`)).toBe(`a${character}b`);
    }
    expect(quote('tab\u202eevil')).toBe("'tab\\u202eevil'");
  });

  it('show invisible characters as \\u escapes in comments', () => {
    for (const character of hidden)
      expect(commentText(`a${character}b`)).toMatch(/^a\\u[0-9a-f]{4}b$/);
    expect(commentText('x\u2067y */ z\n')).toBe('x\\u2067y *\\/ z\\n');
  });

  it('show a lone surrogate as a \\u escape in comments, never as U+FFFD', () => {
    // The file is UTF-8, which has no form for it: written raw, two names would both read as U+FFFD.
    expect(commentText('a\ud800b')).toBe('a\\ud800b');
    expect(commentText('a\udc00')).toBe('a\\udc00');
    expect(commentText('\ud83d\ude00')).toBe('\ud83d\ude00'); // a pair is a character
  });

  it('write a name that is not in NFC with its non-ASCII characters escaped, unlike its NFC spelling', () => {
    // `café` (U+00E9) and `cafe\u0301` (e and a combining acute) look alike and are two names.
    expect(quote('caf\u00e9')).toBe("'caf\u00e9'");
    expect(quote('cafe\u0301')).toBe("'cafe\\u0301'");
    expect(JSON.parse(`"${quote('cafe\u0301').slice(1, -1)}"`)).toBe('cafe\u0301');
    expect(commentText('caf\u00e9')).toBe('caf\u00e9');
    expect(commentText('cafe\u0301')).toBe('cafe\\u0301');
    expect(quote('\u212b')).toBe("'\\u212b'"); // ANGSTROM SIGN, whose NFC is Å (U+00C5)
  });
});
