import type { CliIo, OutputStream } from './cli-io.js';

/** Colours for one stream: plain text when the stream is not a terminal or NO_COLOR is set. */
export interface TerminalStyle {
  /** True when colours are on. */
  readonly enabled: boolean;
  /** Errors. */
  red(text: string): string;
  /** Warnings and changes. */
  yellow(text: string): string;
  /** Success. */
  green(text: string): string;
  /** Names. */
  cyan(text: string): string;
  /** Less important text. */
  dim(text: string): string;
  /** Emphasis. */
  bold(text: string): string;
}

const codes = {
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
} as const;

/**
 * True when a stream should get colours: never with NO_COLOR (or Node's NODE_DISABLE_COLORS);
 * else as FORCE_COLOR says when it is set (`0` or `false`: none; anything else: colours, a
 * terminal or not, as Node and chalk read it); else on a terminal whose TERM is not `dumb`.
 */
export function colorsEnabled(stream: OutputStream, env: CliIo['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.NODE_DISABLE_COLORS !== undefined) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The colours of a stream (see `colorsEnabled`). */
export function terminalStyle(stream: OutputStream, env: CliIo['env']): TerminalStyle {
  const enabled = colorsEnabled(stream, env);
  const paint =
    (name: keyof typeof codes) =>
    (text: string): string =>
      enabled ? `\u001b[${codes[name][0]}m${text}\u001b[${codes[name][1]}m` : text;
  return {
    enabled,
    red: paint('red'),
    yellow: paint('yellow'),
    green: paint('green'),
    cyan: paint('cyan'),
    dim: paint('dim'),
    bold: paint('bold'),
  };
}
