import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSpec } from './lint-spec.js';

const folder = mkdtempSync(join(tmpdir(), 'macaron-lint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('lint of an x-persist discriminator that is an OpenAPI discriminator', () => {
  it('reports a model the mapping gives no value, or several, at x-persist/discriminator', async () => {
    const spec = join(folder, 'api.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: pets, version: "1" }',
        'paths: {}',
        'components:',
        '  schemas:',
        '    Pet:',
        '      type: object',
        '      required: [id]',
        '      properties: { id: { type: string }, kind: { type: string } }',
        '      oneOf: [{ $ref: "#/components/schemas/Dog" }]',
        '      discriminator:',
        '        propertyName: kind',
        '        mapping: { dog: "#/components/schemas/Dog", hound: "#/components/schemas/Dog" }',
        '      x-persist: { table: pets, key: id, discriminator: kind }',
        '    Animal:',
        '      type: object',
        '      required: [id]',
        '      properties: { id: { type: string }, kind: { type: string } }',
        '      discriminator:',
        '        propertyName: kind',
        '        mapping: { dog: "#/components/schemas/Dog", hound: "#/components/schemas/Dog" }',
        '    Dog:',
        '      allOf: [{ $ref: "#/components/schemas/Animal" }]',
        '      x-persist: { table: dogs, key: id, discriminator: kind }',
        '',
      ].join('\n'),
    );
    const problems = await lintSpec(spec);
    expect(
      problems.map(({ line, rule, pointer, message }) => ({ line, rule, pointer, message })),
    ).toEqual([
      {
        line: 14,
        rule: 'macaron/x-persist',
        pointer: '/components/schemas/Pet/x-persist/discriminator',
        message: expect.stringContaining('gives Pet no value ("dog", "hound" name other schemas)'),
      },
      {
        line: 24,
        rule: 'macaron/x-persist',
        pointer: '/components/schemas/Dog/x-persist/discriminator',
        message: expect.stringContaining('gives Dog several values ("dog", "hound")'),
      },
    ]);
  });
});
