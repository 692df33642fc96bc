import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';
import { profilesSpec } from './sample-specs.js';

const header = 'openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\n';
const folder = temporaryFolder({
  'profiles.yaml': profilesSpec,
  'empty.yaml': '',
  'list.yaml': '- openapi\n',
  'scalar.yaml': 'openapi\n',
  'cycle.yaml': `${header}paths: {}
components:
  schemas:
    A: { $ref: "#/components/schemas/B" }
    B: { $ref: "#/components/schemas/A" }
`,
  'self.yaml': `${header}paths: {}
components:
  schemas:
    A: { type: object, properties: { x: { $ref: "#/components/schemas/A/properties/x" } } }
`,
  'no-schema-refs.yaml': `${header}paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        self: { $ref: "#" }
        x: { $ref: "#/info/title" }
`,
  'percent.yaml': `${header}paths: {}
components:
  schemas:
    Ok:
      type: object
      properties:
        "p q": { type: string }
        "p%20q": { type: string, pattern: '(' }
`,
  'numbers.yaml': `${header}paths: {}
components:
  schemas:
    N:
      type: object
      properties:
        inf: { type: number, maximum: .inf }
        nan: { type: number, multipleOf: .nan }
        big: { type: integer, format: int64, maximum: 9007199254740993 }
        bounds: { type: integer, format: int64, minimum: -9223372036854775808, maximum: 9223372036854775807 }
        double: { type: number, format: double, maximum: 1.7976931348623157e+308, example: 1234567890123456789 }
        plain: { type: number, maximum: 9007199254740993 }
`,
  'tenth.yaml': `${header}paths: {}
components:
  schemas:
    N:
      type: object
      properties:
        tenth: { type: number, minimum: 0.10000000000000000001, multipleOf: 0.30000000000000000001 }
`,
  'headers.yaml': `${header}paths:
  /items:
    parameters:
      - { name: X-Id, in: header, schema: { type: string } }
    get:
      operationId: listItems
      parameters:
        - { name: X-Trace, in: header, required: true, schema: { type: string } }
        - { name: x-trace, in: header, schema: { type: string } }
        - { name: x-id, in: header, schema: { type: string } }
        - { name: Limit, in: query, required: true, schema: { type: string } }
        - { name: limit, in: query, schema: { type: integer } }
      responses: { '204': { description: none } }
`,
  'ref-persist.yaml': `${header}paths: {}
components:
  schemas:
    Base: { type: object, required: [id], properties: { id: { type: string } } }
    User:
      $ref: '#/components/schemas/Base'
      x-persist: { table: users, key: id }
`,
  'pymacaron/macaron.config.json': JSON.stringify({
    compat: 'pymacaron',
    persist: { Item: { table: 'items', key: 'item_id' } },
  }),
  'pymacaron/spec.yaml': `swagger: '2.0'
info: { title: t, version: 1.0.0 }
paths: {}
definitions:
  Item:
    type: object
    x-persist: myserver.db.PersistentItem
    properties: { item_id: { type: string } }
  Thing:
    type: object
    x-persist: { table: things, key: thing_id }
    properties: { thing_id: { type: string } }
`,
  'a-file': 'not a folder\n',
  'a-folder/.keep': '',
});
afterAll(() => folder.remove());

const lint = (...args: string[]) => runMacaron(['lint', ...args], { cwd: folder.path });

describe('macaron lint on broken documents', () => {
  it('reports an empty document, a list or a scalar as a problem, not an unexpected failure', async () => {
    for (const [file, what] of [
      ['empty.yaml', 'empty'],
      ['list.yaml', 'a list'],
      ['scalar.yaml', 'a string'],
    ]) {
      const run = await lint(file!, '--format', 'json');
      expect(run.code, file).toBe(1);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({
        problems: [
          {
            file,
            line: 1,
            column: 1,
            severity: 'error',
            rule: 'spec',
            message: `the document is ${what}: an OpenAPI or Swagger document is an object`,
            pointer: '',
          },
        ],
        errors: 1,
        warnings: 0,
      });
    }
  });

  it('reports a circular $ref at its place', async () => {
    const cycle = await lint('cycle.yaml');
    expect(cycle).toMatchObject({ code: 1, stderr: '' });
    expect(cycle.stdout).toMatch(/^cycle\.yaml:6:\d+ error a \$ref that comes back to itself/);
    const self = await lint('self.yaml', '--format', 'json');
    expect(self).toMatchObject({ code: 1, stderr: '' });
    expect(JSON.parse(self.stdout).problems[0]).toMatchObject({
      line: 6,
      rule: 'spec',
      pointer: '/components/schemas/A/properties/x/$ref',
    });
  });
});

