/**
 * Fenced code blocks of a Markdown file, in order, with the `readme-block` directives written
 * in HTML comments right before them (invisible on GitHub, read by the harness):
 *
 * - `<!-- readme-block: continues -->`: this ts block continues the previous ts block of the
 *   same README: both are one module, run once.
 * - `<!-- readme-block: file=apis/myserver.yaml -->`: this yaml or json block is written to
 *   that path of the README's scratch project (a spec fragment completed into a spec first);
 *   a ts block with `file=src/handlers.ts` is the module of that file, which later blocks
 *   import (`./handlers.js`).
 * - `<!-- readme-block: prelude` … `-->`: code put before this ts block, unseen by readers:
 *   what the block assumes exists (a backend, a seeded item).
 * - `<!-- readme-block: setup file=src/index.ts` … `-->`: a file the block needs that the
 *   README does not show (the lines after the first are its content), written to the
 *   scratch project before the block runs.
 *
 * Only blank lines may separate directives from their block. An unknown directive is an
 * error, so that a typo cannot silently turn a check off.
 */

export type BlockDirective =
  | { readonly kind: 'continues' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'prelude'; readonly code: string; readonly line: number }
  | { readonly kind: 'setup'; readonly path: string; readonly content: string };

export interface MarkdownBlock {
  /** The README's path, relative to the repository root. */
  readonly readme: string;
  /** The info string's first word, lowercased: `ts`, `yaml`, `sh`… or `` for none. */
  readonly language: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The block's text, without the fences. */
  readonly code: string;
  readonly directives: readonly BlockDirective[];
}

const fenceOpening = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/;
const directiveOpening = /^<!--\s*readme-block:\s*(.*)$/;

export function extractBlocks(readme: string, markdown: string): MarkdownBlock[] {
  const lines = markdown.split('\n');
  const blocks: MarkdownBlock[] = [];
  let pending: BlockDirective[] = [];
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index]!;
    const directive = directiveOpening.exec(text);
    if (directive) {
      const end = lines.findIndex((candidate, at) => at >= index && candidate.includes('-->'));
      if (end < 0) throw new Error(`${readme}:${index + 1}: readme-block comment is not closed`);
      const body = [directive[1]!, ...lines.slice(index + 1, end + 1)].join('\n');
      pending.push(parseDirective(readme, index + 1, body.slice(0, body.lastIndexOf('-->'))));
      index = end;
      continue;
    }
    const fence = fenceOpening.exec(text);
    if (!fence) {
      if (text.trim() !== '' && pending.length > 0) {
        throw new Error(`${readme}:${index + 1}: a readme-block directive must precede a block`);
      }
      continue;
    }
    const marker = fence[2]!;
    const closing = new RegExp(`^ {0,3}${marker[0]}{${marker.length},}\\s*$`);
    const close = lines.findIndex((candidate, at) => at > index && closing.test(candidate));
    if (close < 0) throw new Error(`${readme}:${index + 1}: code block is not closed`);
    const indent = fence[1]!.length;
    blocks.push({
      readme,
      language: fence[3]!.toLowerCase(),
      line: index + 1,
      code: lines
        .slice(index + 1, close)
        .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
        .join('\n'),
      directives: pending,
    });
    pending = [];
    index = close;
  }
  if (pending.length > 0) throw new Error(`${readme}: a readme-block directive ends the file`);
  return blocks;
}

function parseDirective(readme: string, line: number, body: string): BlockDirective {
  const [first = '', ...rest] = body.split('\n');
  const word = first.trim();
  if (word === 'continues') return { kind: 'continues' };
  if (word === 'prelude') return { kind: 'prelude', code: rest.join('\n'), line: line + 1 };
  const file = /^file=(\S+)$/.exec(word);
  if (file) return { kind: 'file', path: file[1]! };
  const setup = /^setup file=(\S+)$/.exec(word);
  if (setup) return { kind: 'setup', path: setup[1]!, content: rest.join('\n') };
  throw new Error(
    `${readme}:${line}: unknown readme-block directive "${word}" (continues, file=PATH, prelude, setup file=PATH)`,
  );
}

/** The block's directive of that kind, if it has one. */
export function directiveOf<Kind extends BlockDirective['kind']>(
  block: MarkdownBlock,
  kind: Kind,
): Extract<BlockDirective, { kind: Kind }> | undefined {
  return block.directives.find(
    (directive): directive is Extract<BlockDirective, { kind: Kind }> => directive.kind === kind,
  );
}
