import { describe, expect, it } from 'vitest';
import type { Condition } from './condition.js';
import { expressionCosts, expressionLimits } from './expression-limits.js';
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
