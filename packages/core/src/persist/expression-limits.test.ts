import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import type { Condition } from './condition.js';
import {
  checkExpressionLimits,
  checkOperationCount,
  expressionCosts,
  expressionLimits,
  maxUpdateOperations,
  type UpdateCounts,
  updateCountProblem,
} from './expression-limits.js';
import type { UpdateOperation } from './update-operation.js';

// The DynamoDB backend's renderings of these (see backend-dynamodb's expressions tests).
const cases: [string, { condition?: Condition; operations?: UpdateOperation[] }, string][] = [
  ['a comparison', { condition: { attr: 'a', eq: 1 } }, '#n0 = :v0'],
  ['exists', { condition: { attr: 'a', exists: false } }, 'attribute_not_exists(#n0)'],
  [
    'a nested path',
    { condition: { attr: ['address', 'lines', 2, 'a.b'], eq: 'x' } },
    '#n0.#n1[2].#n2 = :v0',
  ],
  [
    'not of or',
    {
      condition: {
        not: {
          or: [
            { attr: 'a', eq: 1 },
            { attr: 'b', eq: 2 },
          ],
        },
      },
    },
    'NOT (#n0 = :v0 OR #n1 = :v1)',
  ],
  [
    'and of or, not and between',
    {
      condition: {
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
        ],
      },
    },
    'attribute_exists(#n0) AND NOT #n1 > :v0 AND (#n2 = :v1 OR (#n3 = :v2 AND NOT (#n4 BETWEEN :v3 AND :v4))) AND (#n5 BETWEEN :v5 AND :v6)',
  ],
  [
    'set, add, append and remove',
    {
      operations: [
        { action: 'set', path: 'name', value: 'x' },
        { action: 'add', path: 'count', value: 1 },
        { action: 'append', path: 'tags', value: ['t'] },
        { action: 'remove', path: 'old' },
      ],
    },
    'SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) + :v2, #n2 = list_append(if_not_exists(#n2, :v3), :v4) REMOVE #n3',
  ],
];

describe('[P-46] expression costs, estimated as the DynamoDB backend writes expressions', () => {
  it.each(cases)('never underestimates %s', (_label, parts, rendered) => {
    const [cost] = expressionCosts(parts).expressions;
    expect(cost!.bytes).toBeGreaterThanOrEqual(rendered.length);
    // Long only by the width of placeholder numbers (one digit each here).
    expect(cost!.bytes - rendered.length).toBeLessThanOrEqual(rendered.split(/[#:][nv]/).length);
  });

  it('counts operators and functions as DynamoDB does: comparisons, functions, AND / OR / NOT, + and list_append', () => {
    const [update] = expressionCosts(cases[5]![1]).expressions;
    expect(update!.operators).toBe(4);
    const [condition] = expressionCosts(cases[3]![1]).expressions;
    expect(condition!.operators).toBe(4);
  });

  it('uses the documented limits', () => {
    expect(expressionLimits).toEqual({
      maxExpressionBytes: 4096,
      maxOperators: 300,
      maxSubstitutionBytes: 2097152,
    });
  });
});

describe('[P-97] an update refused on its count of changes', () => {
  const refusedByEstimate = (operations: UpdateOperation[]) => {
    try {
      checkExpressionLimits({ operations }, 'update()');
      return undefined;
    } catch (error) {
      return (error as Error).message
        .replace('about', 'at least')
        .replace('takes ', 'takes at least ');
    }
  };
  const operationsOf = ({ set, remove, add, append }: UpdateCounts) => {
    const operations: UpdateOperation[] = [];
    let name = 0;
    for (let index = 0; index < set; index++)
      operations.push({ action: 'set', path: `n${name++}`, value: 1 });
    for (let index = 0; index < remove; index++)
      operations.push({ action: 'remove', path: `n${name++}` });
    for (let index = 0; index < add; index++)
      operations.push({ action: 'add', path: `n${name++}`, value: 1 });
    for (let index = 0; index < append; index++)
      operations.push({ action: 'append', path: `n${name++}`, value: [1] });
    return operations;
  };

  it('refuses exactly the counts whose update the estimate refuses, with its figures', () => {
    const counts: UpdateCounts[] = [];
    for (let n = 0; n <= 900; n += n < 100 ? 1 : 3) {
      counts.push({ set: 0, remove: n, add: 0, append: 0 });
      counts.push({ set: n, remove: 0, add: 0, append: 0 });
      counts.push({ set: 0, remove: 0, add: Math.min(n, 160), append: 0 });
      counts.push({ set: 0, remove: 0, add: 0, append: Math.min(n, 160) });
      counts.push({ set: n >> 1, remove: n >> 1, add: n >> 4, append: n >> 5 });
    }
    for (const count of counts) {
      if (count.set + count.remove + count.add + count.append === 0) continue;
      expect(updateCountProblem(count, 'update()'), JSON.stringify(count)).toBe(
        refusedByEstimate(operationsOf(count)),
      );
    }
  });

  it('holds 584 removes and no more, the most changes an update() can make', () => {
    expect(updateCountProblem({ set: 0, remove: 584, add: 0, append: 0 }, 'update()')).toBe(
      undefined,
    );
    expect(updateCountProblem({ set: 0, remove: 585, add: 0, append: 0 }, 'update()')).toBe(
      "update(): the update expression would be at least 4101 bytes, above DynamoDB's 4096",
    );
  });

  it('bounds the operations a backend is given, whatever their paths', () => {
    // 818 removes of one name each take 5 bytes and the keyword 6: 4,096.
    expect(maxUpdateOperations).toBe(818);
    expect(() => checkOperationCount(818, 'An update')).not.toThrow();
    expect(() => checkOperationCount(819, 'An update')).toThrow(InvalidRequestError);
  });
});
