import { describe, expect, it } from 'vitest';
import type { Condition } from '../persist/condition.js';
import type { StoredItem } from '../persist/stored-value.js';
import { applyUpdate } from './apply-update.js';
import { evaluateCondition } from './evaluate-condition.js';

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
