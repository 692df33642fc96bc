import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { packageDir, runMacaron, temporaryFolder } from './macaron-process.js';

/**
 * A temporary ES module project, compiled as strictly as an application may (`strict`,
 * `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`…, plus `compilerOptions`), whose
 * `node_modules/@macaron` links the workspace's `packages`, as an app's install would. Its
 * sources go under `src/`; it is removed after the test file (made at the file's top level or
 * in a `describe`: a hook registered inside a test never runs).
 */
export function typescriptProject(options: ProjectOptions): ReturnType<typeof temporaryFolder> {
  const folder = temporaryProject(options);
  afterAll(() => folder.remove());
  return folder;
}

interface ProjectOptions {
  packages: readonly string[];
  compilerOptions: Record<string, unknown>;
  files?: Record<string, string>;
}

/** `typescriptProject` inside a test: the caller removes it. */
export function temporaryProject(options: ProjectOptions): ReturnType<typeof temporaryFolder> {
  const folder = temporaryFolder({
    ...options.files,
    'package.json': '{ "type": "module" }',
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noUnusedLocals: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        types: [],
        ...options.compilerOptions,
      },
      include: ['src'],
    }),
  });
  mkdirSync(folder.file('node_modules/@macaron'), { recursive: true });
  for (const name of options.packages)
    symlinkSync(join(packageDir, '..', name), folder.file(`node_modules/@macaron/${name}`), 'dir');
  return folder;
}

/**
 * Compiles the project as `tsc -p tsconfig.json` run in its folder does, on this worker's warm
 * compile server (test/compile-server.mjs): its exit code (0 or 1) and what tsc printed.
 * `timeoutMs` for a project far larger than most (the default bounds hangs of the others).
 */
export async function compileProject(
  folder: { path: string },
  timeoutMs = commandTimeoutMs,
): Promise<{ code: number; output: string }> {
  const ports = inject('compileServerPorts');
  const port = ports[(Number(process.env['VITEST_POOL_ID'] ?? 1) - 1) % ports.length];
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      body: JSON.stringify({ folder: folder.path }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError')
      return { code: 1, output: `(stopped after ${timeoutMs} ms)` };
    throw error;
  }
  const answer = (await response.json()) as { code: number; output: string; error?: string };
  // The compiler threw: its stack, as a crashed tsc process printed it.
  if (!response.ok) throw new Error(`the compile server failed: ${answer.error}`);
  return answer;
}

// A bound on hangs, not a speed check: tsc took about 5 s a project as a process of its own,
// and more than 50 s on a CI host running other work beside the suite.
const commandTimeoutMs = 100_000;

/**
 * Runs a command in the project: its exit code (0 or 1) and what it printed, which says so
 * when the command was stopped for running past `commandTimeoutMs`.
 */
export function runInProject(
  folder: { path: string },
  command: string,
  args: readonly string[],
  timeoutMs = commandTimeoutMs,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: folder.path, timeout: timeoutMs }, (error, stdout, stderr) =>
      resolve({
        code: error ? 1 : 0,
        output: `${stdout}${stderr}${error?.killed ? `(stopped after ${timeoutMs} ms)` : ''}`,
      }),
    );
  });
}

/**
 * Generates the types of `spec` into a project whose `src/uses.ts` holds `uses` (lines that
 * must compile, and lines after `@ts-expect-error` that must not) and compiles it: what tsc
 * printed, empty when the types take and refuse what the uses say.
 */
export async function compileUsesOfGeneratedTypes(
  spec: string,
  uses: string,
  compilerOptions: Record<string, unknown> = {},
): Promise<{ generated: number; code: number; output: string }> {
  const folder = temporaryProject({
    packages: ['core'],
    compilerOptions: { noEmit: true, ...compilerOptions },
    files: { 'api.yaml': spec, 'src/uses.ts': uses },
  });
  try {
    const run = await runMacaron(['generate', 'api.yaml', '-o', 'src/api.generated.ts'], {
      cwd: folder.path,
    });
    return { generated: run.code, ...(await compileProject(folder)) };
  } finally {
    folder.remove();
  }
}
