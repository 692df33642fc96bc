import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOptionalPeer, peerMissing } from '../src/backend.js';
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

  it("peerMissing is the import's .catch(): the same error, and other failures as they are", async () => {
    const error = await import('@macaron/no-such-package' as string)
      .catch(peerMissing('@macaron/no-such-package', 'Doing the thing'))
      .catch((caught: unknown) => caught);
    expect(MissingDependencyError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'Doing the thing needs @macaron/no-such-package, which is not installed: npm install @macaron/no-such-package',
    );
    const broken = new SyntaxError('Unexpected token');
    await expect(Promise.reject(broken).catch(peerMissing('pg', 'Doing'))).rejects.toBe(broken);
  });

  it('any other failure of the import is rethrown as it is', async () => {
    const broken = new SyntaxError('Unexpected token');
    await expect(
      importOptionalPeer('@redocly/openapi-core', 'Loading', () => Promise.reject(broken)),
    ).rejects.toBe(broken);
  });

  it('a module the peer needs that is missing is rethrown as it is, not as the peer missing', async () => {
    // A real peer whose own dependency is missing: Node's message names the peer in its stack.
    const project = mkdtempSync(join(tmpdir(), 'macaron-broken-peer-'));
    try {
      const peer = join(project, 'node_modules', 'some-peer');
      mkdirSync(peer, { recursive: true });
      writeFileSync(join(peer, 'index.js'), "require('some-peer-dependency');\n");
      const load = createRequire(join(project, 'main.cjs'));
      const nested = await importOptionalPeer('some-peer', 'Doing', async () =>
        load('some-peer'),
      ).catch((caught: unknown) => caught);
      expect(MissingDependencyError.isInstance(nested)).toBe(false);
      expect(nested).toMatchObject({ code: 'MODULE_NOT_FOUND' });
      expect((nested as Error).message).toMatch(/^Cannot find module 'some-peer-dependency'/);
      expect((nested as Error).message).toContain('some-peer');

      const missing = await importOptionalPeer('absent-peer', 'Doing', async () =>
        load('absent-peer/sub/path'),
      ).catch((caught: unknown) => caught);
      expect(MissingDependencyError.isInstance(missing)).toBe(true);
      expect((missing as Error).cause).toMatchObject({ code: 'MODULE_NOT_FOUND' });
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it("Deno's words for a package it cannot find are the peer missing too, and only the peer's", async () => {
    // What Deno 2.9 throws for `import('pg')` from a package that has no `pg` beside it.
    const denoError = (name: string, referrer: string) =>
      Object.assign(
        new TypeError(
          `Could not find package '${name}' from referrer 'file:///app/node_modules/${referrer}' (${referrer.split('/dist/')[0]}@0.1.0).`,
        ),
        { code: 'ERR_MODULE_NOT_FOUND' },
      );
    const missing = await Promise.reject(
      denoError('pg', '@macaron/backend-postgres/dist/client/owned-pool-client.js'),
    )
      .catch(peerMissing('pg', 'Doing'))
      .catch((caught: unknown) => caught);
    expect(MissingDependencyError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toBe(
      'Doing needs pg, which is not installed: npm install pg',
    );
    expect((missing as Error).cause).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    // The peer is there, a package it needs is not: its name is only in the referrer.
    const nested = denoError('pg-pool', 'pg/lib/index.js');
    await expect(Promise.reject(nested).catch(peerMissing('pg', 'Doing'))).rejects.toBe(nested);
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
