import { readFileSync } from 'node:fs';
import { loadApi } from '@macaron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';
import { profilesSpec } from './sample-specs.js';

const folder = temporaryFolder({ 'profiles.yaml': profilesSpec });
afterAll(() => folder.remove());

describe('macaron compile', () => {
  it('writes compact JSON that loadApi loads into the same API', async () => {
    const run = await runMacaron(['compile', 'profiles.yaml', '-o', 'dist/api.json'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote dist\/api\.json \(\d+\.\d KiB\)\n$/);

    const text = readFileSync(folder.file('dist/api.json'), 'utf8');
    expect(text).not.toContain('\n');
    expect(text).not.toMatch(/": /);
    expect(JSON.parse(text)).toMatchObject({ 'x-macaron-compiled': 1, dialect: 'oas3.0' });

    const fromSpec = await loadApi(folder.file('profiles.yaml'), { tablePrefix: 'dev-' });
    const fromCompiled = await loadApi(folder.file('dist/api.json'), { tablePrefix: 'dev-' });
    expect(fromCompiled.modelNames()).toEqual(fromSpec.modelNames());
    expect(fromCompiled.tables()).toEqual(fromSpec.tables());
    expect(fromCompiled.document).toEqual(fromSpec.document);
    expect(fromCompiled.persistent('Profile').descriptor.table).toEqual(
      fromSpec.persistent('Profile').descriptor.table,
    );
  });

  it('refuses an example JSON cannot hold too, rather than writing it as null', async () => {
    folder.write(
      'example.yaml',
      'openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\npaths: {}\ncomponents:\n  schemas:\n    N: { type: object, properties: { x: { type: number, example: .inf } } }\n',
    );
    const run = await runMacaron(['compile', 'example.yaml', '-o', 'example.json'], {
      cwd: folder.path,
    });
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(
      'macaron: example.yaml cannot be compiled: #/components/schemas/N/properties/x/example is .inf, which JSON cannot hold (run macaron lint example.yaml)\n',
    );
    // The lint it names says so too.
    const lint = await runMacaron(['lint', 'example.yaml'], { cwd: folder.path });
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('error .inf is no number JSON can hold');
  });

  it('needs -o', async () => {
    const run = await runMacaron(['compile', 'profiles.yaml'], { cwd: folder.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'macaron: macaron compile needs -o <api.json> (see macaron compile --help)\n',
    );
  });
});
