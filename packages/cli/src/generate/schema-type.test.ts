import { loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { generateTypes } from './generate-types.js';

async function generated(openapi: string, schemas: Record<string, unknown>): Promise<string> {
  const api = await loadApi({
    openapi,
    info: { title: 'enums', version: '1' },
    paths: {},
    components: { schemas },
  });
  return generateTypes(api, { source: 'apis/enums.yaml' });
}

it('types an enum as validation reads it: null only where nullable adds it or the enum lists it', async () => {
  const reason = { type: 'string', enum: ['fixed', "won't fix"] };
  const openApi30 = await generated('3.0.3', {
    Nullable: { ...reason, nullable: true },
    Listed: { ...reason, enum: ['fixed', null], nullable: true },
    Plain: reason,
  });
  expect(openApi30).toContain(`export type Nullable = 'fixed' | 'won\\'t fix' | null;`);
  expect(openApi30).toContain(`export type Listed = 'fixed' | null;`);
  expect(openApi30).toContain(`export type Plain = 'fixed' | 'won\\'t fix';`);
  // 3.1 is JSON Schema: `type` allows null, the enum does not, so no value is null.
  const openApi31 = await generated('3.1.0', {
    Typed: { ...reason, type: ['string', 'null'] },
    Listed: { type: ['string', 'null'], enum: ['fixed', null] },
  });
  expect(openApi31).toContain(`export type Typed = 'fixed' | 'won\\'t fix';`);
  expect(openApi31).toContain(`export type Listed = 'fixed' | null;`);
});

it('types nullable without a type as its members or null', async () => {
  const text = await generated('3.0.3', {
    Target: { nullable: true, oneOf: [{ type: 'string' }, { type: 'integer' }] },
  });
  expect(text).toContain('export type Target = string | number | null;');
});
