import { type ItemKey, loadApi, type ModelDescriptor } from '@macaron/core';
import fc from 'fast-check';
import { describeValue } from './comparable-value.js';
import {
  type DifferentialFactory,
  type DifferentialHarness,
  type DifferentialOptions,
  onFreshHarness,
} from './differential-harness.js';
import { errorOutcome } from './differential-outcome.js';
import { type DifferentialEnvironment, differentialSettings } from './differential-settings.js';
import { expectSame } from './expect-same.js';
import { pathGeneratorOptions, pathKeys, pathOperationArbitrary } from './path-arbitrary.js';
import type { PathOperation } from './path-operation.js';

/** The spec of path sequences: one open model, so that any attribute may hold anything. */
function createPathSpec(): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'Macaron differential path runs', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['pk', 'sk'],
          'x-persist': { table: 'things', key: 'pk', sort: 'sk' },
          properties: { pk: { type: 'string' }, sk: { type: 'string' } },
        },
      },
    },
  };
}

const safe = (value: bigint) =>
  value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A value as plain data that tells every stored type apart: bigints spelt `5n` (a backend
 * must read `5n` back as 5, P-18; an engine's raw read may give either, `looseNumbers`),
 * bytes in hex, sets sorted, names sorted.
 */
function comparable(value: unknown, looseNumbers = false): unknown {
  const inner = (nested: unknown) => comparable(nested, looseNumbers);
  if (value === undefined) return '<none>';
  if (typeof value === 'bigint') return looseNumbers && safe(value) ? Number(value) : `${value}n`;
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('hex') };
  if (value instanceof Set) return { set: [...value].map(inner).map(describeValue).sort() };
  if (Array.isArray(value)) return value.map(inner);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((name) => [name, inner((value as Record<string, unknown>)[name])]),
    );
  return Object.is(value, -0) ? 0 : value;
}

let prefixCounter = 0;

/** Each call's outcome, and every key's item after it (read raw where the harness can). */
async function runPathSequence(
  harness: DifferentialHarness,
  operations: readonly PathOperation[],
): Promise<unknown[]> {
  prefixCounter += 1;
  const api = await loadApi(createPathSpec(), {
    backend: harness.backend,
    tablePrefix: `dp${prefixCounter}${Math.random().toString(36).slice(2, 8)}-`,
  });
  const model: ModelDescriptor = api.persistent('Thing').descriptor;
  await harness.backend.ensureTables?.(api.tables());
  const { backend } = harness;
  // Raw reads give the engine's own numbers: 5 may come back as 5n (the backend's must not).
  const read = async (key: ItemKey) =>
    harness.raw
      ? comparable(await harness.raw.get(model.table.name, key), true)
      : comparable(await backend.getItem({ model, key, consistent: true }), true);
  const steps: unknown[] = [];
  for (const operation of operations) {
    let outcome: unknown;
    try {
      const { condition } = operation;
      const conditional = condition ? { condition } : {};
      const result =
        operation.op === 'put'
          ? await backend.putItem({ model, item: operation.item, ...conditional })
          : operation.op === 'update'
            ? await backend.updateItem({
                model,
                key: operation.key,
                operations: operation.operations,
                ...conditional,
              })
            : await backend.deleteItem({ model, key: operation.key, ...conditional });
      outcome = { value: comparable(result) };
    } catch (error) {
      outcome = errorOutcome(error);
    }
    const stored = await Promise.all(pathKeys.map(read));
    steps.push({ outcome, stored });
  }
  return steps;
}

function runOn(factory: DifferentialFactory, operations: readonly PathOperation[]) {
  return onFreshHarness(factory, (harness) => runPathSequence(harness, operations));
}

/**
 * Runs one sequence of direct backend calls on the reference and on the backend under test,
 * and fails at the first call whose outcome (result, or error class and code) or whose
 * stored items afterwards differ: a refused call must change nothing on either.
 */
export async function checkPathSequence(
  factory: DifferentialFactory,
  operations: readonly PathOperation[],
  options: Pick<DifferentialOptions, 'reference'>,
): Promise<void> {
  const expected = await runOn(options.reference, operations);
  const actual = await runOn(factory, operations);
  for (const [index, operation] of operations.entries())
    expectSame(
      actual[index],
      expected[index],
      `call ${index}: ${describeValue(comparable(operation))}`,
    );
}

/**
 * The nested-path property: random sequences of `putItem`, `updateItem` (several actions on
 * nested paths) and `deleteItem` calls with conditions across types, each run with
 * `checkPathSequence`. Sized and seeded as `checkDifferential` (the same variables).
 */
export async function checkPathDifferential(
  name: string,
  factory: DifferentialFactory,
  options: DifferentialOptions,
  environment: DifferentialEnvironment = process.env,
): Promise<void> {
  const settings = differentialSettings(options, environment);
  const generator = pathGeneratorOptions(
    options.engineDifferences ?? [],
    options.paths !== false && options.paths?.wholeNumbers === true,
  );
  console.info(
    `[${name}, paths] seed ${settings.seed}, ${settings.runs} runs of up to ${settings.maxOperations} calls`,
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(pathOperationArbitrary(generator), {
        minLength: 1,
        maxLength: settings.maxOperations,
      }),
      (operations) => checkPathSequence(factory, operations, options),
    ),
    { seed: settings.seed, numRuns: settings.runs, includeErrorInReport: true },
  );
}
