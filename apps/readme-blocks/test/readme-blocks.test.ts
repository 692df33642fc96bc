// Every code block of every README and of the guides under docs/ (docs/*.md,
// docs/backends/*.md), checked by language (see README.md of this package):
// ts blocks type-check and run, yaml and json blocks parse (specs load), js blocks are files
// of the project, sh blocks run or are checked. A failure names the README path and line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockFailure } from '../src/block-failure.js';
import { modulesNotRun } from '../src/exemptions.js';
import { checkJsonBlock } from '../src/json-blocks.js';
import { stopLocalDynamoDb } from '../src/local-dynamodb.js';
import { stopLocalPostgres } from '../src/local-postgres.js';
import { extractBlocks } from '../src/markdown-blocks.js';
import { checkInstallsCoverImports } from '../src/npm-install-check.js';
import { guideFiles, readmeFiles, repositoryRoot } from '../src/repository.js';
import { runModule } from '../src/run-module.js';
import { createScratchProject, writeScratchFile, writeSetupFiles } from '../src/scratch-project.js';
import { checkScriptBlock } from '../src/script-blocks.js';
import { checkShellBlock } from '../src/shell-blocks.js';
import { typeCheckModule } from '../src/type-check.js';
import { typeScriptModules } from '../src/typescript-modules.js';
import { checkYamlBlock } from '../src/yaml-blocks.js';

// Output samples and usage synopses, and SQL shown to describe what a backend creates:
// nothing to run.
const notRunLanguages = new Set(['', 'text', 'sql']);
const checkedLanguages = new Set(['ts', 'typescript', 'yaml', 'yml', 'json', 'js', 'sh', 'bash']);
const serviceTimeoutMs = 120_000;

afterAll(stopLocalDynamoDb);
afterAll(stopLocalPostgres);

for (const readme of [...readmeFiles(), ...guideFiles()]) {
  const blocks = extractBlocks(readme, readFileSync(join(repositoryRoot, readme), 'utf8'));
  const modules = typeScriptModules(blocks);

  describe(readme, () => {
    let project = '';
    beforeAll(() => {
      project = createScratchProject(readme);
    });

    it('has only blocks in languages the harness knows', () => {
      const unknown = blocks.filter(
        (block) => !checkedLanguages.has(block.language) && !notRunLanguages.has(block.language),
      );
      expect(unknown.map((block) => `${readme}:${block.line} ${block.language}`)).toEqual([]);
    });

    it('installs, in its npm install lines, every package its examples import', () => {
      checkInstallsCoverImports(blocks);
    });

    for (const block of blocks) {
      const where = `line ${block.line}`;
      const setUp = () => writeSetupFiles(project, block);
      if (block.language === 'yaml' || block.language === 'yml') {
        it(`${where}: yaml parses (and loads, when a spec)`, () => {
          setUp();
          return checkYamlBlock(block, project);
        });
      } else if (block.language === 'json') {
        it(`${where}: json parses`, () => {
          setUp();
          checkJsonBlock(block, project);
        });
      } else if (block.language === 'js') {
        it(`${where}: js is written to its file`, () => {
          setUp();
          checkScriptBlock(block, project);
        });
      } else if (block.language === 'sh' || block.language === 'bash') {
        it(
          `${where}: sh runs`,
          () => {
            setUp();
            return checkShellBlock(block, project);
          },
          serviceTimeoutMs,
        );
      } else {
        const module = modules.find((candidate) => candidate.blocks[0] === block);
        if (!module) continue; // not ts, or a continued block: checked with its module
        const lines = module.blocks.map((part) => part.line).join(', ');
        const exemption = modulesNotRun.find(
          ({ readme: file, contains }) => file === readme && module.source.includes(contains),
        );
        const does = exemption
          ? `type-checks (not run: ${exemption.reason})`
          : 'type-checks and runs';
        it(`${where}: ts module of the blocks at lines ${lines} ${does}`, async () => {
          for (const part of module.blocks) writeSetupFiles(project, part);
          writeScratchFile(project, join('src', module.fileName), module.source);
          typeCheckModule(project, module);
          if (!exemption) await runModule(project, module);
        }, 60_000);
      }
    }
  });
}

describe('the guides', () => {
  it('include the ones users copy from', () => {
    expect(guideFiles()).toEqual(
      expect.arrayContaining(['docs/migrating-from-pymacaron.md', 'docs/backends/authoring.md']),
    );
  });
});

describe('a block failure', () => {
  it('names the README path and line', () => {
    const failure = new BlockFailure({ readme: 'packages/core/README.md', line: 10 }, 'broken', 12);
    expect(failure.message).toBe('packages/core/README.md:12 (in the block at line 10): broken');
  });
});
