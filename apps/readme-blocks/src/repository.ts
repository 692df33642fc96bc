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
