import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { compileUsesOfGeneratedTypes } from './typescript-project.js';

// Members that only list required names, in a schema of objects ("at least one of":
// `anyOf: [{ required: [email] }, { required: [phone] }]`): validation requires those names of
// each object, so the types must too. They were `unknown`, and `{}` compiled where every
// save refused it.
const spec = {
  openapi: '3.1.0',
  info: { title: 'members listing required', version: '1' },
  paths: {},
  components: {
    schemas: {
      Contact: {
        type: 'object',
        properties: { email: { type: 'string' }, phone: { type: 'string' } },
        anyOf: [{ required: ['email'] }, { required: ['phone'] }],
      },
      Payment: {
        type: ['object', 'null'],
        properties: { card: { type: 'string' }, iban: { type: 'string' } },
        anyOf: [{ required: ['card'] }, { required: ['iban'] }],
      },
      Named: {
        type: 'object',
        properties: { id: { type: 'string', readOnly: true }, label: { type: 'string' } },
        allOf: [{ required: ['id', 'label'] }],
      },
    },
  },
};

const uses = `import type { Contact, Named, NamedRequest, Payment } from './api.generated.js';
export const email: Contact = { email: 'a@b.c' };
export const phone: Contact = { phone: '1' };
export const both: Contact = { email: 'a@b.c', phone: '1' };
// @ts-expect-error: neither
export const neither: Contact = {};
// @ts-expect-error: the property keeps its own type
export const numeric: Contact = { email: 1 };
// @ts-expect-error: a misspelt name stays an excess property
export const typo: Contact = { emial: 'a@b.c' };
export const card: Payment = { card: '4111' };
export const none: Payment = null;
// @ts-expect-error: neither card nor iban
export const empty: Payment = {};
export const named: Named = { id: 'n', label: 'l' };
// @ts-expect-error: allOf requires the id
export const unnamed: Named = { label: 'l' };
// A request leaves out the readOnly id, as validation lets it.
export const request: NamedRequest = { label: 'l' };
// @ts-expect-error: but not the label
export const unlabelled: NamedRequest = {};
`;

describe('generate: members that only list required names', () => {
  it('types them as requiring those names', async () => {
    const compiled = await compileUsesOfGeneratedTypes(JSON.stringify(spec), uses);
    expect(compiled).toEqual({ generated: 0, code: 0, output: '' });
  });

  it('is what validation takes', async () => {
    const api = await loadApi(spec);
    const valid = (name: string, value: unknown) => api.validate(name, value).length === 0;
    expect(valid('Contact', { email: 'a@b.c' })).toBe(true);
    expect(valid('Contact', { phone: '1' })).toBe(true);
    expect(valid('Contact', {})).toBe(false);
    expect(valid('Payment', null)).toBe(true);
    expect(valid('Payment', {})).toBe(false);
    expect(valid('Named', { label: 'l' })).toBe(false);
    expect(api.model('Named').fromJSON({ label: 'l' }, { direction: 'request' }).label).toBe('l');
    expect(() => api.model('Named').fromJSON({}, { direction: 'request' })).toThrow();
  });
});
