import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';
import { profilesSpec } from './sample-specs.js';

// Imports of the AWS SDK, dynamodb-toolbox and the DynamoDB backend fail in these runs.
const hideAwsSdk = [
  '--import',
  fileURLToPath(new URL('./fixtures/hide-aws-sdk.mjs', import.meta.url)),
];
const folder = temporaryFolder({ 'profiles.yaml': profilesSpec });
afterAll(() => folder.remove());

describe('lint, generate and compile without the AWS SDK installed', () => {
  it('lint, generate and compile run; only tables needs the SDK', async () => {
    const options = { cwd: folder.path, nodeArgs: hideAwsSdk };
    const lint = await runMacaron(['lint', 'profiles.yaml'], options);
    expect(lint).toMatchObject({ code: 0, stderr: '' });
    const generate = await runMacaron(
      ['generate', 'profiles.yaml', '-o', 'api.generated.ts'],
      options,
    );
    expect(generate).toMatchObject({ code: 0, stderr: '' });
    const compile = await runMacaron(['compile', 'profiles.yaml', '-o', 'api.json'], options);
    expect(compile).toMatchObject({ code: 0, stderr: '' });
    expect((await runMacaron(['--help'], options)).code).toBe(0);
    // The hook really hides the SDK: the command that needs it fails to load it.
    const tables = await runMacaron(['tables', 'export', 'profiles.yaml'], options);
    expect(tables.code).toBe(1);
    expect(tables.stderr).toContain('hidden by hide-aws-sdk.mjs');
  });
});
