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
];
