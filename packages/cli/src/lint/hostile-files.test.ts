import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMacaron } from '../../test/macaron-process.js';
import { lintSpec } from './lint-spec.js';

const folder = mkdtempSync(join(tmpdir(), 'macaron-hostile-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// a0 is 10 values; each next anchor is a list of 10 aliases of the one before: a8 stands for
// 10^9 values, in 1 KB of YAML.
const bomb = [
  'x-bomb:',
  '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
  ...Array.from(
    { length: 8 },
    (_, at) => `  a${at + 1}: &a${at + 1} [${Array(10).fill(`*a${at}`).join(', ')}]`,
  ),
].join('\n');

// A spec whose persisted schema Note has a property written by a $ref to `target`.
const api = (target: string) =>
  [
    'openapi: 3.0.3',
    'info: { title: notes, version: "1" }',
    'paths: {}',
    'components:',
    '  schemas:',
    '    Note:',
    '      type: object',
    '      x-persist: { table: notes, key: id }',
    '      required: [id]',
    '      properties:',
    '        id: { type: string }',
    `        body: { $ref: "${target}" }`,
    '',
  ].join('\n');

function specFolder(name: string, files: Record<string, string | Buffer>): string {
  const directory = join(folder, name);
  mkdirSync(directory, { recursive: true });
  for (const [file, content] of Object.entries(files))
    writeFileSync(join(directory, file), content);
  return directory;
}

// The problems lint finds in the spec: nothing expanded, nothing waited for (before, each
// took minutes or for ever: the test's timeout fails that; the messages say what was refused).
async function lintFast(file: string) {
  const problems = await lintSpec(file);
  return problems.map(({ file, line, column, rule, message }) => ({
    file,
    line,
    column,
    rule,
    message,
  }));
}

describe('lint refuses a spec file that would cost it too much, at once, at its place', () => {
  it('YAML aliases that repeat 10^9 values, in a file a $ref names (redocly walked them all: minutes)', async () => {
    const directory = specFolder('bomb', {
      'api.yaml': api('body.yaml'),
      'body.yaml': `type: string\n${bomb}\nx-note: *a8\n`,
    });
    expect(await lintFast(join(directory, 'api.yaml'))).toEqual([
      {
        file: join(directory, 'body.yaml'),
        // a7's sixth alias, where the repetition passes the 128 MiB a spec file may have.
        line: 10,
        column: 38,
        rule: 'spec',
        message: expect.stringContaining('its YAML aliases (*name) repeat so much that'),
      },
    ]);
  });

  it('a $ref to a FIFO no one writes to (read, it waited for ever)', async () => {
    const directory = specFolder('fifo', { 'api.yaml': api('body.yaml') });
    execFileSync('mkfifo', [join(directory, 'body.yaml')]);
    expect(await lintFast(join(directory, 'api.yaml'))).toEqual([
      expect.objectContaining({
        file: join(directory, 'api.yaml'),
        line: 12,
        message: `Can't resolve $ref: ${join(directory, 'body.yaml')} is a FIFO (named pipe), not a file: a spec and the files its $refs name are read from regular files`,
      }),
    ]);
  });

  it('a $ref by a file: URL of another machine (lint fetched it, and said "fetch failed")', async () => {
    const directory = specFolder('remote-file', {
      'api.yaml': api('file://otherhost/specs/body.yaml'),
    });
    expect(await lintFast(join(directory, 'api.yaml'))).toEqual([
      expect.objectContaining({
        file: join(directory, 'api.yaml'),
        line: 12,
        message:
          "Can't resolve $ref: file://otherhost/specs/body.yaml names a file on another machine (host otherhost): a file: URL is read on this machine only (file:///path, or file://localhost/path)",
      }),
    ]);
  });

  it('a spec that is not UTF-8 (read, each such byte was a U+FFFD, silently)', async () => {
    const directory = specFolder('latin1', {
      'api.yaml': Buffer.from(`# caf\u00e9\n${api('#/components/schemas/Text')}`, 'latin1'),
    });
    const file = join(directory, 'api.yaml');
    expect(await lintFast(file)).toEqual([
      expect.objectContaining({
        file,
        rule: 'spec',
        message: `${file} is not valid UTF-8 at line 1, column 6 (byte 0xE9): a spec is written in UTF-8 (or UTF-16); save it so`,
      }),
    ]);
  });

  it('a value a YAML tag makes that JSON has not (!!binary, compiled as {"0": 104, …}, silently), with its pointer', async () => {
    const directory = specFolder('tags', {
      'api.yaml': api('body.yaml'),
      'body.yaml': 'type: object\nproperties: { mode: { type: string, default: !!binary aGk= } }\n',
    });
    const [problem] = await lintSpec(join(directory, 'api.yaml'));
    expect(problem).toMatchObject({
      file: join(directory, 'body.yaml'),
      rule: 'spec',
      pointer: '/properties/mode/default',
      message: expect.stringContaining("is binary data (YAML's !!binary)"),
    });
  });

  it('generate and tables export say so and exit 1', async () => {
    const directory = specFolder('commands', {
      'api.yaml': api('body.yaml'),
      'body.yaml': `type: string\n${bomb}\nx-note: *a8\n`,
    });
    const runs = await Promise.all(
      [
        ['generate', 'api.yaml', '-o', 'api.ts'],
        ['tables', 'export', 'api.yaml'],
      ].map((args) => runMacaron(args, { cwd: directory })),
    );
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'macaron: api.yaml has errors: body.yaml#/x-bomb/a7/5 its YAML aliases (*name) repeat so much that',
      );
    }
  });
});
