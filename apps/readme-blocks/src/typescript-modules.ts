import { directiveOf, type MarkdownBlock } from './markdown-blocks.js';

/**
 * The ts blocks of one README as the modules they run as: each block is a module of its own,
 * unless marked `continues` (then it joins the module of the ts block before it). A block's
 * `prelude` comes first, unseen by readers. `export {}` closes every module, so that a block
 * without imports is still a module with its own scope.
 */
export interface TypeScriptModule {
  readonly readme: string;
  readonly blocks: readonly MarkdownBlock[];
  /**
   * The file name in the scratch project's src/: the first block's `file=src/NAME.ts`, for a
   * module other blocks import by name; else named after the first block's line.
   */
  readonly fileName: string;
  readonly source: string;
  /** For each line of `source` (0-based), the README line it comes from. */
  readonly readmeLines: readonly number[];
}

export function typeScriptModules(blocks: readonly MarkdownBlock[]): TypeScriptModule[] {
  const groups: MarkdownBlock[][] = [];
  for (const block of blocks) {
    if (block.language !== 'ts' && block.language !== 'typescript') continue;
    const previous = groups.at(-1);
    if (directiveOf(block, 'continues')) {
      if (!previous) throw new Error(`${block.readme}:${block.line}: nothing to continue`);
      previous.push(block);
    } else {
      groups.push([block]);
    }
  }
  return groups.map(toModule);
}

function toModule(blocks: MarkdownBlock[]): TypeScriptModule {
  const lines: string[] = [];
  const readmeLines: number[] = [];
  for (const block of blocks) {
    const prelude = directiveOf(block, 'prelude');
    prelude?.code.split('\n').forEach((text, index) => {
      lines.push(text);
      readmeLines.push(prelude.line + index);
    });
    block.code.split('\n').forEach((text, index) => {
      lines.push(text);
      readmeLines.push(block.line + 1 + index);
    });
  }
  const first = blocks[0]!;
  const file = directiveOf(first, 'file');
  if (file && !/^src\/[^/]+\.ts$/.test(file.path)) {
    throw new Error(`${first.readme}:${first.line}: a ts block's file must be src/NAME.ts`);
  }
  lines.push('export {};');
  readmeLines.push(blocks.at(-1)!.line);
  return {
    readme: first.readme,
    blocks,
    fileName: file ? file.path.slice('src/'.length) : `readme-line-${first.line}.ts`,
    source: `${lines.join('\n')}\n`,
    readmeLines,
  };
}
