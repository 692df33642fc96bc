import { describe, expect, it } from 'vitest';
import { problemKeys, schemaNode } from '../../test/support/specs.js';
import { validateValue } from './validate-value.js';

// A value meets a recursive schema along two paths at every level (two allOf parts, `if` and
// `then`, `not` of `not`, a property and an allOf part naming it): checked again each time,
// the work doubles with every level, and a 31-level body took hours. Each value is checked
// once against each schema; vitest's timeout fails these otherwise.

const self = { $ref: '#/components/schemas/T' };
const levels = 31;

function nest(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = { c: value };
  return value;
}

const check = (raw: unknown, value: unknown) =>
  problemKeys(validateValue(schemaNode(raw, 'oas3.1'), value));

const deepPointer = `${'/c'.repeat(levels)}/c`;

// Checks are kept once a validation has made 10,000: a value's first property spends them.
const pad = Array.from({ length: 10_100 }, () => 'x');

describe('a recursive schema reached along two paths', () => {
  const shapes: Record<string, unknown> = {
    'two allOf parts': {
      type: 'object',
      allOf: [{ properties: { c: self } }, { properties: { c: self } }],
    },
    'a property and an allOf part': {
      type: 'object',
      properties: { c: self },
      allOf: [{ properties: { c: self } }],
    },
    'if and then': {
      type: 'object',
      properties: { c: self },
      if: { properties: { c: self } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword, never awaited
      then: { properties: { c: self } },
    },
  };
  for (const [name, schema] of Object.entries(shapes))
    it(name, () => {
      expect(check(schema, nest(levels, {}))).toEqual([]);
      // The one problem deep down, reported once, at its place.
      expect(check(schema, nest(levels, { c: 5 }))).toEqual([
        { pointer: deepPointer, keyword: 'type' },
      ]);
    });

  it('not of not', () => {
    const schema = {
      type: 'object',
      properties: { c: self },
      not: { not: { properties: { c: self } } },
    };
    expect(check(schema, nest(levels, {}))).toEqual([]);
    // The problem deep down fails the `not` of `not` at every level above it.
    expect(check(schema, nest(levels, { c: 5 }))).toEqual([
      ...Array.from({ length: levels + 1 }, (_, level) => ({
        pointer: '/c'.repeat(level),
        keyword: 'not',
      })),
      { pointer: deepPointer, keyword: 'type' },
    ]);
  });

  it('two anyOf members, the first failing deep down', () => {
    const schema = {
      type: 'object',
      anyOf: [
        { properties: { c: self, leaf: { type: 'string' } } },
        { properties: { c: self, leaf: { type: 'boolean' } } },
      ],
    };
    expect(check(schema, nest(levels, { leaf: true }))).toEqual([]);
    expect(check(schema, nest(levels, { leaf: 1 }))).toEqual([{ pointer: '', keyword: 'anyOf' }]);
  });

  it('an object held at two places: each place gets its own pointer', () => {
    const schema = {
      type: 'object',
      properties: { c: self, d: self, leaf: { type: 'string' } },
      allOf: [{ properties: { c: self, d: self } }],
    };
    const shared = { leaf: 1 };
    expect(check(schema, { pad, c: shared, d: shared })).toEqual([
      { pointer: '/c/leaf', keyword: 'type' },
      { pointer: '/d/leaf', keyword: 'type' },
    ]);
  });

  it('one schema checked against one value in two contexts: the answers stay apart', () => {
    // In a request, P's requirement of T's readOnly `id` is lifted where P is T's allOf part,
    // and not where P is an anyOf member.
    const part = { $ref: '#/components/schemas/P' };
    const node = schemaNode(
      {
        type: 'object',
        properties: { id: { type: 'string', readOnly: true }, c: self },
        allOf: [part],
        anyOf: [part],
      },
      'oas3.1',
      { P: { required: ['id'], properties: { c: self } } },
    );
    const request = (value: unknown) =>
      problemKeys(validateValue(node, value, '', { direction: 'request' }));
    expect(request({ pad })).toEqual([{ pointer: '', keyword: 'anyOf' }]);
    expect(request({ pad, id: 'a', c: { id: 'b' } })).toEqual([]);
  });
});

describe('an untyped recursive anyOf (what it does not describe is checked as any JSON)', () => {
  // Each level's members leave its properties to the unconstrained schema, which walked the
  // whole subtree again at every level: a 1 MB body 31 levels deep, 31 times.
  const member = (name: string) => ({
    type: 'object',
    required: [name],
    properties: {
      [name]: { type: 'string' },
      p: { type: 'array' },
      kids: { type: 'array', items: self },
    },
  });
  const node = schemaNode(
    { anyOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }] },
    'oas3.1',
    {
      A: member('a'),
      B: member('b'),
    },
  );

  // A list that counts the reads of its items.
  function countedList(size: number): { list: string[]; reads: () => number } {
    let reads = 0;
    const list = new Proxy(
      Array.from({ length: size }, () => 'yy'),
      {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
          return Reflect.get(target, key, receiver);
        },
      },
    );
    return { list, reads: () => reads };
  }

  it('checks a large subtree a few times, not once a level', () => {
    const size = 20_000;
    const { list, reads } = countedList(size);
    let value: unknown = { a: 'x', p: list };
    for (let level = 0; level < 14; level++) value = { a: 'x', kids: [value] };
    expect(validateValue(node, value)).toEqual([]);
    expect(reads()).toBeLessThan(6 * size);
  });

  it('still finds the depth problem of a subtree it found valid higher up', () => {
    // Checked first 2 levels down (valid, and large enough to be kept), then 30 levels down,
    // where only its list's lists pass the 32-level limit.
    const leaf = { a: 'x', p: Array.from({ length: 2_000 }, () => ['yy']) };
    let deep: unknown = leaf;
    for (let level = 0; level < 14; level++) deep = { a: 'x', kids: [deep] };
    const problems = problemKeys(validateValue(node, { a: 'x', kids: [leaf, deep] }));
    const tooDeep = problems.filter((problem) => problem.keyword === 'depth');
    expect(tooDeep).not.toEqual([]);
    expect(
      tooDeep.every((problem) => /^(\/kids\/0){14}\/p\/\d+\/0$/.test(problem.pointer.slice(7))),
    ).toBe(true);
    expect(problems.some((problem) => problem.pointer.startsWith('/kids/0'))).toBe(false);
  });
});
