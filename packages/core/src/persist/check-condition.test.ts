import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/support/specs.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { checkCondition, checkRequestCondition, conditionTakenNow } from './check-condition.js';
import type { Condition } from './condition.js';

function refused(condition: unknown): InvalidRequestError {
  const error = thrown(() => checkCondition(condition as Condition, 'condition'));
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect((error as InvalidRequestError).code).toBe('INVALID_REQUEST');
  expect((error as InvalidRequestError).status).toBe(400);
  return error as InvalidRequestError;
}

function accepted(condition: unknown): void {
  expect(() => checkCondition(condition as Condition, 'condition')).not.toThrow();
}

class Point {
  constructor(
    readonly x = 1,
    readonly y = 2,
  ) {}
}

describe('[P-46] condition values that are not storable values', () => {
  const notStorable: [string, unknown][] = [
    ['a Date', new Date(0)],
    ['a Map', new Map([['a', 1]])],
    ['a class instance', new Point()],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['an object with a non-plain prototype', Object.create({ inherited: 1 })],
    ['a RegExp', /a/],
    ['a boxed string', new String('a')],
    ['a Uint16Array', new Uint16Array([1])],
    ['a Promise', Promise.resolve(1)],
    ['an object with a symbol key', { [Symbol('k')]: 1 }],
  ];

  for (const [name, value] of notStorable) {
    it(`refuses ${name} as an operand, before anything is sent`, () => {
      refused({ attr: 'a', ne: value });
      refused({ attr: 'a', eq: value });
      refused({ attr: 'a', in: ['x', value] });
      refused({ attr: 'a', contains: value });
    });

    it(`refuses ${name} nested in a list or a map`, () => {
      refused({ attr: 'a', eq: [1, value] });
      refused({ attr: 'a', eq: { inner: { deeper: value } } });
    });
  }

  it('refuses the hole of a sparse list (it is undefined)', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point of this test
    refused({ attr: 'a', eq: [1, , 3] });
  });

  it('accepts every value a store holds: JSON values, bigints, bytes, null-prototype maps', () => {
    accepted({ attr: 'a', eq: null });
    accepted({ attr: 'a', eq: true });
    accepted({ attr: 'a', eq: 'text' });
    accepted({ attr: 'a', eq: 1.5 });
    accepted({ attr: 'a', eq: 2n ** 80n });
    accepted({ attr: 'a', eq: new Uint8Array([1, 2]) });
    accepted({ attr: 'a', eq: [1, 'a', [new Uint8Array(0)], { b: null }] });
    accepted({ attr: 'a', eq: Object.assign(Object.create(null), { b: 1 }) });
    accepted({ attr: 'a', eq: Buffer.from('bytes') });
  });

  it('refuses a value nested deeper than DynamoDB nests (32 levels), and a cycle', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 40; level++) deep = [deep];
    refused({ attr: 'a', eq: deep });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    refused({ attr: 'a', eq: cyclic });
  });

  it('holds paths, names and values to the limits items and updates have: 32 levels (the attribute the first), names of 65,535 bytes', () => {
    const wrapped = (maps: number) => {
      let value: unknown = 'leaf';
      for (let level = 0; level < maps; level++) value = { m: value };
      return value;
    };
    // An attribute of 31 maps around a string is stored, of 32 refused: so is such an operand.
    accepted({ attr: 'a', eq: wrapped(31) });
    refused({ attr: 'a', eq: wrapped(32) });
    refused({ attr: 'a', in: ['x', wrapped(32)] });
    // A path of n steps names a value at level n.
    accepted({ attr: ['a', ...Array<string>(31).fill('m')], exists: true });
    refused({ attr: ['a', ...Array<string>(32).fill('m')], exists: true });
    accepted({ attr: 'é'.repeat(32767), exists: false });
    expect(refused({ attr: 'é'.repeat(32768), exists: false }).message).toContain('65535 bytes');
    refused({ attr: ['a', 'x'.repeat(65536)], eq: 1 });
  });
});

