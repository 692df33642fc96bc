import { readFileSync, symlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';
import { profilesSpec } from './sample-specs.js';

const folder = temporaryFolder({
  'profiles.yaml': profilesSpec,
  'split/root.yaml': `openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths: {}
components:
  schemas:
    Item: { $ref: "models/item.yaml" }
`,
  'split/models/item.yaml': `type: object
required: [id]
x-persist: { table: items, key: id }
properties: { id: { type: string } }
`,
});
symlinkSync('profiles.yaml', folder.file('link.yaml'));
afterAll(() => folder.remove());

const run = (...args: string[]) => runMacaron(args, { cwd: folder.path });

describe('an -o that names the spec', () => {
  it('is refused under any spelling, with the spec left as it was', async () => {
    for (const [command, output] of [
      ['generate', 'profiles.yaml'],
      ['generate', './profiles.yaml'],
      ['generate', 'link.yaml'],
      ['compile', folder.file('profiles.yaml')],
      ['compile', 'split/../profiles.yaml'],
    ] as const) {
      const result = await run(command, 'profiles.yaml', '-o', output);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(
        /^macaron: cannot write .*: it is the spec itself, not an output file\n$/,
      );
    }
    // Through the symlink as the spec too, and with --check, which would tell to overwrite it.
    expect((await run('generate', 'link.yaml', '-o', 'profiles.yaml')).code).toBe(1);
    expect((await run('generate', 'profiles.yaml', '-o', 'profiles.yaml', '--check')).code).toBe(1);
    expect(readFileSync(folder.file('profiles.yaml'), 'utf8')).toBe(profilesSpec);
  });

  it('is refused when it names a file the spec reads through a $ref', async () => {
    const before = readFileSync(folder.file('split/models/item.yaml'), 'utf8');
    for (const args of [
      ['generate', 'split/root.yaml', '-o', 'split/models/item.yaml'],
      ['compile', 'split/root.yaml', '-o', 'split/models/../models/item.yaml'],
      ['tables', 'export', 'split/root.yaml', '-o', 'split/models/item.yaml'],
      ['tables', 'export', 'split/root.yaml', '-o', 'split/root.yaml'],
    ]) {
      const result = await run(...args);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(
        /^macaron: cannot write split\/.*\.yaml: it is (the spec itself|a file the spec reads through its \$refs), not an output file\n$/,
      );
    }
    expect(readFileSync(folder.file('split/models/item.yaml'), 'utf8')).toBe(before);
    // Another file is written as before.
    expect((await run('generate', 'split/root.yaml', '-o', 'split/api.generated.ts')).code).toBe(0);
  });
});
