import { describe, expect, it } from 'vitest';
import { typeIdentifiers } from './type-identifiers.js';

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
