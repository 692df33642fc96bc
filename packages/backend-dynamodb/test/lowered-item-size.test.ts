import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadApi, type StoredItem, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';

// `capabilities.maxItemBytes` lowered (for an engine of a lower limit) is held on the backend's
// own writes, as a lowered batch or transaction size is, and as the other backends hold it
// (P-15): an item past it is refused before anything is sent, naming its entry. It was left to
// the engine, which took an item between the two limits, and an oversized batch named an
// earlier entry DynamoDB had taken.

const spec = {
  openapi: '3.0.3',
  info: { title: 'lowered item size', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' }, text: { type: 'string' } },
        'x-persist': { table: 'notes', key: 'id' },
      },
    },
  },
};

async function setUp(client: DynamoDBClient, transactions: boolean, maxItemBytes: number) {
  const backend = createDynamoDbBackend({ client, capabilities: { transactions, maxItemBytes } });
  const api = await loadApi(spec, { backend, tablePrefix: `lowered-${maxItemBytes}-` });
  await backend.ensureTables(api.tables());
  return { backend, model: api.persistent('Note').descriptor };
}

async function failureOf(attempt: () => Promise<unknown>): Promise<unknown> {
  return attempt().then(
    () => undefined,
    (error: unknown) => error,
  );
}

type Setup = Awaited<ReturnType<typeof setUp>>;

// Each write form, with a small item first and the one past the limit second.
function writes(
  { backend, model }: Setup,
  small: StoredItem,
  large: StoredItem,
  transactions: boolean,
) {
  const forms: [string, () => Promise<unknown>][] = [
    ['putItem', () => backend.putItem({ model, item: large })],
    [
      'batchWrite entry 1',
      () =>
        backend.batchWrite([
          { model, put: small },
          { model, put: large },
        ]),
    ],
  ];
  if (transactions)
    forms.push([
      'transactWrite action 1',
      () =>
        backend.transactWrite([
          { kind: 'put', model, item: small },
          { kind: 'put', model, item: large },
        ]),
    ]);
  return forms;
}

async function expectRefusedUnwritten(
  setup: Setup,
  small: StoredItem,
  large: StoredItem,
  limit: number,
) {
  const transactions = setup.backend.capabilities.transactions;
  for (const [where, attempt] of writes(setup, small, large, transactions)) {
    const failure = await failureOf(attempt);
    expect(failure, where).toBeInstanceOf(ValidationError);
    expect((failure as Error).message, where).toMatch(
      new RegExp(`^${where}: item too large: / is \\d+ bytes, above the ${limit}-byte item limit`),
    );
  }
  // Nothing was sent: not even the small item of the batch or transaction.
  const { model } = setup;
  for (const id of ['small', 'large'])
    expect(await setup.backend.getItem({ model, key: { id } }), id).toBeUndefined();
  // An item within the limit is written as ever.
  await setup.backend.putItem({ model, item: small });
  expect(await setup.backend.getItem({ model, key: { id: 'small' } })).toEqual(small);
}

describe('capabilities.maxItemBytes lowered (dynalite)', () => {
  const local = useLocalEngine();

  it('refuses an item past it in putItem and batchWrite, naming the entry, with nothing sent', async () => {
    const setup = await setUp(local().engine.client, false, 1_000);
    const small = { id: 'small', text: 'x'.repeat(500) };
    const large = { id: 'large', text: 'x'.repeat(2_000) };
    await expectRefusedUnwritten(setup, small, large, 1_000);
  });
});

describeOnMoto('capabilities.maxItemBytes lowered to an engine’s own limit (moto)', () => {
  const moto = useMotoEngine();

  it('refuses an item moto would refuse (from 405,000 bytes) in putItem, batchWrite and transactWrite, naming it', async () => {
    const setup = await setUp(moto().client, true, 405_000);
    const small = { id: 'small', text: 'x'.repeat(2_000) };
    // Past moto's limit, within DynamoDB's 409,600 bytes.
    const large = { id: 'large', text: 'x'.repeat(406_000) };
    await expectRefusedUnwritten(setup, small, large, 405_000);
  });
});
