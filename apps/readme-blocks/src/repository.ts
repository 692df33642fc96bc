import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo's root directory, with a trailing slash. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** This package's directory: the scratch projects live under it, so `@macaron/*` resolve. */
export const harnessRoot = fileURLToPath(new URL('../', import.meta.url));

/** Every README a newcomer reads: the root one, then each package's and each app's. */
export function readmeFiles(): string[] {
  const found = ['README.md'];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(repositoryRoot, group)).sort()) {
      const readme = `${group}/${name}/README.md`;
      if (existsSync(join(repositoryRoot, readme))) found.push(readme);
    }
  }
  return found;
}

/**
 * The guides a user copies from: `docs/*.md` and `docs/backends/*.md`. Decision records
 * (docs/adr/) are history, not instructions, and are left as written.
 */
export function guideFiles(): string[] {
  const found: string[] = [];
  for (const folder of ['docs', 'docs/backends']) {
    for (const name of readdirSync(join(repositoryRoot, folder)).sort()) {
      if (name.endsWith('.md')) found.push(`${folder}/${name}`);
    }
  }
  return found;
}
