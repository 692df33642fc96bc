import { describe, expect, it } from 'vitest';
import { openapi30 } from '../../test/support/specs.js';
import { loadApi } from '../index.js';
import { keyAttributeRoles, keyValueProblems } from './index-key-values.js';
import { toStoredItem } from './stored-form.js';

const table = (
  await loadApi(
    openapi30({
      Post: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string' },
          author: { type: 'string' },
          slug: { type: 'string' },
          rank: { type: 'number' },
          code: { type: 'string', format: 'binary' },
        },
        'x-persist': {
          table: 'posts',
          key: 'id',
          indexes: {
            byAuthor: { key: 'author', sort: 'slug' },
            bySlug: { key: 'slug', sort: 'rank' },
            byCode: { key: 'code' },
          },
        },
      },
    }),
  )
).persistent('Post').descriptor.table;

describe('[P-84] key values of the table and every index', () => {
  it('holds an attribute to the strictest role it plays in any index', () => {
    const roles = Object.fromEntries(
      [...keyAttributeRoles(table)].map(([name, { role }]) => [name, role]),
    );
    expect(roles).toEqual({
      id: 'partition',
      author: 'partition',
      slug: 'sort',
      rank: 'sort',
      code: 'partition',
    });
  });

  it('finds every problem of an item, with the property as pointer', () => {
    expect(
      keyValueProblems(table, {
        id: 'x'.repeat(2049),
        author: '',
        slug: 'é'.repeat(513),
        rank: 'not a number',
        code: new Uint8Array(2049),
      }).map((problem) => [problem.pointer, problem.keyword, problem.message]),
    ).toEqual([
      ['/id', 'key', 'is longer than 2048 bytes'],
      ['/author', 'key', 'must not be empty'],
      ['/slug', 'key', 'is longer than 1024 bytes'],
      ['/rank', 'key', 'must be a number'],
      ['/code', 'key', 'is longer than 2048 bytes'],
    ]);
  });

  it('accepts values at the limits and absent index attributes (a sparse index)', () => {
    expect(
      keyValueProblems(table, {
        id: 'x'.repeat(2048),
        slug: 'é'.repeat(512),
        code: new Uint8Array(2048),
      }),
    ).toEqual([]);
    expect(keyValueProblems(table, { id: 'a' })).toEqual([]);
  });

  it('says nothing more of a value whose problem the schema reported', async () => {
    expect(
      keyValueProblems(table, { id: 5, author: '' }, [
        { pointer: '/id', keyword: 'type', message: 'must be string' },
      ]).map((problem) => problem.pointer),
    ).toEqual(['/author']);
    const Reading = (
      await loadApi(
        openapi30({
          Reading: {
            type: 'object',
            required: ['n'],
            properties: { n: { type: 'number' } },
            'x-persist': { table: 'readings', key: 'n' },
          },
        }),
      )
    ).persistent('Reading');
    let problems: { pointer: string }[] = [];
    try {
      toStoredItem(Reading.descriptor, { n: 2 ** 60 }, 409_600);
    } catch (error) {
      problems = (error as { problems: { pointer: string }[] }).problems;
    }
    expect(problems.map((problem) => problem.pointer)).toEqual(['/n']);
  });

  it('never reads a key attribute from the prototype', () => {
    expect(keyValueProblems(table, Object.create({ author: '' }))).toEqual([]);
  });
});
