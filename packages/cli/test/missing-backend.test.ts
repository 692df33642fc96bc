import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesSpec, type PartialInstall, partialInstall } from './partial-install.js';

// @macaron/cli installed without its peer @macaron/backend-dynamodb (`--legacy-peer-deps`, or
// automatic peer installs turned off): the built package and its other dependencies only.
let install: PartialInstall;
let project: string;

beforeAll(() => {
  install = partialInstall('without-backend', { linked: ['core'], spec: notesSpec });
  project = install.path;
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const run = (args: string[]) => install.run(args);

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
