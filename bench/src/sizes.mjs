// How long each measurement runs, for a full run and for the smoke run.

/** Per-process timing of the library workers. */
export const workerSizes = {
  full: {
    firstPassMs: 400,
    firstPassCalls: 1500,
    firstPassMaxMs: 2500,
    warmupMs: 100,
    sampleMs: 60,
    samples: 5,
    minCalls: 5,
    bulkItems: 10_000,
  },
  smoke: {
    firstPassMs: 0,
    firstPassCalls: 0,
    firstPassMaxMs: 0,
    warmupMs: 5,
    sampleMs: 5,
    samples: 1,
    minCalls: 2,
    bulkItems: 100,
  },
};

/** Per-process timing of the memory-backend workers (calls of a few µs: more calls a sample). */
export const memorySizes = {
  full: { warmupMs: 200, sampleMs: 80, samples: 5, minCalls: 20 },
  smoke: { warmupMs: 5, sampleMs: 5, samples: 1, minCalls: 2 },
};
