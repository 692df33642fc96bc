import { describe, expect, it } from 'vitest';
import { openapi30, problemKeys, thrown } from '../../test/support/specs.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';
import { toUpdateOperations, type UpdateChanges } from './update-changes.js';

const api = await loadApi(
  openapi30({
    Profile: {
      type: 'object',
      required: ['profile_id', 'created_at', 'name'],
      properties: {
        profile_id: { type: 'string' },
        created_at: { type: 'integer' },
        name: { type: 'string', minLength: 1 },
        nickname: { type: 'string', nullable: true },
        bio: { type: 'string' },
        view_count: { type: 'integer', minimum: 0 },
        score: { type: 'number' },
        big: { type: 'integer', format: 'int64' },
        tags: { type: 'array', items: { type: 'string', maxLength: 5 } },
        address: { type: 'object', properties: { city: { type: 'string' } } },
        revision: { type: 'integer' },
        kind: { type: 'string' },
        free: {},
      },
      'x-persist': {
        table: 'profiles',
        key: 'profile_id',
        sort: 'created_at',
        version: 'revision',
        discriminator: 'kind',
      },
    },
    Strict: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: { id: { type: 'string' }, note: { type: 'string' } },
      'x-persist': { table: 'stricts', key: 'id' },
    },
    Base: {
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'string' }, name: { type: 'string' } },
    },
    Composite: {
      allOf: [
        { $ref: '#/components/schemas/Base' },
        { type: 'object', properties: { note: { type: 'string' } } },
      ],
      'x-persist': { table: 'composites', key: 'id' },
    },
  }),
);
const profile = api.persistent('Profile').descriptor;
const strict = api.persistent('Strict').descriptor;
const composite = api.persistent('Composite').descriptor;

const translate = (changes: UpdateChanges<any>, model = profile) =>
  toUpdateOperations(model, changes);
const versionStep = { action: 'add', path: 'revision', value: 1 };

function validationProblems(changes: UpdateChanges<any>, model = profile) {
  const error = thrown(() => translate(changes, model));
  expect(error).toBeInstanceOf(ValidationError);
  return problemKeys((error as ValidationError).problems);
}

function invalidRequest(changes: unknown, model = profile): void {
  const error = thrown(() => translate(changes as UpdateChanges<any>, model));
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect((error as InvalidRequestError).code).toBe('INVALID_REQUEST');
}

describe('set', () => {
  it('becomes set operations, then the version increment', () => {
    expect(translate({ set: { name: 'Ada', view_count: 2, nickname: null } })).toEqual([
      { action: 'set', path: 'name', value: 'Ada' },
      { action: 'set', path: 'view_count', value: 2 },
      { action: 'set', path: 'nickname', value: null },
      versionStep,
    ]);
  });

  it('copies the values it is given', () => {
    const tags = ['a'];
    const address = { city: 'Paris' };
    const operations = translate({ set: { tags, address } });
    tags.push('b');
    address.city = 'Lyon';
    expect(operations.slice(0, 2)).toEqual([
      { action: 'set', path: 'tags', value: ['a'] },
      { action: 'set', path: 'address', value: { city: 'Paris' } },
    ]);
  });

  it('keeps bigints and bytes as they are', () => {
    expect(translate({ set: { big: 2n ** 62n } })[0]).toEqual({
      action: 'set',
      path: 'big',
      value: 2n ** 62n,
    });
  });

  it('[P-36] validates every value against its property, with pointers', () => {
    expect(
      validationProblems({
        set: { name: '', view_count: -1, tags: ['ok', 'too long'], address: { city: 3 } },
      }),
    ).toEqual([
      { pointer: '/address/city', keyword: 'type' },
      { pointer: '/name', keyword: 'minLength' },
      { pointer: '/tags/1', keyword: 'maxLength' },
      { pointer: '/view_count', keyword: 'minimum' },
    ]);
  });

  it('[P-36] refuses null where the property is not nullable (remove clears it)', () => {
    expect(validationProblems({ set: { bio: null } })).toEqual([
      { pointer: '/bio', keyword: 'type' },
    ]);
  });

  it('[P-36] refuses a property the schema does not allow', () => {
    expect(validationProblems({ set: { colour: 'red' } }, strict)).toEqual([
      { pointer: '/colour', keyword: 'additionalProperties' },
    ]);
  });

  it('[P-13] refuses an undeclared value that cannot be stored', () => {
    expect(validationProblems({ set: { undeclared: Number.NaN } })).toEqual([
      { pointer: '/undeclared', keyword: 'type' },
    ]);
  });

  it('[P-13] refuses a declared untyped value that cannot be stored', () => {
    expect(validationProblems({ set: { free: { n: Number.POSITIVE_INFINITY } } })).toEqual([
      { pointer: '/free/n', keyword: 'type' },
    ]);
  });

  it('skips undefined values', () => {
    expect(translate({ set: { name: 'Ada', bio: undefined } })).toEqual([
      { action: 'set', path: 'name', value: 'Ada' },
      versionStep,
    ]);
  });
});

