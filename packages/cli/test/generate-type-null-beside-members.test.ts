import { describe, expect, it } from 'vitest';
import { compileUsesOfGeneratedTypes } from './typescript-project.js';

// `type: 'null'` beside oneOf/anyOf (vercel.com's spec, 17 schemas): validation checks the
// value against both, so no string or number passes (and null only where a member takes it);
// the type must not offer the members' values; nor a property whose schema is `false` any
// value (probe 303).
const spec = `openapi: 3.1.0
info: { title: t, version: 1.0.0 }
paths: {}
components:
  schemas:
    Namespace:
      type: object
      properties:
        id: { type: "null", oneOf: [{ type: string }, { type: number }] }
        either: { type: "null", anyOf: [{ type: string }, { type: "null" }] }
    Closed:
      type: object
      properties: { a: { type: string }, gone: false }
`;

const uses = [
  "import type { Closed, Namespace } from './api.generated.js';",
  "export const closed: Closed = { a: 'x' };",
  'export const empty: Namespace = {};',
  'export const nullEither: Namespace = { either: null };',
  // The lines after each expected-error comment are what validation refuses too.
  '// @ts-expect-error: a string is not null',
  "export const text: Namespace = { id: 'x' };",
  '// @ts-expect-error: a number is not null',
  'export const number: Namespace = { id: 1 };',
  '// @ts-expect-error: null matches neither member',
  'export const nullId: Namespace = { id: null };',
  '// @ts-expect-error: a string is not null',
  "export const textEither: Namespace = { either: 'x' };",
  '// @ts-expect-error: the schema false takes no value',
  'export const gone: Closed = { gone: 1 };',
].join('\n');

describe('generate', () => {
  it('types type: null beside members as validation reads it', async () => {
    const compiled = await compileUsesOfGeneratedTypes(spec, uses);
    expect(compiled).toEqual({ generated: 0, code: 0, output: '' });
  });
});
