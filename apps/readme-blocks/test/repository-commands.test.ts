// The checks of the maintainer commands the guides show but the harness does not run: a
// renamed script, test file or folder must fail, or an exempted command could drift unseen.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../src/repository.js';
import { checkRepositoryCommand } from '../src/repository-commands.js';

const backendDynamoDb = join(repositoryRoot, 'packages/backend-dynamodb');

describe('a maintainer command', () => {
  it('passes when what it names exists, and `cd` moves the folder it is checked from', () => {
    const moved = checkRepositoryCommand('cd packages/backend-dynamodb', repositoryRoot);
    expect(moved).toEqual({ directory: backendDynamoDb, problems: [] });
    for (const command of [
      'FAULT_PROXY_SEEDS=200 npx vitest run test/fault-proxy',
      'pnpm --filter @macaron/backend-dynamodb differential:long',
      'pnpm build',
    ]) {
      expect(checkRepositoryCommand(command, backendDynamoDb).problems).toEqual([]);
    }
    expect(checkRepositoryCommand('bash scripts/moto/setup.sh', repositoryRoot).problems).toEqual(
      [],
    );
  });

  it('fails on a folder, file, package, script or test file that does not exist', () => {
    const problems = (command: string, directory = repositoryRoot) =>
      checkRepositoryCommand(command, directory).problems;
    expect(problems('cd packages/no-such-package')).toEqual(['no folder packages/no-such-package']);
    expect(problems('bash scripts/moto/no-setup.sh')).toEqual(['no file scripts/moto/no-setup.sh']);
    expect(problems('pnpm --filter @macaron/nothing build')).toEqual([
      'no workspace package @macaron/nothing',
    ]);
    expect(problems('pnpm --filter bench bench:full')).toEqual(['bench has no script bench:full']);
    expect(problems('pnpm no-such-script')).toEqual(['the root has no script no-such-script']);
    expect(problems('npx vitest run test/no-such.test.ts', backendDynamoDb)).toEqual([
      'no test file matches test/no-such.test.ts',
    ]);
  });
});
