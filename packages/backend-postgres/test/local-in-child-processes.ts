import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const localSources = join(packageRoot, 'src', 'local');

/** A scratch folder holding src/local as JavaScript, where scripts run in child processes. */
export interface LocalScratch {
  readonly folder: string;
  /** A child process running `script` (ES module text importing './local/<file>.js'). */
  run(script: string, args: readonly string[], env?: Record<string, string>): Child;
  remove(): Promise<void>;
}

/** A child process of a scratch folder, with its output gathered. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Its standard output so far. */
  stdout(): string;
  /** Resolves with the first line of output that `matches` (or with '' once the child exits). */
  line(matches: (line: string) => boolean): Promise<string>;
  /** Its exit code with its standard error, once it exits. */
  readonly exit: Promise<{ code: number | null; stderr: string }>;
}

/**
 * Transpiles src/local into a scratch folder whose node_modules is this package's (Node 20
 * cannot run TypeScript), so that several processes run the launchers at once as a test
 * runner's workers do. The folder can be entered by all (a server's system user reaches a
 * TMPDIR made in it).
 */
export async function localScratch(): Promise<LocalScratch> {
  const folder = await mkdtemp(join(tmpdir(), 'macaron-local-child-'));
  await chmod(folder, 0o755);
  await mkdir(join(folder, 'local'));
  await symlink(join(packageRoot, 'node_modules'), join(folder, 'node_modules'), 'dir');
  await writeFile(join(folder, 'package.json'), '{ "type": "module" }');
  for (const file of await readdir(localSources)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const output = ts.transpileModule(await readFile(join(localSources, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(folder, 'local', file.replace(/\.ts$/, '.js')), output.outputText);
  }
  const children: ChildProcessWithoutNullStreams[] = [];
  let scripts = 0;
  return {
    folder,
    run(script, args, env = {}) {
      const file = join(folder, `script-${++scripts}.js`);
      // Written before the spawn, synchronously: run() hands back the child at once.
      writeFileSync(file, script);
      const child = spawn(process.execPath, [file, ...args], {
        cwd: folder,
        stdio: 'pipe',
        env: { ...process.env, ...env },
      });
      children.push(child);
      let stdout = '';
      let stderr = '';
      const waiting: { matches: (line: string) => boolean; resolve: (line: string) => void }[] = [];
      const answer = () => {
        for (const wait of [...waiting]) {
          const found = stdout.split('\n').find((line) => wait.matches(line));
          if (found === undefined) continue;
          waiting.splice(waiting.indexOf(wait), 1);
          wait.resolve(found);
        }
      };
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        answer();
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
        child.once('close', (code) => {
          for (const wait of waiting.splice(0)) wait.resolve('');
          resolve({ code, stderr });
        }),
      );
      return {
        process: child,
        stdout: () => stdout,
        line: (matches) =>
          new Promise((resolve) => {
            waiting.push({ matches, resolve });
            answer();
            if (child.exitCode !== null) resolve('');
          }),
        exit,
      };
    },
    async remove() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await rm(folder, { recursive: true, force: true });
    },
  };
}
