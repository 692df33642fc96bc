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

// @macaron/cli with its optional peer @macaron/backend-postgres installed but not pg (pg is an
// optional peer of the backend, so npm leaves it out): --database-url must say what to install
// in the CLI's terms, not name an option of createPostgresBackend the user never wrote (probe 304).
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'macaron-cli-without-pg-'));
  const modules = join(project, 'node_modules');
  const own = join(packageDir, 'node_modules');
  for (const [name, from] of [
    ['cli', packageDir],
    ['backend-postgres', join(own, '@macaron', 'backend-postgres')],
  ] as const) {
    const installed = join(modules, '@macaron', name);
    mkdirSync(installed, { recursive: true });
    cpSync(join(from, 'dist'), join(installed, 'dist'), { recursive: true });
    cpSync(join(from, 'package.json'), join(installed, 'package.json'));
  }
  for (const entry of readdirSync(own)) {
    if (entry === '@macaron' || entry === 'pg') continue;
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

function run(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(project, 'node_modules', '@macaron', 'cli', 'dist', 'bin.js'), ...args],
      { cwd: project },
      (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
    );
  });
}

describe('--database-url without pg installed', () => {
  it.each([
    ['tables', 'plan'],
    ['tables', 'create'],
    ['tables', 'delete', '--yes'],
  ])('%s %s says, in the CLI’s terms, that pg is needed', async (...command) => {
    const failed = await run([
      ...command,
      'spec.yaml',
      '--database-url',
      'postgres://127.0.0.1:9/x',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      'macaron: --database-url needs pg installed beside @macaron/backend-postgres: npm install pg\n',
    );
  });
});
