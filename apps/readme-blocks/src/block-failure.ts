import type { MarkdownBlock } from './markdown-blocks.js';

/** A block that does not do what its README says, located at its README path and line. */
export class BlockFailure extends Error {
  constructor(block: Pick<MarkdownBlock, 'readme' | 'line'>, problem: string, line = block.line) {
    const where = line === block.line ? '' : ` (in the block at line ${block.line})`;
    super(`${block.readme}:${line}${where}: ${problem}`);
    this.name = 'BlockFailure';
  }
}

/** An error's message with the details Macaron errors carry (a SpecError's problems). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const problems = (error as { problems?: unknown }).problems;
  return problems ? `${error.message}: ${JSON.stringify(problems)}` : error.message;
}
