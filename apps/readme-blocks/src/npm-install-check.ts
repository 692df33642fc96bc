import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlockFailure } from './block-failure.js';
import type { MarkdownBlock } from './markdown-blocks.js';
import { repositoryRoot } from './repository.js';
import { shellCommands } from './shell-commands.js';
import { installablePackages } from './workspace-packages.js';

/** The packages an `npm install …` command names (no flags, no version ranges). */
export function packagesInstalledBy(command: string): string[] | undefined {
  const words = command.split(/\s+/);
  if (words[0] !== 'npm' || (words[1] !== 'install' && words[1] !== 'i')) return undefined;
  return words
    .slice(2)
    .filter((word) => !word.startsWith('-'))
    .map((word) => word.replace(/(?<=.)@[^/]*$/, ''));
}

/**
 * `npm install` is not run (it would install the released packages from the registry; the
 * pack check installs the tarballs built from this tree): each package it names must be one
 * this repository publishes or depends on, so a typo or a renamed package fails.
 */
export function checkNpmInstall(block: MarkdownBlock, command: string, line: number): void {
  const known = installablePackages();
  const unknown = (packagesInstalledBy(command) ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new BlockFailure(block, `installs unknown packages: ${unknown.join(', ')}`, line);
  }
}

/** The packages the README's ts blocks import (`node:` modules and relative paths aside). */
function importedPackages(blocks: readonly MarkdownBlock[]): Set<string> {
  const imported = new Set<string>();
  for (const block of blocks) {
    if (block.language !== 'ts') continue;
    for (const match of block.code.matchAll(/(?:from|import)\s+'([^'./][^']*)'/g)) {
      const specifier = match[1]!;
      if (specifier.startsWith('node:')) continue;
      const parts = specifier.split('/');
      imported.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return imported;
}

/**
 * A README that says what to install names every package its examples import: a reader who
 * runs its `npm install` lines and pastes its code gets no "cannot find module".
 */
export function checkInstallsCoverImports(blocks: readonly MarkdownBlock[]): void {
  const installed = new Set<string>();
  let first: { block: MarkdownBlock; line: number } | undefined;
  for (const block of blocks) {
    if (block.language !== 'sh' && block.language !== 'bash') continue;
    for (const command of shellCommands(block)) {
      const names = packagesInstalledBy(command.text);
      if (!names) continue;
      first ??= { block, line: command.line };
      for (const name of names) installed.add(name);
    }
  }
  if (!first) return;
  const imported = [...importedPackages(blocks)];
  // A package without types of its own needs its @types package too, or a TypeScript reader's
  // build fails on the import (and on our .d.ts that import it).
  const typings = imported.filter((name) => !shipsTypes(name)).map(typesPackageOf);
  const missing = [...imported, ...typings].filter((name) => !installed.has(name));
  if (missing.length > 0) {
    throw new BlockFailure(
      first.block,
      `its examples need ${missing.join(', ')} (imported, or the types of an import), which no npm install line of the README installs`,
      first.line,
    );
  }
}

/** `@types/pg` for `pg`, `@types/scope__name` for `@scope/name`. */
function typesPackageOf(name: string): string {
  return `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
}

/**
 * True when the package, as this harness installs it, declares its own types (`types`,
 * `typings`, a `types` export condition, or an index.d.ts); @macaron packages always do.
 */
function shipsTypes(name: string): boolean {
  if (name.startsWith('@macaron/')) return true;
  const folder = join(repositoryRoot, 'apps', 'readme-blocks', 'node_modules', name);
  const manifest = join(folder, 'package.json');
  if (!existsSync(manifest)) return true; // not installed here: the imports check names it
  const text = readFileSync(manifest, 'utf8');
  return /"(types|typings)"\s*:/.test(text) || existsSync(join(folder, 'index.d.ts'));
}
