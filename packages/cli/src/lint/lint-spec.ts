import { resolve } from 'node:path';
import {
  compiledMarker,
  createRefResolver,
  type LoadApiOptions,
  readSpecFileSync,
  type SpecProblem,
} from '@macaron/core';
import { checkOptionNames, optionNames } from '@macaron/core/backend';
import {
  BaseResolver,
  createConfig,
  getLineColLocation,
  type LocationObject,
  lint,
  type NormalizedProblem,
  parseYaml,
  Source,
  YamlParseError,
} from '@redocly/openapi-core';
import { createMacaronPlugin } from '../redocly-plugin.js';
import { findCircularRef } from './circular-refs.js';
import { isLocalReference } from './empty-token-refs.js';
import { findSpecProblems } from './find-spec-problems.js';
import { type LintPreset, lintConfig } from './lint-config.js';
import { isSchemaNameInMapping } from './mapping-names.js';

/** Options of `lintSpec`. */
export interface LintSpecOptions extends Pick<LoadApiOptions, 'compat' | 'persist'> {
  /** A preset (`macaron` by default): Macaron's rules alone, or with redocly's `recommended`. */
  preset?: LintPreset;
  /** A redocly.yaml to take the rules from instead (Macaron's plugin is added to it). */
  configPath?: string;
}

// The keys LintSpecOptions may have; any other is refused (P-110).
const lintOptionNames = optionNames('compat', 'persist', 'preset', 'configPath');

/** A lint problem with its place in a source file. */
export interface LintProblem {
  /** Absolute path (or URL) of the file. */
  file: string;
  /** Line, from 1. */
  line: number;
  /** Column, from 1. */
  column: number;
  /** `error` or `warn`. */
  severity: 'error' | 'warn';
  /** The rule, e.g. `operation-4xx-response` or `macaron/x-persist`. */
  rule: string;
  /** What is wrong. */
  message: string;
  /** JSON pointer of the problem in that file. */
  pointer: string;
}

// Macaron's findings are located with URI-encoded pointers (see locatePointer), as redocly's
// line lookup reads them: decoded, the pointer is the finding's own (`p%20q`, not `p q`).
function decodePointer(pointer: string): string {
  return pointer
    .split('/')
    .map((token) => {
      try {
        return decodeURIComponent(token);
      } catch {
        return token;
      }
    })
    .join('/');
}