describe('[P-46] lone surrogates in conditions', () => {
  it('refuses one in a value, a nested value, a map key and a list of in', () => {
    refused({ attr: 'a', eq: 'x\uD800' });
    refused({ attr: 'a', eq: ['ok', '\uDC00'] });
    refused({ attr: 'a', eq: { 'key\uD800': 'value' } });
    refused({ attr: 'a', eq: { outer: { '\uDFFF': 1 } } });
    refused({ attr: 'a', in: ['ok', '\uD83D'] });
    refused({ attr: 'a', beginsWith: '\uD83D' });
  });

  it('refuses one in an attribute name, alone or in a path', () => {
    refused({ attr: 'name\uD800', eq: 1 });
    refused({ attr: ['details', 'x\uDC00'], eq: 1 });
  });

  it('accepts astral characters (well-formed pairs) everywhere', () => {
    accepted({ attr: ['😀', 'é'], eq: { '😀': '中😀' } });
  });
});

describe('[P-46] sets as operands (equality with a stored set)', () => {
  it('accepts a non-empty set of strings, of numbers (bigints too) or of binaries', () => {
    accepted({ attr: 'a', eq: new Set(['x', 'y']) });
    accepted({ attr: 'a', ne: new Set([1, 2n ** 70n, 0.5]) });
    accepted({ attr: 'a', in: [new Set([new Uint8Array([1]), new Uint8Array([2])])] });
  });

  it('refuses an empty set, mixed members, and members that are not storable', () => {
    refused({ attr: 'a', eq: new Set() });
    refused({ attr: 'a', eq: new Set(['x', 1]) });
    refused({ attr: 'a', eq: new Set([new Date(0)]) });
    refused({ attr: 'a', eq: new Set([[1]]) });
    refused({ attr: 'a', eq: new Set(['\uD800']) });
    refused({ attr: 'a', eq: new Set([Number.NaN]) });
  });

  it('refuses members JavaScript keeps apart but DynamoDB sees as one', () => {
    refused({ attr: 'a', eq: new Set([1, 1n]) });
    refused({ attr: 'a', eq: new Set([new Uint8Array([7]), new Uint8Array([7])]) });
  });
});

describe('[P-45] property names are data in conditions', () => {
  const names = Object.getOwnPropertyNames(Object.prototype);

  it('accepts every name of Object.prototype as an attribute name and as a map key', () => {
    for (const name of names) {
      accepted({ attr: name, eq: 1 });
      accepted({ attr: ['details', name], exists: true });
      accepted({ attr: 'a', eq: JSON.parse(`{"${name}": 1}`) });
    }
  });

  it('never reads and / or / not from a prototype', () => {
    const inherited = Object.assign(Object.create({ and: [{ attr: 'a', eq: 1 }] }), {
      attr: 'a',
      eq: 1,
    });
    refused(inherited);
    class Comparison {
      attr = 'a';
      eq = 1;
    }
    refused(new Comparison());
  });

  it('takes an attribute named and, or or not in a comparison like any other', () => {
    accepted({ attr: 'and', eq: 1 });
    accepted({
      and: [
        { attr: 'or', eq: 1 },
        { attr: 'not', exists: false },
      ],
    });
  });
});

describe('[P-46] operands an operator does not take, as DynamoDB refuses them', () => {
  it('takes 1 to 100 values in `in`, not none nor 101', () => {
    const values = (count: number) => Array.from({ length: count }, (_, index) => index);
    accepted({ attr: 'a', in: values(1) });
    accepted({ attr: 'a', in: values(100) });
    refused({ attr: 'a', in: values(0) });
    refused({ attr: 'a', in: values(101) });
  });

  it('takes a string or bytes in `beginsWith`, nothing else', () => {
    accepted({ attr: 'a', beginsWith: 'x' });
    accepted({ attr: 'a', beginsWith: new Uint8Array([1]) });
    for (const operand of [1, 2n ** 60n, true, null, ['x'], { a: 'x' }, new Set(['x'])])
      refused({ attr: 'a', beginsWith: operand });
  });
});

