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

// @macaron/cli installed without its peers @macaron/core and @macaron/backend-dynamodb: yarn 1
// installs no peers, npm leaves them out with --legacy-peer-deps. Every command needs core, so
// each says, in one line, what to install, rather than a stack trace (probe 304).
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'macaron-cli-without-core-'));
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
  writeFileSync(
    join(project, 'spec.yaml'),
    'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\n',
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

describe('the CLI without @macaron/core', () => {
  it.each([[['--help']], [['lint', 'spec.yaml']], [['generate', 'spec.yaml']]])(
    'macaron %j names the missing peer and how to install it, in one line',
    async (args) => {
      const failed = await run(args);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toBe(
        'macaron: @macaron/cli needs @macaron/core installed beside it (a peer dependency: npm install @macaron/core)\n',
      );
    },
  );
});
