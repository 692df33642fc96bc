import { it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { describeOnMoto, useMotoEngine } from '../moto-engine.js';
import { createRawAccess } from '../raw-document-client.js';
import { checkDifferentialProperty, expectSameBehaviour } from './differential-check.js';
import { type DifferentialTarget, differentialTimeoutMs } from './differential-model.js';

const capabilities = { ...dynamoDbCapabilities, transactions: true, ttl: false };

describeOnMoto('differential: memory backend vs dynamodb on moto', () => {
  const moto = useMotoEngine();

  function target(): DifferentialTarget {
    const raw = createRawAccess(moto().rawClient);
    return {
      backend: createDynamoDbBackend({ client: moto().client, capabilities }),
      readRaw: (table, key) => raw.get(table, key),
    };
  }

  it(
    'random operation sequences, transactions included, give identical results, errors and stored items',
    async () => {
      // No condition compares with null, none takes begins_with on bytes (moto differs there).
      await checkDifferentialProperty(
        'moto',
        target,
        { transactions: true, stringOrdering: true },
        { runs: 25, seed: 20261127 },
      );
    },
    differentialTimeoutMs(process.env),
  );

  // A shrunk counterexample: moto ends this walk without the empty last page (P-53 allows both).
  it('[P-53] an index page of limit 1 ending exactly at the end, with a filter matching nothing', async () => {
    await expectSameBehaviour(target(), [
      { op: 'saveMany', items: [{ pk: 'a', sk: 0, tag: 't1', rank: 0 }] },
      {
        op: 'query',
        partition: 't1',
        index: 'byTag',
        filter: { attr: 's', eq: 'b' },
        limit: 1,
        reverse: true,
      },
      { op: 'deleteMany', keys: [{ pk: 'a', sk: 0 }] },
    ]);
  }, 60_000);

  it('[P-51] index pages of limit 1, reversed, over tied sort values with a filter', async () => {
    await expectSameBehaviour(target(), [
      {
        op: 'saveMany',
        items: [
          { pk: 'a', sk: 0, tag: 't2', rank: 0, list: [] },
          { pk: 'a', sk: 2, tag: 't2', rank: 0 },
          { pk: 'a', sk: 1 },
        ],
      },
      {
        op: 'query',
        partition: 't2',
        index: 'byTag',
        filter: { attr: 'list', exists: false },
        limit: 1,
        reverse: true,
      },
      { op: 'create', model: 'Item', data: { pk: 'a', sk: 0 } },
    ]);
  }, 60_000);

  it('[P-53] table pages of limit 1 within a sort range, a filter matching nothing', async () => {
    await expectSameBehaviour(target(), [
      {
        op: 'saveMany',
        items: [
          { pk: 'b', sk: 1 },
          { pk: 'b', sk: 0 },
          { pk: 'a', sk: 0 },
        ],
      },
      { op: 'query', partition: 'b', sort: { lte: 1 }, filter: { attr: 'n', eq: -1 }, limit: 1 },
      { op: 'create', model: 'Item', data: { pk: 'a', sk: 0 } },
    ]);
  }, 60_000);
});
