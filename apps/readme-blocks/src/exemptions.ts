/**
 * The blocks the harness checks without running them, each with its reason. Keep this list
 * short: every entry is a place where a README could drift unnoticed.
 */

/** Shell commands that are recognised but not run. */
export const commandsNotRun: readonly { readonly command: RegExp; readonly reason: string }[] = [
  {
    command: /^npx pnpm@[\d.]+ test$/,
    reason:
      'runs every test of the repository, this one included: it would run itself. CI runs it ' +
      '(the last step of .ci/run), and its pnpm version is checked against packageManager',
  },
  // The guides' maintainer commands, typed in this repository (docs/engines.md, performance.md,
  // reliability.md, backends/postgres.md): what they name is still checked
  // (repository-commands.ts).
  {
    command: /^pnpm install$/,
    reason:
      "installs the repository's dependencies, which this suite runs on: run in a test, it " +
      "would change node_modules under the other packages' tests. CI's .ci/run runs it first",
  },
  {
    command: /^pnpm( --filter \S+)? build$/,
    reason:
      'builds the repository (or a package), whose built output this suite runs on: a minute ' +
      "or more, rewriting dist/ under the tests using it. CI's .ci/run builds before the tests",
  },
  {
    command: /^bash scripts\/moto\/setup\.sh$/,
    reason:
      'installs the pinned moto server from PyPI into .venv-moto/ (network, Python 3.11); ' +
      "CI's .ci/run runs it",
  },
  {
    command: /^(\w+=\S*\s+)*npx vitest run(\s.*)?$/,
    reason:
      "runs a package's own suite or a long run of part of it (minutes: fault-proxy seeds of " +
      "5 s each, moto, a PostgreSQL server); `npx pnpm@<version> test` runs every package's " +
      'tests',
  },
  {
    command: /^(\w+=\S*\s+)*pnpm --filter \S+ (differential:long|load)$/,
    reason:
      'long runs by design: 2000 random sequences per engine (the package tests draw fewer), ' +
      'a load of 30 s or more (a measurement, not a CI gate, as run-load.mjs says)',
  },
  {
    command: /^pnpm --filter bench bench(:smoke)?$/,
    reason:
      'the benchmark: ten minutes, rewriting docs/performance.md (the smoke run: about ' +
      "a minute, printing figures that are not a gate); CI's .ci/run runs the smoke run",
  },
];

/** ts blocks that are type-checked but not run, found by a line they contain. */
export const modulesNotRun: readonly {
  readonly readme: string;
  readonly contains: string;
  readonly reason: string;
}[] = [
  {
    readme: 'packages/backend-conformance/README.md',
    contains: 'runBackendConformance(',
    reason:
      'it declares a vitest suite, which only vitest can run; packages/backend-memory runs ' +
      'the same call as its own conformance test',
  },
  {
    readme: 'docs/persistence-semantics.md',
    contains: 'runBackendConformance(',
    reason:
      'it declares a vitest suite, which only vitest can run; packages/backend-memory runs ' +
      'the same call as its own conformance test',
  },
  {
    readme: 'docs/backends/authoring.md',
    contains: 'runBackendConformance(',
    reason:
      'it declares a vitest suite, which only vitest can run; packages/backend-conformance ' +
      'runs this file (test/guide/conformance.test.ts, which test/guide checks is the block)',
  },
  {
    readme: 'docs/backends/authoring.md',
    contains: 'runBackendDifferential(',
    reason:
      'it declares a vitest suite of random sequences, which only vitest can run; the ' +
      "conformance README's checkDifferential example runs the same property (on the memory " +
      'backend: packages/backend-conformance/test/guide has no copy of this file)',
  },
  {
    readme: 'docs/backends/authoring.md',
    contains: 'runJsonSchemaSuite(',
    reason:
      'it declares a vitest suite, which only vitest can run; packages/backend-memory runs ' +
      'the same call on the vendored suite (test/json-schema-suite.test.ts)',
  },
];
