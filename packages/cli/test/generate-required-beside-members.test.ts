import { describe, expect, it } from 'vitest';
import { compileUsesOfGeneratedTypes } from './typescript-project.js';

// `required` beside allOf/oneOf/anyOf, with no `properties` of its own, naming properties the
// members declare (real specs do: influxdata's Authorization, 179 schemas of 23 APIs.guru
// specs): validation requires them, so the types must too (probe 303).
const spec = `openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths: {}
components:
  schemas:
    Base:
      type: object
      properties: { id: { type: string }, n: { type: integer } }
    Item:
      required: [id]
      x-persist: { table: items, key: id }
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties: { extra: { type: string } }
    Either:
      type: object
      required: [a]
      oneOf:
        - properties: { a: { type: string } }
        - properties: { a: { type: integer } }
`;

const uses = [
  "import type { Either, Item, TypedApi } from './api.generated.js';",
  "export const item: Item = { id: 'x', extra: 'e' };",
  'export const either: Either = { a: 1 };',
  'declare const api: TypedApi;',
  "export const created = () => api.persistent('Item').create({ id: 'x' });",
  // The lines after each expected-error comment are what validation refuses too.
  '// @ts-expect-error: id is required',
  "export const noId: Item = { extra: 'e' };",
  '// @ts-expect-error: id is required, and it is the key',
  "export const createdWithoutKey = () => api.persistent('Item').create({ extra: 'e' });",
  '// @ts-expect-error: a is required',
  'export const noA: Either = {};',
  // As for Base alone, a misspelt name stays an excess property: no index signature is added.
  '// @ts-expect-error: extar is no property of Item',
  "export const typo: Item = { id: 'x', extar: 'e' };",
].join('\n');

describe('generate', () => {
  for (const exactOptionalPropertyTypes of [true, false]) {
    it(`requires what required names beside allOf and oneOf members (exactOptionalPropertyTypes: ${exactOptionalPropertyTypes})`, async () => {
      const compiled = await compileUsesOfGeneratedTypes(spec, uses, {
        exactOptionalPropertyTypes,
      });
      expect(compiled).toEqual({ generated: 0, code: 0, output: '' });
    });
  }
});
