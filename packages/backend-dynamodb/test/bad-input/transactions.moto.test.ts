import {
  InvalidKeyError,
  InvalidRequestError,
  TransactionCanceledError,
  ValidationError,
} from '@macaron/core';
import { expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { describeOnMoto, useMotoEngine } from '../moto-engine.js';
import { createRawAccess } from '../raw-document-client.js';
import {
  type CatalogueContext,
  expectTypedError,
  openCatalogue,
  snapshot,
  type TypedErrorClass,
} from './bad-input-fixture.js';

const capabilities = { ...dynamoDbCapabilities, transactions: true, ttl: false };

interface TransactionCase {
  name: string;
  rule: string;
  error: TypedErrorClass;
  code: string;
  attempt(context: CatalogueContext): Promise<unknown>;
}

const transactionCases: readonly TransactionCase[] = [
  {
    name: 'a transaction of 101 actions (over maxTransactionActions)',
    rule: 'P-71',
    error: InvalidRequestError,
    code: 'INVALID_REQUEST',
    attempt: ({ api, Pair }) =>
      api.transaction((transaction) => {
        for (let s = 0; s < 101; s++) transaction.create(new Pair({ p: 'tx', s }));
      }),
  },
  {
    name: 'a transaction touching one item twice',
    rule: 'P-71',
    error: InvalidRequestError,
    code: 'INVALID_REQUEST',
    attempt: ({ api, Thing }) =>
      api.transaction((transaction) => {
        transaction.update(Thing, 'seed', { set: { count: 2 } });
        transaction.delete(Thing, 'seed');
      }),
  },
  {
    name: 'a transaction holding one invalid object among valid actions',
    rule: 'P-71',
    error: ValidationError,
    code: 'VALIDATION_ERROR',
    attempt: ({ api, Thing, Pair }) =>
      api.transaction((transaction) => {
        transaction.update(Thing, 'seed', { set: { count: 2 } });
        transaction.create(new Pair({ p: 'tx', s: 1 }));
        transaction.save(new Thing({ id: 'other', count: Number.NaN }));
      }),
  },
  {
    name: 'a transaction with a key of the wrong type among valid actions',
    rule: 'P-7',
    error: InvalidKeyError,
    code: 'INVALID_KEY',
    attempt: ({ api, Thing, Pair }) =>
      api.transaction((transaction) => {
        transaction.update(Thing, 'seed', { set: { count: 2 } });
        transaction.delete(Pair, { p: 'a', s: 'one' });
      }),
  },
  {
    name: 'a transaction whose create finds its key taken',
    rule: 'P-69',
    error: TransactionCanceledError,
    code: 'TRANSACTION_CANCELED',
    attempt: ({ api, Thing, Pair }) =>
      api.transaction((transaction) => {
        transaction.update(Thing, 'seed', { set: { count: 2 } });
        transaction.create(new Pair({ p: 'a', s: 1 }));
      }),
  },
  {
    name: 'a transaction whose check fails',
    rule: 'P-69',
    error: TransactionCanceledError,
    code: 'TRANSACTION_CANCELED',
    attempt: ({ api, Thing, Pair }) =>
      api.transaction((transaction) => {
        transaction.create(new Pair({ p: 'tx', s: 1 }));
        transaction.check(Thing, 'seed', { attr: 'count', gt: 100 });
      }),
  },
  {
    name: 'a transaction saving a stale version',
    rule: 'P-70',
    error: TransactionCanceledError,
    code: 'TRANSACTION_CANCELED',
    attempt: ({ api, Thing, Versioned }) =>
      api.transaction((transaction) => {
        transaction.update(Thing, 'seed', { set: { count: 2 } });
        transaction.save(new Versioned({ id: 'v', balance: 0, revision: 7 }));
      }),
  },
];

describeOnMoto(
  'bad-input catalogue, transactions, on moto: a typed error, and the store unchanged',
  () => {
    const moto = useMotoEngine();

    it.each(
      transactionCases.map(
        (entry) => [`[${entry.rule}] ${entry.name}: ${entry.error.name}`, entry] as const,
      ),
    )(
      '%s',
      async (_title, entry) => {
        const backend = createDynamoDbBackend({ client: moto().client, capabilities });
        const context = await openCatalogue(backend);
        const before = await snapshot(moto().rawClient, context.api);
        const error = await expectTypedError(() => entry.attempt(context), entry.error);
        expect(error.code).toBe(entry.code);
        expect(await snapshot(moto().rawClient, context.api)).toEqual(before);
      },
      60_000,
    );

    it('[P-71] a transaction of exactly 100 actions applies all of them', async () => {
      const backend = createDynamoDbBackend({ client: moto().client, capabilities });
      const { api, Pair } = await openCatalogue(backend);
      await api.transaction((transaction) => {
        for (let s = 0; s < 100; s++) transaction.create(new Pair({ p: 'tx', s }));
      });
      const raw = createRawAccess(moto().rawClient);
      for (let s = 0; s < 100; s++)
        expect(await raw.get(Pair.descriptor.table.name, { p: 'tx', s })).toEqual({ p: 'tx', s });
    }, 60_000);
  },
);
