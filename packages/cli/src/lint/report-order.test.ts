import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSpec } from './lint-spec.js';

const folder = mkdtempSync(join(tmpdir(), 'macaron-lint-order-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("the order of lint's report", () => {
  it("is by file names' code units, whatever the machine's locale (B.yaml, a.yaml, z.yaml, then ä.yaml)", async () => {
    const broken = ['type: object', 'properties:', '  n: { type: integr }', ''].join('\n');
    for (const name of ['a', 'B', 'z', 'ä']) writeFileSync(join(folder, `${name}.yaml`), broken);
    const spec = join(folder, 'api.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: order, version: "1" }',
        'paths: {}',
        'components:',
        '  schemas:',
        ...['z', 'ä', 'a', 'B'].map((name, index) => `    S${index}: { $ref: "${name}.yaml" }`),
        '',
      ].join('\n'),
    );
    const problems = await lintSpec(spec);
    // en-US (this machine's default), de-DE and sv-SE would each give another order.
    expect(problems.map(({ file }) => file)).toEqual(
      ['B', 'a', 'z', 'ä'].map((name) => join(folder, `${name}.yaml`)),
    );
  });

  it("is within a file by line, then column, then the rule's name (two rules at one place)", async () => {
    const spec = join(folder, 'places.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: order, version: "1" }',
        'paths: {}',
        'components:',
        '  schemas:',
        '    Z:',
        '      type: object',
        '      properties:',
        '        n: { type: integr }',
        '    Session:',
        '      type: object',
        '      required: [id]',
        '      x-persist: { table: sessions, key: id, ttl: expiresAtMs }',
        '      properties:',
        '        id: { type: string }',
        '        expiresAtMs: { type: integer, format: int32 }',
        '    A:',
        '      type: object',
        '      properties:',
        '        m: { type: strin }',
        '',
      ].join('\n'),
    );
    const problems = await lintSpec(spec, { preset: 'recommended' });
    expect(problems.map(({ line, column, rule }) => [line, column, rule])).toEqual([
      [1, 1, 'no-empty-servers'],
      [2, 1, 'info-license'],
      [6, 5, 'no-unused-components'],
      [9, 20, 'macaron/schema'],
      [9, 20, 'struct'],
      [10, 5, 'no-unused-components'],
      [16, 22, 'macaron/expiry'],
      [17, 5, 'no-unused-components'],
      [20, 20, 'macaron/schema'],
      [20, 20, 'struct'],
    ]);
  });
});
