import { describe, expect, it } from 'vitest';
import { openapi30, problemKeys, thrown } from '../../test/support/specs.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { checkUpdatePaths } from '../evaluate/update-paths.js';
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
        codes: { allOf: [{ type: 'array', items: { type: 'string', maxLength: 3 } }] },
        counter: { type: 'number', format: 'int32' },
        level: { enum: [1, 2.5] },
        fixed: { const: 2.5 },
        word: { enum: ['a', 'b'] },
        small: { format: 'int32' },
        whole: { type: 'number', allOf: [{ type: 'integer' }] },
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
    Loose: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' }, note: { type: 'string' } },
      'x-persist': { table: 'looses', key: 'id' },
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
const loose = api.persistent('Loose').descriptor;
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

  it('[P-30] removes an attribute a closed schema does not declare (one an earlier spec wrote)', () => {
    expect(translate({ remove: ['colour'] }, strict)).toEqual([
      { action: 'remove', path: 'colour' },
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

  it('sends values nested to the 32 levels a backend takes (checkUpdatePaths), refuses deeper ones, as save() does', () => {
    // DynamoDB stores an attribute of 31 maps around a string, and refuses 32.
    const nested = (levels: number) => {
      let value: unknown = 'leaf';
      for (let level = 0; level < levels; level++) value = { down: value };
      return value;
    };
    const operations = translate({ set: { free: nested(31) } });
    checkUpdatePaths(operations, { profile_id: 'p', created_at: 1 });
    expect(validationProblems({ set: { free: nested(32) } })).toEqual([
      { pointer: `/free${'/down'.repeat(32)}`, keyword: 'depth' },
    ]);
    // An appended item lies one level further down (`extra`: undeclared, its items untyped).
    const appended = translate({ append: { extra: [nested(30)] } });
    checkUpdatePaths(appended, { profile_id: 'p', created_at: 1 });
    expect(validationProblems({ append: { extra: [nested(31)] } })).toEqual([
      { pointer: `/extra/0${'/down'.repeat(31)}`, keyword: 'depth' },
    ]);
  });

  it('skips undefined values', () => {
    expect(translate({ set: { name: 'Ada', bio: undefined } })).toEqual([
      { action: 'set', path: 'name', value: 'Ada' },
      versionStep,
    ]);
  });
});

describe('past 1,000 problems', () => {
  // A modest request (a 1 MB body of `"x",`) would otherwise be a ValidationError of half a
  // million problems, tens of MB once serialised: validation stops at 1,000, as save()'s does.
  const problemCount = (changes: UpdateChanges<any>, model = profile) => {
    const error = thrown(() => translate(changes, model));
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems.length;
  };

  it('stops at 1,000 for the items of one append', () => {
    expect(problemCount({ append: { tags: new Array(300_000).fill(1) } })).toBe(1000);
  });

  it('[P-97] refuses 5,000 set, add or append names the schema refuses on their number, as an invalid request', () => {
    // No update can hold so many: refused before any is looked at, whatever each would say.
    const names = Array.from({ length: 5000 }, (_, index) => `p${index}`);
    const each = (value: unknown): Record<string, any> =>
      Object.fromEntries(names.map((name) => [name, value]));
    for (const changes of [{ set: each('x') }, { add: each(1) }, { append: each([1]) }])
      expect((thrown(() => translate(changes, strict)) as Error).message).toMatch(
        /^update\(\): the update (expression would be at least \d+ bytes|takes at least \d+ operators and functions), above DynamoDB's/,
      );
  });

  it('stops at 1,000 across values that each have problems', () => {
    const values = Object.fromEntries(
      Array.from({ length: 20 }, (_, index) => [`free${index}`, new Array(500).fill(Number.NaN)]),
    );
    expect(problemCount({ set: values })).toBe(1000);
  });

  it('still refuses a key attribute named after the 1,000th problem as an invalid request', () => {
    const names = Array.from({ length: 2000 }, (_, index) => [`p${index}`, 'x']);
    invalidRequest({ set: Object.fromEntries([...names, ['id', 'y']]) }, strict);
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

  it('[P-98] adds to an untyped property whose enum or const allows a number (the store checks the values)', () => {
    expect(translate({ add: { level: 1.5, fixed: 1, small: 2 } })).toEqual([
      { action: 'add', path: 'level', value: 1.5 },
      { action: 'add', path: 'fixed', value: 1 },
      { action: 'add', path: 'small', value: 2 },
      versionStep,
    ]);
    // An untyped integer format takes no fraction.
    expect(validationProblems({ add: { small: 0.5 } } as UpdateChanges<any>)).toEqual([
      { pointer: '/small', keyword: 'type' },
    ]);
  });

  it.each([
    ['a string property', { name: 1 }, '/name'],
    ['a property whose enum holds no number', { word: 1 }, '/word'],
    ['a list property', { tags: 1 }, '/tags'],
    ['a value that is not a number', { view_count: '1' }, '/view_count'],
    ['NaN', { score: Number.NaN }, '/score'],
    ['Infinity', { score: Number.POSITIVE_INFINITY }, '/score'],
    ['a fraction to an integer', { view_count: 1.5 }, '/view_count'],
    ['a fraction to a number of format int32', { counter: 0.5 }, '/counter'],
    ['a fraction to a number whose allOf part is an integer', { whole: 0.5 }, '/whole'],
    ['an integer beyond 2^53 as a number', { big: 2 ** 53 }, '/big'],
    ['a bigint of 39 significant digits', { big: 10n ** 38n + 1n }, '/big'],
  ])('[P-36] refuses %s', (_label, add, pointer) => {
    expect(validationProblems({ add } as UpdateChanges<any>)).toEqual([
      { pointer, keyword: 'type' },
    ]);
  });

  it('adds to, and appends to, a property whose schema takes any value ({}), as to an undeclared one', () => {
    expect(translate({ add: { free: 2 } })).toEqual([
      { action: 'add', path: 'free', value: 2 },
      versionStep,
    ]);
    expect(translate({ append: { free: ['x', 1] } })).toEqual([
      { action: 'append', path: 'free', value: ['x', 1] },
      versionStep,
    ]);
    // A schema that could refuse the result still needs its type.
    expect(validationProblems({ add: { codes: 1 } } as UpdateChanges<any>)).toEqual([
      { pointer: '/codes', keyword: 'type' },
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
    ['1e126', 1e126],
    ['-0', -0],
    ['a lone surrogate', '\uD800'],
    ['a 39-digit bigint', 123456789012345678901234567890123456789n],
    ['an empty set', new Set()],
  ])(
    '[P-36] checks what it appends to an undeclared property as every stored value: %s',
    (_label, item) => {
      const problems = validationProblems({ append: { undeclared: [item] } } as UpdateChanges<any>);
      expect(problems).toHaveLength(1);
      expect(problems[0]!.pointer).toBe('/undeclared/0');
    },
  );

  it('[P-36] checks appended items against the item schema an allOf member gives', () => {
    const problems = validationProblems({
      append: { codes: ['ok', 'too long'] },
    } as UpdateChanges<any>);
    expect(problems.map((problem) => problem.pointer)).toEqual(['/codes/1']);
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

const indexed = (
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
          stars: { type: 'integer', minimum: 0, maximum: 5 },
          small: { type: 'integer', format: 'int32' },
          count: { type: 'integer' },
          ratio: { type: 'number', exclusiveMinimum: 0 },
          labels: { type: 'array', maxItems: 3, items: { type: 'string' } },
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
).persistent('Post').descriptor;

describe('[P-84] index key values set by update()', () => {
  it('refuses an empty string and empty bytes as an index key value', () => {
    expect(validationProblems({ set: { author: '', code: new Uint8Array(0) } }, indexed)).toEqual([
      { pointer: '/author', keyword: 'key' },
      { pointer: '/code', keyword: 'key' },
    ]);
  });

  it('refuses a partition key value over 2048 bytes and accepts 2048', () => {
    expect(validationProblems({ set: { author: 'é'.repeat(1025) } }, indexed)).toEqual([
      { pointer: '/author', keyword: 'key' },
    ]);
    expect(translate({ set: { author: 'é'.repeat(1024) } }, indexed)).toHaveLength(1);
  });

  it('holds an attribute that is the partition key of one index and the sort key of another to 1024 bytes', () => {
    expect(validationProblems({ set: { slug: 'x'.repeat(1025) } }, indexed)).toEqual([
      { pointer: '/slug', keyword: 'key' },
    ]);
    expect(translate({ set: { slug: 'x'.repeat(1024) } }, indexed)).toHaveLength(1);
  });

  it('refuses null as an index key value, and accepts removing it (a sparse index)', () => {
    expect(validationProblems({ set: { rank: null } }, indexed)).toEqual([
      { pointer: '/rank', keyword: 'type' },
    ]);
    expect(translate({ remove: ['author', 'slug'] }, indexed)).toHaveLength(2);
  });
});

describe('[P-31] add keeps the property within its schema (what is certain before sending)', () => {
  it('refuses a delta wider than the range between minimum and maximum', () => {
    expect(validationProblems({ add: { stars: 6 } }, indexed)).toEqual([
      { pointer: '/stars', keyword: 'maximum' },
    ]);
    expect(validationProblems({ add: { stars: -6 } }, indexed)).toEqual([
      { pointer: '/stars', keyword: 'minimum' },
    ]);
    expect(translate({ add: { stars: 5 } }, indexed)).toHaveLength(1);
  });

  it('refuses a delta wider than the int32 range, and a bigint beyond 2^53 to an integer without int64', () => {
    expect(validationProblems({ add: { small: 2 ** 32 } }, indexed)).toEqual([
      { pointer: '/small', keyword: 'format' },
    ]);
    expect(validationProblems({ add: { count: 2n ** 60n } }, indexed)).toEqual([
      { pointer: '/count', keyword: 'type' },
    ]);
  });

  it('refuses to append more items than maxItems allows', () => {
    expect(validationProblems({ append: { labels: ['a', 'b', 'c', 'd'] } }, indexed)).toEqual([
      { pointer: '/labels', keyword: 'maxItems' },
    ]);
    expect(translate({ append: { labels: ['a', 'b', 'c'] } }, indexed)).toHaveLength(1);
  });
});

describe('[P-38] property names are data in update()', () => {
  const names = Object.getOwnPropertyNames(Object.prototype);

  it('sets, adds to, appends to and removes every name of Object.prototype like any other name', () => {
    for (const name of names) {
      const set = translate({ set: JSON.parse(`{"${name}": {"a": 1}}`) });
      expect(set[0]).toEqual({ action: 'set', path: name, value: { a: 1 } });
      expect(translate({ add: JSON.parse(`{"${name}": 1}`) })[0]).toEqual({
        action: 'add',
        path: name,
        value: 1,
      });
      expect(translate({ append: JSON.parse(`{"${name}": [1]}`) })[0]).toEqual({
        action: 'append',
        path: name,
        value: [1],
      });
      expect(translate({ remove: [name] as never })[0]).toEqual({ action: 'remove', path: name });
    }
  });

  it('is a ValidationError where the schema allows no such property, never a TypeError', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      expect(validationProblems({ set: JSON.parse(`{"${name}": {}}`) }, strict)).toEqual([
        { pointer: `/${name}`, keyword: 'additionalProperties' },
      ]);
      expect(validationProblems({ add: JSON.parse(`{"${name}": 1}`) }, strict)).toEqual([
        { pointer: `/${name}`, keyword: 'additionalProperties' },
      ]);
    }
  });

  it('refuses a name holding a lone surrogate', () => {
    expect(validationProblems({ set: { 'x\uD800': 1 } as never })).toEqual([
      { pointer: '/x\uD800', keyword: 'propertyNames' },
    ]);
  });

  it.each([
    ['set as a string', { set: 'abc' }],
    ['set as a Map', { set: new Map([['bio', 'x']]) }],
    ['add as a list', { add: [1] }],
    ['remove as a string', { remove: 'bio' }],
    ['remove with a number', { remove: [1] }],
  ])('[P-37] refuses %s', (_label, changes) => {
    invalidRequest(changes);
  });
});

describe('[P-46] DynamoDB expression limits on update()', () => {
  it('refuses an update whose expression would pass 4 KB (400 attributes)', () => {
    const set = Object.fromEntries(
      Array.from({ length: 400 }, (_, index) => [`free_${index}`, index]),
    );
    invalidRequest({ set });
  });

  it('refuses an update of more than 300 operators (150 adds take two each)', () => {
    const add = Object.fromEntries(Array.from({ length: 151 }, (_, index) => [`n${index}`, 1]));
    invalidRequest({ add });
  });

  it('takes 584 removes, refuses 585 with the figures the estimate gave them, before looking at any', () => {
    const names = (count: number) => Array.from({ length: count }, (_, index) => `p${index}`);
    expect(translate({ remove: names(584) } as never, loose)).toHaveLength(584);
    const error = thrown(() => translate({ remove: names(585) } as never, loose));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(/ 4101 bytes, above DynamoDB's 4096$/);
    // Not one name read: a key attribute among them is never reached.
    let reads = 0;
    const counted = new Proxy([...names(5000), 'id'], {
      get(target, name, receiver) {
        if (typeof name === 'string' && /^\d+$/.test(name)) reads++;
        return Reflect.get(target, name, receiver);
      },
    });
    expect((thrown(() => translate({ remove: counted } as never, loose)) as Error).message).toMatch(
      /at least \d+ bytes/,
    );
    expect(reads).toBe(0);
  });

  it('takes many sets to undefined beside a change: they change nothing', () => {
    const set: Record<string, unknown> = { note: 'x' };
    for (let index = 0; index < 2000; index++) set[`p${index}`] = undefined;
    expect(translate({ set } as never, loose)).toEqual([
      { action: 'set', path: 'note', value: 'x' },
    ]);
  });

  it('reads each change once: the names counted and the values checked are those made into operations', () => {
    // A remove list whose first name is a string when first read and a number after (it was
    // checked on one read, made into an operation on another: a TypeError).
    let turn = 0;
    const remove = ['note', 'bio'];
    Object.defineProperty(remove, 0, {
      get: () => (turn++ === 0 ? 'note' : 42),
      enumerable: true,
    });
    expect(translate({ remove } as never)).toEqual([
      { action: 'remove', path: 'note' },
      { action: 'remove', path: 'bio' },
      versionStep,
    ]);
    expect(turn).toBe(1);
    // A hole is no name, on a model whose version, sort key and discriminator are all named.
    expect(
      thrown(() => translate({ remove: Object.assign(new Array(2), { 1: 'bio' }) } as never)),
    ).toBeInstanceOf(InvalidRequestError);
    // Over the count until the sets to undefined are left out: each value read once.
    const reads = new Map<string, number>();
    const set: Record<string, unknown> = {};
    for (let index = 0; index < 600; index++)
      Object.defineProperty(set, `p${index}`, {
        get: () => {
          reads.set(`p${index}`, (reads.get(`p${index}`) ?? 0) + 1);
          return index % 3 === 0 ? index : undefined;
        },
        enumerable: true,
      });
    expect(translate({ set } as never, loose)).toHaveLength(200);
    expect(Math.max(...reads.values())).toBe(1);
    // Each kind's names listed once, whichever path the change takes (add-only included).
    for (const kind of ['set', 'add', 'append'] as const) {
      let listed = 0;
      const names = new Proxy(
        { n: kind === 'append' ? ['x'] : kind === 'add' ? 1 : 'x' },
        {
          ownKeys(target) {
            listed++;
            return Reflect.ownKeys(target);
          },
        },
      );
      expect(translate({ [kind]: names } as never, loose), kind).toHaveLength(1);
      expect(listed, kind).toBe(1);
    }
  });

  it('reads no more of 100,000 sets than the limit lets through', () => {
    const set: Record<string, unknown> = {};
    for (let index = 0; index < 100_000; index++) set[`p${index}`] = index;
    let reads = 0;
    const counted = new Proxy(set, {
      get(target, name, receiver) {
        reads++;
        return Reflect.get(target, name, receiver);
      },
    });
    expect(thrown(() => translate({ set: counted } as never, loose))).toBeInstanceOf(
      InvalidRequestError,
    );
    expect(reads).toBeLessThan(600);
  });

  it('refuses more operations than an update can hold given to a backend, before comparing their paths', () => {
    const removes = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        action: 'remove' as const,
        path: `p${index}`,
      }));
    expect(() => checkUpdatePaths(removes(584), { id: 'a' })).not.toThrow();
    // Within the count, past the bytes: as update() refuses it.
    expect(thrown(() => checkUpdatePaths(removes(585), { id: 'a' }))).toBeInstanceOf(
      InvalidRequestError,
    );
    // Paths compared each with each, 16,000 took 4 s, a 1 MB request minutes.
    expect((thrown(() => checkUpdatePaths(removes(100_000), { id: 'a' })) as Error).message).toBe(
      "An update: 100000 operations make an update expression longer than DynamoDB's 4096 bytes (at most 818 fit)",
    );
  });

  it('accepts a 100-attribute update', () => {
    const set = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`f${index}`, index]));
    expect(translate({ set })).toHaveLength(101);
  });
});

describe('3.1 propertyNames in update()', () => {
  it('refuses a name set or added that the schema of names refuses; removing is fine', async () => {
    const named = await loadApi({
      openapi: '3.1.0',
      info: { title: 'names', version: '1' },
      paths: {},
      components: {
        schemas: {
          Item: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'items', key: 'id' },
            propertyNames: { pattern: '^[a-z_]+$' },
            properties: { id: { type: 'string' } },
          },
        },
      },
    });
    const model = named.persistent('Item').descriptor;
    const error = thrown(() => toUpdateOperations(model, { set: { BAD: 1 } } as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '/BAD', keyword: 'propertyNames' },
    ]);
    expect(toUpdateOperations(model, { set: { good: 1 } } as never)).toHaveLength(1);
    expect(toUpdateOperations(model, { remove: ['BAD'] } as never)).toHaveLength(1);
  });
});

