import { describe, expect, it } from 'vitest';
import type { SpecProblem } from '../errors/spec-error.js';
import { parsePersistAnnotation } from './persist-annotation.js';

function parse(value: unknown) {
  const problems: SpecProblem[] = [];
  const result = parsePersistAnnotation(value, 'Profile', '/x', problems);
  return { result, problems };
}

describe('parsePersistAnnotation', () => {
  it("reads PyMacaron's class path as 'by-code'", () => {
    expect(parse('myserver.db.profile.PersistentProfile')).toEqual({
      result: 'by-code',
      problems: [],
    });
  });

  it('reads the full form with every field', () => {
    const { result, problems } = parse({
      table: 'profiles',
      key: 'profile_id',
      sort: 'created_at',
      indexes: { byEmail: { key: 'email' }, byDay: { key: 'day', sort: 'created_at' } },
      version: 'revision',
      ttl: 'expires_at',
      discriminator: 'kind',
    });
    expect(problems).toEqual([]);
    expect(result).toEqual({
      table: 'profiles',
      key: 'profile_id',
      sort: 'created_at',
      indexes: { byEmail: { key: 'email' }, byDay: { key: 'day', sort: 'created_at' } },
      version: 'revision',
      ttl: 'expires_at',
      discriminator: 'kind',
    });
  });

  it('accepts table names of 3 to 255 of A-Z a-z 0-9 _ - .', () => {
    for (const table of ['abc', 'my-table_1.v2', 'x'.repeat(255)])
      expect(parse({ table, key: 'id' }).problems).toEqual([]);
    for (const table of ['ab', 'x'.repeat(256), 'a/b', 'tablé'])
      expect(parse({ table, key: 'id' }).problems.map((problem) => problem.pointer)).toEqual([
        '/x/table',
      ]);
  });

  it("refuses key attribute names past DynamoDB's 255 bytes, the table's and the indexes'", () => {
    const long = 'é'.repeat(128); // 256 bytes
    const at255 = 'k'.repeat(255);
    expect(
      parse({ table: 'profiles', key: at255, sort: at255, indexes: { byX: { key: at255 } } })
        .problems,
    ).toEqual([]);
    const { result, problems } = parse({
      table: 'profiles',
      key: long,
      sort: long,
      indexes: { byX: { key: long, sort: long } },
    });
    expect(result).toBeUndefined();
    expect(problems.map((problem) => problem.pointer)).toEqual([
      '/x/key',
      '/x/sort',
      '/x/indexes/byX/key',
      '/x/indexes/byX/sort',
    ]);
    expect(problems[0]?.message).toContain('at most 255 bytes (this one is 256)');
    // DynamoDB's UpdateTimeToLive takes such names too.
    expect(parse({ table: 'profiles', key: 'id', ttl: at255 }).problems).toEqual([]);
    const ttl = parse({ table: 'profiles', key: 'id', ttl: long }).problems;
    expect(ttl.map((problem) => [problem.pointer, problem.message])).toEqual([
      ['/x/ttl', 'ttl attribute names are at most 255 bytes (this one is 256)'],
    ]);
  });

  it('refuses an index key or sort that is empty or not a string, as the table key', () => {
    // DynamoDB refuses an empty attribute name: such an index would hold no item anywhere.
    const { result, problems } = parse({
      table: 'profiles',
      key: 'id',
      indexes: {
        byEmpty: { key: '' },
        bySort: { key: 'a', sort: '' },
        byNumber: { key: 'a', sort: 5 },
      },
    });
    expect(result).toBeUndefined();
    expect(problems.map((problem) => [problem.pointer, problem.message])).toEqual([
      ['/x/indexes/byEmpty/key', 'an index key must be a non-empty string'],
      ['/x/indexes/bySort/sort', 'an index sort must be a non-empty string'],
      ['/x/indexes/byNumber/sort', 'an index sort must be a non-empty string'],
    ]);
  });

  it('refuses attribute names that are not Unicode text (a lone surrogate), wherever named', () => {
    // No engine stores such a name: DynamoDB refuses it, PostgreSQL renames its column.
    const lone = 'a\ud800b';
    const { result, problems } = parse({
      table: 'profiles',
      key: lone,
      sort: lone,
      indexes: { byX: { key: lone, sort: lone } },
      version: lone,
      ttl: lone,
      discriminator: lone,
    });
    expect(result).toBeUndefined();
    expect(problems.map((problem) => problem.pointer)).toEqual([
      '/x/key',
      '/x/sort',
      '/x/version',
      '/x/ttl',
      '/x/discriminator',
      '/x/indexes/byX/key',
      '/x/indexes/byX/sort',
    ]);
    expect(problems[0]?.message).toBe(
      'key attribute names must be Unicode text (this one holds a lone surrogate)',
    );
  });

  it('returns nothing and pushes every problem, each with the schema and a pointer', () => {
    const { result, problems } = parse({ tabel: 'profiles', key: '', ttl: 5 });
    expect(result).toBeUndefined();
    expect(problems.map(({ schema, pointer }) => ({ schema, pointer }))).toEqual(
      expect.arrayContaining([
        { schema: 'Profile', pointer: '/x/tabel' },
        { schema: 'Profile', pointer: '/x/table' },
        { schema: 'Profile', pointer: '/x/key' },
        { schema: 'Profile', pointer: '/x/ttl' },
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('escapes index names in pointers', () => {
    const { problems } = parse({ table: 'profiles', key: 'id', indexes: { 'by/email': {} } });
    expect(problems.map((problem) => problem.pointer)).toContain('/x/indexes/by~1email');
  });
});
