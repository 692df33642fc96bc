import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Condition } from '../persist/condition.js';
import type { StoredItem, StoredValue } from '../persist/stored-value.js';
import type { UpdateOperation } from '../persist/update-operation.js';
import { applyUpdate } from './apply-update.js';
import { cloneItem, cloneValue } from './clone-value.js';
import { evaluateCondition } from './evaluate-condition.js';
import { checkItemNesting } from './item-nesting.js';
import { checkUpdatePaths } from './update-paths.js';
import { updatedItem } from './updated-item.js';
import { valuesEqual } from './value-equality.js';

const prototypeNames = Object.getOwnPropertyNames(Object.prototype);

describe('[P-39] sets compare as sets', () => {
  const item: StoredItem = {
    tags: new Set(['b', 'a']),
    scores: new Set([1, 2n ** 60n]),
    list: ['a', 'b'],
  };

  it('equal whatever the order of the members, 1 equal to 1n', () => {
    expect(evaluateCondition({ attr: 'tags', eq: new Set(['a', 'b']) }, item)).toBe(true);
    expect(evaluateCondition({ attr: 'scores', eq: new Set([2n ** 60n, 1n]) }, item)).toBe(true);
    expect(evaluateCondition({ attr: 'tags', eq: new Set(['a']) }, item)).toBe(false);
    expect(evaluateCondition({ attr: 'tags', ne: new Set(['a', 'c']) }, item)).toBe(true);
  });

  it('a set is not the list of its members, nor the reverse', () => {
    expect(evaluateCondition({ attr: 'tags', eq: ['a', 'b'] }, item)).toBe(false);
    expect(evaluateCondition({ attr: 'list', eq: new Set(['a', 'b']) }, item)).toBe(false);
  });

  it('contains finds a member of a set', () => {
    expect(evaluateCondition({ attr: 'tags', contains: 'a' }, item)).toBe(true);
    expect(evaluateCondition({ attr: 'tags', contains: 'z' }, item)).toBe(false);
  });
});

describe('[P-45] names of Object.prototype are plain attribute names', () => {
  it('a condition on a missing attribute named like a prototype property sees nothing', () => {
    for (const name of prototypeNames) {
      expect(evaluateCondition({ attr: name, exists: false }, {})).toBe(true);
      expect(evaluateCondition({ attr: ['map', name], exists: false }, { map: {} })).toBe(true);
    }
  });

  it('maps compare by own keys only', () => {
    const stored: StoredItem = { map: { a: 1 } };
    expect(evaluateCondition({ attr: 'map', eq: JSON.parse('{"constructor": 1}') }, stored)).toBe(
      false,
    );
    expect(evaluateCondition({ attr: 'map', eq: { a: 1 } }, stored)).toBe(true);
  });

  it('never takes and / or / not from a prototype', () => {
    const comparison = Object.assign(Object.create({ or: [] }), { attr: 'a', eq: 1 });
    expect(evaluateCondition(comparison as Condition, { a: 1 })).toBe(true);
  });

  it('sets, adds to, appends to and removes every such name as an own attribute', () => {
    for (const name of prototypeNames) {
      const item: StoredItem = {};
      applyUpdate(item, [{ action: 'set', path: name, value: { a: 1 } }]);
      expect(Object.hasOwn(item, name)).toBe(true);
      expect(item[name]).toEqual({ a: 1 });
      expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
      applyUpdate(item, [{ action: 'remove', path: name }]);
      expect(Object.hasOwn(item, name)).toBe(false);
      applyUpdate(item, [{ action: 'add', path: name, value: 2 }]);
      expect(item[name]).toBe(2);
      applyUpdate(item, [{ action: 'remove', path: name }]);
      applyUpdate(item, [{ action: 'append', path: name, value: ['x'] }]);
      expect(item[name]).toEqual(['x']);
      const nested: StoredItem = { map: {} };
      applyUpdate(nested, [{ action: 'add', path: ['map', name], value: 1 }]);
      expect((nested.map as Record<string, unknown>)[name]).toBe(1);
    }
  });
});

