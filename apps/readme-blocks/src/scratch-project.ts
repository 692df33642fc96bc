import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { documentedTsconfig } from './documented-tsconfig.js';
import type { MarkdownBlock } from './markdown-blocks.js';
import { harnessRoot } from './repository.js';

/**
 * A fresh project for one README's blocks, as a reader would set one up: an ES module
 * package with the documented tsconfig.json and the spec the examples load
 * (fixtures/apis/profiles.yaml as apis/profiles.yaml). It lives under this package, so that
 * `@macaron/*` and the other imports resolve to the workspace's packages.
 */
export function createScratchProject(readme: string): string {
  const directory = join(harnessRoot, '.scratch', readme.replace(/\.md$/, '').replace(/\//g, '-'));
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(join(directory, 'src'), { recursive: true });
  writeFileSync(join(directory, 'package.json'), '{ "private": true, "type": "module" }\n');
  const tsconfig = { ...documentedTsconfig(), include: ['src'] };
  writeFileSync(join(directory, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  cpSync(join(harnessRoot, 'fixtures'), directory, { recursive: true });
  return directory;
}

/** Writes a file of the scratch project, creating its directories. */
export function writeScratchFile(project: string, path: string, text: string): void {
  const target = join(project, path);
  if (!target.startsWith(project)) throw new Error(`${path} is outside the scratch project`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}

/** Writes the files the block's `setup file=PATH` directives give. */
export function writeSetupFiles(project: string, block: MarkdownBlock): void {
  for (const directive of block.directives) {
    if (directive.kind === 'setup') writeScratchFile(project, directive.path, directive.content);
  }
}