describe('[P-46] DynamoDB expression limits', () => {
  const comparisons = (count: number): Condition[] =>
    Array.from({ length: count }, (_, index) => ({ attr: 'n', eq: index }));

  it('accepts 300 operators and refuses 301 (comparisons and the AND between them)', () => {
    accepted({ and: comparisons(150) }); // 150 comparisons + 149 AND
    refused({ and: comparisons(152) }); // 152 + 151
    // The limit itself: a NOT is an operator too.
    accepted({ not: { and: comparisons(150) } }); // 300
    refused({ not: { not: { and: comparisons(150) } } }); // 301
  });

  it('refuses a condition whose expression would pass 4 KB', () => {
    const longNames = Array.from({ length: 120 }, (_, index) => ({
      attr: ['details', index, 'inner', index, 'labels', index],
      exists: true,
    }));
    refused({ or: longNames });
  });

  it('refuses values over 2 MB in one condition', () => {
    const large = 'x'.repeat(400 * 1024);
    refused({ or: Array.from({ length: 6 }, () => ({ attr: 'a', eq: large })) });
    accepted({ or: Array.from({ length: 4 }, () => ({ attr: 'a', eq: large })) });
  });

  it('refuses and / or / not nested deeper than 32 levels', () => {
    let condition: Condition = { attr: 'a', exists: true };
    for (let level = 0; level < 32; level++) condition = { not: condition };
    accepted(condition);
    refused({ not: condition });
  });

  it('refuses a path longer than DynamoDB nests', () => {
    refused({ attr: ['a', ...Array.from({ length: 33 }, () => 0)], exists: true });
  });
});

describe('checkRequestCondition: a condition or filter given to a backend method directly', () => {
  const check = (condition: unknown) => () =>
    checkRequestCondition(condition as Condition, 'putItem condition');
  const nested = (levels: number, wrap: (inner: Condition) => Condition): Condition => {
    let condition = { attr: 'a', exists: true } as Condition;
    for (let level = 0; level < levels; level++) condition = wrap(condition);
    return condition;
  };
  const expectRefused = (condition: unknown) => {
    const error = thrown(check(condition));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).code).toBe('INVALID_REQUEST');
  };

  it('takes what core sends: a caller condition of 32 levels within the operation’s own and (33)', () => {
    const caller = nested(32, (inner) => ({ not: inner }));
    accepted(caller);
    expect(check({ and: [{ attr: 'id', exists: true }, caller] })).not.toThrow();
    expect(check(undefined)).not.toThrow();
  });

  it('refuses and / or / not nested deeper than 33 levels, however deep, with InvalidRequestError', () => {
    expectRefused(nested(34, (inner) => ({ not: inner })));
    expectRefused(nested(100_000, (inner) => ({ not: inner })));
    expectRefused(nested(100_000, (inner) => ({ and: [inner] })));
    expectRefused(nested(100_000, (inner) => ({ or: [{ attr: 'b', exists: true }, inner] })));
  });

  it('refuses what checkCondition refuses: malformed, unstorable or too deep values, past the limits', () => {
    let deep: unknown = [];
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expectRefused({ attr: 'a' });
    expectRefused({ and: [] });
    expectRefused({ attr: 'a', eq: deep });
    expectRefused({ attr: 'a', in: [1, deep] });
    expectRefused({
      and: Array.from({ length: 152 }, (_, index) => ({ attr: 'n', eq: index })),
    });
  });
});

