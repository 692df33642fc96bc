import { describe, expect, it } from 'vitest';
import { differentialSettings } from './differential-settings.js';

describe('differentialSettings', () => {
  it('bounded by default: the seed and size a test file gives, two minutes', () => {
    expect(differentialSettings({ runs: 25, seed: 11 }, {})).toEqual({
      runs: 25,
      seed: 11,
      maxOperations: 15,
      timeoutMs: 120_000,
    });
    expect(differentialSettings({}, {})).toMatchObject({ runs: 25, seed: 20261126 });
  });

  it('DIFFERENTIAL_RUNS makes a long run: a random seed and no practical timeout', () => {
    const settings = differentialSettings({ runs: 25, seed: 11 }, { DIFFERENTIAL_RUNS: '2000' });
    expect(settings.runs).toBe(2000);
    expect(settings.seed).not.toBe(11);
    expect(settings.timeoutMs).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
  });

  it('DIFFERENTIAL_SEED replays a run, DIFFERENTIAL_MAX_OPERATIONS sets the longest sequence', () => {
    expect(
      differentialSettings(
        { seed: 11 },
        {
          DIFFERENTIAL_RUNS: '700',
          DIFFERENTIAL_SEED: '1582238164',
          DIFFERENTIAL_MAX_OPERATIONS: '40',
        },
      ),
    ).toMatchObject({ runs: 700, seed: 1582238164, maxOperations: 40 });
  });
});
