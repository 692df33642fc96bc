import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageDir } from './macaron-process.js';

/** What a partial install holds beside @macaron/cli, built as it is published. */
export interface PartialInstallOptions {
  /** Macaron packages installed beside it (linked from the workspace). */
  linked?: readonly string[];
  /** Macaron packages copied whole (their own dependencies resolve from the CLI's). */
  copied?: readonly string[];
  /** Third-party dependencies left out (`pg`). */
  without?: readonly string[];
  /** The spec file written at `spec.yaml`. */
  spec: string;
}

/** A scratch project and its `macaron` bin. */
export interface PartialInstall {
  path: string;
  run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * @macaron/cli installed without some of its peers, as yarn 1 (no peers), npm's
 * `--legacy-peer-deps` or an optional peer left out install it: the built package, its own
 * third-party dependencies, and only the Macaron packages named.
 */
export function partialInstall(prefix: string, options: PartialInstallOptions): PartialInstall {
  const path = mkdtempSync(join(tmpdir(), `macaron-cli-${prefix}-`));
  const modules = join(path, 'node_modules');
  const own = join(packageDir, 'node_modules');
  for (const [name, from] of [
    ['cli', packageDir],
    ...(options.copied ?? []).map((name) => [name, join(own, '@macaron', name)] as const),
  ] as const) {
    const installed = join(modules, '@macaron', name);
    mkdirSync(installed, { recursive: true });
    cpSync(join(from, 'dist'), join(installed, 'dist'), { recursive: true });
    cpSync(join(from, 'package.json'), join(installed, 'package.json'));
  }
  const without = new Set(['@macaron', ...(options.without ?? [])]);
  for (const entry of readdirSync(own))
    if (!without.has(entry)) symlinkSync(join(own, entry), join(modules, entry));
  for (const name of options.linked ?? [])
    symlinkSync(join(own, '@macaron', name), join(modules, '@macaron', name));
  writeFileSync(join(path, 'spec.yaml'), options.spec);
  const bin = join(modules, '@macaron', 'cli', 'dist', 'bin.js');
  return {
    path,
    run: (args) =>
      new Promise((resolve) => {
        execFile(process.execPath, [bin, ...args], { cwd: path }, (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        );
      }),
  };
}

/** A spec with one persisted model. */
export const notesSpec = `openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    Note:
      type: object
      x-persist: { table: notes, key: id }
      required: [id]
      properties: { id: { type: string } }
`;
