import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BlockFailure } from './block-failure.js';
import { commandsNotRun } from './exemptions.js';
import { runMacaron } from './macaron-commands.js';
import type { MarkdownBlock } from './markdown-blocks.js';
import { checkNpmInstall, packagesInstalledBy } from './npm-install-check.js';
import { runNpmTest } from './npm-test.js';
import { repositoryRoot } from './repository.js';
import { checkRepositoryCommand } from './repository-commands.js';
import { runService, type ServiceRun } from './service-check.js';
import { shellCommands } from './shell-commands.js';
import { pinnedPnpmVersion } from './workspace-packages.js';

// The quick start's command appears in several READMEs: one run answers for all.
const serviceRuns = new Map<string, Promise<ServiceRun>>();

/**
 * Runs or checks every command of an sh/bash block, by what the command is:
 * - `npx pnpm@V start`: started from the repository root, its URL must answer `/ping`, and
 *   Ctrl-C must stop it cleanly (no pnpm error, no AWS SDK warning, no install output);
 * - `npm install …`: the packages must exist (see npm-install-check.ts);
 * - `macaron …` (or `npx macaron …`, the project's installed CLI): run with the built CLI in
 *   the README's scratch project, exit code 0, and the file its `-o` names written;
 * - `npm test`: the scratch project's test script (from a README's package.json block), exit 0;
 * - `cd DIR`: the folder must exist; the block's later commands are checked from it;
 * - commands listed in exemptions.ts: not run, for the reason given there, but what they name
 *   (a script, a test file, a folder) must exist (see repository-commands.ts).
 * Any other command fails: add a rule for it here, or an exemption with its reason.
 */
export async function checkShellBlock(block: MarkdownBlock, project: string): Promise<void> {
  // The folder a maintainer's `cd` reached, from the repository root (repository-commands.ts).
  let directory = repositoryRoot;
  for (const { text, line } of shellCommands(block)) {
    const pnpm = /^npx pnpm@(\S+) /.exec(text);
    if (pnpm && pnpm[1] !== pinnedPnpmVersion()) {
      throw new BlockFailure(
        block,
        `runs pnpm ${pnpm[1]}, but package.json's packageManager is pnpm@${pinnedPnpmVersion()}`,
        line,
      );
    }
    if (/^cd\s/.test(text) || commandsNotRun.some(({ command }) => command.test(text))) {
      const checked = checkRepositoryCommand(text, directory);
      if (checked.problems.length > 0) {
        throw new BlockFailure(block, `\`${text}\`: ${checked.problems.join('; ')}`, line);
      }
      directory = checked.directory;
      continue;
    }
    if (/^npx pnpm@\S+ start$/.test(text)) {
      await checkService(block, text, line);
    } else if (packagesInstalledBy(text)) {
      checkNpmInstall(block, text, line);
    } else if (text === 'npm test') {
      const { code, output } = runNpmTest(project);
      if (code !== 0) {
        throw new BlockFailure(block, `\`${text}\` exits ${code}:\n${output.trim()}`, line);
      }
    } else if (/^(npx\s+)?macaron\s/.test(text)) {
      const { code, output } = await runMacaron(project, text.replace(/^npx\s+/, ''));
      if (code !== 0) {
        throw new BlockFailure(block, `\`${text}\` exits ${code}:\n${output.trim()}`, line);
      }
      const written = /\s-o\s+(\S+)/.exec(text)?.[1];
      if (written && !existsSync(join(project, written))) {
        throw new BlockFailure(block, `\`${text}\` exits 0 but writes no ${written}`, line);
      }
    } else {
      throw new BlockFailure(
        block,
        `no rule runs \`${text}\`: add one to shell-blocks.ts, or an exemption with its reason`,
        line,
      );
    }
  }
}

async function checkService(block: MarkdownBlock, command: string, line: number): Promise<void> {
  let started = serviceRuns.get(command);
  if (!started) {
    started = runService(command);
    serviceRuns.set(command, started);
  }
  let run: ServiceRun;
  try {
    run = await started;
  } catch (error) {
    throw new BlockFailure(block, `\`${command}\`: ${(error as Error).message}`, line);
  }
  const problems = [
    run.pingStatus === 200 ? undefined : `GET ${run.url}/ping answered ${run.pingStatus}`,
    // npx ends by the SIGINT it got, as shells expect of Ctrl-C; anything else is a failure.
    run.exitCode === 0 || run.exitCode === 130 || run.signal === 'SIGINT'
      ? undefined
      : `Ctrl-C ended it with ${run.signal ?? `exit ${run.exitCode}`}`,
    // A recursive `pnpm --filter … start` fails outright on Ctrl-C. A plain script run still
    // prints ELIFECYCLE now and then, when pnpm handles the SIGINT before the service has
    // ended (pnpm's own race, seen with a service that exits 0): not checked, or this would flake.
    run.output.includes('ERR_PNPM') ? 'pnpm failed after the stop' : undefined,
    run.output.includes('NodeVersionSupportWarning')
      ? 'the AWS SDK printed its Node warning'
      : undefined,
    /Progress: resolved|Packages: \+/.test(run.output)
      ? 'an install printed its progress'
      : undefined,
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) {
    throw new BlockFailure(
      block,
      `\`${command}\`: ${problems.join('; ')}; its output:\n${run.output}`,
      line,
    );
  }
}
