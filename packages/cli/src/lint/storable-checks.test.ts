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

  it('reports property names DynamoDB refuses at any depth: empty, a lone surrogate, past 65,535 bytes', async () => {
    // Core refuses each wherever an item holds it (P-14), so no value can be stored under it.
    const refused = JSON.parse('{"": { "type": "string" }, "\\ud800": { "type": "string" }}');
    refused['é'.repeat(32_768)] = { type: 'string' }; // 65,536 UTF-8 bytes
    refused['e'.repeat(65_535)] = { type: 'string' }; // at the limit: stored
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'names', version: '1' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'things', key: 'id' },
            properties: {
              id: { type: 'string' },
              nested: { type: 'object', properties: refused },
              list: { type: 'array', items: { type: 'object', properties: refused } },
            },
            allOf: [{ properties: refused }],
          },
        },
      },
    });
    const found = storabilityFindings(api)
      .filter((finding) => finding.rule === 'storable')
      .map(({ pointer, message }) => [pointer.replace(/[eé]{1000,}$/, 'long'), message]);
    const empty = 'DynamoDB attribute names cannot be empty';
    const lone =
      'this attribute name holds a lone surrogate, which is not valid Unicode: no value can be stored under it';
    const long = 'this attribute name is 65,536 UTF-8 bytes long; DynamoDB allows at most 65,535';
    const at = (pointer: string) => [
      [`${pointer}/properties/`, empty],
      [`${pointer}/properties/\ud800`, lone],
      [`${pointer}/properties/long`, long],
    ];
    expect(found).toEqual(
      expect.arrayContaining([
        ...at('/components/schemas/Thing/properties/nested'),
        ...at('/components/schemas/Thing/properties/list/items'),
        ...at('/components/schemas/Thing/allOf/0'),
      ]),
    );
    expect(found).toHaveLength(9);
  });
});
