import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { packageDir, temporaryFolder } from './macaron-process.js';
import { brokenPersistSpec, profilesSpec } from './sample-specs.js';

const folder = temporaryFolder({
  'redocly.yaml': `plugins:
  - '@macaron/cli/redocly-plugin'
extends:
  - recommended
  - macaron/recommended
`,
  'broken.yaml': brokenPersistSpec,
  'profiles.yaml': profilesSpec,
});
afterAll(() => folder.remove());
// The project depends on @macaron/cli, as a user's would.
mkdirSync(folder.file('node_modules/@macaron'), { recursive: true });
symlinkSync(packageDir, folder.file('node_modules/@macaron/cli'), 'dir');

/** Lints with redocly's own API and the project's redocly.yaml, in a separate process. */
function redoclyLint(spec: string): Promise<{ rule: string; message: string; line: number }[]> {
  const script = `
    import { getLineColLocation, lint, loadConfig } from '@redocly/openapi-core';
    const config = await loadConfig({ configPath: ${JSON.stringify(folder.file('redocly.yaml'))} });
    const problems = await lint({ ref: ${JSON.stringify(folder.file(spec))}, config });
    console.log(JSON.stringify(problems.map((problem) => ({
      rule: problem.ruleId,
      message: problem.message,
      line: getLineColLocation(problem.location[0]).start.line,
    }))));
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      // From the package's folder, where @redocly/openapi-core is installed.
      { cwd: packageDir, timeout: 50_000 },
      (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(JSON.parse(stdout))),
    );
  });
}

describe('@macaron/cli/redocly-plugin', () => {
  it("adds Macaron's rules to a project's own redocly.yaml", async () => {
    const problems = await redoclyLint('broken.yaml');
    const macaron = problems.filter((problem) => problem.rule.startsWith('macaron/'));
    expect(macaron).toEqual([
      {
        rule: 'macaron/x-persist',
        message: 'key property "profile_id" must be required',
        line: 17,
      },
      {
        rule: 'macaron/x-persist',
        message: 'key property "profile_id" must not be nullable',
        line: 17,
      },
      { rule: 'macaron/x-persist', message: '"mail" is not a property of the schema', line: 19 },
    ]);
  });

  it('finds nothing in a clean spec', async () => {
    expect(await redoclyLint('profiles.yaml')).toEqual([]);
  });
});
