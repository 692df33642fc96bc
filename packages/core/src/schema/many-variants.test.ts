import { describe, expect, it } from 'vitest';
import { normalize } from '../../test/support/specs.js';

// Microsoft Graph's spec has thousands of schemas that inherit `entity` through allOf, each
// joining the mapping of its discriminator. Asking whether the mapping selects a variant by
// reading the mapping whole made normalising them quadratic: 20,000 variants took minutes. No
// timed assertion: the test timeout fails such a run.
const count = 20_000;
const names = Array.from({ length: count }, (_, index) => `Variant${index}`);
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('SchemaNormalizer: a discriminator of many variants', () => {
  it('maps each of 20,000 schemas that inherit its schema through allOf', () => {
    const schemas: Record<string, unknown> = {
      Base: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' } },
        discriminator: { propertyName: 'kind', mapping: { first: ref('Variant0').$ref } },
      },
    };
    for (const name of names)
      schemas[name] = { allOf: [ref('Base'), { type: 'object', properties: { note: {} } }] };
    const { node, normalizer } = normalize(schemas, 'Base', 'oas3.0');
    for (const name of names) normalizer.atPointer(`/components/schemas/${name}`, name);

    expect(normalizer.problems).toEqual([]);
    const mapping = node.discriminator!.mapping;
    // The mapped value selects its schema, which its name does not select again; the parent and
    // every other variant are selected by name.
    expect(Object.keys(mapping)).toHaveLength(count + 1);
    expect(mapping.first?.name).toBe('Variant0');
    expect(mapping.Base).toBe(node);
    expect(mapping.Variant0).toBeUndefined();
    expect(mapping.Variant19999?.name).toBe('Variant19999');
  });

  it('maps each of 20,000 oneOf members', () => {
    const schemas: Record<string, unknown> = {
      Any: {
        oneOf: names.map(ref),
        discriminator: { propertyName: 'kind', mapping: { first: ref('Variant0').$ref } },
      },
    };
    for (const name of names)
      schemas[name] = { type: 'object', required: ['kind'], properties: { kind: {} } };
    const { node, normalizer } = normalize(schemas, 'Any', 'oas3.0');

    expect(normalizer.problems).toEqual([]);
    const mapping = node.discriminator!.mapping;
    expect(Object.keys(mapping)).toHaveLength(count);
    expect(mapping.first?.name).toBe('Variant0');
    expect(mapping.Variant0).toBeUndefined();
    expect(mapping.Variant19999?.name).toBe('Variant19999');
  });
});
