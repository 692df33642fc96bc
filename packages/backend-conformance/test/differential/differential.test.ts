import type { StorageBackend } from '@macaron/core/backend';
import { describe, expect, it } from 'vitest';
import {
  checkDifferential,
  checkDifferentialSequence,
  checkPathDifferential,
  type DifferentialOptions,
  runBackendDifferential,
} from '../../src/differential/index.js';
import { createMapBackend } from '../guide/map-backend.js';
import { createMapHarness } from '../guide/map-harness.js';

const options: DifferentialOptions = {
  reference: () => ({ backend: createMapBackend() }),
  capabilities: createMapBackend().capabilities,
  runs: 20,
};
// Explicit: a long run's DIFFERENTIAL_RUNS must not change what these tests expect.
const noEnvironment = {};

// The map harness with its backend wrapped: the raw reads still see what was stored.
function wrappedMapHarness(wrap: (backend: StorageBackend) => StorageBackend) {
  const harness = createMapHarness();
  return { ...harness, backend: wrap(harness.backend) };
}

// Right everywhere but one result: an update applies its changes, and returns the item as
// it was before them (a plausible bug: returning the old image instead of the new one).
function stale(backend: StorageBackend): StorageBackend {
  return {
    ...backend,
    async updateItem(request) {
      const before = await backend.getItem({
        model: request.model,
        key: request.key,
        consistent: true,
      });
      await backend.updateItem(request);
      return before ?? { ...request.key };
    },
  };
}

// The whole entry, as a backend's test file calls it: the map backend agrees with itself.
runBackendDifferential('the guide’s map backend against itself', () => createMapHarness(), options);

describe('differential harness', () => {
  it('fails on a backend that corrupts one result, with the shrunk sequence and the operation', async () => {
    const run = checkDifferential(
      'stale',
      () => wrappedMapHarness(stale),
      { ...options, runs: 100, seed: 7 },
      noEnvironment,
    );
    const error: Error = await run.then(
      () => expect.fail('the corrupted backend passed'),
      (failure: Error) => failure,
    );
    console.info(error.message);
    expect(error.message).toContain('Counterexample: [[');
    expect(error.message).toMatch(/seed: 7, path: /);
    // The first differing operation, named with its index and data, and both results.
    expect(error.message).toMatch(/operation \d+: \{"op":"update"/);
    expect(error.message).toMatch(
      /reference: \{"value":\{.*\}\}\n {2}backend: +\{"value":\{.*\}\}/,
    );
  });

  it('the path property fails on a backend that ignores the condition of an update on a nested path, with the call', async () => {
    // A plausible bug: the condition of an update ignored where it names a nested path.
    const nestedConditionIgnored = (backend: StorageBackend): StorageBackend => ({
      ...backend,
      updateItem: (request) =>
        backend.updateItem(
          request.condition && JSON.stringify(request.condition).includes('"attr":[')
            ? { ...request, condition: undefined }
            : request,
        ),
    });
    const run = checkPathDifferential(
      'nested condition ignored',
      () => wrappedMapHarness(nestedConditionIgnored),
      { ...options, runs: 200, seed: 7 },
      noEnvironment,
    );
    const error: Error = await run.then(
      () => expect.fail('the corrupted backend passed'),
      (failure: Error) => failure,
    );
    expect(error.message).toContain('Counterexample: [[');
    expect(error.message).toMatch(/call \d+: \{.*"op":"update"/);
    expect(error.message).toMatch(/reference: \{"outcome":.*\n {2}backend: +\{"outcome":/);
  });

  it('compares errors by class and code: a plain Error is not a MacaronError', async () => {
    const throwing = (backend: StorageBackend): StorageBackend => ({
      ...backend,
      async deleteItem() {
        throw new Error('connection reset');
      },
    });
    await expect(
      checkDifferentialSequence(
        () => wrappedMapHarness(throwing),
        [{ op: 'delete', model: 'Doc', key: { id: 'x', name: 'm' } }],
        options,
      ),
    ).rejects.toThrow(
      /operation 0: .*\n {2}reference: \{"value":false\}\n {2}backend: +\{"error":"not a MacaronError: Error: connection reset"\}/,
    );
  });

  it('compares the items stored at the end, read raw', async () => {
    const harness = createMapHarness();
    const extra = {
      ...harness,
      raw: {
        get: async (table: string, key: Parameters<typeof harness.raw.get>[1]) => {
          const item = await harness.raw.get(table, key);
          return item && { ...item, written: 'by someone else' };
        },
      },
    };
    await expect(
      checkDifferentialSequence(
        () => extra,
        [{ op: 'create', model: 'Item', data: { pk: 'a', sk: 0 } }],
        options,
      ),
    ).rejects.toThrow(/the items stored at the end, read raw/);
  });

  it('runs transactions on both sides: a backend without them fails alike', async () => {
    await checkDifferentialSequence(
      () => createMapHarness(),
      [
        {
          op: 'transaction',
          actions: [
            { kind: 'create', model: 'Item', data: { pk: 'a', sk: 0 } },
            { kind: 'save', model: 'Doc', data: { id: 'x', name: 'm' } },
            { kind: 'update', model: 'Item', key: { pk: 'a', sk: 1 }, changes: { set: { n: 1 } } },
            { kind: 'delete', model: 'Doc', key: { id: 'y', name: 'n' } },
            {
              kind: 'check',
              model: 'Item',
              key: { pk: 'b', sk: 0 },
              condition: { attr: 'n', exists: true },
            },
          ],
        },
      ],
      options,
    );
  });
});
