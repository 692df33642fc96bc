import { BlockFailure } from './block-failure.js';
import { directiveOf, type MarkdownBlock } from './markdown-blocks.js';
import { writeScratchFile } from './scratch-project.js';

/** A json block parses; with `file=PATH` it is written to the scratch project. */
export function checkJsonBlock(block: MarkdownBlock, project: string): void {
  try {
    JSON.parse(block.code);
  } catch (error) {
    throw new BlockFailure(block, `not JSON: ${(error as Error).message}`);
  }
  const file = directiveOf(block, 'file');
  if (file) writeScratchFile(project, file.path, `${block.code}\n`);
}
