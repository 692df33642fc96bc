import { parseArgs } from 'node:util';
import { UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** One option of a command. */
export interface CommandOption {
  /** `string` takes a value, `boolean` is a flag. */
  type: 'string' | 'boolean';
  /** One-letter alias, e.g. `o` for `--output`. */
  short?: string;
  /** Name of the value in the help, e.g. `FILE`. */
  value?: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
  /** One line for the help. */
  description: string;
  /** An empty value means something (`--prefix ''`: no prefix); else it is wrong usage. */
  allowsEmpty?: boolean;
}

/** What a command receives: its positional arguments and options. */
export interface CommandInput {
  /** Positional arguments, in order. */
  positionals: string[];
  /** Options by long name. */
  options: Record<string, string | boolean | undefined>;
  /** Where to read and write. */
  io: CliIo;
}

/** A command of the `macaron` binary. */
export interface Command {
  /** Words that select it, e.g. `generate` or `tables plan`. */
  name: string;
  /** Positional arguments as the help shows them, e.g. `<spec>`. */
  arguments: string;
  /** How many positional arguments it needs. */
  positionals: number;
  /** Takes more of its last positional argument (`<spec...>`), as many as given. */
  variadic?: boolean;
  /** One line for `macaron --help`. */
  summary: string;
  /** More lines for the command's own help. */
  details?: string;
  /** Its options, by long name. */
  options: Record<string, CommandOption>;
  /** Runs it; resolves to the exit code. */
  run(input: CommandInput): Promise<number>;
}

/** The command's help text. */
export function commandHelp(command: Command): string {
  const words = ['macaron', command.name, command.arguments, '[options]'].filter(Boolean);
  const lines = [`Usage: ${words.join(' ')}`, ''];
  lines.push(command.summary);
  if (command.details) lines.push('', command.details);
  lines.push('', 'Options:');
  const entries = Object.entries({
    ...command.options,
    help: { type: 'boolean', short: 'h', description: 'Show this help' } as CommandOption,
  }).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${
      option.type === 'string'
        ? ` ${option.value ?? (option.choices ? option.choices.join('|') : 'VALUE')}`
        : ''
    }`;
    return [flag, option.description] as const;
  });
  const width = Math.max(...entries.map(([flag]) => flag.length));
  for (const [flag, description] of entries) lines.push(`  ${flag.padEnd(width)}  ${description}`);
  return `${lines.join('\n')}\n`;
}

/** Parses a command's arguments; wrong usage throws a `UsageError` naming the problem. */
export function parseCommandArgs(
  command: Command,
  args: readonly string[],
): { positionals: string[]; options: Record<string, string | boolean | undefined> } | 'help' {
  const options = Object.fromEntries(
    Object.entries({
      ...command.options,
      help: { type: 'boolean', short: 'h', description: '' } as CommandOption,
    }).map(([name, option]) => [
      name,
      { type: option.type, ...(option.short ? { short: option.short } : {}) },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // `--prefix -dev`: parseArgs takes no value starting with - after a space, and says how to
    // give one on lines the one-line message would drop. Said on one line, with the value.
    const ambiguous = /^Option '(-[^']+)' argument is ambiguous/.exec((error as Error).message);
    if (ambiguous) {
      const given = ambiguous[1]!;
      const name = given.startsWith('--')
        ? given.slice(2)
        : (Object.entries(command.options).find(
            ([, option]) => `-${option.short}` === given,
          )?.[0] ?? given);
      const at = args.findIndex(
        (arg, index) => arg === given && args[index + 1]?.startsWith('-') === true,
      );
      const value = args[at + 1] ?? '';
      throw new UsageError(
        `${given} ${value}: a value starting with - is given as --${name}=${value}; else ${given} is missing its value (see macaron ${command.name} --help)`,
      );
    }
    const message = (error as Error).message.replace(/\. To specify a positional.*$/s, '');
    throw new UsageError(`${message.replace(/\.$/, '')} (see macaron ${command.name} --help)`);
  }
  if (parsed.values.help === true) return 'help';
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const [name, option] of Object.entries(command.options)) {
    const value = values[name];
    // `-o "$OUT"` with OUT unset: as for an empty spec path, the script is wrong, and no
    // default (a free port, the working directory) stands in for the value it meant to give.
    if (value === '' && option.allowsEmpty !== true)
      throw new UsageError(
        `--${name} needs ${option.value ?? option.choices?.join('|') ?? 'a value'}, not an empty argument (see macaron ${command.name} --help)`,
      );
    if (option.choices && typeof value === 'string' && !option.choices.includes(value)) {
      throw new UsageError(
        `--${name} must be one of ${option.choices.join(', ')}, not ${JSON.stringify(value)}`,
      );
    }
  }
  if (parsed.positionals.length < command.positionals) {
    throw new UsageError(
      `macaron ${command.name} needs ${command.arguments} (see macaron ${command.name} --help)`,
    );
  }
  // `macaron lint ''` (an unset variable in a script) names no file: wrong usage, not a folder.
  const empty = parsed.positionals.indexOf('');
  if (empty !== -1 && (empty < command.positionals || command.variadic)) {
    throw new UsageError(
      `macaron ${command.name} needs ${command.arguments}, not an empty argument (see macaron ${command.name} --help)`,
    );
  }
  // `-` reads stdin or writes stdout elsewhere; here it would name a file called `-`, or none.
  // Specs are files (their $refs are read from their folder), as are the outputs of -o. A `-`
  // past the arguments a command takes is an unexpected one, as any other word there.
  const taken = command.variadic
    ? parsed.positionals
    : parsed.positionals.slice(0, command.positionals);
  if (taken.includes('-'))
    throw new UsageError(
      `macaron ${command.name} reads ${command.arguments} from files, not - (stdin): give a path (./- for a file named -)`,
    );
  for (const [name, option] of Object.entries(command.options))
    if (option.value === 'FILE' && values[name] === '-')
      throw new UsageError(
        `--${name} takes a file, not - (stdin or stdout): give a path (./- for a file named -)`,
      );
  if (parsed.positionals.length > command.positionals && !command.variadic) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(parsed.positionals[command.positionals])} (see macaron ${command.name} --help)`,
    );
  }
  return { positionals: parsed.positionals, options: values };
}