describe('conditionTakenNow', () => {
  it('copies plain objects (symbol keys too), lists, sets and bytes, reading each value once, and keeps what the check refuses as it is', () => {
    let reads = 0;
    const bytes = Uint8Array.of(1, 2);
    const shared = { attr: 'a', eq: 1 };
    const withSymbol = { [Symbol('s')]: 1, a: 1 };
    const date = new Date(0);
    const given = {
      and: [
        shared,
        shared,
        {
          attr: 'b',
          get eq() {
            reads += 1;
            return reads;
          },
        },
        { attr: 'c', eq: bytes },
        { attr: 'd', eq: withSymbol },
        { attr: 'e', eq: date },
        { attr: 'f', in: new Set([1, 2]) },
      ],
    };
    const taken = conditionTakenNow(given) as { and: Record<string, unknown>[] };
    expect(reads).toBe(1);
    expect(taken.and[2]).toEqual({ attr: 'b', eq: 1 });
    expect(taken.and[2]!.eq).toBe(1);
    expect(reads).toBe(1);
    expect(taken.and[0]).toBe(taken.and[1]);
    expect(taken.and[0]).not.toBe(shared);
    expect(taken.and[3]!.eq).toEqual(bytes);
    expect(taken.and[3]!.eq).not.toBe(bytes);
    // A map with symbol keys is copied with them, for the check to refuse it still.
    expect(taken.and[4]!.eq).not.toBe(withSymbol);
    expect(taken.and[4]!.eq).toEqual(withSymbol);
    expect(Object.getOwnPropertySymbols(taken.and[4]!.eq)).toHaveLength(1);
    expect(() => checkCondition(taken.and[4] as never, 'condition')).toThrow(/symbol keys/);
    expect(taken.and[5]!.eq).toBe(date);
    expect(taken.and[6]!.in).toEqual(new Set([1, 2]));
    expect(() => checkCondition(taken as never, 'condition')).toThrow(InvalidRequestError);
    expect(conditionTakenNow(undefined)).toBeUndefined();
  });

  it('copies a condition with a hidden symbol key (a MobX observable), the key hidden still', () => {
    const hidden = Symbol('hidden');
    const sort = { gte: 'a' };
    Object.defineProperty(sort, hidden, { value: 1, enumerable: false });
    const taken = conditionTakenNow(sort);
    // (Compared by identity alone: vitest's matchers read enumerable symbol keys.)
    expect(taken === sort).toBe(false);
    sort.gte = 'b';
    expect(taken).toEqual({ gte: 'a' });
    expect(Object.getOwnPropertyDescriptor(taken, hidden)).toMatchObject({
      value: 1,
      enumerable: false,
    });
  });

  it("does not run a symbol key's getter: an operand that has one is refused, a condition that has one taken", () => {
    const throwing = Symbol('throwing');
    const operand = { a: 1 };
    Object.defineProperty(operand, throwing, {
      get() {
        throw new Error('boom');
      },
    });
    const condition = conditionTakenNow({ attr: 'x', eq: operand });
    expect(() => checkCondition(condition, 'condition')).toThrow(/symbol keys/);
    const sort = { gte: 'a' };
    Object.defineProperty(sort, throwing, {
      get() {
        throw new Error('boom');
      },
      enumerable: true,
    });
    const taken = conditionTakenNow(sort);
    // (Compared by identity alone: vitest's matchers read enumerable symbol keys.)
    expect(taken === sort).toBe(false);
    expect(taken.gte).toBe('a');
    expect(typeof Object.getOwnPropertyDescriptor(taken, throwing)?.get).toBe('function');
  });
});

describe('[P-97] a condition of many parts is refused on its operators, after about 300 of them', () => {
  const comparisons = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ attr: 'a', eq: index }));

  it('takes an and of 150 comparisons (299 operators), refuses 151 (301), as before', () => {
    accepted({ and: comparisons(150) });
    expect(refused({ and: comparisons(151) }).message).toMatch(
      /operators and functions, above DynamoDB's 300/,
    );
    // A not and its comparison (2), 149 comparisons and the 149 ORs between them: 300.
    accepted({ or: [{ not: { attr: 'a', exists: true } }, ...comparisons(149)] });
    refused({ or: [{ not: { attr: 'a', exists: true } }, ...comparisons(150)] });
  });

  it('reads no more of an and of 100,000 parts than the limit lets through', () => {
    const parts = comparisons(100_000);
    let reads = 0;
    const counted = new Proxy(parts, {
      get(target, name, receiver) {
        if (typeof name === 'string' && /^\d+$/.test(name)) reads++;
        return Reflect.get(target, name, receiver);
      },
    });
    for (const check of [checkCondition, checkRequestCondition])
      expect(thrown(() => check({ and: counted } as Condition, 'condition'))).toBeInstanceOf(
        InvalidRequestError,
      );
    // Two checks, about 151 parts each.
    expect(reads).toBeLessThanOrEqual(2 * 152);
  });
});

