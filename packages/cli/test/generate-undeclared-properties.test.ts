import { describe, expect, it } from 'vitest';
import { compileUsesOfGeneratedTypes } from './typescript-project.js';

// Properties validation takes or requires though `properties` does not name them: the types
// must admit and require them as well.
const spec = `openapi: 3.1.0
info: { title: t, version: 1.0.0 }
paths: {}
components:
  schemas:
    Pat:
      type: object
      properties: { a: { type: string }, toString: { type: string } }
      patternProperties: { "^x-": { type: integer } }
      additionalProperties: false
    PatOnly:
      type: object
      patternProperties: { "^x-": { type: string } }
      additionalProperties: false
    PatRequired:
      type: object
      required: [a]
      properties: { a: { type: string } }
      patternProperties: { "^x-": { type: boolean } }
      additionalProperties: false
    Undeclared:
      type: object
      required: [b]
      properties: { a: { type: string } }
    UndeclaredMap:
      type: object
      required: [b]
      additionalProperties: { type: string }
`;

const uses = [
  "import type { Pat, PatOnly, PatRequired, Undeclared, UndeclaredMap } from './api.generated.js';",
  "export const patOnly: PatOnly = { 'x-b': 'y' };",
  "export const pat: Pat = { a: 'x', 'x-b': 1 };",
  "export const patRequired: PatRequired = { a: 'x', 'x-b': true };",
  "export const undeclared: Undeclared = { a: 'x', b: 1 };",
  "export const undeclaredMap: UndeclaredMap = { b: 'y', c: 'z' };",
  // The lines after each expected-error comment are what validation refuses too.
  '// @ts-expect-error: b is required',
  "export const missing: Undeclared = { a: 'x' };",
  '// @ts-expect-error: b is required',
  'export const missingInMap: UndeclaredMap = {};',
  '// @ts-expect-error: a boolean pattern',
  "export const wrongPattern: PatRequired = { a: 'x', 'x-b': 1 };",
  // A pattern that is a literal prefix leaves other names excess properties, as validation does.
  '// @ts-expect-error: titel is no property, and matches no pattern',
  "export const typo: Pat = { a: 'x', titel: 'y' };",
  '// @ts-expect-error: keyof names the properties and the prefix only',
  "export const key: keyof Pat = 'anything';",
  // Without named properties as well: the prefix alone, not any name.
  '// @ts-expect-error: y matches no pattern',
  "export const typoOnly: PatOnly = { y: 'z' };",
].join('\n');

describe('generate', () => {
  for (const exactOptionalPropertyTypes of [true, false]) {
    it(`types patterned and undeclared required properties as validation takes them (exactOptionalPropertyTypes: ${exactOptionalPropertyTypes})`, async () => {
      const compiled = await compileUsesOfGeneratedTypes(spec, uses, {
        exactOptionalPropertyTypes,
      });
      expect(compiled).toEqual({ generated: 0, code: 0, output: '' });
    });
  }
});
