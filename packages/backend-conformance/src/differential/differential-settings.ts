import type { DifferentialOptions } from './differential-harness.js';

/** The environment variables a run reads, as `process.env` has them. */
export type DifferentialEnvironment = Readonly<Record<string, string | undefined>>;

/** The size and seed of one run. */
export interface DifferentialSettings {
  /** Sequences to draw. */
  runs: number;
  /** The seed fast-check draws them with. */
  seed: number;
  /** The longest sequence. */
  maxOperations: number;
  /** Timeout of the whole run, in ms. */
  timeoutMs: number;
}

/** One day: long runs take as long as they need. */
const longRunTimeoutMs = 24 * 60 * 60 * 1000;

/**
 * Bounded by default (seeded, so CI draws the same sequences every time); long with
 * `DIFFERENTIAL_RUNS`, with a random seed unless `DIFFERENTIAL_SEED` replays one.
 */
export function differentialSettings(
  options: Pick<DifferentialOptions, 'runs' | 'seed' | 'maxOperations' | 'timeoutMs'>,
  environment: DifferentialEnvironment,
): DifferentialSettings {
  const long = environment.DIFFERENTIAL_RUNS !== undefined;
  const seed =
    environment.DIFFERENTIAL_SEED !== undefined
      ? Number(environment.DIFFERENTIAL_SEED)
      : long
        ? Math.floor(Math.random() * 2 ** 31)
        : (options.seed ?? 20261126);
  return {
    runs: Number(environment.DIFFERENTIAL_RUNS ?? options.runs ?? 25),
    seed,
    maxOperations: Number(environment.DIFFERENTIAL_MAX_OPERATIONS ?? options.maxOperations ?? 15),
    timeoutMs: long ? longRunTimeoutMs : (options.timeoutMs ?? 120_000),
  };
}
