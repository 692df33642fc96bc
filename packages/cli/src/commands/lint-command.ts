import type { Command } from '../cli/command.js';
import { terminalStyle } from '../cli/terminal-style.js';
import type { LintProblem } from '../lint/lint-spec.js';
import { displayPath, resolveSpecFile } from '../spec/spec-file.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `macaron lint <spec>`: redocly's recommended rules plus Macaron's, non-zero on errors. */
export const lintCommand: Command = {
  name: 'lint',
  arguments: '<spec>',
  positionals: 1,
  summary:
    "Lint a spec with redocly's recommended rules and Macaron's own (x-persist, schemas, what DynamoDB cannot store).",
  details:
    'Prints one problem a line, as file:line:column severity message (rule). Exits 1 when there are errors.\nThe same rules are in @macaron/cli/redocly-plugin for a redocly.yaml of your own.',
  options: {
    format: {
      type: 'string',
      choices: ['text', 'json'],
      description: 'Output format: text (default) or json',
    },
  },
  async run({ positionals, options, io }) {
    const spec = resolveSpecFile(io, positionals[0]!);
    // Loaded on demand, like every heavy module: `macaron --help` stays quick.
    const { lintSpec } = await import('../lint/lint-spec.js');
    const problems = await lintSpec(spec);
    const errors = problems.filter((problem) => problem.severity === 'error').length;
    const warnings = problems.length - errors;
    const shown = (problem: LintProblem) => ({
      ...problem,
      file: displayPath(io, problem.file),
    });
    if (options.format === 'json') {
      io.stdout.write(
        `${JSON.stringify({ problems: problems.map(shown), errors, warnings }, null, 2)}\n`,
      );
      return errors > 0 ? 1 : 0;
    }
    const style = terminalStyle(io.stdout, io.env);
    for (const problem of problems.map(shown)) {
      const severity = problem.severity === 'error' ? style.red('error') : style.yellow('warning');
      io.stdout.write(
        `${problem.file}:${problem.line}:${problem.column} ${severity} ${problem.message} ${style.dim(`(${problem.rule})`)}\n`,
      );
    }
    const summary =
      problems.length === 0
        ? style.green(`${displayPath(io, spec)}: no problems`)
        : `${displayPath(io, spec)}: ${errors > 0 ? style.red(plural(errors, 'error')) : plural(0, 'error')}, ${plural(warnings, 'warning')}`;
    io.stdout.write(`${summary}\n`);
    return errors > 0 ? 1 : 0;
  },
};
