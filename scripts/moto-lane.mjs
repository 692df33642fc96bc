// The moto lane: the DynamoDB backend's tests against moto, a second DynamoDB engine that
// needs Python. `node scripts/moto-lane.mjs` (run by `pnpm test` before the tests) installs
// the pinned moto into .venv-moto/ with scripts/moto/setup.sh when the virtualenv is missing
// or holds other pins, and only then; without a usable Python it installs nothing and
// fails nothing: the lane is skipped, and scripts/test-summary.mjs says so.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const requirements = join(root, 'scripts/moto/requirements.txt');
const venvPython = join(root, '.venv-moto/bin/python');
// setup.sh copies the requirements it installed here: equal files mean an up-to-date venv.
const installedRequirements = join(root, '.venv-moto/.requirements.txt');

/** The command that enables the lane, as every message names it. */
export const enableMotoCommand = 'bash scripts/moto/setup.sh';

/** Whether the venv exists and holds exactly the pinned requirements. */
export function motoLaneInstalled() {
  return (
    existsSync(venvPython) &&
    existsSync(installedRequirements) &&
    readFileSync(installedRequirements, 'utf8') === readFileSync(requirements, 'utf8')
  );
}

/** Why the lane cannot be installed here, or undefined when a Python 3.11+ is available. */
export function missingPython() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: runs before turbo, not in a task; setup.sh reads the same override.
  const python = process.env.PYTHON ?? 'python3';
  const probe = spawnSync(
    python,
    ['-c', 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)'],
    { stdio: 'ignore' },
  );
  if (probe.error) return `${python} not found`;
  if (probe.status !== 0) return `${python} is older than 3.11 or has no venv module`;
  return undefined;
}

function ensureMotoLane() {
  if (motoLaneInstalled()) return;
  const missing = missingPython();
  if (missing) return; // the summary reports the skipped lane and how to enable it
  console.log('moto lane: installing the pinned moto server into .venv-moto/ (once)…');
  const setup = spawnSync('bash', [join(root, 'scripts/moto/setup.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) {
    console.log(`moto lane: the install failed (above); its tests will be skipped.`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureMotoLane();
