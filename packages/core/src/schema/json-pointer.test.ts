import { describe, expect, it } from 'vitest';
import { normalize } from '../../test/support/specs.js';
import { appendPointer, parsePointer } from './json-pointer.js';

describe('appendPointer', () => {
  it('escapes ~ as ~0 and / as ~1 (RFC 6901), ~ first', () => {
    expect(appendPointer('', 'a')).toBe('/a');
    expect(appendPointer('/x', 'a/b')).toBe('/x/a~1b');
    expect(appendPointer('', 'm~n')).toBe('/m~0n');
    expect(appendPointer('', '~1')).toBe('/~01');
    expect(appendPointer('', '')).toBe('/');
    expect(appendPointer('/items', 3)).toBe('/items/3');
  });
});

describe('parsePointer', () => {
  it('reads the root as no tokens', () => {
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('#')).toEqual([]);
  });

  it.each(['a', 'a/b', 'm~n', '~1', '~01', '', 'with space', 'ünï'])(
    'undoes appendPointer for %j',
    (name) => {
      expect(parsePointer(appendPointer('/components/schemas', name))).toEqual([
        'components',
        'schemas',
        name,
      ]);
    },
  );

  it('percent-decodes a URI fragment (#/…)', () => {
    expect(parsePointer('#/definitions/A%20B')).toEqual(['definitions', 'A B']);
  });

  it('does not percent-decode a plain pointer', () => {
    expect(parsePointer('/definitions/Rate%')).toEqual(['definitions', 'Rate%']);
    expect(parsePointer('/definitions/A%20B')).toEqual(['definitions', 'A%20B']);
  });

  it('lets a Swagger 2.0 definition whose name holds % be normalised', () => {
    const { node, normalizer } = normalize({ 'Rate%': { type: 'number' } }, 'Rate%', 'swagger2');
    expect(normalizer.problems).toEqual([]);
    expect(node.types).toEqual(['number']);
  });
});
