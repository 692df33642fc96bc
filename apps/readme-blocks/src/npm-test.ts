import { spawnSync } from 'node:child_process';
import { blockEnvironment } from './run-module.js';

/**
 * `npm test` in the scratch project: its package.json's `test` script (a README's json block
 * written there), as a reader's shell runs it. npm puts the `node_modules/.bin` folders above
 * the project on the PATH, so the test runners this package depends on are found.
 */
export function runNpmTest(project: string): { code: number | null; output: string } {
  const result = spawnSync('npm', ['test'], {
    cwd: project,
    env: blockEnvironment,
    encoding: 'utf8',
    timeout: 100_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}
