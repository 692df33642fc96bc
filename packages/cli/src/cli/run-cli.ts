import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MacaronError } from '@macaron/core';
import { shownText } from '@macaron/core/backend';
import { compileCommand } from '../commands/compile-command.js';
import { dynamodbLocalCommand } from '../commands/dynamodb-local-command.js';
import { generateCommand } from '../commands/generate-command.js';
import { lintCommand } from '../commands/lint-command.js';
import { tablesCommands } from '../commands/tables-command.js';
import { CliError, UsageError } from './cli-error.js';
import { type CliIo, processIo } from './cli-io.js';
import { type Command, commandHelp, parseCommandArgs } from './command.js';
import { terminalStyle } from './terminal-style.js';

const commands: readonly Command[] = [
  lintCommand,
  generateCommand,
  compileCommand,
  ...tablesCommands,
  dynamodbLocalCommand,
];

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return String(manifest.version);
}

function mainHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: macaron <command> [options]',
    '',
    'Lint, compile and type an OpenAPI spec with x-persist, and provision its DynamoDB tables.',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run macaron <command> --help for its options.',
    '',
  ].join('\n');
}

function tablesHelp(): string {
  const tables = commands.filter((command) => command.name.startsWith('tables '));
  const width = Math.max(...tables.map((command) => command.name.length));
  return [
    'Usage: macaron tables <plan|create|delete|export> <spec> [options]',
    '',
    'Provision the DynamoDB tables of a spec, or export them for deployment.',
    '',
    ...tables.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
  ].join('\n');
}

function findCommand(
  argv: readonly string[],
): { command: Command; args: string[] } | string | { usage: string } {
  const [first, second] = argv;
  if (first === 'tables') {
    if (second === '--help' || second === '-h') return tablesHelp();
    // As `macaron` alone: no command is wrong usage, with the list on stdout and exit 2.
    if (second === undefined) return { usage: tablesHelp() };
    const command = commands.find((candidate) => candidate.name === `tables ${second}`);
    if (!command)
      throw new UsageError(
        `unknown tables command ${JSON.stringify(second)}: use plan, create, delete or export`,
      );
    return { command, args: argv.slice(2) };
  }
  const command = commands.find((candidate) => candidate.name === first);
  if (!command)
    throw new UsageError(`unknown command ${JSON.stringify(first)} (see macaron --help)`);
  return { command, args: argv.slice(1) };
}

// `macaron help lint` (or `help tables plan`): that command's help, as `macaron lint --help`.
function helpOf(words: readonly string[]): string {
  if (words.length === 1 && words[0] === 'tables') return tablesHelp();
  const name = words.join(' ');
  const command = commands.find((candidate) => candidate.name === name);
  if (!command)
    throw new UsageError(`unknown command ${JSON.stringify(name)} (see macaron --help)`);
  return commandHelp(command);
}

// This package's built files: an import of theirs is the CLI's own.
const builtFiles = fileURLToPath(new URL('..', import.meta.url));

// A Macaron package the CLI's own code loads when a command runs (the DynamoDB backend, a
// peer dependency) that is not installed: an install left peers out (`--legacy-peer-deps`, or
// automatic peer installs turned off). A package another package fails to find is not named:
// the CLI could not say what to install.
function missingMacaronPackage(error: unknown): string | undefined {
  if ((error as { code?: unknown } | undefined)?.code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  const found = /Cannot find package '(@macaron\/[^/']+)' imported from (.+)$/m.exec(
    (error as Error).message,
  );
  return found !== null && found[2]!.startsWith(builtFiles) ? found[1] : undefined;
}

// One line for any failure; the stack only on request (MACARON_DEBUG=1).
function reportFailure(error: unknown, io: CliIo): number {
  const style = terminalStyle(io.stderr, io.env);
  const missing = missingMacaronPackage(error);
  const message =
    error instanceof CliError || MacaronError.isInstance(error)
      ? (error as Error).message.split('\n')[0]
      : missing !== undefined
        ? `this command needs ${missing} installed beside @macaron/cli (a peer dependency: npm install ${missing})`
        : error instanceof Error
          ? `unexpected failure: ${error.message.split('\n')[0]}`
          : `unexpected failure: ${String(error)}`;
  // A message quotes what the user typed (an argument, an option's value): its line breaks
  // and bidi controls are escaped, so the line shows it as it is.
  io.stderr.write(`${style.red('macaron:')} ${shownText(message ?? '')}\n`);
  if (io.env.MACARON_DEBUG && error instanceof Error && error.stack)
    io.stderr.write(`${error.stack}\n`);
  return error instanceof CliError ? error.exitCode : 1;
}

/**
 * Runs the `macaron` command line (arguments without `node` and the script) and resolves to
 * the exit code: 0 on success, 1 on failure or lint errors, 2 on wrong usage. Failures are
 * written to stderr as one line.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    const [first] = argv;
    // `macaron help -h` asks for help about help: the main one, as `macaron help`.
    if (first === 'help' && argv.length > 1 && !['-h', '--help'].includes(argv[1]!)) {
      io.stdout.write(helpOf(argv.slice(1)));
      return 0;
    }
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout.write(mainHelp());
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    const found = findCommand(argv);
    if (typeof found === 'string') {
      io.stdout.write(found);
      return 0;
    }
    if ('usage' in found) {
      io.stdout.write(found.usage);
      return 2;
    }
    const parsed = parseCommandArgs(found.command, found.args);
    if (parsed === 'help') {
      io.stdout.write(commandHelp(found.command));
      return 0;
    }
    return await found.command.run({ ...parsed, io });
  } catch (error) {
    return reportFailure(error, io);
  }
}