describe('remove', () => {
  it('removes optional properties', () => {
    expect(translate({ remove: ['bio', 'nickname'] })).toEqual([
      { action: 'remove', path: 'bio' },
      { action: 'remove', path: 'nickname' },
      versionStep,
    ]);
  });

  it('[P-30] refuses to remove a required property', () => {
    expect(validationProblems({ remove: ['name'] as never })).toEqual([
      { pointer: '/name', keyword: 'required' },
    ]);
  });

  it('[P-30] refuses to remove a property that allOf makes required', () => {
    expect(validationProblems({ remove: ['name'] as never }, composite)).toEqual([
      { pointer: '/name', keyword: 'required' },
    ]);
  });
});

describe('add', () => {
  it('adds numbers and bigints to number properties', () => {
    expect(translate({ add: { view_count: 1, score: -0.5, big: 2n ** 60n } })).toEqual([
      { action: 'add', path: 'view_count', value: 1 },
      { action: 'add', path: 'score', value: -0.5 },
      { action: 'add', path: 'big', value: 2n ** 60n },
      versionStep,
    ]);
  });

  it.each([
    ['a string property', { name: 1 }, '/name'],
    ['a list property', { tags: 1 }, '/tags'],
    ['a value that is not a number', { view_count: '1' }, '/view_count'],
    ['NaN', { score: Number.NaN }, '/score'],
    ['Infinity', { score: Number.POSITIVE_INFINITY }, '/score'],
    ['a fraction to an integer', { view_count: 1.5 }, '/view_count'],
    ['an integer beyond 2^53 as a number', { big: 2 ** 53 }, '/big'],
    ['a bigint of 39 digits', { big: 10n ** 38n }, '/big'],
  ])('[P-36] refuses %s', (_label, add, pointer) => {
    expect(validationProblems({ add } as UpdateChanges<any>)).toEqual([
      { pointer, keyword: 'type' },
    ]);
  });
});

describe('append', () => {
  it('appends copies of the items', () => {
    const items = ['x', 'y'];
    const operations = translate({ append: { tags: items } });
    items.push('z');
    expect(operations).toEqual([
      { action: 'append', path: 'tags', value: ['x', 'y'] },
      versionStep,
    ]);
  });

  it('[P-36] validates each item with a pointer under the list', () => {
    const problems = validationProblems({ append: { tags: ['ok', 'much too long', 3] } });
    expect(problems.map((problem) => problem.keyword).sort()).toEqual(['maxLength', 'type']);
    for (const problem of problems) expect(problem.pointer).toMatch(/^\/tags\/[^/]+$/);
    expect(new Set(problems.map((problem) => problem.pointer)).size).toBe(2);
  });

  it.each([
    ['a property that is not a list', { name: ['x'] }, '/name'],
    ['a value that is not a list', { tags: 'x' }, '/tags'],
  ])('[P-36] refuses %s', (_label, append, pointer) => {
    expect(validationProblems({ append } as UpdateChanges<any>)).toEqual([
      { pointer, keyword: 'type' },
    ]);
  });
});

describe('what update() refuses outright', () => {
  it.each([
    ['setting the partition key', { set: { profile_id: 'other' } }],
    ['setting the sort key', { set: { created_at: 5 } }],
    ['removing the partition key', { remove: ['profile_id'] }],
    ['adding to the sort key', { add: { created_at: 1 } }],
    ['setting the version', { set: { revision: 9 } }],
    ['adding to the version', { add: { revision: 1 } }],
    ['removing the version', { remove: ['revision'] }],
    ['changing the discriminator', { set: { kind: 'Other' } }],
    ['changing one property twice', { set: { bio: 'x' }, remove: ['bio'] }],
    ['an unknown kind of change', { put: { bio: 'x' } }],
    ['no change at all', {}],
    ['only undefined values', { set: { bio: undefined } }],
  ])('[P-27][P-37] %s, with InvalidRequestError', (_label, changes) => {
    invalidRequest(changes);
  });

  it.each([[null], ['set'], [undefined]])(
    '[P-37] changes that are not an object (%j)',
    (changes) => {
      invalidRequest(changes);
    },
  );
});

describe('every problem at once', () => {
  it('[P-36] lists the problems of set, remove, add and append together', () => {
    expect(
      validationProblems({
        set: { bio: null },
        remove: ['name'] as never,
        add: { view_count: 'one' as never },
        append: { tags: [7] },
      }),
    ).toEqual([
      { pointer: '/bio', keyword: 'type' },
      { pointer: '/name', keyword: 'required' },
      { pointer: expect.stringMatching(/^\/tags\//), keyword: 'type' },
      { pointer: '/view_count', keyword: 'type' },
    ]);
  });
});

describe('version increment', () => {
  it('[P-27] comes last, once, only for models with a version', () => {
    const operations = translate({ set: { name: 'Ada' }, add: { view_count: 1 } });
    expect(operations.at(-1)).toEqual(versionStep);
    expect(operations.filter((operation) => operation.path === 'revision')).toHaveLength(1);
    expect(translate({ set: { note: 'x' } }, strict)).toEqual([
      { action: 'set', path: 'note', value: 'x' },
    ]);
  });
});