describe('[P-46] a bigint of a million digits in a condition', () => {
  it('is refused by its size, without writing it out in the message', () => {
    const huge = 10n ** 900_000n + 1n;
    for (const operand of [huge, -huge, [huge]]) {
      const { message } = refused({ attr: 'n', eq: operand });
      expect(message).toMatch(/bigint of 127 digits or more, which is too large to be stored/);
      expect(message.length).toBeLessThan(200);
    }
    // A storable number's problem still shows it.
    expect(refused({ attr: 'n', eq: 2 ** 60 }).message).toContain('the number 1152921504606847000');
  });
});

describe('[P-97] conditionTakenNow of an and / or past the parts a condition can hold', () => {
  it('copies one part past the 150 a valid one holds, for the check to refuse, reading no more', () => {
    let reads = 0;
    const parts = Array.from({ length: 100_000 }, (_, index) => ({ attr: 'a', eq: index }));
    const counted = new Proxy(parts, {
      get(target, name, receiver) {
        if (typeof name === 'string' && /^\d+$/.test(name)) reads++;
        return Reflect.get(target, name, receiver);
      },
    });
    const taken = conditionTakenNow({ not: { or: counted } }) as { not: { or: unknown[] } };
    expect(taken.not.or).toHaveLength(151);
    expect(reads).toBe(151);
    refused(taken);
    // 150 parts are taken whole, and an operand's list is a value, taken whole however long.
    const whole = conditionTakenNow({ and: parts.slice(0, 150) }) as { and: unknown[] };
    expect(whole.and).toHaveLength(150);
    accepted(whole);
    const list = Array.from({ length: 1000 }, (_, index) => index);
    expect(conditionTakenNow({ attr: 'l', eq: { or: list } })).toEqual({
      attr: 'l',
      eq: { or: list },
    });
  });
});

