import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { directiveOf, extractBlocks } from './markdown-blocks.js';
import { repositoryRoot } from './repository.js';

/**
 * The tsconfig.json that the root README tells users to write: its json block marked
 * `file=tsconfig.json`. The README's TypeScript blocks are checked with it, and so is the
 * consumer project of the TypeScript-range test: the documented settings are the tested ones.
 */
export function documentedTsconfig(): { compilerOptions: Record<string, unknown> } {
  const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
  const block = extractBlocks('README.md', readme).find(
    (candidate) => directiveOf(candidate, 'file')?.path === 'tsconfig.json',
  );
  if (!block) throw new Error('README.md has no json block marked file=tsconfig.json');
  return JSON.parse(block.code);
}
