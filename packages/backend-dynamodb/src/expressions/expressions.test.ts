import type { Condition } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { conditionExpression, keyConditionExpression } from './condition-expression.js';
import { ExpressionAttributes } from './expression-attributes.js';
import { updateExpression } from './update-expression.js';
import { updateRequestExpressions } from './update-request-expressions.js';

const hostile = [
  'name',
  'a.b',
  'x#y',
  'k:v',
  'two words',
  'size',
  ') OR attribute_exists(#n0',
  ':v0',
];

describe('expressions use placeholders only', () => {
  it('never pastes an attribute name or value into a condition', () => {
    const attributes = new ExpressionAttributes();
    const condition: Condition = {
      and: hostile.map((attr) => ({ attr, eq: `${attr} = 1` })),
    };
    const expression = conditionExpression(condition, attributes);
    expect(expression).toMatch(/^[()#:a-zA-Z0-9 _=,.[\]]+$/);
    for (const name of hostile) expect(Object.values(attributes.names)).toContain(name);
    expect(expression).not.toContain('OR attribute_exists');
    expect(expression).not.toContain('two words');
  });

  it('translates every comparison', () => {
    const attributes = new ExpressionAttributes();
    const parts: Condition[] = [
      { attr: 'a', eq: 1 },
      { attr: 'a', ne: 1 },
      { attr: 'a', lt: 1 },
      { attr: 'a', lte: 1 },
      { attr: 'a', gt: 1 },
      { attr: 'a', gte: 1 },
      { attr: 'a', between: [1, 2] },
      { attr: 'a', beginsWith: 'x' },
      { attr: 'a', contains: 'x' },
      { attr: 'a', in: [1, 2] },
      { attr: 'a', exists: true },
      { attr: 'a', exists: false },
    ];
    expect(parts.map((part) => conditionExpression(part, attributes))).toEqual([
      '#n0 = :v0',
      '#n0 <> :v1',
      '#n0 < :v2',
      '#n0 <= :v3',
      '#n0 > :v4',
      '#n0 >= :v5',
      '#n0 BETWEEN :v6 AND :v7',
      'begins_with(#n0, :v8)',
      'contains(#n0, :v9)',
      '#n0 IN (:v10, :v11)',
      'attribute_exists(#n0)',
      'attribute_not_exists(#n0)',
    ]);
    expect(
      conditionExpression(
        {
          not: {
            or: [
              { attr: 'a', eq: 1 },
              { attr: 'b', eq: 2 },
            ],
          },
        },
        attributes,
      ),
    ).toBe('NOT (#n0 = :v12 OR #n1 = :v13)');
  });

  it('writes parentheses only where precedence or a BETWEEN needs them', () => {
    const attributes = new ExpressionAttributes();
    const condition: Condition = {
      and: [
        { attr: 'a', exists: true },
        { not: { attr: 'b', gt: 1 } },
        {
          or: [
            { attr: 'c', eq: 1 },
            { and: [{ attr: 'd', eq: 2 }, { not: { attr: 'e', between: [1, 2] } }] },
          ],
        },
        { attr: 'f', between: [3, 4] },
        { and: [{ attr: 'g', eq: 5 }, { not: { not: { attr: 'h', eq: 6 } } }] },
      ],
    };
    expect(conditionExpression(condition, attributes)).toBe(
      'attribute_exists(#n0) AND NOT #n1 > :v0 AND (#n2 = :v1 OR (#n3 = :v2 AND NOT (#n4 BETWEEN :v3 AND :v4))) AND (#n5 BETWEEN :v5 AND :v6) AND #n6 = :v7 AND NOT (NOT #n7 = :v8)',
    );
  });

  it('addresses nested paths with list positions', () => {
    const attributes = new ExpressionAttributes();
    expect(conditionExpression({ attr: ['address', 'lines', 2, 'a.b'], eq: 'x' }, attributes)).toBe(
      '#n0.#n1[2].#n2 = :v0',
    );
    expect(attributes.names).toEqual({ '#n0': 'address', '#n1': 'lines', '#n2': 'a.b' });
  });

  it('builds key conditions with the sort condition', () => {
    const attributes = new ExpressionAttributes();
    expect(keyConditionExpression(attributes, 'user', 'u1', 'at', { between: ['a', 'b'] })).toBe(
      '#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2',
    );
  });

  it('builds one update with set, remove, add and append', () => {
    const attributes = new ExpressionAttributes();
    const expression = updateExpression(
      [
        { action: 'set', path: 'name', value: 'x' },
        { action: 'add', path: 'count', value: 1 },
        { action: 'append', path: 'tags', value: ['t'] },
        { action: 'remove', path: 'old' },
      ],
      attributes,
    );
    expect(expression).toBe(
      'SET #n0 = :v0, #n2 = list_append(if_not_exists(#n2, :v2), :v3) REMOVE #n3 ADD #n1 :v1',
    );
    expect(attributes.toRequest().ExpressionAttributeValues).toMatchObject({
      ':v1': { N: '1' },
      ':v2': { L: [] },
    });
  });

  it('adds to a top-level number with ADD, which every engine applies atomically', () => {
    const attributes = new ExpressionAttributes();
    expect(
      updateExpression(
        [
          { action: 'add', path: 'count', value: 2n ** 60n },
          { action: 'add', path: ['views'], value: -1 },
        ],
        attributes,
      ),
    ).toBe('ADD #n0 :v0, #n1 :v1');
    expect(attributes.values).toEqual({ ':v0': { N: '1152921504606846976' }, ':v1': { N: '-1' } });
  });

  it('adds to a nested number with SET and if_not_exists: ADD takes top-level attributes only', () => {
    const attributes = new ExpressionAttributes();
    expect(
      updateExpression(
        [
          { action: 'add', path: ['stats', 'views'], value: 1 },
          { action: 'add', path: ['history', 0], value: 1 },
        ],
        attributes,
      ),
    ).toBe(
      'SET #n0.#n1 = if_not_exists(#n0.#n1, :v0) + :v1, #n2[0] = if_not_exists(#n2[0], :v2) + :v3',
    );
  });
});

describe('the expressions of an update, written once for frozen operations', () => {
  const condition = Object.freeze({ attr: 'id', exists: true }) as Condition;

  it('are written again where frozen operations can still change', () => {
    const members = new Set(['a']);
    const withSet = Object.freeze([
      Object.freeze({ action: 'set' as const, path: 'tags', value: Object.freeze(members) }),
    ]);
    expect(updateRequestExpressions(withSet, condition).ExpressionAttributeValues).toEqual({
      ':v0': { SS: ['a'] },
    });
    // A frozen Set still takes members.
    members.add('b');
    expect(updateRequestExpressions(withSet, condition).ExpressionAttributeValues).toEqual({
      ':v0': { SS: ['a', 'b'] },
    });
    let delta = 1;
    const withGetter = Object.freeze([
      Object.freeze(
        Object.defineProperties({ action: 'add', path: 'n' }, { value: { get: () => delta++ } }),
      ),
    ]) as never;
    expect(updateRequestExpressions(withGetter, condition).ExpressionAttributeValues).toEqual({
      ':v0': { N: '1' },
    });
    expect(updateRequestExpressions(withGetter, condition).ExpressionAttributeValues).toEqual({
      ':v0': { N: '2' },
    });
  });

  it('are the same for the same frozen operations, in maps of their own', () => {
    const operations = Object.freeze([
      Object.freeze({ action: 'add' as const, path: 'n', value: 1 }),
    ]);
    const first = updateRequestExpressions(operations, condition);
    const second = updateRequestExpressions(operations, condition);
    expect(second).toEqual(first);
    expect(second).toEqual({
      UpdateExpression: 'ADD #n0 :v0',
      ConditionExpression: 'attribute_exists(#n1)',
      ExpressionAttributeNames: { '#n0': 'n', '#n1': 'id' },
      ExpressionAttributeValues: { ':v0': { N: '1' } },
    });
    expect(second.ExpressionAttributeNames).not.toBe(first.ExpressionAttributeNames);
    expect(second.ExpressionAttributeValues?.[':v0']).not.toBe(
      first.ExpressionAttributeValues?.[':v0'],
    );
    // Another condition with the same operations: its own expression.
    expect(updateRequestExpressions(operations, undefined)).toEqual({
      UpdateExpression: 'ADD #n0 :v0',
      ExpressionAttributeNames: { '#n0': 'n' },
      ExpressionAttributeValues: { ':v0': { N: '1' } },
    });
  });
});