describe('macaron lint', () => {
  it('reports a $ref to no schema at the $ref, not at what it names', async () => {
    const run = await lint('no-schema-refs.yaml', '--format', 'json');
    expect(run).toMatchObject({ code: 1, stderr: '' });
    const problems = JSON.parse(run.stdout).problems as { line: number; pointer: string }[];
    expect(problems.map(({ line, pointer }) => ({ line, pointer }))).toEqual([
      { line: 9, pointer: '/components/schemas/A/properties/self/$ref' },
      { line: 10, pointer: '/components/schemas/A/properties/x/$ref' },
    ]);
  });

  it('locates and names a property whose name holds %', async () => {
    const run = await lint('percent.yaml', '--format', 'json');
    expect(JSON.parse(run.stdout).problems).toEqual([
      expect.objectContaining({
        line: 10,
        rule: 'macaron/schema',
        pointer: '/components/schemas/Ok/properties/p%20q/pattern',
      }),
    ]);
  });

  it('reports .nan and .inf (errors); not integers beyond 2^53, which Macaron reads as written', async () => {
    const run = await lint('numbers.yaml', '--format', 'json');
    expect(run.code).toBe(1);
    const problems = JSON.parse(run.stdout).problems as Record<string, unknown>[];
    expect(
      problems.map(({ line, severity, rule, pointer }) => [line, severity, rule, pointer]),
    ).toEqual([
      [9, 'error', 'macaron/schema', '/components/schemas/N/properties/inf/maximum'],
      [10, 'error', 'macaron/schema', '/components/schemas/N/properties/nan/multipleOf'],
      // Not reported: 2^53 + 1, -2^63 and 2^63 - 1, which Macaron reads as written; a
      // double's spelling (Double.MAX_VALUE) means that double; examples are never validated
      // with.
    ]);
    expect(problems[0]!.message).toMatch(/^\.inf is no number JSON can hold/);
  });

  it('reports a decimal with more digits than a number holds where it is no bound, which loading and compile refuse', async () => {
    const run = await lint('tenth.yaml', '--format', 'json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).problems).toEqual([
      expect.objectContaining({
        line: 9,
        severity: 'error',
        rule: 'macaron/schema',
        pointer: '/components/schemas/N/properties/tenth/multipleOf',
        message: expect.stringMatching(
          /^0\.30000000000000000001 has more significant digits than a number holds: /,
        ),
      }),
    ]);
    const compiled = await runMacaron(['compile', 'tenth.yaml', '-o', 'tenth.json'], {
      cwd: folder.path,
    });
    expect(compiled.code).toBe(1);
    expect(compiled.stderr).toMatch(
      /tenth\/multipleOf 0\.30000000000000000001 has more significant/,
    );
  });

  it('reports header parameters of one list whose names differ only in case', async () => {
    const run = await lint('headers.yaml', '--format', 'json');
    expect(run.code).toBe(1);
    // x-id overrides the path's X-Id: no problem; Limit and limit are two query parameters.
    expect(JSON.parse(run.stdout).problems).toEqual([
      expect.objectContaining({
        line: 11,
        severity: 'error',
        rule: 'macaron/parameter-names',
        pointer: '/paths/~1items/get/parameters/1',
        message:
          'header parameters "X-Trace" and "x-trace" differ only in case: header names are case-insensitive, so they are one header; keep one',
      }),
    ]);
  });

  it('warns of x-persist beside a $ref before OpenAPI 3.1, where it is', async () => {
    const run = await lint('ref-persist.yaml');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^ref-persist\.yaml:9:18 warning x-persist beside \$ref is ignored before OpenAPI 3\.1: write allOf: \[\{ \$ref: "#\/components\/schemas\/Base" \}\] beside it \(macaron\/ref-siblings\)$/m,
    );
  });
});

