import { afterAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';
import { brokenPersistSpec, profilesSpec, unstorableSpec } from './sample-specs.js';

const folder = temporaryFolder({
  'profiles.yaml': profilesSpec,
  // Schemas named like Object.prototype's members: names, not extensions to look up.
  'prototype-names.yaml': `openapi: 3.0.3
info: { title: prototype names, version: 1.0.0 }
paths: {}
components:
  schemas:
    toString: { type: object, properties: { a: { type: string } } }
    constructor: { type: object, properties: { b: { type: string } } }
    hasOwnProperty: { type: string, format: valueOf }
`,
  'broken.yaml': brokenPersistSpec,
  // Parameter defaults as the adapter reads them: a YAML 1.1 "off" on a boolean, a list read
  // item by item, and a client's text of an integer.
  'defaults.yaml': `openapi: 3.0.3
info: { title: defaults, version: 1.0.0 }
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - { name: verbose, in: query, schema: { type: boolean, default: off } }
        - { name: ids, in: query, schema: { type: array, items: { type: integer }, default: [1, x] } }
        - { name: limit, in: query, schema: { type: integer, default: '20' } }
      responses: { '200': { description: ok } }
`,
  // Bounds that leave only integers beyond 2^53, on either side.
  'far-bounds.yaml': `openapi: 3.0.3
info: { title: far bounds, version: 1.0.0 }
paths: {}
components:
  schemas:
    Far:
      type: object
      required: [id]
      x-persist: { table: far, key: id }
      properties:
        id: { type: string }
        above: { type: integer, minimum: 10000000000000000 }
        below: { type: integer, maximum: -10000000000000000 }
        near: { type: integer, minimum: 0, maximum: 9007199254740991 }
        past: { type: integer, minimum: 9007199254740991, exclusiveMinimum: true }
`,
  // The broken schema in a file of its own: bundling makes the named schema a $ref to it.
  'split/root.yaml': `openapi: 3.0.3
info: { title: split, version: 1.0.0 }
paths: {}
components:
  schemas:
    Broken:
      $ref: './broken.yaml'
`,
  'split/broken.yaml': `type: object
x-persist: { table: brk, key: id }
properties:
  id: { type: string }
  save: { type: string }
`,
  // A root document with no components: its operations name schemas of other files, which
  // bundling adds as components of its own.
  'no-components/openapi.yaml': `openapi: 3.0.3
info: { title: no components, version: 1.0.0 }
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: './pet.yaml' } } }
`,
  'no-components/pet.yaml': `type: object
required: [id]
x-persist: { table: pets, key: idx }
properties:
  id: { type: string }
`,
  // One broken x-persist beside what other rules report: none of it hidden by the first.
  'broken-and-more.yaml': `openapi: 3.0.3
info: { title: broken and more, version: 1.0.0 }
paths: {}
components:
  schemas:
    Good:
      type: object
      required: [id]
      x-persist: { table: good, key: id }
      properties:
        id: { type: string }
        toJSON: { type: string }
        e: { type: number, enum: [1e300] }
        r:
          $ref: '#/components/schemas/Other'
          nullable: true
    Other: { type: object, x-parent: foo.Bar }
    Broken:
      type: object
      x-persist: { table: brk, key: id }
      properties:
        id: { type: string }
        save: { type: string }
        big: { type: integer, maximum: 100000000000000000 }
`,
  'unstorable.yaml': unstorableSpec,
  'unstorable-31.json': JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'unstorable 3.1', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'things', key: 'id' },
          properties: { id: { type: 'string' }, kind: { type: 'string' } },
          patternProperties: { '^n_': { type: 'integer', maximum: 1e17 } },
          prefixItems: [{ enum: [1e200] }],
          if: { required: ['kind'] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword, never awaited
          then: { properties: { big: { type: 'integer', format: 'uint64' } } },
          dependentSchemas: { kind: { properties: { huge: { const: 1e-200 } } } },
          unevaluatedProperties: { type: 'integer', minimum: -1e17 },
        },
      },
    },
  }),
  'split/openapi.yaml': `openapi: 3.1.0
info:
  title: split
  version: 1.0.0
  license: { name: MIT, identifier: MIT }
servers:
  - url: https://split.local.test
security: []
paths: {}
components:
  schemas:
    Profile:
      $ref: ./schemas/profile.yaml
`,
  'split/schemas/profile.yaml': `type: object
required: [profile_id]
x-persist:
  table: profiles
  key: profile_id
  sort: created
properties:
  profile_id: { type: string }
  created: { type: boolean }
`,
  'not-yaml.yaml': 'openapi: 3.0.3\ninfo: [unclosed\n',
  'fan-in.json': JSON.stringify(fanInSpec(40)),
  'unresolved.yaml': `openapi: 3.0.3
info: { title: unresolved, version: '1' }
paths: {}
components:
  schemas:
    Profile:
      type: object
      properties:
        address: { $ref: '#/definitions/Address' }
`,
  'not-openapi.yaml': 'info: { title: x, version: "1" }\npaths: {}\n',
  'version-number.yaml': 'openapi: 3.0\ninfo: { title: x, version: "1" }\npaths: {}\n',
  'version-unknown.yaml': 'openapi: "3.3.0"\ninfo: { title: x, version: "1" }\npaths: {}\n',
  // As Azure's specs have it: the discriminator's property allows none of the values that
  // select a variant (its schema names), so every object is refused.
  'refusing-discriminator.yaml': `openapi: 3.0.1
info: { title: alerts, version: 1.0.0 }
paths: {}
components:
  schemas:
    Criteria:
      type: object
      required: [odata.type]
      discriminator: { propertyName: odata.type }
      properties:
        odata.type:
          allOf:
            - { type: string, enum: [Microsoft.Single, Microsoft.Multiple, null], nullable: true }
            - { enum: [Microsoft.Single, null] }
    SingleCriteria:
      allOf: [{ $ref: '#/components/schemas/Criteria' }]
      type: object
      properties: { single: { type: string } }
`,
  'mapping-names.yaml': `openapi: 3.0.3
info: { title: mapping, version: '1' }
paths: {}
components:
  schemas:
    Cat: { type: object, properties: { kind: { type: string } } }
    Dog: { type: object, properties: { kind: { type: string } } }
    Pet:
      oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }]
      discriminator: { propertyName: kind, mapping: { cat: Cat, dog: '#/components/schemas/Dog' } }
    Lost:
      oneOf: [{ $ref: '#/components/schemas/Cat' }]
      discriminator: { propertyName: kind, mapping: { bird: Bird } }
`,
  'inline-persist.yaml': `openapi: 3.0.3
info: { title: inline, version: '1' }
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              x-persist: { table: things, key: id }
              properties: { id: { type: string } }
      responses: { '200': { description: ok } }
`,
  // The path's reference makes the bundler add a component `user`, which `User` then aliases.
  'alias/api.yaml': `openapi: 3.0.3
info: { title: alias, version: '1' }
paths:
  /users/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: './models/user.yaml' } } }
components:
  schemas:
    User:
      $ref: './models/user.yaml'
`,
  'alias/models/user.yaml': `type: object
required: [user_id]
x-persist: { table: users, key: user_id }
properties:
  user_id: { type: string }
`,
});