describe('additionalProperties: false in update(), as validation reads it', () => {
  it('refuses a name only then, else or dependentSchemas declare; takes an allOf member’s', async () => {
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 'conditional', version: '1' },
      paths: {},
      components: {
        schemas: {
          Base: { type: 'object', properties: { inherited: { type: 'string' } } },
          Item: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'items', key: 'id' },
            additionalProperties: false,
            allOf: [{ $ref: '#/components/schemas/Base' }],
            properties: { id: { type: 'string' }, kind: { type: 'string' } },
            if: { required: ['kind'] },
            // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword, never awaited
            then: { properties: { x: { type: 'string' } } },
            else: { properties: { y: { type: 'string' } } },
            dependentSchemas: { kind: { properties: { z: { type: 'string' } } } },
          },
        },
      },
    });
    const model = api.persistent('Item').descriptor;
    for (const name of ['x', 'y', 'z']) {
      const error = thrown(() => toUpdateOperations(model, { set: { [name]: 'v' } } as never));
      expect(problemKeys((error as ValidationError).problems)).toEqual([
        { pointer: `/${name}`, keyword: 'additionalProperties' },
      ]);
      // What validation says of the whole object.
      expect(
        api.validate('Item', { id: 'a', kind: 'k', [name]: 'v' }).map((problem) => problem.keyword),
      ).toContain('additionalProperties');
    }
    expect(toUpdateOperations(model, { set: { inherited: 'v' } } as never)).toHaveLength(1);
  });
});