function toLintProblem(problem: NormalizedProblem): LintProblem {
  const location = problem.location[0] as LocationObject | undefined;
  const position = location ? getLineColLocation(location) : undefined;
  const pointer = (location?.pointer ?? '#/').replace(/^#/, '');
  return {
    file: location?.source.absoluteRef ?? '',
    line: position?.start.line ?? 1,
    column: position?.start.col ?? 1,
    severity: problem.severity === 'error' ? 'error' : 'warn',
    rule: problem.ruleId,
    message: problem.message,
    pointer: problem.ruleId.startsWith('macaron/') ? decodePointer(pointer) : pointer,
  };
}

/**
 * The problem of a root document redocly throws for rather than reports: not an object
 * (empty, an array, a scalar), or a `$ref` chain that comes back to itself. `generate` and
 * `compile` call these spec errors; lint reports them as one problem.
 */
function documentProblem(specPath: string, error: unknown): LintProblem | undefined {
  if (!(error instanceof Error)) return undefined;
  const problem = (
    message: string,
    pointer = '',
    line = 1,
    column = 1,
    file = resolve(specPath),
  ): LintProblem => ({
    file,
    line,
    column,
    severity: 'error',
    rule: 'spec',
    message,
    pointer,
  });
  const notObject = /^Document must be JSON object, got (\w+)/.exec(error.message);
  if (notObject) {
    const text = readSpecFileSync(specPath);
    const parsed = text.trim() === '' ? undefined : parseYaml(text);
    const what =
      parsed === undefined || parsed === null
        ? 'empty'
        : Array.isArray(parsed)
          ? 'a list'
          : `a ${typeof parsed}`;
    return problem(`the document is ${what}: an OpenAPI or Swagger document is an object`);
  }
  if (error.message.startsWith('Self-referencing circular pointer')) {
    const found = findCircularRef(parseYaml(readSpecFileSync(specPath)), resolve(specPath));
    const message =
      'a $ref that comes back to itself through $refs (a circular pointer): it names no schema';
    if (found === undefined) return problem(message);
    // The cycle may be in files the spec's $refs name: located in the one that holds it.
    // As redocly read it: positions counted without a byte order mark, CRLF as LF.
    const text = readSpecFileSync(found.file);
    const { start } = getLineColLocation({
      source: new Source(found.file, text),
      pointer: `#${found.pointer.replaceAll('%', '%25')}`,
      reportOnKey: false,
    } as LocationObject);
    return problem(message, found.pointer, start.line, start.col, found.file);
  }
  return undefined;
}

/**
 * Lints a spec file with Macaron's rules (the `macaron/recommended` config of the plugin), with
 * redocly's `recommended` rules too in the `recommended` preset, or with the rules of a
 * redocly.yaml; sorted by file and position.
 */
export async function lintSpec(
  specPath: string,
  options: LintSpecOptions = {},
): Promise<LintProblem[]> {
  checkOptionNames(options, lintOptionNames, 'lintSpec', TypeError);
  const { preset, configPath, ...specOptions } = options;
  let findings: Awaited<ReturnType<typeof findSpecProblems>>;
  try {
    findings = await findSpecProblems(specPath, specOptions);
  } catch (error) {
    const unreadable = redoclyTypeFailure(specPath, error) ?? stackProblem(specPath, error);
    if (unreadable) return [unreadable];
    throw error;
  }
  const plugin = createMacaronPlugin({ findings: () => findings });
  const raw = await lintConfig(
    plugin,
    configPath === undefined ? { preset: preset ?? 'macaron' } : { configPath },
  );
  const config = await createConfig(raw, configPath === undefined ? {} : { configPath });
  let found: NormalizedProblem[];
  const externalRefResolver = createRefResolver({ BaseResolver, Source }, config);
  try {
    found = await lint({ ref: specPath, config, externalRefResolver });
  } catch (error) {
    if (externalRefResolver.refused.length > 0) return refusedProblems(externalRefResolver.refused);
    // The root file itself is not one to read: a FIFO, a device, too large, not UTF-8.
    const unreadable = externalRefResolver.unreadable.find(
      ({ file }) => file === resolve(specPath),
    );
    if (unreadable) return [fileProblem(specPath, '', unreadable.message)];
    // Not an OpenAPI or Swagger document at all (no `openapi`/`swagger` version redocly knows).
    if (error instanceof Error && error.message.startsWith('Unsupported specification'))
      return [
        fileProblem(
          specPath,
          '',
          isCompiledSpec(specPath)
            ? 'a compiled spec (what macaron compile writes): lint the spec it was compiled from'
            : 'not an OpenAPI 3.0, 3.1, 3.2 or Swagger 2.0 document (an openapi or swagger field with its version is needed)',
        ),
      ];
    // A version redocly does not take (`openapi: 3.0` unquoted is a number, `3.3.0` unknown).
    if (error instanceof Error && /^(Invalid|Unsupported) OpenAPI version/.test(error.message))
      return [
        fileProblem(
          specPath,
          '/openapi',
          `${error.message}: OpenAPI 3.0, 3.1 or 3.2 as a string (openapi: "3.0.3"), or swagger: "2.0"`,
        ),
      ];
    const broken =
      documentProblem(specPath, error) ??
      redoclyTypeFailure(specPath, error) ??
      stackProblem(specPath, error);
    if (broken) return [broken];
    // redocly reports a broken file that a $ref names, but throws for the root file itself.
    if (!(error instanceof YamlParseError)) throw error;
    return [
      {
        file: error.source.absoluteRef,
        line: Number.isNaN(error.line) ? 1 : error.line,
        column: Number.isNaN(error.col) ? 1 : error.col,
        severity: 'error',
        rule: 'yaml',
        message: `not valid YAML: ${error.message.replace(/ in ".*$/, '')}`,
        pointer: '',
      },
    ];
  }
  // A file of the spec refused at its place (redocly only says it could not follow the $ref).
  if (externalRefResolver.refused.length > 0) return refusedProblems(externalRefResolver.refused);
  // A reference of the root file into itself that core follows (see `isLocalReference`).
  const rootFile = resolve(specPath);
  const root = await externalRefResolver.cache.get(rootFile)?.catch(() => undefined);
  const followed = (problem: NormalizedProblem) =>
    problem.ruleId === 'no-unresolved-refs' &&
    problem.location[0]?.source.absoluteRef === rootFile &&
    root !== undefined &&
    'parsed' in root &&
    isLocalReference(root.parsed, problem.location[0]?.pointer);
  const problems = found
    .filter((problem) => !problem.ignored && !isSchemaNameInMapping(problem) && !followed(problem))
    .map(toLintProblem);
  return onePerPlace(problems).sort(
    (left, right) =>
      byCodeUnits(left.file, right.file) ||
      left.line - right.line ||
      left.column - right.column ||
      byCodeUnits(left.rule, right.rule),
  );
}

// Not `localeCompare`: the report's order must not depend on the machine's locale (`ä.yaml`
// sorts after `z.yaml` under LANG=sv_SE, before it under de_DE; `B` before `a` only in C).
function byCodeUnits(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

// A file two schemas reach (two `$ref`s to it) is checked through each: what is wrong at one
// place of it is one problem, reported and counted once.
function onePerPlace(problems: readonly LintProblem[]): LintProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = JSON.stringify([problem.file, problem.pointer, problem.rule, problem.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// What `macaron compile` writes: linted through the spec it came from, whose files and lines
// the findings can name.
function isCompiledSpec(specPath: string): boolean {
  try {
    const parsed = JSON.parse(readSpecFileSync(specPath)) as unknown;
    return typeof parsed === 'object' && parsed !== null && compiledMarker in parsed;
  } catch {
    return false;
  }
}

// redocly walks a spec recursively: a thousand schemas that refer to each other can lead it
// deeper than Node's default stack. The spec is not wrong; the stack is short.
function stackProblem(specPath: string, error: unknown): LintProblem | undefined {
  if (!(error instanceof RangeError && /call stack/i.test(error.message))) return undefined;
  return fileProblem(
    specPath,
    '',
    `its $refs lead @redocly/openapi-core through more schemas, one inside the other, than Node's stack holds (${error.message}): run the command with more stack, node --stack-size=7000 node_modules/@macaron/cli/dist/bin.js … (7000 fits the usual 8 MB thread stack; past it, raise that first: ulimit -s unlimited, then --stack-size=65500)`,
  );
}

// The files of the spec the resolver refused to give redocly (YAML aliases that repeat too
// much, values JSON has not), at their place in their file.
function refusedProblems(refused: readonly SpecProblem[]): LintProblem[] {
  return refused.map(({ file = '', pointer, message }) => {
    let start = { line: 1, col: 1 };
    try {
      ({ start } = getLineColLocation({
        source: new Source(file, readSpecFileSync(file)),
        pointer: `#${pointer.replaceAll('%', '%25')}`,
        reportOnKey: false,
      } as LocationObject));
    } catch {
      // redocly's YAML AST parser throws for some values js-yaml reads (a !!binary in a flow
      // mapping): the problem keeps its pointer, at the file's first line.
    }
    return {
      file,
      line: start.line,
      column: start.col,
      severity: 'error',
      rule: 'spec',
      message,
      pointer,
    };
  });
}

// A problem of the spec file as a whole, reported at its first line.
function fileProblem(specPath: string, pointer: string, message: string): LintProblem {
  return {
    file: resolve(specPath),
    line: 1,
    column: 1,
    severity: 'error',
    rule: 'spec',
    message,
    pointer,
  };
}

// @redocly/openapi-core failing on a spec it should read, inside its own type tables (2.64's
// OpenAPI 3.2 types throw "Unknown type name found: string" on an OAuth2 deviceAuthorization
// flow with scopes): a problem of reading the file, not a failure of the command.
function redoclyTypeFailure(specPath: string, error: unknown): LintProblem | undefined {
  if (!(error instanceof Error) || !error.message.startsWith('Unknown type name found'))
    return undefined;
  return fileProblem(
    specPath,
    '',
    `@redocly/openapi-core cannot read this spec (${error.message}), a fault of its own OpenAPI 3.2 types (an OAuth2 deviceAuthorization flow with scopes meets it): nothing else is checked`,
  );
}
