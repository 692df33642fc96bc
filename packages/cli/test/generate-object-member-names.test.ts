import { describe, expect, it } from 'vitest';
import { compileUsesOfGeneratedTypes } from './typescript-project.js';

// A model that requires properties named like members of Object (`constructor`, `toString`,
// `hasOwnProperty`, `valueOf`, `__proto__`): its constructor takes part of its values, as
// for any model, though an object that leaves such a property out still has the member,
// inherited (probe 362).
const spec = `openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths: {}
components:
  schemas:
    Proto:
      type: object
      required: [id, constructor, toString, hasOwnProperty, valueOf, __proto__]
      x-persist: { table: protos, key: id, version: valueOf }
      properties:
        id: { type: string }
        constructor: { type: string }
        toString: { type: string }
        hasOwnProperty: { type: integer }
        valueOf: { type: integer }
        __proto__: { type: string }
        note: { type: string }
`;

const uses = [
  "import { loadApi } from '@macaron/core';",
  "import { type Proto, typed } from './api.generated.js';",
  'export async function uses(whole: Proto): Promise<void> {',
  "  const api = typed(await loadApi('api.yaml'));",
  "  const Protos = api.model('Proto');",
  "  const Persisted = api.persistent('Proto');",
  "  const some = { id: 'a' };",
  "  new Protos({ id: 'a' });",
  '  new Protos(some);',
  "  new Protos({ toString: 't', hasOwnProperty: 1 });",
  "  new Persisted({ id: 'a' });",
  '  new Persisted(some);',
  '  new Protos(whole);',
  "  Protos.fromJSON({ id: 'a' }).toString satisfies string;",
  // The version is filled by the write; every other required property is given (a computed
  // `__proto__` key, which makes a property where `__proto__:` would set the prototype).
  "  const values = { id: 'a', constructor: 'c', toString: 't', hasOwnProperty: 1, ['__proto__']: 'p' };",
  '  await Persisted.create(values);',
  '  await Persisted.saveMany([values]);',
  '  // @ts-expect-error a number for a string property named like a member of Object',
  '  new Protos({ toString: 1 });',
  '  // @ts-expect-error a string for an integer property',
  "  new Persisted({ hasOwnProperty: 'h' });",
  '  // @ts-expect-error no such property',
  "  new Protos({ id: 'a', nots: 'n' });",
  '  // @ts-expect-error create() wants the required toString',
  "  await Persisted.create({ id: 'a', constructor: 'c', hasOwnProperty: 1, ['__proto__']: 'p' });",
  '}',
].join('\n');

describe('generate', () => {
  it('types the constructor of a model that requires properties named like members of Object', async () => {
    const compiled = await compileUsesOfGeneratedTypes(spec, uses, {
      declaration: true,
      isolatedDeclarations: true,
    });
    expect(compiled).toEqual({ generated: 0, code: 0, output: '' });
  });
});
