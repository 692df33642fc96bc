import { describe, expect, it } from 'vitest';
import { requestedSearchPath } from './requested-search-path.js';

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
