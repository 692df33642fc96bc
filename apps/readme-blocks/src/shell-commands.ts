import type { MarkdownBlock } from './markdown-blocks.js';

export interface ShellCommand {
  /** The command without its comment, continuation lines joined. */
  readonly text: string;
  /** Its README line. */
  readonly line: number;
}

/** The commands of an sh/bash block, one per line (`\` continues a line), comments dropped. */
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
    if (joined !== '') commands.push({ text: joined, line: start });
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
