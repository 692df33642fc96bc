// Copied from packages/backend-dynamodb/test/differential/differential-check.ts (the same model and checks for every engine);
// a shared differential harness in @macaron/backend-conformance would remove the copy.
import { createMemoryBackend } from '@macaron/backend-memory';
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  type DifferentialTarget,
  differentialSettings,
  type GeneratorOptions,
  type Operation,
  operationArbitrary,
  runSequence,
} from './differential-model.js';

/** Runs one sequence on a fresh memory backend and on the engine, and compares everything. */
export async function expectSameBehaviour(
  engine: DifferentialTarget,
  operations: readonly Operation[],
): Promise<void> {
  const memory = createMemoryBackend();
  const expected = await runSequence(
    { backend: memory, readRaw: async (table, key) => memory.readItem(table, key) },
    operations,
  );
  const actual = await runSequence(engine, operations);
  for (const [index, operation] of operations.entries()) {
    expect(
      actual.outcomes[index],
      `operation ${index}: ${JSON.stringify(operation, (_name, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`,
    ).toEqual(expected.outcomes[index]);
  }
  expect(actual.stored).toEqual(expected.stored);
}

/**
 * The bounded property: seeded random sequences, identical on both backends. With
 * `DIFFERENTIAL_RUNS` set it runs that many with a random seed, printed first.
 */
export async function checkDifferentialProperty(
  label: string,
  engine: () => DifferentialTarget,
  generator: GeneratorOptions,
  defaults: { runs: number; seed: number },
): Promise<void> {
  const settings = differentialSettings(defaults, process.env);
  console.info(
    `[differential ${label}] seed ${settings.seed}, ${settings.runs} runs of up to ${settings.maxOperations} operations`,
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(operationArbitrary(generator), { minLength: 1, maxLength: settings.maxOperations }),
      async (operations) => expectSameBehaviour(engine(), operations),
    ),
    { seed: settings.seed, numRuns: settings.runs },
  );
}
