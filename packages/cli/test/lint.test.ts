import { afterAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';
import { brokenPersistSpec, profilesSpec, unstorableSpec } from './sample-specs.js';

const folder = temporaryFolder({
  'profiles.yaml': profilesSpec,
  'broken.yaml': brokenPersistSpec,
  'unstorable.yaml': unstorableSpec,
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
});
afterAll(() => folder.remove());

describe('macaron lint', () => {
  it('passes a clean spec with exit 0', async () => {
    const run = await runMacaron(['lint', 'profiles.yaml'], { cwd: folder.path });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('profiles.yaml: no problems\n');
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

  it('locates problems in the file a $ref leads to', async () => {
    const run = await runMacaron(['lint', 'split/openapi.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'split/schemas/profile.yaml:6:9 error key property "created" must be a string or a number (macaron/x-persist)',
    );
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
