import { BlockFailure } from './block-failure.js';
import { directiveOf, type MarkdownBlock } from './markdown-blocks.js';
import { writeScratchFile } from './scratch-project.js';

/**
 * A js block is a file of the reader's project (a test file that a test runner loads): it
 * needs `file=PATH`, and is written there; a later sh block runs it (`npm test`).
 */
export function checkScriptBlock(block: MarkdownBlock, project: string): void {
  const file = directiveOf(block, 'file');
  if (!file) {
    throw new BlockFailure(block, 'a js block needs a `readme-block: file=PATH` directive');
  }
  writeScratchFile(project, file.path, `${block.code}\n`);
}
