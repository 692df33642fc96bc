import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { storabilityFindings } from './storable-checks.js';

// A persistent model whose property `a` holds objects `levels` deep, the last a string.
async function nestedModel(levels: number) {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let level = 1; level < levels; level += 1)
    schema = { type: 'object', properties: { a: schema } };
  return loadApi({
    openapi: '3.0.3',
    info: { title: 'nesting', version: '1' },
    paths: {},
    components: {
      schemas: {
        Deep: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'deep', key: 'id' },
          properties: { id: { type: 'string' }, a: schema },
        },
      },
    },
  });
}

describe('storabilityFindings', () => {
  it('reports values nested past 32 levels, and not at 32', async () => {
    const depths = (findings: ReturnType<typeof storabilityFindings>) =>
      findings.filter((finding) => finding.rule === 'nesting-depth').map((f) => f.message);
    expect(depths(storabilityFindings(await nestedModel(32)))).toEqual([]);
    expect(depths(storabilityFindings(await nestedModel(33)))).toEqual([
      'values here are nested 33 levels deep; DynamoDB stores at most 32',
    ]);
  });
});
