// The TypeScript range the root README documents, checked at both ends: a consumer project
// with the README's tsconfig.json imports every entry point of the published packages this
// package depends on, and uses their main APIs. Then a CommonJS project with TypeScript's
// default resolution for it (`module: commonjs`, node10), which reads no `exports` map: the
// packages' `types` and `typesVersions` serve it, and Node.js requires the ES modules.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentedTsconfig } from '../src/documented-tsconfig.js';
import { harnessRoot, repositoryRoot } from '../src/repository.js';

// devDependencies of this package, as npm aliases: typescript-lowest, typescript-highest.
const compilers = [
  { end: 'lowest', module: 'typescript-lowest' },
  { end: 'highest', module: 'typescript-highest' },
] as const;

function documentedRange(): { lowest: string; highest: string } {
  const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
  const range = /supported with TypeScript (\d+\.\d+) to (\d+\.\d+)/.exec(readme);
  if (!range) throw new Error('README.md no longer says "supported with TypeScript X.Y to X.Y"');
  return { lowest: range[1]!, highest: range[2]! };
}

function compilerVersion(module: string): string {
  const manifest = join(harnessRoot, 'node_modules', module, 'package.json');
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

/** `import * as` of every entry point that package.json exports, for each public package. */
function entryPointImports(): string {
  const ownManifest = JSON.parse(readFileSync(join(harnessRoot, 'package.json'), 'utf8'));
  const lines: string[] = [];
  for (const name of Object.keys(ownManifest.dependencies).filter((dependency) =>
    dependency.startsWith('@macaron/'),
  )) {
    const manifest = JSON.parse(
      readFileSync(join(harnessRoot, 'node_modules', name, 'package.json'), 'utf8'),
    );
    for (const subpath of Object.keys(manifest.exports ?? { '.': {} })) {
      if (subpath.endsWith('.json')) continue;
      const specifier = `${manifest.name}${subpath.slice(1)}`;
      lines.push(`import * as entry${lines.length} from '${specifier}';`);
    }
  }
  lines.push(`console.log(${lines.map((_, index) => `entry${index}`).join(', ')});`);
  return `${lines.join('\n')}\n`;
}

function consumerProject(
  end: string,
  extraFile?: { name: string; text: string },
  commonJs = false,
): string {
  const directory = join(harnessRoot, '.scratch', `typescript-${end}`);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(join(directory, 'src'), { recursive: true });
  writeFileSync(
    join(directory, 'package.json'),
    commonJs ? '{ "private": true }\n' : '{ "private": true, "type": "module" }\n',
  );
  const tsconfig = { ...documentedTsconfig(), include: ['src'] };
  tsconfig.compilerOptions = commonJs
    ? {
        target: 'ES2022',
        module: 'commonjs',
        strict: true,
        esModuleInterop: true,
        types: ['node'],
        skipLibCheck: true,
        outDir: 'out',
      }
    : { ...tsconfig.compilerOptions, noEmit: true };
  writeFileSync(join(directory, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  writeFileSync(join(directory, 'src', 'entry-points.ts'), entryPointImports());
  cpSync(join(harnessRoot, 'fixtures-consumer'), join(directory, 'src'), { recursive: true });
  if (extraFile) writeFileSync(join(directory, 'src', extraFile.name), extraFile.text);
  return directory;
}

function typeCheck(module: string, project: string) {
  const tsc = join(harnessRoot, 'node_modules', module, 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the documented TypeScript range', () => {
  it('is the range of the compilers tested here', () => {
    const range = documentedRange();
    expect(compilerVersion('typescript-lowest')).toMatch(new RegExp(`^${range.lowest}\\.`));
    expect(compilerVersion('typescript-highest')).toMatch(new RegExp(`^${range.highest}\\.`));
  });

  for (const { end, module } of compilers) {
    it(`type-checks a consumer of the built packages with the ${end} TypeScript`, () => {
      const result = typeCheck(module, consumerProject(end));
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    }, 120_000);
  }

  describe('a CommonJS project with node10 resolution', () => {
    const run = {
      name: 'run.ts',
      text: [
        "import { loadApi } from '@macaron/core';",
        "import { createMemoryBackend } from '@macaron/backend-memory';",
        "import type { StorageBackend } from '@macaron/core/backend';",
        'const schema = {',
        "  type: 'object', required: ['id'], 'x-persist': { table: 'things', key: 'id' },",
        "  properties: { id: { type: 'string' }, n: { type: 'integer' } },",
        '};',
        'async function main(): Promise<void> {',
        '  const backend: StorageBackend = createMemoryBackend();',
        '  const api = await loadApi(',
        "    { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, components: { schemas: { Thing: schema } } },",
        '    { backend },',
        '  );',
        "  const Things = api.persistent<{ id: string; n?: number }>('Thing');",
        "  await new Things({ id: 'a', n: 1 }).save();",
        "  console.log(JSON.stringify(await Things.load('a')));",
        '}',
        'void main();',
        '',
      ].join('\n'),
    };

    for (const { end, module } of [
      { end: 'lowest', module: 'typescript-lowest' },
      // TypeScript 6 deprecates node10 resolution and 7 removes it.
      { end: 'current', module: 'typescript' },
    ])
      it(`type-checks with the ${end} TypeScript`, () => {
        const project = consumerProject(`commonjs-${end}`, run, true);
        const result = typeCheck(module, project);
        expect(result.output).toBe('');
        expect(result.status).toBe(0);
      }, 120_000);

    it('runs, requiring the packages', () => {
      const project = consumerProject('commonjs-run', run, true);
      expect(typeCheck('typescript', project).status).toBe(0);
      const result = spawnSync(process.execPath, [join(project, 'out', 'run.js')], {
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('{"id":"a","n":1}\n');
    }, 120_000);
  });

  it('fails a consumer with a type error (the check above does check)', () => {
    const project = consumerProject('control', {
      name: 'wrong.ts',
      text: "import { loadApi } from '@macaron/core';\nconst wrong: number = loadApi;\nconsole.log(wrong);\n",
    });
    const result = typeCheck('typescript-highest', project);
    expect(result.output).toContain('wrong.ts');
    expect(result.status).not.toBe(0);
  }, 120_000);
});
