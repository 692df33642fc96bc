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

  it('sends a set in a plain object as a list, as a model does (not as {})', () => {
    const inline = api.schemaAt('#/components/schemas/Page/properties/items');
    expect(serializeResult(api, undefined, { tags: new Set([1n, 2n ** 60n]) })).toEqual({
      tags: [1, '1152921504606846976'],
    });
    expect(serializeResult(api, inline, new Set())).toEqual([]);
  });
});

describe("serializeResult with bigints: 'number'", () => {
  it('keeps bigints beyond 2^53 for the writer, in model objects, named and inline objects', () => {
    const big = 2n ** 60n;
    const model = new Blob({ id: big, data: new Uint8Array([1, 2]), note: 'n' });
    const json = serializeResult(api, page, { items: [model, { id: -big }], next: 'c' }, 'number');
    expect(json).toStrictEqual({
      items: [{ id: big, data: 'AQI=', note: 'n' }, { id: -big }],
      next: 'c',
    });
    // Validation reads the bigints as what is sent: integers.
    expect(responseProblems(api, page, json)).toEqual([]);
    expect(serializeResult(api, undefined, { n: 5n, m: [big] }, 'number')).toEqual({
      n: 5,
      m: [big],
    });
    // A set (as DynamoDB's NS, another client wrote it) is a list in JSON, its bigints too.
    const withSet = new Blob({ id: 1n, tags: new Set([big, 3n]) } as never);
    expect(serializeResult(api, undefined, withSet, 'number')).toStrictEqual({
      id: 1,
      tags: [big, 3],
    });
  });

  it("puts back only the model's own bigints, leaving its other strings as they are", () => {
    const model = new Blob({ id: 7n, note: '1152921504606846976' });
    expect(serializeResult(api, undefined, model, 'number')).toStrictEqual({
      id: 7,
      note: '1152921504606846976',
    });
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
