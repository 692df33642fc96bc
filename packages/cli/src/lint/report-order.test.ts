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
});
