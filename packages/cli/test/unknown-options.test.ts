import { join } from 'node:path';
import { loadApi } from '@macaron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { findSpecProblems, generateTypes, lintSpec } from '../src/index.js';
import { createMacaronPlugin } from '../src/redocly-plugin.js';
import { temporaryFolder } from './macaron-process.js';
import { profilesSpec } from './sample-specs.js';

const folder = temporaryFolder({ 'profiles.yaml': profilesSpec });
afterAll(() => folder.remove());

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('options the CLI functions do not take (P-110)', () => {
  it.each([
    [
      'lintSpec',
      (spec: string) => lintSpec(spec, { preset: 'macaron', configpath: 'x' } as never),
      'configpath',
    ],
    [
      'findSpecProblems',
      (spec: string) => findSpecProblems(spec, { compt: 'pymacaron' } as never),
      'compt',
    ],
    [
      'findSpecProblems, a source that does not bundle',
      () => findSpecProblems(join(folder.path, 'none.yaml'), { compt: 'pymacaron' } as never),
      'compt',
    ],
    ['createMacaronPlugin', () => createMacaronPlugin({ finding: () => [] } as never), 'finding'],
    [
      'generateTypes',
      async (spec: string) =>
        generateTypes(await loadApi(spec), { source: 'x', sources: 'y' } as never),
      'sources',
    ],
  ])('%s refuses one with a TypeError naming it and the keys taken', async (label, run, name) => {
    const error = await failure(() => run(join(folder.path, 'profiles.yaml')));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(
      `${label.split(',')[0]} has no option ${JSON.stringify(name)} (options: `,
    );
  });
});
