import { describe, it } from 'vitest';
import { checkDifferential, checkDifferentialSequence } from './check-differential.js';
import { checkPathDifferential } from './check-path-differential.js';
import type { DifferentialFactory, DifferentialOptions } from './differential-harness.js';
import { differentialSettings } from './differential-settings.js';
import { knownSequences } from './known-sequences.js';

/**
 * Registers the differential tests as a vitest suite: `describe(name)` with the random
 * properties (`checkDifferential`, and `checkPathDifferential` unless `paths` is false) and the known sequences that found problems before. The
 * factory runs for every sequence, each on tables of its own.
 */
export function runBackendDifferential(
  name: string,
  factory: DifferentialFactory,
  options: DifferentialOptions,
): void {
  const settings = differentialSettings(options, process.env);
  describe(name, () => {
    it(
      `random sequences of up to ${settings.maxOperations} operations give the reference's results, errors and stored items`,
      () => checkDifferential(name, factory, options),
      settings.timeoutMs,
    );
    if (options.paths !== false)
      it(
        `random sequences of up to ${settings.maxOperations} direct calls on nested paths give the reference's outcomes and stored items`,
        () => checkPathDifferential(name, factory, options),
        settings.timeoutMs,
      );
    for (const sequence of knownSequences) {
      it(
        sequence.name,
        () => checkDifferentialSequence(factory, sequence.operations, options),
        options.timeoutMs ?? 120_000,
      );
    }
  });
}
