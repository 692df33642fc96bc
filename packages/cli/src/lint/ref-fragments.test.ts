import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSpec } from './lint-spec.js';

const folder = mkdtempSync(join(tmpdir(), 'macaron-lint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("lint of a $ref's fragment with percent-encoding", () => {
  it('reads a bare % as written and %2F as a / within its token, as loadApi and the adapter do: no failure, no problem', async () => {
    const spec = join(folder, 'fragments.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: fragments, version: "1" }',
        'paths:',
        '  /x:',
        '    get:',
        '      operationId: x',
        '      parameters:',
        "        - $ref: '#/components/parameters/100%'",
        "        - $ref: '#/components/parameters/a%2Fb'",
        "      responses: { '200': { description: ok } }",
        'components:',
        '  parameters:',
        "    '100%': { name: n, in: query, schema: { type: integer } }",
        "    'a/b': { name: m, in: query, schema: { type: integer } }",
        '',
      ].join('\n'),
    );
    expect(await lintSpec(spec)).toEqual([]);
  });
});
