import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesSpec, type PartialInstall, partialInstall } from './partial-install.js';

// @macaron/cli with its optional peer @macaron/backend-postgres installed but not pg (pg is an
// optional peer of the backend, so npm leaves it out): --database-url must say what to install
// in the CLI's terms, not name an option of createPostgresBackend the user never wrote (probe 304).
let install: PartialInstall;

beforeAll(() => {
  install = partialInstall('without-pg', {
    linked: ['core'],
    copied: ['backend-postgres'],
    without: ['pg'],
    spec: notesSpec,
  });
});
afterAll(() => rmSync(install.path, { recursive: true, force: true }));

const run = (args: string[]) => install.run(args);

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
