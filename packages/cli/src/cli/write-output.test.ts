import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  linkSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { writeOutputFile } from './write-output.js';

// The same function the commands' `-o` runs, in this process: the binary's runs (test/) show
// the commands use it; these show each kind of path it meets, one at a time.
describe('writeOutputFile', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'macaron-write-output-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('creates a new file and the folders above it, leaving no temporary file', () => {
    const path = join(folder, 'a', 'b', 'out.ts');
    writeOutputFile(path, 'out.ts', 'new\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(readdirSync(join(folder, 'a', 'b'))).toEqual(['out.ts']);
  });

  it('replaces a file whole, keeping its permissions, under a name past 200 bytes', () => {
    const path = join(folder, `${'é'.repeat(120)}.ts`);
    writeFileSync(path, 'old text, longer than the new\n', { mode: 0o640 });
    writeOutputFile(path, 'out.ts', 'new\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(statSync(path).mode & 0o7777).toBe(0o640);
    expect(readdirSync(folder)).toHaveLength(1);
  });

  it('writes a hard-linked file in place, so that every name holds the new text', () => {
    const path = join(folder, 'out.ts');
    writeFileSync(path, 'old\n');
    linkSync(path, join(folder, 'other-name.ts'));
    writeOutputFile(path, 'out.ts', 'new\n');
    expect(readFileSync(join(folder, 'other-name.ts'), 'utf8')).toBe('new\n');
  });

  it('replaces the file a symlink names and keeps the link', () => {
    const target = join(folder, 'target.ts');
    writeFileSync(target, 'old\n');
    const link = join(folder, 'link.ts');
    symlinkSync(target, link);
    writeOutputFile(link, 'link.ts', 'new\n');
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(readdirSync(folder).sort()).toEqual(['link.ts', 'target.ts']);
  });

  it('creates the file a dangling symlink names', () => {
    const link = join(folder, 'link.ts');
    symlinkSync(join(folder, 'not-yet.ts'), link);
    writeOutputFile(link, 'link.ts', 'new\n');
    expect(readFileSync(join(folder, 'not-yet.ts'), 'utf8')).toBe('new\n');
  });

  it("writes through this process's descriptor open on a file, after what it holds", () => {
    const path = join(folder, 'out.log');
    const descriptor = openSync(path, 'a');
    try {
      writeFileSync(descriptor, 'before\n');
      writeOutputFile(`/dev/fd/${descriptor}`, '/dev/fd', 'output\n');
      writeFileSync(descriptor, 'after\n');
    } finally {
      closeSync(descriptor);
    }
    expect(readFileSync(path, 'utf8')).toBe('before\noutput\nafter\n');
  });

  it("writes whole through this process's descriptor on a socket, waiting while it is full", async () => {
    // A child's stdin with `stdio: 'pipe'` is a non-blocking socket here, as the binary's stdout
    // is under a Node.js parent: a megabyte fills it many times over before `cat` drains it.
    const path = join(folder, 'copied.txt');
    const copied = openSync(path, 'w');
    const child = spawn('cat', [], { stdio: ['pipe', copied, 'inherit'] });
    closeSync(copied);
    const stdin = child.stdin as unknown as { _handle: { fd: number }; end(): void };
    const descriptor = stdin._handle.fd;
    const text = 'x'.repeat(1 << 20);
    writeOutputFile(`/proc/self/fd/${descriptor}`, 'stdout', text);
    stdin.end();
    await once(child, 'close');
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('refuses a folder, and a path under a file, with one line naming what was asked', () => {
    const cases: Array<[string, string]> = [
      [folder, 'cannot write shown: it is a directory, not a file'],
      [
        join(folder, 'file', 'out.ts'),
        'cannot write shown: a part of its path is a file, not a directory',
      ],
    ];
    writeFileSync(join(folder, 'file'), 'x');
    for (const [path, message] of cases) {
      let caught: unknown;
      try {
        writeOutputFile(path, 'shown', 'text');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CliError);
      expect((caught as Error).message).toBe(message);
    }
    expect(readFileSync(join(folder, 'file'), 'utf8')).toBe('x');
  });
});
