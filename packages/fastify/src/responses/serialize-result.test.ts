import { loadApi, type SchemaNode } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { responseProblems, serializeResult } from './serialize-result.js';

const api = await loadApi({
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {},
  components: {
    schemas: {
      Blob: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'integer', format: 'int64' },
          data: { type: 'string', format: 'binary' },
          note: { type: 'string' },
          maybe: { type: 'string', nullable: true },
        },
      },
      Page: {
        type: 'object',
        required: ['items'],
        additionalProperties: false,
        properties: {
          items: { type: 'array', items: { $ref: '#/components/schemas/Blob' } },
          next: { type: 'string' },
        },
      },
    },
  },
});
const Blob = api.model<{ id: bigint | number; data?: Uint8Array; note?: string | null }>('Blob');
const page = api.schema('Page');

describe('serializeResult', () => {
  it("follows the model's JSON rules for model objects and plain objects of a named schema", () => {
    const big = 2n ** 60n;
    const model = new Blob({ id: big, data: new Uint8Array([1, 2]), note: 'n' });
    const plain = { id: 3, note: null, maybe: null };
    const json = serializeResult(api, page, { items: [model, plain], next: 'cursor' });
    expect(json).toEqual({
      items: [
        { id: big.toString(), data: 'AQI=', note: 'n' },
        { id: 3, maybe: null },
      ],
      next: 'cursor',
    });
    expect(responseProblems(api, page, json)).toEqual([]);
  });

  it('turns bigints, bytes and dates outside models into JSON', () => {
    expect(serializeResult(api, undefined, { n: 5n, bytes: new Uint8Array([255]) })).toEqual({
      n: 5,
      bytes: '/w==',
    });
    expect(serializeResult(api, undefined, [new Date(0)])).toEqual(['1970-01-01T00:00:00.000Z']);
  });
});

describe('responseProblems', () => {
  const json = { items: [{ id: 1 }, { note: 'no id' }], next: 5, extra: true };

  it('reads objects of a named schema through its model', () => {
    const problems = responseProblems(api, page, json);
    expect(problems.map(({ pointer, keyword }) => [pointer, keyword]).sort()).toEqual([
      ['/extra', 'additionalProperties'],
      ['/items/1/id', 'required'],
      ['/next', 'type'],
    ]);
  });

  it('finds problems of models nested in inline objects and lists, with their pointers', () => {
    const node = (fields: Partial<SchemaNode>): SchemaNode => ({
      properties: {},
      required: [],
      pointer: '',
      ...fields,
    });
    const inline = node({
      types: ['object'],
      required: ['items', 'total'],
      additionalProperties: false,
      properties: {
        items: node({ types: ['array'], maxItems: 1, items: api.schema('Blob') }),
        next: node({ types: ['string'] }),
      },
    });
    const problems = responseProblems(api, inline, json);
    expect(problems.map(({ pointer, keyword }) => [pointer, keyword]).sort()).toEqual([
      ['/extra', 'additionalProperties'],
      ['/items', 'maxItems'],
      ['/items/1/id', 'required'],
      ['/next', 'type'],
      ['/total', 'required'],
    ]);
  });
});