// Lists and maps in turn, `levels` deep, each map with bytes and a set beside; at the bottom
// a bigint and a `__proto__` of its own. Built in a loop: no recursion, however deep.
function deepValue(levels: number): StoredValue {
  const bottom: StoredItem = { n: 12345678901234567890n };
  Object.defineProperty(bottom, '__proto__', {
    value: 'own',
    writable: true,
    enumerable: true,
    configurable: true,
  });
  let value: StoredValue = bottom;
  for (let level = 0; level < levels; level++)
    value =
      level % 2 === 0
        ? [value]
        : { down: value, bytes: Uint8Array.of(level % 256), tags: new Set(['a', 'b']) };
  return value;
}

// Walks a copy beside its original, level by level (expect's matchers would recurse, and are
// slow a hundred thousand times): the same values, and no list, map, set or bytes shared.
function expectDeepCopy(copy: StoredValue, original: StoredValue, levels: number): void {
  const bytesEqual = (left: StoredValue, right: StoredValue) =>
    left instanceof Uint8Array &&
    right instanceof Uint8Array &&
    left !== right &&
    Buffer.compare(left, right) === 0;
  const setsEqual = (left: StoredValue, right: StoredValue) =>
    left instanceof Set &&
    right instanceof Set &&
    left !== right &&
    [...left].join() === [...right].join();
  for (let level = levels - 1; level >= 0; level--) {
    let fits: boolean;
    if (level % 2 === 0) {
      fits = Array.isArray(copy) && copy !== original && copy.length === 1;
      copy = (copy as StoredValue[])[0]!;
      original = (original as StoredValue[])[0]!;
    } else {
      const [left, right] = [copy as Record<string, StoredValue>, original as StoredItem];
      fits =
        left !== right &&
        Object.keys(left).join() === 'down,bytes,tags' &&
        bytesEqual(left.bytes!, right.bytes!) &&
        setsEqual(left.tags!, right.tags!);
      copy = left.down!;
      original = right.down!;
    }
    if (!fits) expect.fail(`the copy differs ${levels - level} levels down`);
  }
  expect(copy === original).toBe(false);
  expect(Object.hasOwn(copy as object, '__proto__')).toBe(true);
  expect(copy).toEqual(original);
}

describe('items nested far deeper than DynamoDB allows (PostgreSQL holds what another client stored)', () => {
  const levels = 100_000;

  it('cloneItem and cloneValue copy them whole, without overflowing the stack', () => {
    const value = deepValue(levels);
    expectDeepCopy(cloneValue(value), value, levels);
    const item: StoredItem = { id: 'x', nested: value };
    const copy = cloneItem(item);
    expect(copy.id).toBe('x');
    expectDeepCopy(copy.nested!, value, levels);
  });

  it('updatedItem adds to, removes from and sets inside such an item, leaving the stored one as it was', () => {
    const item: StoredItem = { id: 'x', count: 1, gone: true, nested: deepValue(levels) };
    const next = updatedItem(
      item,
      { id: 'x' },
      [
        { action: 'add', path: 'count', value: 2 },
        { action: 'remove', path: 'gone' },
      ],
      // The item is 1.3 MB: under DynamoDB's 400 KB the add is refused (P-15), as below.
      2_000_000,
    );
    expect(() =>
      updatedItem(item, { id: 'x' }, [{ action: 'add', path: 'count', value: 2 }], 400_000),
    ).toThrow(ValidationError);
    expect(next.count).toBe(3);
    expect(Object.hasOwn(next, 'gone')).toBe(false);
    expect(item.count).toBe(1);
    // An attribute no operation names is shared with the stored item: neither is written to.
    expect(next.nested).toBe(item.nested);
    // One an operation goes into is copied whole first: the stored item keeps its own.
    const inside = updatedItem(
      item,
      { id: 'x' },
      [{ action: 'set', path: ['nested', 'bytes'], value: Uint8Array.of(255) }],
      2_000_000,
    );
    const [changed, stored] = [inside.nested, item.nested] as Record<string, StoredValue>[];
    expect(changed!.bytes).toEqual(Uint8Array.of(255));
    expect(stored!.bytes).toEqual(Uint8Array.of((levels - 1) % 256));
    expectDeepCopy(changed!.down!, stored!.down!, levels - 1);
  });
});

