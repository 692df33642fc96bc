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

// The FORCE_COLOR values that turn colours on, as Node reads them (`tty.getColorDepth`): every
// other (`0`, `false`, and `no` or `4` alike) turns them off.
const forcedOn = new Set(['', '1', 'true', '2', '3']);

/**
 * True when a stream should get colours: never with NO_COLOR (or Node's NODE_DISABLE_COLORS);
 * else as FORCE_COLOR says when it is set (empty, `1`, `true`, `2` or `3`: colours, a terminal
 * or not; any other value, `0` and `false` among them: none, as Node reads it); else on a
 * terminal whose TERM is not `dumb`.
 */
export function colorsEnabled(stream: OutputStream, env: CliIo['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.NODE_DISABLE_COLORS !== undefined) return false;
  if (env.FORCE_COLOR !== undefined) return forcedOn.has(env.FORCE_COLOR);
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
