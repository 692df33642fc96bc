import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { createConfig, lint } from '@redocly/openapi-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createMacaronPlugin, type SpecFinding } from '../src/redocly-plugin.js';
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
  return runScript(`
    import { getLineColLocation, lint, loadConfig } from '@redocly/openapi-core';
    const config = await loadConfig({ configPath: ${JSON.stringify(folder.file('redocly.yaml'))} });
    const problems = await lint({ ref: ${JSON.stringify(folder.file(spec))}, config });
    console.log(JSON.stringify(problems.map((problem) => ({
      rule: problem.ruleId,
      message: problem.message,
      line: getLineColLocation(problem.location[0]).start.line,
    }))));
  `);
}

/** Runs an ES module script in a separate process; resolves to the JSON it prints. */
function runScript<T>(script: string): Promise<T> {
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

  it('reads the literals of a file saved with a byte order mark as written (redocly keeps the mark)', async () => {
    const spec = [
      'openapi: 3.0.3',
      'info: { title: codes, version: "1" }',
      'paths: {}',
      'components:',
      '  schemas:',
      '    Code:',
      '      type: object',
      '      properties:',
      '        mode: { type: integer, default: 0755, minimum: 010 }',
      '        big: { type: integer, format: int64, maximum: 9007199254740993 }',
      '',
    ].join('\n');
    folder.write('codes.yaml', spec);
    folder.write('codes-bom.yaml', `\uFEFF${spec.replaceAll('\n', '\r\n')}`);
    const literals = async (file: string) =>
      (await redoclyLint(file))
        .filter(({ rule }) => rule === 'macaron/yaml-1-1' || rule === 'macaron/int64')
        .map(({ rule, message }) => [rule, message.split(' ').slice(0, 5).join(' ')]);
    const written = await literals('codes.yaml');
    // 9007199254740993 is no finding: Macaron reads it as written.
    expect(written).toEqual([
      ['macaron/yaml-1-1', '010 is 10 in YAML'],
      ['macaron/yaml-1-1', '0755 is 755 in YAML'],
    ]);
    expect(await literals('codes-bom.yaml')).toEqual(written);
  });

  it('reports keys and tagged literals YAML 1.1 read otherwise, and nothing in comments, quotes, block scalars or examples', async () => {
    folder.write(
      'keys.yaml',
      [
        'openapi: 3.0.3',
        'info: { title: keys, version: "1" }',
        'paths: {}',
        'components:',
        '  schemas:',
        '    Code:',
        '      type: object',
        '      description: |',
        '        minimum: 010 in a block scalar, and !!int 09',
        '      properties:',
        '        010: { type: string } # 011 in a comment, and !!int 09',
        '        mode: { type: integer, maximum: !!int 012, minimum: "013 !!int 09" }',
        '        other: { type: integer, example: 014 }',
        '        more:',
        '          type: integer',
        '          example:',
        '            !!int 09',
        '          maximum: !!int 08',
        '',
      ].join('\n'),
    );
    const found = (await redoclyLint('keys.yaml'))
      .filter(({ rule }) => rule === 'macaron/yaml-1-1')
      .map(({ message, line }) => [line, message.split(' ').slice(0, 5).join(' ')]);
    // `!!int 08` is read from the text (the parser that locates problems cannot read it): not
    // the `!!int 09` of a comment, a quoted text, a block scalar or an example.
    expect(found).toEqual([
      [11, 'the key 010 is "10"'],
      [12, '!!int 012 is 12 in'],
      [18, '!!int 08 is 8 in'],
    ]);
  });

  it('lints a file again as it is now, in a process that lints on (an editor, a test suite)', async () => {
    // One config, so one plugin, for every lint: the same path broken, fixed, broken again.
    const edited = folder.file('edited.yaml');
    const runs = await runScript<string[][]>(`
      import { writeFileSync } from 'node:fs';
      import { lint, loadConfig } from '@redocly/openapi-core';
      const config = await loadConfig({ configPath: ${JSON.stringify(folder.file('redocly.yaml'))} });
      const runs = [];
      for (const text of ${JSON.stringify([brokenPersistSpec, profilesSpec, brokenPersistSpec])}) {
        writeFileSync(${JSON.stringify(edited)}, text);
        const problems = await lint({ ref: ${JSON.stringify(edited)}, config });
        runs.push(problems.map((problem) => problem.ruleId).filter((rule) => rule.startsWith('macaron/')));
      }
      console.log(JSON.stringify(runs));
    `);
    const broken = ['macaron/x-persist', 'macaron/x-persist', 'macaron/x-persist'];
    expect(runs).toEqual([broken, [], broken]);
  });

  it('computes the findings once per lint of a document, and keeps none by path', async () => {
    const computed: string[] = [];
    const plugin = createMacaronPlugin({
      findings: (absoluteRef): readonly SpecFinding[] => {
        computed.push(absoluteRef);
        return [];
      },
    });
    const config = await createConfig({ extends: ['macaron/all'], plugins: [plugin] });
    const spec = folder.file('profiles.yaml');
    await lint({ ref: spec, config });
    // Every rule of the plugin read the same findings: computed once.
    expect(computed).toEqual([spec]);
    // Linted again (the file may have changed since): computed again, not the first run's.
    await lint({ ref: spec, config });
    expect(computed).toEqual([spec, spec]);
  });
});