describe('[P-97] conditionTakenNow of an operand past what its operator takes', () => {
  // A list whose entries read are counted.
  function countedList(length: number, entry: (index: number) => unknown = (index) => index) {
    const reads = { count: 0 };
    const list = new Proxy(
      Array.from({ length }, (_, index) => entry(index)),
      {
        get(target, name, receiver) {
          if (typeof name === 'string' && /^\d+$/.test(name)) reads.count++;
          return Reflect.get(target, name, receiver);
        },
      },
    );
    return { list, reads };
  }

  // A set whose members iterated are counted.
  class CountedSet<T> extends Set<T> {
    iterated = 0;
    override *[Symbol.iterator](): SetIterator<T> {
      for (const member of this.values()) {
        this.iterated++;
        yield member;
      }
    }
  }

  it('copies an in list to one value past 100, and a between to one bound past 2, refused as before', () => {
    const { list, reads } = countedList(100_000);
    const taken = conditionTakenNow({ attr: 'n', in: list });
    expect(reads.count).toBe(101);
    expect(taken.in).toHaveLength(101);
    expect(refused(taken).message).toBe(refused({ attr: 'n', in: list }).message);
    const bounds = countedList(100_000);
    // A sort condition, as a query's is taken.
    const between = conditionTakenNow({ between: bounds.list });
    expect(bounds.reads.count).toBe(3);
    expect(between.between).toEqual([0, 1, 2]);
    // At the limits, whole.
    const hundred = Array.from({ length: 100 }, (_, index) => index);
    const whole = conditionTakenNow({ attr: 'n', in: hundred });
    expect(whole.in).toEqual(hundred);
    expect(whole.in).not.toBe(hundred);
    accepted(whole);
    const pair = conditionTakenNow({ attr: 'n', between: [1, 2] });
    accepted(pair);
  });

  it('reads nothing of a list or set where the operator takes a string, a number or bytes, or a set as an in', () => {
    for (const operator of ['lt', 'lte', 'gt', 'gte', 'beginsWith', 'exists']) {
      const { list, reads } = countedList(100_000);
      const taken = conditionTakenNow({ attr: 'n', [operator]: list });
      expect(reads.count, operator).toBe(0);
      expect(refused(taken).message).toBe(refused({ attr: 'n', [operator]: list }).message);
    }
    const members = new CountedSet(Array.from({ length: 100_000 }, (_, index) => index));
    for (const operator of ['in', 'between', 'lt']) {
      const taken = conditionTakenNow({ attr: 'n', [operator]: members });
      expect(members.iterated, operator).toBe(0);
      refused(taken);
    }
    // Bytes are copied where they may be compared.
    const bytes = Uint8Array.of(1);
    expect(conditionTakenNow({ attr: 'b', gte: bytes }).gte).not.toBe(bytes);
  });

  it('copies an operand list as long as DynamoDB’s 2 MB of values can hold', () => {
    // A million nulls take 2,000,003 bytes: a valid operand, taken whole (it was left as given).
    const nulls = new Array(1_000_000).fill(null);
    const taken = conditionTakenNow({ attr: 'l', eq: nulls });
    expect(taken.eq).not.toBe(nulls);
    expect(taken.eq).toHaveLength(1_000_000);
    accepted(taken);
  });

  it('takes an operand list past 2 MB by the length it first read, and a set by its own members: what is checked is what is sent', () => {
    // Past 2 MB of entries when first asked, one entry afterwards: the check, reading the list
    // again, passed it, and the backend was given the caller's list, to answer anything.
    let lengthReads = 0;
    const shrinking = new Proxy(['a'], {
      get(target, name, receiver) {
        if (name === 'length') return lengthReads++ === 0 ? 2_100_000 : 1;
        return Reflect.get(target, name, receiver);
      },
    });
    const taken = conditionTakenNow({ attr: 'l', eq: shrinking });
    expect(lengthReads).toBe(1);
    expect(taken.eq).not.toBe(shrinking);
    expect(taken.eq).toHaveLength(2_100_000);
    expect(refused(taken).message).toBe('condition: a value at [1] is undefined');
    // A set of more members than 2 MB holds, one of them a string, whose iterator yields a
    // string alone: the check, iterating it, passed it; its own members are what is taken.
    class OneMember<T> extends Set<T> {
      override *[Symbol.iterator](): SetIterator<T> {
        yield 'a' as T;
      }
    }
    const members = new OneMember<unknown>(['a']);
    for (let index = 0; index < 2 * 1024 * 1024 + 2; index++) members.add(index);
    const set = conditionTakenNow({ attr: 's', ne: members });
    expect(set.ne).not.toBe(members);
    expect((set.ne as Set<unknown>).size).toBe(members.size);
    expect(refused(set).message).toBe(
      'condition: a value is a set that is not of strings, of numbers or of binaries alone',
    );
  });
});

describe('operands typed by an interface (no index signature: the compiler leaves their properties to this check)', () => {
  interface Address {
    street: string;
    city: string;
  }
  interface Appointment {
    where: Address;
    when: Date;
  }

  it('accepts one whose values are stored values', () => {
    const address: Address = { street: '1 rue de Rivoli', city: 'Paris' };
    const condition: Condition = { attr: 'address', in: [address, { ...address }] };
    expect(() => checkCondition(condition, 'condition')).not.toThrow();
  });

  it('refuses a Date among its values, with the path to it', () => {
    const appointment: Appointment = { where: { street: 'a', city: 'b' }, when: new Date(0) };
    const condition: Condition = { attr: 'next', eq: appointment };
    const error = thrown(() => checkCondition(condition, 'condition'));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain('"when"');
    expect((error as Error).message).toContain('Date');
  });
});
