import { describe, expect, it } from 'vitest';
import { loadApi } from '../index.js';
import { prepareObjectWrite } from './object-write.js';

describe('[P-88] a version attribute named __proto__', () => {
  it('is an own attribute of the item written and of the object, counted from 1', async () => {
    const properties = JSON.parse(
      '{"id": {"type": "string"}, "__proto__": {"type": "integer"}, "n": {"type": "integer"}}',
    );
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'versions', version: '1' },
      paths: {},
      components: {
        schemas: {
          V: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'versions', key: 'id', version: '__proto__' },
            properties,
          },
        },
      },
    });
    const V = api.persistent('V');
    const object = new V({ id: 'a', n: 1 });
    const created = prepareObjectWrite(V.descriptor, object, 'create', 400_000);
    expect(Object.getOwnPropertyDescriptor(created.item, '__proto__')?.value).toBe(1);
    expect(Object.getPrototypeOf(created.item)).toBe(Object.prototype);
    created.commit();
    expect(Object.getOwnPropertyDescriptor(object, '__proto__')?.value).toBe(1);
    expect(Object.getPrototypeOf(object)).toBe(V.prototype);
    // The next save expects version 1 and writes 2.
    const saved = prepareObjectWrite(V.descriptor, object, 'save', 400_000);
    expect(saved.expectedVersion).toBe(1);
    expect(Object.getOwnPropertyDescriptor(saved.item, '__proto__')?.value).toBe(2);
    expect(saved.condition).toEqual({ attr: '__proto__', eq: 1 });
  });
});
