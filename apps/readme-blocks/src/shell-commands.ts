import type { MarkdownBlock } from './markdown-blocks.js';

export interface ShellCommand {
  /** The command without its comment, continuation lines joined. */
  readonly text: string;
  /** Its README line. */
  readonly line: number;
}

/**
 * The commands of an sh/bash block, one per line (`\` continues a line, `&&` separates two),
 * comments dropped.
 */
export function shellCommands(block: MarkdownBlock): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let pending: { text: string; line: number } | undefined;
  block.code.split('\n').forEach((raw, index) => {
    const text = withoutComment(raw).trim();
    const line = block.line + 1 + index;
    const joined = pending ? `${pending.text} ${text}` : text;
    const start = pending?.line ?? line;
    if (joined.endsWith('\\')) {
      pending = { text: joined.slice(0, -1).trim(), line: start };
      return;
    }
    pending = undefined;
    // `a && b` is two commands of one line, each run or checked by its own rule.
    for (const part of joined.split('&&')) {
      if (part.trim() !== '') commands.push({ text: part.trim(), line: start });
    }
  });
  return commands;
}

/** The line without a `#` comment (one that starts a word, outside quotes). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const character = line[index]!;
    if (quote) {
      if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === '#' && (index === 0 || /\s/.test(line[index - 1]!))) {
      return line.slice(0, index);
    }
  }
  return line;
}
