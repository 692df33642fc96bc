import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { modelValues } from './model-values.js';

const api = await loadApi({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {},
  components: {
    schemas: {
      Outer: {
        type: 'object',
        properties: {
          inner: { $ref: '#/components/schemas/Inner' },
          code: { type: ['string', 'integer'], format: 'int64' },
          total: { type: 'number' },
        },
      },
      Inner: { type: 'object', properties: { data: { type: 'string', format: 'binary' } } },
      Wrapper: {
        type: 'object',
        properties: { outer: { $ref: '#/components/schemas/Outer' }, note: { type: 'string' } },
      },
    },
  },
});

describe('modelValues', () => {
  it('reads JSON as fromJSON does, and copies only what it changes', () => {
    const json = { inner: { data: 'AQI=' }, code: '0123', total: '9007199254740993', note: null };
    const read = modelValues(api.schema('Outer'), json) as Record<string, unknown>;
    expect(read).toEqual({
      inner: { data: new Uint8Array([1, 2]) },
      // A string where strings are allowed stays one.
      code: '0123',
      total: 9007199254740993n,
      note: null,
    });
    expect(json.inner.data).toBe('AQI=');
    const untouched = { note: 'n', outer: { code: 5 } };
    expect(modelValues(api.schema('Wrapper'), untouched)).toBe(untouched);
  });

  it('hands over the outermost objects of named schemas only, as fromJSON leaves deeper ones', () => {
    const names: string[] = [];
    const built = modelValues(
      { ...api.schema('Wrapper'), name: undefined },
      { outer: { inner: { data: 'AA==' } } },
      (name, values) => {
        names.push(name);
        return { built: values };
      },
    );
    expect(names).toEqual(['Outer']);
    expect(built).toEqual({ outer: { built: { inner: { data: new Uint8Array([0]) } } } });
  });
});
