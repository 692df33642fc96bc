import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSpec } from './lint-spec.js';

const folder = mkdtempSync(join(tmpdir(), 'macaron-lint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('lint of a spec whose $refs name files by percent-encoded paths', () => {
  it('reads the files (my%20models/user.yaml is my models/user.yaml) and reports in them, at their lines', async () => {
    mkdirSync(join(folder, 'my models'));
    writeFileSync(
      join(folder, 'my models', 'user.yaml'),
      [
        'type: object',
        'required: [id]',
        'x-persist: { table: users, key: nope }',
        'properties:',
        '  id: { type: string }',
        '  home: { $ref: "../caf%C3%A9.yaml" }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(folder, 'café.yaml'),
      ['type: object', 'properties:', '  n: { type: integr }', ''].join('\n'),
    );
    const spec = join(folder, 'api.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: percent, version: "1" }',
        'paths: {}',
        'components:',
        '  schemas:',
        '    User: { $ref: "my%20models/user.yaml" }',
        '',
      ].join('\n'),
    );
    const problems = await lintSpec(spec);
    expect(
      problems.map(({ file, line, rule, pointer }) => ({ file, line, rule, pointer })),
    ).toEqual([
      {
        file: join(folder, 'café.yaml'),
        line: 3,
        rule: 'macaron/schema',
        pointer: '/properties/n/type',
      },
      {
        file: join(folder, 'my models', 'user.yaml'),
        line: 3,
        rule: 'macaron/x-persist',
        pointer: '/x-persist/key',
      },
    ]);
  });
});