describe('macaron generate', () => {
  it('merges header parameters by lowercased name, and keeps query names as they are', async () => {
    const run = await runMacaron(['generate', 'headers.yaml', '-o', 'headers.generated.ts'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    const text = readFileSync(folder.file('headers.generated.ts'), 'utf8');
    expect(text).toContain('query: { Limit: string; limit?: number };');
    expect(text).toContain("headers: { 'x-id'?: string; 'x-trace'?: string };");
  });
});

describe('macaron compile', () => {
  it('refuses .nan and .inf, which JSON would write as null', async () => {
    const run = await runMacaron(['compile', 'numbers.yaml', '-o', 'numbers.json'], {
      cwd: folder.path,
    });
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(
      'macaron: numbers.yaml cannot be compiled: #/components/schemas/N/properties/inf/maximum is .inf, which JSON cannot hold (run macaron lint numbers.yaml)\n',
    );
  });

  it('reads macaron.config.json, as the other commands do', async () => {
    const cwd = folder.file('pymacaron');
    const run = await runMacaron(['compile', 'spec.yaml', '-o', 'api.json'], { cwd });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const named = await runMacaron(
      [
        'compile',
        'pymacaron/spec.yaml',
        '-o',
        'api.json',
        '--macaron-config',
        'pymacaron/macaron.config.json',
      ],
      { cwd: folder.path },
    );
    expect(named).toMatchObject({ code: 0, stderr: '' });
    const without = await runMacaron(['compile', 'pymacaron/spec.yaml', '-o', 'api.json'], {
      cwd: folder.path,
    });
    expect(without.code).toBe(1);
  });
});

describe('macaron usage and output files', () => {
  it('says in one line that -o names a folder, or a path under a file', async () => {
    for (const [command, output] of [
      ['compile', 'a-folder'],
      ['generate', 'a-folder'],
      ['compile', 'a-file/api.json'],
      ['generate', 'a-file/types.ts'],
    ]) {
      const run = await runMacaron([command!, 'profiles.yaml', '-o', output!], {
        cwd: folder.path,
      });
      expect(run.code, `${command} ${output}`).toBe(1);
      expect(run.stderr).toMatch(
        output === 'a-folder'
          ? /^macaron: cannot write a-folder: it is a directory, not a file\n$/
          : /^macaron: cannot write a-file\/\S+: a part of its path is a file, not a directory\n$/,
      );
    }
  });

  it('says a spec path naming a folder or a device is one, not a spec file', async () => {
    for (const [path, what] of [
      ['a-folder', 'a directory'],
      ['/dev/null', 'a pipe or a device'],
    ]) {
      const run = await runMacaron(['lint', path!], { cwd: folder.path });
      expect(run).toMatchObject({
        code: 1,
        stderr: `macaron: cannot read ${path}: it is ${what}, not a spec file\n`,
      });
    }
  });

  it('exits 2 for tables without a subcommand, listing them', async () => {
    const run = await runMacaron(['tables'], { cwd: folder.path });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('macaron tables <plan|create|delete|export>');
  });

  it('exits 1 for a --config that is missing or a folder, as for a spec file', async () => {
    const missing = await lint('profiles.yaml', '--config', 'missing.yaml');
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'macaron: cannot read missing.yaml: no such file\n',
    });
    const folderConfig = await lint('profiles.yaml', '--config', 'a-folder');
    expect(folderConfig.code).toBe(1);
    expect(folderConfig.stderr).toMatch(/^macaron: cannot read .*a-folder: it is a directory/);
  });
});

