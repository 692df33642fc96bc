import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { repositoryRoot } from './repository.js';

/**
 * What a command a maintainer types in this repository names, checked without running it
 * (exemptions.ts says why it is not run), so that a renamed script, test file or folder still
 * fails: `cd DIR` (a folder), `bash FILE` (a file), `pnpm [--filter NAME] SCRIPT` (the
 * workspace package and its script), `npx vitest run FILTER…` (a test file matching each
 * filter). `VAR=value` prefixes are set aside. Paths are relative to `directory`, the folder
 * the block's earlier `cd` commands reached, from the repository root.
 *
 * Returns the folder the next command runs in, and the problems found (empty when none).
 */
export function checkRepositoryCommand(
  command: string,
  directory: string,
): { directory: string; problems: string[] } {
  const words = command.replace(/^(\w+=\S*\s+)+/, '').split(/\s+/);
  const at = (path: string) => join(directory, path);
  const [first, second, ...rest] = words;
  if (first === 'cd' && second) {
    const target = at(second);
    return existsSync(target) && statSync(target).isDirectory()
      ? { directory: target, problems: [] }
      : { directory, problems: [`no folder ${second}`] };
  }
  if (first === 'bash' && second) {
    return { directory, problems: existsSync(at(second)) ? [] : [`no file ${second}`] };
  }
  if (first === 'pnpm' || (first === 'npx' && second?.startsWith('pnpm@'))) {
    const args = first === 'pnpm' ? [second, ...rest] : rest;
    return { directory, problems: pnpmScriptProblems(args, directory) };
  }
  if (first === 'npx' && second === 'vitest' && rest[0] === 'run') {
    const filters = rest.slice(1).filter((word) => !word.startsWith('-'));
    const files = testFiles(directory);
    const unmatched = filters.filter((filter) => !files.some((file) => file.includes(filter)));
    return { directory, problems: unmatched.map((filter) => `no test file matches ${filter}`) };
  }
  return { directory, problems: [] };
}

// pnpm's own commands, which need no script.
const pnpmCommands = new Set(['install', 'i', 'add']);

function pnpmScriptProblems(args: (string | undefined)[], directory: string): string[] {
  let scripts: Record<string, string> | undefined;
  let script: string | undefined;
  let owner: string;
  if (args[0] === '--filter') {
    owner = args[1] ?? '';
    scripts = workspaceScripts().get(owner);
    if (!scripts) return [`no workspace package ${owner}`];
    script = args[2];
  } else {
    owner = relative(repositoryRoot, directory) || 'the root';
    const manifest = join(directory, 'package.json');
    scripts = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).scripts : {};
    script = args[0];
  }
  if (!script || pnpmCommands.has(script) || scripts?.[script] !== undefined) return [];
  return [`${owner} has no script ${script}`];
}

/** Every workspace package's scripts, by package name (pnpm-workspace.yaml's folders). */
function workspaceScripts(): Map<string, Record<string, string>> {
  const workspace = parse(readFileSync(join(repositoryRoot, 'pnpm-workspace.yaml'), 'utf8'));
  const found = new Map<string, Record<string, string>>();
  for (const pattern of workspace.packages as string[]) {
    const folders = pattern.endsWith('/*')
      ? readdirSync(join(repositoryRoot, pattern.slice(0, -2))).map((name) =>
          join(pattern.slice(0, -2), name),
        )
      : [pattern];
    for (const folder of folders) {
      const manifest = join(repositoryRoot, folder, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, scripts = {} } = JSON.parse(readFileSync(manifest, 'utf8'));
      found.set(name, scripts);
    }
  }
  return found;
}

/** The test files under a folder, relative to it, as vitest's filters see them. */
function testFiles(directory: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(directory, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) {
      found.push(...testFiles(directory, path));
    } else if (entry.isFile() && /\.test\.[cm]?[jt]s$/.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}
