import { describe, expect, it } from 'vitest';
import type { CliIo, OutputStream } from './cli-io.js';
import { withProgress } from './progress.js';
import { terminalStyle } from './terminal-style.js';

function stream(isTTY: boolean): OutputStream & { text: string } {
  return {
    isTTY,
    text: '',
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

function io(isTTY: boolean, env: CliIo['env'] = {}): CliIo & { stderr: { text: string } } {
  return { stdout: stream(isTTY), stderr: stream(isTTY), env, cwd: '/' };
}

describe('terminal output', () => {
  it('colours a terminal only, and never with NO_COLOR or TERM=dumb', () => {
    expect(terminalStyle(stream(true), {}).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(terminalStyle(stream(false), {}).red('x')).toBe('x');
    expect(terminalStyle(stream(true), { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(terminalStyle(stream(true), { TERM: 'dumb' }).green('x')).toBe('x');
    // NO_COLOR set but empty does not count (no-color.org)
    expect(terminalStyle(stream(true), { NO_COLOR: '' }).enabled).toBe(true);
  });

  it('takes FORCE_COLOR as Node does: 0, false or any value but a colour depth turns colours off, a terminal or not', () => {
    // And any value Node does not read as a colour depth: `no` is no colours, not forced ones.
    for (const value of ['0', 'false', 'no', 'off', '4', ' 1'])
      expect(terminalStyle(stream(true), { FORCE_COLOR: value }).enabled, value).toBe(false);
    for (const value of ['', '1', '2', '3', 'true'])
      expect(terminalStyle(stream(false), { FORCE_COLOR: value }).enabled, value).toBe(true);
    expect(terminalStyle(stream(true), { FORCE_COLOR: '1', TERM: 'dumb' }).enabled).toBe(true);
    // Never with NO_COLOR, nor with Node's own NODE_DISABLE_COLORS.
    expect(terminalStyle(stream(true), { FORCE_COLOR: '1', NO_COLOR: '1' }).enabled).toBe(false);
    expect(terminalStyle(stream(true), { NODE_DISABLE_COLORS: '1' }).enabled).toBe(false);
  });

  it('shows no spinner on a terminal that cannot clear a line (TERM=dumb)', async () => {
    const dumb = io(true, { TERM: 'dumb' });
    const wait = () => new Promise<string>((resolve) => setTimeout(() => resolve('done'), 250));
    expect(await withProgress(dumb, 'Creating tables', wait)).toBe('done');
    expect(dumb.stderr.text).toBe('');
  });

  it('shows a spinner while waiting, on a terminal only, and clears it', async () => {
    const terminal = io(true);
    const wait = () => new Promise<string>((resolve) => setTimeout(() => resolve('done'), 250));
    expect(await withProgress(terminal, 'Creating tables', wait)).toBe('done');
    expect(terminal.stderr.text).toMatch(/^\r. Creating tables/);
    expect(terminal.stderr.text.endsWith('\r\u001b[2K')).toBe(true);

    const piped = io(false);
    expect(await withProgress(piped, 'Creating tables', wait)).toBe('done');
    expect(piped.stderr.text).toBe('');
  });

  it('clears the spinner when the task fails', async () => {
    const terminal = io(true);
    const failing = () =>
      new Promise((_, reject) => setTimeout(() => reject(new Error('refused')), 200));
    await expect(withProgress(terminal, 'Reading tables', failing)).rejects.toThrow('refused');
    expect(terminal.stderr.text.endsWith('\r\u001b[2K')).toBe(true);
  });
});
