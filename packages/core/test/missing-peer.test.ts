import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOptionalPeer } from '../src/backend.js';
import { compileSpec, MissingDependencyError } from '../src/index.js';

const corePackage = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('optional peers', () => {
  it('a missing peer is a MissingDependencyError naming the package and the install command', async () => {
    const error = await importOptionalPeer(
      '@macaron/no-such-package',
      'Doing the thing',
      () => import('@macaron/no-such-package' as string),
    ).catch((caught: unknown) => caught);
    expect(MissingDependencyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'DEPENDENCY_MISSING', status: 500 });
    expect((error as Error).message).toBe(
      'Doing the thing needs @macaron/no-such-package, which is not installed: npm install @macaron/no-such-package',
    );
  });

  it('any other failure of the import is rethrown as it is', async () => {
    const broken = new SyntaxError('Unexpected token');
    await expect(
      importOptionalPeer('@redocly/openapi-core', 'Loading', () => Promise.reject(broken)),
    ).rejects.toBe(broken);
  });

  describe('core installed without @redocly/openapi-core', () => {
    let project: string;

    beforeAll(() => {
      // A project outside the workspace, so nothing resolves through pnpm's links.
      project = mkdtempSync(join(tmpdir(), 'macaron-no-redocly-'));
      const installed = join(project, 'node_modules', '@macaron', 'core');
      cpSync(join(corePackage, 'dist'), join(installed, 'dist'), { recursive: true });
      cpSync(join(corePackage, 'package.json'), join(installed, 'package.json'));
      writeFileSync(
        join(project, 'spec.json'),
        JSON.stringify({
          openapi: '3.0.3',
          info: { title: 't', version: '1' },
          paths: {},
          components: {
            schemas: { Thing: { type: 'object', properties: { id: { type: 'string' } } } },
          },
        }),
      );
    });

    afterAll(() => rmSync(project, { recursive: true, force: true }));

    function run(script: string): string {
      writeFileSync(join(project, 'main.mjs'), script);
      return execFileSync(process.execPath, ['main.mjs'], { cwd: project, encoding: 'utf8' });
    }

    it('loading a spec file says what to install', () => {
      const output = run(`
        import { loadApi } from '@macaron/core';
        try { await loadApi('spec.json'); console.log('loaded'); }
        catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }
      `);
      expect(JSON.parse(output)).toEqual({
        code: 'DEPENDENCY_MISSING',
        message:
          'Loading a spec that is not compiled (see `macaron compile`) needs @redocly/openapi-core, which is not installed: npm install @redocly/openapi-core',
      });
    });

    it('a compiled spec loads and builds objects without it', async () => {
      const compiled = await compileSpec(join(project, 'spec.json'));
      writeFileSync(join(project, 'spec.api.json'), JSON.stringify(compiled));
      const output = run(`
        import { loadApi } from '@macaron/core';
        const api = await loadApi('spec.api.json');
        console.log(JSON.stringify(api.model('Thing').fromJSON({ id: 'a' }).toJSON()));
      `);
      expect(JSON.parse(output)).toEqual({ id: 'a' });
    });
  });
});