describe('update paths and values nested deeper than DynamoDB nests are InvalidRequestErrors', () => {
  // A value whose innermost list is `levels` below it.
  const nested = (levels: number): StoredValue => {
    let value: StoredValue = [];
    for (let level = 0; level < levels; level++) value = [value];
    return value;
  };
  const refuses = (operations: UpdateOperation[], message: RegExp) => {
    const error = (() => {
      try {
        checkUpdatePaths(operations, { id: 'x' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(message);
  };

  it('a path of more than 32 steps (the value it writes lies at its step count, the attribute at 1)', () => {
    const path = (steps: number) => ['a', ...Array.from({ length: steps - 1 }, () => 0)];
    checkUpdatePaths([{ action: 'set', path: path(32), value: 1 }], { id: 'x' });
    refuses([{ action: 'set', path: path(33), value: 1 }], /33 steps .* 32 levels/);
    refuses([{ action: 'remove', path: path(100_000) }], /100000 steps/);
  });

  it('a value set or appended reaching deeper than 32 levels where it lands, however deep', () => {
    // 32 levels counting the attribute: what save() and update() validate and send. A value set
    // at an attribute lies at level 1, an appended item at 2, a value set at a[0] at 2.
    checkUpdatePaths(
      [
        { action: 'set', path: 'a', value: nested(31) },
        { action: 'append', path: 'b', value: [nested(30), 'x'] },
        { action: 'set', path: ['c', 0], value: nested(30) },
      ],
      { id: 'x' },
    );
    refuses([{ action: 'set', path: 'a', value: nested(32) }], /set at a is nested deeper/);
    refuses([{ action: 'set', path: ['c', 0], value: nested(31) }], /set at c\[0\] is nested/);
    refuses([{ action: 'set', path: ['a', 0], value: nested(100_000) }], /a\[0\]/);
    refuses([{ action: 'set', path: 'a', value: { down: deepValue(100_000) } }], /32 levels/);
    refuses(
      [{ action: 'append', path: 'b', value: ['x', nested(31)] }],
      /appended to b is nested deeper/,
    );
    // A value that holds itself (no store holds one) is as deep as can be.
    const cycle: StoredValue[] = [];
    cycle.push(cycle);
    refuses([{ action: 'set', path: 'a', value: cycle }], /nested deeper/);
  });
});

describe('conditions, operands and items deeper than a request takes (a backend method called directly)', () => {
  const comparison = { attr: 'a', eq: 1 } as Condition;
  const nots = (levels: number): Condition => {
    let condition = comparison;
    for (let level = 0; level < levels; level++) condition = { not: condition };
    return condition;
  };
  const caught = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('evaluateCondition refuses and / or / not nested deeper than 33 levels, however deep, with InvalidRequestError', () => {
    // 33 levels: a caller's 32 within the `and` core joins it to the operation's own in.
    expect(evaluateCondition(nots(33), { a: 1 })).toBe(false);
    expect(evaluateCondition(nots(32), { a: 1 })).toBe(true);
    for (const levels of [34, 100_000])
      expect(caught(() => evaluateCondition(nots(levels), { a: 1 }))).toBeInstanceOf(
        InvalidRequestError,
      );
    let ands: Condition = comparison;
    for (let level = 0; level < 100_000; level++) ands = { and: [ands] };
    expect(caught(() => evaluateCondition(ands, undefined))).toBeInstanceOf(InvalidRequestError);
  });

  it('valuesEqual compares values of any depth without overflowing the stack', () => {
    const levels = 100_000;
    expect(valuesEqual(deepValue(levels), deepValue(levels))).toBe(true);
    expect(valuesEqual(deepValue(levels), deepValue(levels - 2))).toBe(false);
    // A difference at the bottom, in a map's names or in a list's length, far down.
    const changed = (change: (bottom: Record<string, StoredValue>) => void) => {
      const value = deepValue(levels);
      let bottom: StoredValue = value;
      for (let level = levels - 1; level >= 0; level--)
        bottom = level % 2 === 0 ? (bottom as StoredValue[])[0]! : (bottom as StoredItem).down!;
      change(bottom as Record<string, StoredValue>);
      return value;
    };
    expect(
      valuesEqual(
        deepValue(levels),
        changed((bottom) => (bottom.n = 1n)),
      ),
    ).toBe(false);
    expect(
      valuesEqual(
        changed((bottom) => (bottom.m = 1)),
        deepValue(levels),
      ),
    ).toBe(false);
    expect(
      valuesEqual(
        changed((bottom) => delete bottom.n),
        deepValue(levels),
      ),
    ).toBe(false);
    expect(
      valuesEqual(
        changed((bottom) => (bottom.list = [1])),
        changed((bottom) => (bottom.list = [1, 2])),
      ),
    ).toBe(false);
    // 1 equals 1n, and sets compare as sets, however deep.
    expect(
      valuesEqual(
        changed((bottom) => (bottom.n = 1)),
        changed((bottom) => (bottom.n = 1n)),
      ),
    ).toBe(true);
    // Values that hold themselves (no store holds one) end too.
    const left: StoredValue[] = [];
    left.push(left);
    const right: StoredValue[] = [];
    right.push(right);
    expect(valuesEqual(left, right)).toBe(true);
    // And through a condition given directly: the stored value and the operand both deep.
    expect(evaluateCondition({ attr: 'v', eq: deepValue(levels) }, { v: deepValue(levels) })).toBe(
      true,
    );
    expect(evaluateCondition({ attr: 'v', ne: deepValue(levels) }, { v: deepValue(levels) })).toBe(
      false,
    );
  });

  it('checkItemNesting refuses an attribute nested deeper than 32 levels, the attribute counting as the first, however deep', () => {
    const nested = (levels: number): StoredValue => {
      let value: StoredValue = [];
      for (let level = 0; level < levels; level++) value = [value];
      return value;
    };
    // DynamoDB stores an attribute of 31 maps around a string and refuses 32.
    checkItemNesting({ id: 'x', a: nested(31), b: { c: nested(30) } }, 'putItem');
    const cycle: StoredValue[] = [];
    cycle.push(cycle);
    for (const item of [
      { id: 'x', a: nested(32) },
      { id: 'x', b: { c: nested(31) } },
      { id: 'x', a: [1, deepValue(100_000)] },
      { id: 'x', a: cycle },
    ] as StoredItem[]) {
      const error = caught(() => checkItemNesting(item, 'putItem'));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(/^putItem: the attribute "[ab]" .* 32 levels/);
    }
  });
});

describe('[P-99] an update reads every list position in the item before it, as DynamoDB does', () => {
  const updated = (item: StoredItem, operations: UpdateOperation[]) => {
    applyUpdate(item, operations);
    return item;
  };

  it('removes and sets at the positions the item had', () => {
    expect(
      updated({ l: ['a', 'b', 'c'] }, [
        { action: 'remove', path: ['l', 0] },
        { action: 'set', path: ['l', 1], value: 'w' },
      ]),
    ).toEqual({ l: ['w', 'c'] });
    expect(
      updated({ m: { l: [1, 2, 3] } }, [
        { action: 'remove', path: ['m', 'l', 0] },
        { action: 'add', path: ['m', 'l', 2], value: 1 },
      ]),
    ).toEqual({ m: { l: [2, 4] } });
    // Inside an element after a removed one: the element the position named before.
    expect(
      updated({ l: [{ k: 1 }, { k: 2 }, { k: 3 }, { k: 4 }] }, [
        { action: 'remove', path: ['l', 1] },
        { action: 'add', path: ['l', 3, 'k'], value: 10 },
      ]),
    ).toEqual({ l: [{ k: 1 }, { k: 3 }, { k: 14 }] });
  });

  it('appends positions past the end in the order of their numbers, and removes nothing there', () => {
    expect(
      updated({ l: ['a'] }, [
        { action: 'set', path: ['l', 5], value: 'five' },
        { action: 'set', path: ['l', 3], value: 'three' },
        { action: 'remove', path: ['l', 9] },
      ]),
    ).toEqual({ l: ['a', 'three', 'five'] });
  });

  it('changes nothing when one operation is refused', () => {
    const item: StoredItem = { l: ['a', 'b'], n: 'text' };
    expect(() =>
      applyUpdate(item, [
        { action: 'remove', path: ['l', 0] },
        { action: 'add', path: ['n'], value: 1 },
      ]),
    ).toThrow(InvalidRequestError);
    expect(item).toEqual({ l: ['a', 'b'], n: 'text' });
  });
});

describe('[P-44] an update path goes through maps and lists only', () => {
  it.each([
    ['set', { action: 'set', path: ['tags', 'k'], value: 1 }],
    ['remove', { action: 'remove', path: ['tags', 'k'] }],
    ['add', { action: 'add', path: ['tags', 'k'], value: 1 }],
    ['append', { action: 'append', path: ['tags', 'k'], value: [1] }],
    ['set inside a list', { action: 'set', path: ['l', 0, 'k'], value: 1 }],
  ] as [string, UpdateOperation][])(
    '%s through a set is an InvalidRequestError and changes nothing',
    (_label, operation) => {
      const item: StoredItem = { id: 'x', tags: new Set(['a']), l: [new Set([1])] };
      expect(() => applyUpdate(item, [operation])).toThrow(InvalidRequestError);
      expect(item).toEqual({ id: 'x', tags: new Set(['a']), l: [new Set([1])] });
      expect(Object.keys(item.tags as object)).toEqual([]);
    },
  );
});

describe('[P-105] updatedItem applies what checkUpdatePaths checked, once', () => {
  it('applies the snapshot checkUpdatePaths returned unchecked again, and checks anything else, a Proxy answering every key included', () => {
    const key = { id: 'a' };
    const snapshot = checkUpdatePaths([{ action: 'set', path: 'text', value: 'x' }], key);
    expect(updatedItem(undefined, key, snapshot, 400 * 1024)).toEqual({ id: 'a', text: 'x' });
    // A list that says it holds every property, a mark included: checked, its key change refused.
    const changesKey: UpdateOperation[] = [{ action: 'set', path: 'id', value: 'b' }];
    const claimsAll = new Proxy(changesKey, {
      get: (target, name, receiver) =>
        typeof name === 'symbol' ? true : Reflect.get(target, name, receiver),
      has: () => true,
      getOwnPropertyDescriptor: (target, name) =>
        typeof name === 'symbol'
          ? { value: true, writable: true, enumerable: true, configurable: true }
          : Reflect.getOwnPropertyDescriptor(target, name),
    });
    expect(() => updatedItem(undefined, key, claimsAll, 400 * 1024)).toThrow(InvalidRequestError);
  });

  it('applies no list as a checked snapshot for what it copied from one, nor a snapshot written to', () => {
    const key = { id: 'a' };
    const snapshot = checkUpdatePaths([{ action: 'set', path: 'text', value: 'x' }], key);
    // Everything a snapshot's own keys hold, copied onto a list that changes the key: checked.
    const forged: UpdateOperation[] = [{ action: 'set', path: 'id', value: 'b' }];
    for (const name of Reflect.ownKeys(snapshot))
      if (name !== 'length' && name !== '0') Reflect.set(forged, name, Reflect.get(snapshot, name));
    expect(() => updatedItem(undefined, key, forged, 400 * 1024)).toThrow(InvalidRequestError);
    expect(() => updatedItem(undefined, key, structuredClone(forged), 400 * 1024)).toThrow(
      InvalidRequestError,
    );
    // The snapshot itself, its operations, their paths and values cannot be written to.
    const changesKey = { action: 'set', path: 'id', value: 'b' } as const;
    expect(Reflect.set(snapshot, 0, changesKey)).toBe(false);
    expect(Reflect.set(snapshot, 1, changesKey)).toBe(false);
    expect(Reflect.set(snapshot[0]!, 'path', 'id')).toBe(false);
    const nested = checkUpdatePaths([{ action: 'set', path: ['m', 'k'], value: { v: [1] } }], key);
    const operation = nested[0] as unknown as { path: string[]; value: { v: number[] } };
    expect(Reflect.set(operation.path, 0, 'id')).toBe(false);
    expect(Reflect.set(operation.value, 'v', () => 1)).toBe(false);
    expect(Reflect.set(operation.value.v, 0, Number.NaN)).toBe(false);
    expect(updatedItem({ id: 'a', m: {} }, key, nested, 400 * 1024)).toEqual({
      id: 'a',
      m: { k: { v: [1] } },
    });
  });
});
