import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's folder. */
export const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The built binary. */
export const binPath = join(packageDir, 'dist', 'bin.js');

/** What a run of the binary gave. */
export interface MacaronRun {
  /** Exit code. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

// The environment of every run: the machine's, without AWS settings that would reach a real account.
function testEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_') && name !== 'NO_COLOR' && name !== 'FORCE_COLOR')
      env[name] = value;
  }
  return { ...env, ...extra };
}

/** Runs `node dist/bin.js …args` in `cwd` as a separate process. */
export function runMacaron(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; nodeArgs?: readonly string[] },
): Promise<MacaronRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.nodeArgs ?? []), binPath, ...args],
      { cwd: options.cwd, env: testEnvironment(options.env ?? {}), timeout: 50_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A fresh temporary folder with the given files (paths relative to it); `remove()` deletes it. */
export function temporaryFolder(files: Record<string, string> = {}): {
  path: string;
  file(name: string): string;
  write(name: string, content: string): string;
  remove(): void;
} {
  const path = mkdtempSync(join(tmpdir(), 'macaron-cli-'));
  const write = (name: string, content: string) => {
    const file = join(path, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  };
  for (const [name, content] of Object.entries(files)) write(name, content);
  return {
    path,
    file: (name) => join(path, name),
    write,
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
