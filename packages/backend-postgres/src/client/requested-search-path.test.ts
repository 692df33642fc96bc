import { describe, expect, it } from 'vitest';
import {
  otherSearchPath,
  requestedSearchPath,
  searchPathSchemas,
} from './requested-search-path.js';

describe('requestedSearchPath', () => {
  it.each([
    ['-c search_path=app', 'app'],
    ['-csearch_path=app', 'app'],
    ['--search_path=app', 'app'],
    ['--search-path=app', 'app'],
    ['-c SEARCH_PATH=app', 'app'],
    ['-c statement_timeout=5s -c search_path=a -c search_path=b', 'b'],
    ['-c search_path=app,\\ public', 'app, public'],
    ['  -c   search_path="My\\ Schema",public  ', '"My Schema",public'],
    ['-c search_path=', ''],
    // A backslash that ends the options is dropped, as PostgreSQL drops it.
    ['-c search_path=app\\', 'app'],
    // Words are apart by ASCII whitespace alone: a no-break space is part of a name.
    ['-c\vsearch_path=x\u00a0,app', 'x\u00a0,app'],
    ['-c search_path=x\u3000,app', 'x\u3000,app'],
    // Tabs, line feeds and form feeds part words too.
    ['-c\tsearch_path=app\n-c\fstatement_timeout=5s', 'app'],
  ])('reads %j as %j', (options, asked) => {
    expect(requestedSearchPath(options)).toBe(asked);
  });

  it.each([
    [undefined],
    [''],
    ['-c statement_timeout=5s'],
    ['-c'],
    ['-c search_path'],
    ['search_path=app'],
    ['-c search_paths=app'],
    // A setting without `=`, whatever its name starts with.
    ['-c search_paths'],
    // `-c` takes the next word as its setting, whatever it is (PostgreSQL refuses this one).
    ['-c -csearch_path=app'],
  ])('finds none in %j', (options) => {
    expect(requestedSearchPath(options)).toBeUndefined();
  });
});

describe('searchPathSchemas', () => {
  it.each([
    ['app', ['app']],
    ['"$user", public', ['$user', 'public']],
    ['$user,public', ['$user', 'public']],
    ['App, "App", "a""b"', ['app', 'App', 'a"b']],
    ['  app ,  other  ', ['app', 'other']],
    ['""', []],
    ['', []],
    ['"My Schema",public', ['My Schema', 'public']],
    ['app\v,\fpublic', ['app', 'public']],
    ['x\u00a0,\u3000y', ['x\u00a0', '\u3000y']],
    // Cut to 63 bytes, as PostgreSQL cuts a name, not within a character.
    ['a'.repeat(70), ['a'.repeat(63)]],
    [`"${'é'.repeat(40)}",app`, ['é'.repeat(31), 'app']],
    // Every ASCII capital lowercased; others kept, as in a UTF-8 database.
    ['AbC,ÉcoleB', ['abc', 'Écoleb']],
    ['app,\tother\n', ['app', 'other']],
  ])('reads %j as %j', (text, schemas) => {
    expect(searchPathSchemas(text)).toEqual(schemas);
  });

  it.each([['app,'], ['app other'], ['"app'], [',app'], ['"a"b']])(
    'refuses %j, as PostgreSQL would',
    (text) => {
      expect(searchPathSchemas(text)).toBeUndefined();
    },
  );
});

describe('otherSearchPath', () => {
  it('tells schemas and orders apart, and spellings of the same list not', () => {
    expect(otherSearchPath('app', '"$user", public')).toBe(true);
    expect(otherSearchPath('app, public', 'public, app')).toBe(true);
    expect(otherSearchPath('App', '"App"')).toBe(true);
    expect(otherSearchPath('App,public', 'app, public')).toBe(false);
    expect(otherSearchPath('$user, public', '"$user", public')).toBe(false);
    // A long name and the same cut (as ALTER ROLE … SET keeps it) are one schema.
    expect(otherSearchPath('a'.repeat(70), 'a'.repeat(63))).toBe(false);
    expect(otherSearchPath('a'.repeat(64), 'a'.repeat(62))).toBe(true);
    expect(otherSearchPath('app', 'app, public')).toBe(true);
    expect(otherSearchPath('app, public', 'app')).toBe(true);
    // What PostgreSQL would not read says nothing, on either side.
    expect(otherSearchPath('app,', 'other')).toBe(false);
    expect(otherSearchPath('other', 'app,')).toBe(false);
  });
});
