import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSpec } from './lint-spec.js';

const folder = mkdtempSync(join(tmpdir(), 'macaron-lint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("lint of a $ref whose pointer has empty tokens (a name '', RFC 6901)", () => {
  it('finds no problem in one of the root file into itself that names a schema, as loadApi follows it; one naming nothing is still unresolved', async () => {
    const spec = (ref: string) =>
      JSON.stringify({
        openapi: '3.1.0',
        info: { title: 'empty tokens', version: '1' },
        paths: {},
        components: {
          schemas: {
            S: {
              $defs: { '': { $defs: { '': { type: 'number' } } } },
              allOf: [{ $ref: ref }],
            },
          },
        },
      });
    const good = join(folder, 'good.json');
    writeFileSync(good, spec('#/components/schemas/S/$defs//$defs/'));
    // redocly read `…/$defs/$defs`, which names nothing: "Can't resolve $ref".
    expect(await lintSpec(good)).toEqual([]);
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, spec('#/components/schemas/S/$defs//none'));
    expect((await lintSpec(bad)).map(({ rule, severity }) => ({ rule, severity }))).toEqual([
      { rule: 'no-unresolved-refs', severity: 'error' },
    ]);
  });

  it('reports one into another file at its place (the bundler read another schema)', async () => {
    writeFileSync(
      join(folder, 'models.yaml'),
      ['defs:', "  '': { n: { type: integer } }", '  n: { type: string }', ''].join('\n'),
    );
    const spec = join(folder, 'api.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.1.0',
        'info: { title: empty tokens, version: "1" }',
        'paths: {}',
        'components:',
        '  schemas:',
        '    S: { properties: { n: { $ref: "models.yaml#/defs//n" } } }',
        '',
      ].join('\n'),
    );
    expect(await lintSpec(spec)).toEqual([
      expect.objectContaining({
        file: spec,
        line: 6,
        severity: 'error',
        message: expect.stringContaining('has an empty token in its pointer'),
      }),
    ]);
  });

  it('reports one under a property named default, and one in JSON that escapes its slashes, as loadApi refuses them', async () => {
    writeFileSync(
      join(folder, 'models.yaml'),
      ['defs:', "  '': { n: { type: integer } }", '  n: { type: string }', ''].join('\n'),
    );
    const text = (name: string) =>
      JSON.stringify({
        openapi: '3.1.0',
        info: { title: 'empty tokens', version: '1' },
        paths: {},
        components: {
          schemas: { S: { properties: { [name]: { $ref: 'models.yaml#/defs//n' } } } },
        },
      });
    for (const written of [text('default'), text('n').replaceAll('/', '\\/')]) {
      const spec = join(folder, 'named.json');
      writeFileSync(spec, written);
      expect(await lintSpec(spec)).toEqual([
        expect.objectContaining({
          file: spec,
          severity: 'error',
          message: expect.stringContaining('has an empty token in its pointer'),
        }),
      ]);
    }
  });
});