// Each schema refers to the one before it three times: 3^32 paths within DynamoDB's 32
// levels, which a walk without memory of what it has seen would never finish.
function fanInSpec(count: number) {
  const schemas: Record<string, unknown> = {};
  for (let index = 0; index < count; index++) {
    const previous = { $ref: `#/components/schemas/M${index - 1}` };
    schemas[`M${index}`] = {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string' },
        ...(index > 0 ? { first: previous, second: previous, third: previous } : {}),
      },
      ...(index === count - 1 ? { 'x-persist': { table: 'fan', key: 'id' } } : {}),
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'fan-in', version: '1' },
    paths: {},
    components: { schemas },
  };
}
afterAll(() => folder.remove());

describe('macaron lint', () => {
  it('reports, with the default preset, a reference that resolves nowhere', async () => {
    const run = await runMacaron(['lint', 'unresolved.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('no-unresolved-refs');
  });

  it('warns that x-persist on an inline schema is ignored', async () => {
    const run = await runMacaron(['lint', 'inline-persist.yaml'], { cwd: folder.path });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('x-persist is read on named schemas only');
    expect(run.stdout).toContain('(macaron/pymacaron-extensions)');
  });

  it('warns of a discriminator whose property allows no value that selects a variant', async () => {
    const run = await runMacaron(['lint', 'refusing-discriminator.yaml'], { cwd: folder.path });
    expect(run.code).toBe(0);
    const line = run.stdout
      .split('\n')
      .find((text) => text.includes('(macaron/discriminator-values)'));
    expect(line).toContain('refusing-discriminator.yaml:');
    expect(line).toContain(
      'the discriminator of Criteria selects a variant by the value of odata.type ("Criteria", "SingleCriteria"',
    );
    expect(line).toContain(
      'but its schema allows only "Microsoft.Single", null: every value but null is refused',
    );
  });

  it('takes a discriminator mapping value naming a schema as OpenAPI does, and reports a name no schema has', async () => {
    const run = await runMacaron(['lint', 'mapping-names.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    // Only the value naming no schema (line 13): Cat is the schema Cat, not a file.
    const lines = run.stdout.split('\n').filter((line) => line.includes(' error '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain('mapping-names.yaml:13:');
    expect(run.stdout).toContain('Bird');
  });

  it('sends a compiled spec back to the spec it was compiled from', async () => {
    const compile = await runMacaron(['compile', 'inline-persist.yaml', '-o', 'compiled.json'], {
      cwd: folder.path,
    });
    expect(compile.code).toBe(0);
    const run = await runMacaron(['lint', 'compiled.json'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('lint the spec it was compiled from');
  });

  it('says a file is not an OpenAPI or Swagger document, with exit 1', async () => {
    const run = await runMacaron(['lint', 'not-openapi.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('not an OpenAPI 3.0, 3.1, 3.2 or Swagger 2.0 document');
    expect(run.stderr).not.toContain('unexpected failure');
  });

  it('says an openapi version it does not take is a spec problem (a number, 3.3.0), with exit 1', async () => {
    for (const [file, said] of [
      ['version-number.yaml', 'should be a string'],
      ['version-unknown.yaml', 'Unsupported OpenAPI version: 3.3.0'],
    ] as const) {
      const run = await runMacaron(['lint', file, '--format', 'json'], { cwd: folder.path });
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain('unexpected failure');
      const [problem] = JSON.parse(run.stdout).problems;
      expect(problem).toMatchObject({ rule: 'spec', pointer: '/openapi' });
      expect(problem.message).toContain(said);
    }
  });

  it('lints and generates a spec whose persistent component is a bundled alias', async () => {
    const lint = await runMacaron(['lint', 'alias/api.yaml'], { cwd: folder.path });
    expect(lint).toMatchObject({ code: 0, stderr: '' });
    const generate = await runMacaron(['generate', 'alias/api.yaml', '-o', 'alias/api.ts'], {
      cwd: folder.path,
    });
    expect(generate).toMatchObject({ code: 0, stderr: '' });
    expect(generate.stdout).toContain('1 persistent model');
  });

  it('lints a spec whose schemas are reached by very many paths in moments', async () => {
    const run = await runMacaron(['lint', 'fan-in.json', '--format', 'json'], { cwd: folder.path });
    expect(run.stderr).toBe('');
    // M39 holds M38 … down to M0: values nested past 32 levels, reported, not walked for ever.
    expect(run.stdout).toContain('nesting-depth');
  }, 30_000);

  it("passes schemas named like Object.prototype's members", async () => {
    const run = await runMacaron(['lint', 'prototype-names.yaml'], { cwd: folder.path });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('prototype-names.yaml: no problems\n');
  });

  it('reports parameter defaults their own schema refuses, which the adapter would not serve', async () => {
    const run = await runMacaron(['lint', 'defaults.yaml', '--format', 'json'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(1);
    expect(
      JSON.parse(run.stdout).problems.map(({ pointer, message }: Record<string, string>) => ({
        pointer,
        message: String(message).split(':')[0],
      })),
    ).toEqual([
      {
        pointer: '/paths/~1things/get/parameters/0/schema/default',
        message:
          'the default "off" is not a value of the parameter\'s schema (must be boolean, not string)',
      },
      {
        pointer: '/paths/~1things/get/parameters/1/schema/default',
        message:
          'the default [1,"x"] is not a value of the parameter\'s schema (/1 must be integer, not string)',
      },
    ]);
  });

  it('passes a clean spec with exit 0', async () => {
    const run = await runMacaron(['lint', 'profiles.yaml'], { cwd: folder.path });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('profiles.yaml: no problems\n');
  });

  it('a broken x-persist hides nothing the other rules find, on its own schema too', async () => {
    const run = await runMacaron(['lint', 'broken-and-more.yaml', '--format', 'json'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(1);
    const found = (
      JSON.parse(run.stdout) as { problems: { rule: string; pointer: string }[] }
    ).problems
      .map((problem) => `${problem.rule} ${problem.pointer}`)
      .sort();
    expect(found).toEqual([
      'macaron/int64 /components/schemas/Broken/properties/big',
      'macaron/method-names /components/schemas/Broken/properties/save',
      'macaron/method-names /components/schemas/Good/properties/toJSON',
      'macaron/pymacaron-extensions /components/schemas/Other/x-parent',
      'macaron/ref-siblings /components/schemas/Good/properties/r/nullable',
      'macaron/storable /components/schemas/Good/properties/e',
      'macaron/x-persist /components/schemas/Broken/x-persist/key',
    ]);
  });

  it('reports x-persist problems as file:line:column message (rule), exit 1', async () => {
    const run = await runMacaron(['lint', 'broken.yaml', '--preset', 'recommended'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContain(
      'broken.yaml:17:14 error key property "profile_id" must be required (macaron/x-persist)',
    );
    expect(lines).toContain(
      'broken.yaml:17:14 error key property "profile_id" must not be nullable (macaron/x-persist)',
    );
    expect(lines).toContain(
      'broken.yaml:19:27 error "mail" is not a property of the schema (macaron/x-persist)',
    );
    // redocly's recommended rules run too
    expect(lines).toContain(
      'broken.yaml:12:5 warning Component: "Profile" is never used. (no-unused-components)',
    );
    expect(lines.at(-1)).toBe('broken.yaml: 3 errors, 1 warning');
  });

  it('reports what DynamoDB cannot store: an error, and a warning for integers beyond 2^53', async () => {
    const run = await runMacaron(['lint', 'unstorable.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^unstorable\.yaml:18:16 warning .*format: int64.*\(macaron\/int64\)$/m,
    );
    expect(run.stdout).toMatch(
      /^unstorable\.yaml:19:16 error the allowed value 1e\+200 is above 1e126.*\(macaron\/storable\)$/m,
    );
  });

  it('a broken x-persist in a file of its own hides nothing either', async () => {
    const run = await runMacaron(['lint', 'split/root.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^split\/broken\.yaml:2:\d+ error .*\(macaron\/x-persist\)$/m);
    expect(run.stdout).toMatch(/^split\/broken\.yaml:5:\d+ warning .*\(macaron\/method-names\)$/m);
  });

  it('warns of bounds that leave only integers beyond 2^53, below as above', async () => {
    const run = await runMacaron(['lint', 'far-bounds.yaml', '--format', 'json'], {
      cwd: folder.path,
    });
    const { problems } = JSON.parse(run.stdout) as {
      problems: { rule: string; pointer: string }[];
    };
    expect(
      problems
        .filter((problem) => problem.rule === 'macaron/int64')
        .map((problem) => problem.pointer)
        .sort(),
    ).toEqual([
      '/components/schemas/Far/properties/above',
      '/components/schemas/Far/properties/below',
      '/components/schemas/Far/properties/past',
    ]);
  });

  it('looks under OpenAPI 3.1 keywords too: patterns, tuples, conditions, unevaluated', async () => {
    const run = await runMacaron(['lint', 'unstorable-31.json', '--format', 'json'], {
      cwd: folder.path,
    });
    const { problems } = JSON.parse(run.stdout) as {
      problems: { rule: string; pointer: string }[];
    };
    const pointers = problems
      .filter((problem) => ['macaron/storable', 'macaron/int64'].includes(problem.rule))
      .map((problem) => problem.pointer)
      .sort();
    expect(pointers).toEqual(
      [
        '/components/schemas/Thing/dependentSchemas/kind/properties/huge',
        '/components/schemas/Thing/patternProperties/^n_',
        '/components/schemas/Thing/prefixItems/0',
        '/components/schemas/Thing/then/properties/big',
        '/components/schemas/Thing/unevaluatedProperties',
      ].sort(),
    );
  });

  it('locates problems in the file a $ref leads to', async () => {
    const run = await runMacaron(['lint', 'split/openapi.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'split/schemas/profile.yaml:6:9 error key property "created" must be a string or a number (macaron/x-persist)',
    );
  });

  it('locates problems in a file a $ref leads to from a root document without components', async () => {
    const run = await runMacaron(['lint', 'no-components/openapi.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'no-components/pet.yaml:3:32 error "idx" is not a property of the schema (macaron/x-persist)',
    );
  });

  it('lints every spec given, each with its summary, exit 1 when any has an error', async () => {
    const run = await runMacaron(['lint', 'profiles.yaml', 'broken.yaml', 'prototype-names.yaml'], {
      cwd: folder.path,
    });
    expect(run).toMatchObject({ code: 1, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('profiles.yaml: no problems');
    // broken.yaml's problems, then its summary, between the two clean specs' lines.
    const summary = lines.findIndex((line) => /^broken\.yaml: [1-9]\d* errors?, /.test(line));
    expect(summary).toBe(lines.length - 2);
    expect(lines.slice(1, summary).every((line) => /^broken\.yaml:\d+:\d+ error /.test(line))).toBe(
      true,
    );
    expect(summary).toBeGreaterThan(1);
    expect(lines.at(-1)).toBe('prototype-names.yaml: no problems');
    const clean = await runMacaron(['lint', 'profiles.yaml', 'prototype-names.yaml'], {
      cwd: folder.path,
    });
    expect(clean).toMatchObject({ code: 0, stderr: '' });
    expect(clean.stdout).toBe('profiles.yaml: no problems\nprototype-names.yaml: no problems\n');
  });

  it('lints a spec given twice once (its problems are not counted twice)', async () => {
    const run = await runMacaron(
      ['lint', 'broken.yaml', './broken.yaml', 'broken.yaml', '--format', 'json'],
      { cwd: folder.path },
    );
    const once = await runMacaron(['lint', 'broken.yaml', '--format', 'json'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(once.stdout));
    const text = await runMacaron(['lint', 'profiles.yaml', './profiles.yaml'], {
      cwd: folder.path,
    });
    expect(text).toMatchObject({ code: 0, stdout: 'profiles.yaml: no problems\n' });
  });

  it('reports the problems of every spec given in one JSON report', async () => {
    const run = await runMacaron(['lint', 'broken.yaml', 'split/root.yaml', '--format', 'json'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      problems: { file: string; severity: string }[];
      errors: number;
      warnings: number;
    };
    const files = new Set(report.problems.map((problem) => problem.file));
    expect(files).toEqual(new Set(['broken.yaml', 'split/broken.yaml']));
    const errors = report.problems.filter((problem) => problem.severity === 'error').length;
    expect(report).toMatchObject({ errors, warnings: report.problems.length - errors });
  });

  it('finds every spec given before linting any: a missing one fails the command alone', async () => {
    const run = await runMacaron(['lint', 'profiles.yaml', 'missing.yaml'], { cwd: folder.path });
    expect(run).toMatchObject({
      stdout: '',
      stderr: 'macaron: cannot read missing.yaml: no such file\n',
    });
    expect(run.code).not.toBe(0);
    const empty = await runMacaron(['lint', 'profiles.yaml', ''], { cwd: folder.path });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/not an empty argument/);
  });

  it('prints JSON with --format json', async () => {
    const run = await runMacaron(
      ['lint', 'broken.yaml', '--format', 'json', '--preset', 'recommended'],
      {
        cwd: folder.path,
      },
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ errors: 3, warnings: 1 });
    expect(report.problems).toContainEqual({
      file: 'broken.yaml',
      line: 19,
      column: 27,
      severity: 'error',
      rule: 'macaron/x-persist',
      message: '"mail" is not a property of the schema',
      pointer: '/components/schemas/Profile/x-persist/indexes/byEmail/key',
    });
  });

  it('reports a root file that is not YAML as one problem, not a stack trace', async () => {
    const run = await runMacaron(['lint', 'not-yaml.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      'not-yaml.yaml:3:1 error not valid YAML: deficient indentation (yaml)\nnot-yaml.yaml: 1 error, 0 warnings\n',
    );
    expect(run.stderr).toBe('');
  });
});
