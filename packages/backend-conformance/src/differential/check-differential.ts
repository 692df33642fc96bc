import fc from 'fast-check';
import { describeValue } from './comparable-value.js';
import {
  type DifferentialFactory,
  type DifferentialOptions,
  onFreshHarness,
} from './differential-harness.js';
import type { DifferentialOperation } from './differential-operation.js';
import { type DifferentialEnvironment, differentialSettings } from './differential-settings.js';
import { expectSame } from './expect-same.js';
import { type GeneratorOptions, operationArbitrary } from './operation-arbitrary.js';
import { runSequence, type SequenceRun } from './run-sequence.js';

function runOn(
  factory: DifferentialFactory,
  operations: readonly DifferentialOperation[],
): Promise<SequenceRun> {
  return onFreshHarness(factory, (harness) => runSequence(harness, operations));
}

/**
 * Runs one sequence on fresh tables of the reference and of the backend under test, and
 * fails at the first operation whose result or error differs, or when the stored items
 * differ at the end. A shrunk counterexample of `checkDifferential` pastes in as `operations`.
 */
export async function checkDifferentialSequence(
  factory: DifferentialFactory,
  operations: readonly DifferentialOperation[],
  options: Pick<DifferentialOptions, 'reference'>,
): Promise<void> {
  const expected = await runOn(options.reference, operations);
  const actual = await runOn(factory, operations);
  for (const [index, operation] of operations.entries()) {
    expectSame(
      actual.outcomes[index],
      expected.outcomes[index],
      `operation ${index}: ${describeValue(operation)}`,
    );
  }
  expectSame(actual.stored, expected.stored, 'the items stored at the end, read raw');
}

/** What the generator may draw for a backend with these capabilities and engine differences. */
function generatorOptions(options: DifferentialOptions): GeneratorOptions {
  return {
    transactions: options.capabilities.transactions,
    stringOrdering:
      options.engineDifferences?.includes('conditions-compare-strings-by-utf16') !== true,
  };
}

/**
 * The differential property: random sequences of operations, each run on the reference and
 * on the backend under test with `checkDifferentialSequence`. Seeded and bounded by default;
 * `DIFFERENTIAL_RUNS`, `DIFFERENTIAL_SEED` and `DIFFERENTIAL_MAX_OPERATIONS` change the run
 * (the seed is printed first). A failure throws fast-check's report: the seed, the path and
 * the shrunk sequence.
 */
export async function checkDifferential(
  name: string,
  factory: DifferentialFactory,
  options: DifferentialOptions,
  environment: DifferentialEnvironment = process.env,
): Promise<void> {
  const settings = differentialSettings(options, environment);
  console.info(
    `[${name}] seed ${settings.seed}, ${settings.runs} runs of up to ${settings.maxOperations} operations`,
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(operationArbitrary(generatorOptions(options)), {
        minLength: 1,
        maxLength: settings.maxOperations,
      }),
      (operations) => checkDifferentialSequence(factory, operations, options),
    ),
    // The differing operation and both outcomes go into the report itself, not only its cause.
    { seed: settings.seed, numRuns: settings.runs, includeErrorInReport: true },
  );
}
