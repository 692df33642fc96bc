import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageDir } from './macaron-process.js';

// @macaron/cli installed without its peer @macaron/backend-dynamodb (`--legacy-peer-deps`, or
// automatic peer installs turned off): the built package and its other dependencies only.
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'macaron-cli-without-backend-'));
  const modules = join(project, 'node_modules');
  const installed = join(modules, '@macaron', 'cli');
  mkdirSync(installed, { recursive: true });
  cpSync(join(packageDir, 'dist'), join(installed, 'dist'), { recursive: true });
  cpSync(join(packageDir, 'package.json'), join(installed, 'package.json'));
  const own = join(packageDir, 'node_modules');
  for (const entry of readdirSync(own)) {
    if (entry === '@macaron') continue;
    symlinkSync(join(own, entry), join(modules, entry));
  }
  symlinkSync(join(own, '@macaron', 'core'), join(modules, '@macaron', 'core'));
  writeFileSync(
    join(project, 'spec.yaml'),
    `openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    Note:
      type: object
      x-persist: { table: notes, key: id }
      required: [id]
      properties: { id: { type: string } }
`,
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(project, 'node_modules', '@macaron', 'cli', 'dist', 'bin.js'), ...args],
      { cwd: project },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

describe('a Macaron package another package cannot find', () => {
  it('is not named as one to install beside the CLI: the failure is shown as it is', async () => {
    // A backend whose own import of a Macaron package fails: what to install is not the CLI's to say.
    const backend = join(project, 'node_modules', '@macaron', 'backend-dynamodb');
    mkdirSync(backend, { recursive: true });
    writeFileSync(
      join(backend, 'package.json'),
      JSON.stringify({ name: '@macaron/backend-dynamodb', type: 'module', exports: './index.js' }),
    );
    writeFileSync(join(backend, 'index.js'), "export * from '@macaron/not-there';\n");
    try {
      const failed = await run(['tables', 'export', 'spec.yaml']);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(
        "unexpected failure: Cannot find package '@macaron/not-there' imported from",
      );
      expect(failed.stderr).not.toContain('this command needs');
    } finally {
      rmSync(backend, { recursive: true, force: true });
    }
  });
});

describe('the CLI without @macaron/backend-dynamodb', () => {
  it('lints as ever', async () => {
    const lint = await run(['lint', 'spec.yaml']);
    expect(lint.code).toBe(0);
  });

  it('names the missing package and how to install it, for each command that needs it', async () => {
    for (const args of [
      ['tables', 'export', 'spec.yaml'],
      ['tables', 'plan', 'spec.yaml', '--endpoint', 'http://127.0.0.1:9'],
      ['dynamodb-local', '--port', '0'],
    ]) {
      const failed = await run(args);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(
        'this command needs @macaron/backend-dynamodb installed beside @macaron/cli (a peer dependency: npm install @macaron/backend-dynamodb)',
      );
      expect(failed.stderr).not.toContain('unexpected failure');
    }
  });
});