describe('probe p9', () => {
  const p9 = temporaryFolder({
    'ext.yaml': `${header}paths: {}
components:
  schemas:
    P: { $ref: "sub dir/p.yaml" }
    Q: { $ref: "sub%20dir/p.yaml#/properties/inner" }
`,
    'ext-broken.yaml': `${header}paths: {}
components:
  schemas:
    P: { $ref: "sub dir/b.yaml" }
    Q: { $ref: "sub%20dir/b.yaml#/properties/broken" }
`,
    'sub dir/p.yaml': `type: object
properties:
  inner:
    type: object
    required: [z]
    x-persist: { table: qtab, key: z }
    properties: { z: { type: string } }
`,
    'sub dir/b.yaml': `type: object
properties:
  broken:
    type: object
    x-persist: { table: btab, key: z }
    properties: { z: { type: string } }
`,
    'twice.yaml': `${header}paths: {}
components:
  schemas:
    A: { $ref: "d/x.yaml" }
    B: { type: object, properties: { y: { $ref: "d/x.yaml#/properties/z" } } }
`,
    'd/x.yaml': `type: object
properties:
  toJSON: { type: string }
  z: { type: string, pattern: "^\\\\p{Print}+$" }
`,
    'circ.yaml': `${header}paths: {}
components:
  schemas:
    A: { $ref: "a.yaml" }
`,
    'a.yaml': '$ref: "./b.yaml"\n',
    'b.yaml': '\n$ref: "./a.yaml"\n',
  });
  afterAll(() => p9.remove());
  const inP9 = (...args: string[]) => runMacaron(args, { cwd: p9.path });

  it('lint reads an x-persist reached as a named schema through a $ref into another file as loadApi does', async () => {
    const clean = await inP9('lint', 'ext.yaml');
    expect(clean).toMatchObject({ code: 0, stdout: 'ext.yaml: no problems\n' });
    const exported = await inP9('tables', 'export', 'ext.yaml', '--format', 'json');
    expect(exported.stdout).toContain('"TableName": "qtab"');
    const broken = await inP9('lint', 'ext-broken.yaml');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/key property "z" must be required \(macaron\/x-persist\)/);
    expect(broken.stdout).not.toContain('ignored');
  });

  it('lint reports a problem of a file two schemas reach once', async () => {
    const run = await inP9('lint', 'twice.yaml', '--format', 'json');
    const { problems, errors, warnings } = JSON.parse(run.stdout) as {
      problems: { file: string; rule: string; pointer: string }[];
      errors: number;
      warnings: number;
    };
    expect(problems.map(({ file, rule, pointer }) => `${file} ${rule} ${pointer}`)).toEqual([
      'd/x.yaml macaron/method-names /properties/toJSON',
      'd/x.yaml macaron/schema /properties/z/pattern',
    ]);
    expect({ errors, warnings }).toEqual({ errors: 1, warnings: 1 });
  });

  it('lint locates a circular $ref through other files in the file that holds it', async () => {
    const run = await inP9('lint', 'circ.yaml', '--format', 'json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).problems).toMatchObject([
      { file: 'a.yaml', line: 1, pointer: '/$ref', rule: 'spec' },
    ]);
  });

  it("an empty spec path is wrong usage, and help <command> prints that command's help", async () => {
    const empty = await inP9('lint', '');
    expect(empty).toMatchObject({ code: 2, stdout: '' });
    expect(empty.stderr).toBe(
      'macaron: macaron lint needs <spec...>, not an empty argument (see macaron lint --help)\n',
    );
    const help = await inP9('help', 'lint');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toBe((await inP9('lint', '--help')).stdout);
    expect(help.stdout).toMatch(/^Usage: macaron lint <spec\.\.\.>/);
    expect((await inP9('help', 'tables', 'plan')).stdout).toMatch(/^Usage: macaron tables plan/);
    expect((await inP9('help', 'tables')).stdout).toMatch(/^Usage: macaron tables </);
    expect(await inP9('help', 'nope')).toMatchObject({
      code: 2,
      stderr: 'macaron: unknown command "nope" (see macaron --help)\n',
    });
    // Help about help is the main help, as before `help <command>` existed.
    const main = (await inP9('--help')).stdout;
    for (const flag of ['-h', '--help'])
      expect(await inP9('help', flag)).toMatchObject({ code: 0, stdout: main, stderr: '' });
  });
});
