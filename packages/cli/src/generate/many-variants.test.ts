import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { generateTypes } from './generate-types.js';

// Microsoft Graph's spec has thousands of schemas that inherit `entity` through allOf. Each
// variant's type narrows the discriminator to the values that select it; finding them by
// reading the parent's whole mapping for each variant made generating quadratic: 8,000
// variants took 280 s. No timed assertion: the test timeout fails such a run.
const count = 8_000;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

async function generated(schemas: Record<string, unknown>): Promise<string> {
  const api = await loadApi({
    openapi: '3.0.3',
    info: { title: 'many variants', version: '1' },
    paths: {},
    components: { schemas },
  });
  return generateTypes(api, { source: 'apis/graph.yaml' });
}

describe('generateTypes: a discriminator of many variants', () => {
  it('types each of 8,000 schemas that inherit its schema through allOf, narrowed to the values that select it', async () => {
    const schemas: Record<string, unknown> = {
      Entity: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' } },
        discriminator: { propertyName: 'kind', mapping: { first: ref('Variant0').$ref } },
      },
    };
    for (let index = 0; index < count; index++)
      schemas[`Variant${index}`] = {
        allOf: [ref('Entity'), { type: 'object', properties: { note: { type: 'string' } } }],
      };
    const text = await generated(schemas);

    // The parent's own value selects the parent, which does not dispatch again.
    const narrowed = (name: string, values: string) =>
      `export type ${name} = {\n  kind: string;\n} & { kind?: ${values} } & {`;
    expect(text).toContain(narrowed('Variant0', `'Entity' | 'first'`));
    expect(text).toContain(narrowed('Variant7999', `'Entity' | 'Variant7999'`));
    // The parent itself takes every value, in text order.
    expect(text).toContain(`} & { kind?: 'Entity' | 'Variant1' | 'Variant10' | 'Variant100' |`);
    expect(text).toContain(`'Variant998' | 'Variant999' | 'first' };`);
  });
});
