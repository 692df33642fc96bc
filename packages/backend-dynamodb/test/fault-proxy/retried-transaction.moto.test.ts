import { loadApi, TransactionCanceledError, WriteOutcomeUnknownError } from '@macaron/core';
import { expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { counterSchema } from '../counter-schema.js';
import { describeOnMoto, useMotoEngine } from '../moto-engine.js';
import { createRawAccess } from '../raw-document-client.js';

// A transaction whose first attempt failed ambiguously (a 500 that, here, the engine never
// saw) and whose SDK retry is cancelled by its own condition alone: the retry proves no attempt
// was applied (docs/reliability.md, ambiguous-writes.ts), so the answer is the cancellation, not
// WRITE_OUTCOME_UNKNOWN.

describeOnMoto('a transaction retried by the SDK', () => {
  const moto = useMotoEngine();
  it('[P-101] a retried transaction cancelled by its condition is TransactionCanceledError (CONDITION_FAILED)', async () => {
    const client = moto().newClient({ maxAttempts: 3 });
    let failed = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && failed++ === 0)
          throw Object.assign(new Error('We encountered an internal error'), {
            name: 'InternalServerError',
            $fault: 'server',
            $metadata: { httpStatusCode: 500 },
          });
        return next(args);
      },
      { step: 'deserialize', name: 'firstAttemptFails', priority: 'high' },
    );
    const capabilities = { ...dynamoDbCapabilities, ttl: false };
    const backend = createDynamoDbBackend({ client, capabilities });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'retried-transaction', version: '1' },
        paths: {},
        components: { schemas: { Counter: counterSchema } },
      },
      { backend, tablePrefix: 'retried-transaction-' },
    );
    await createDynamoDbBackend({ client: moto().rawClient }).ensureTables(api.tables());
    const table = api.tables()[0]!.name;
    const raw = createRawAccess(moto().rawClient);
    await raw.put(table, { id: 'a', count: 1 });
    const model = api.persistent('Counter').descriptor;
    const error = await backend
      .transactWrite([
        { kind: 'put', model, item: { id: 'a', count: 2 }, condition: { attr: 'count', eq: 5 } },
        { kind: 'put', model, item: { id: 'b', count: 1 } },
      ])
      .catch((caught: unknown) => caught);
    expect(failed).toBe(2);
    expect(error).not.toBeInstanceOf(WriteOutcomeUnknownError);
    expect(error).toBeInstanceOf(TransactionCanceledError);
    expect(await raw.get(table, { id: 'a' })).toEqual({ id: 'a', count: 1 });
    expect(await raw.get(table, { id: 'b' })).toBeUndefined();
  });
});