const closedApi = await loadApi({
  openapi: '3.1.0',
  info: { title: 'closed', version: '1' },
  paths: {},
  components: {
    schemas: {
      Base: { type: 'object', properties: { id: { type: 'string' } } },
      Item: {
        $ref: '#/components/schemas/Base',
        required: ['id'],
        'x-persist': { table: 'items', key: 'id' },
        properties: { note: { type: 'string' } },
        anyOf: [{ properties: { card: { type: 'string' } } }, {}],
        patternProperties: { '^x-': { type: 'integer' } },
        unevaluatedProperties: false,
      },
      Rest: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'rests', key: 'id' },
        properties: { id: { type: 'string' } },
        unevaluatedProperties: { type: 'integer' },
      },
    },
  },
});

describe('3.1 unevaluatedProperties: false in update()', () => {
  const item = closedApi.persistent('Item').descriptor;

  it('[P-36] refuses a name no subschema could evaluate, as additionalProperties: false does', () => {
    const error = thrown(() => toUpdateOperations(item, { set: { colour: 'red' } } as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '/colour', keyword: 'unevaluatedProperties' },
    ]);
    expect(
      problemKeys(
        (thrown(() => toUpdateOperations(item, { add: { count: 1 } } as never)) as ValidationError)
          .problems,
      ),
    ).toEqual([{ pointer: '/count', keyword: 'unevaluatedProperties' }]);
  });

  it('[P-30] removes a name no subschema could evaluate (one an earlier spec wrote)', () => {
    expect(toUpdateOperations(item, { remove: ['colour'] } as never)).toEqual([
      { action: 'remove', path: 'colour' },
    ]);
  });

  it('takes what the schema, a $ref target, a pattern or an anyOf member may evaluate', () => {
    // card: only the object can tell whether the anyOf member that declares it applies (save() checks it).
    for (const set of [{ note: 'n' }, { 'x-trace': 1 }, { card: 'c' }])
      expect(toUpdateOperations(item, { set } as never), JSON.stringify(set)).toHaveLength(1);
  });

  it('checks a value set against the unevaluatedProperties schema', () => {
    const rest = closedApi.persistent('Rest').descriptor;
    expect(toUpdateOperations(rest, { set: { count: 2 } } as never)).toHaveLength(1);
    const error = thrown(() => toUpdateOperations(rest, { set: { count: 'two' } } as never));
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '/count', keyword: 'type' },
    ]);
  });
});
