import { AlreadyExistsError, BackendError, loadApi, WriteOutcomeUnknownError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { counterSchema } from './counter-schema.js';
import { useLocalEngine } from './local-engine.js';
import { createRawAccess } from './raw-document-client.js';

// A client made with `cacheMiddleware: true` (an SDK option for speed) resolves the middleware
// of a command class once and reuses it, with one context for every call of that class: what
// a backend decides for one request must not come from the command's own middleware stack nor
// stay in that context.

const spec = {
  openapi: '3.0.3',
  info: { title: 'cached middleware', version: '1' },
  paths: {},
  components: { schemas: { Counter: counterSchema } },
};

const local = useLocalEngine();
let counter = 0;

/** Fails the `failing`-th PutItem after the engine applied it, as a lost connection would. */
async function setUp(failing: number) {
  const client = local().newClient({ maxAttempts: 2, cacheMiddleware: true });
  let puts = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'PutItemCommand' && ++puts === failing)
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return result;
    },
    { step: 'deserialize', name: 'loseConnection', priority: 'high' },
  );
  const backend = createDynamoDbBackend({
    client,
    capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
  });
  const api = await loadApi(spec, { backend, tablePrefix: `cached${++counter}-` });
  const tables = api.tables();
  await createDynamoDbBackend({ client: local().rawClient }).ensureTables(tables);
  return {
    Counter: api.persistent('Counter'),
    raw: createRawAccess(local().rawClient),
    table: tables[0]!.name,
    puts: () => puts,
  };
}

describe('a client that caches its middleware (cacheMiddleware: true)', () => {
  it('a create whose connection is lost after it was applied is WRITE_OUTCOME_UNKNOWN, after a plain save', async () => {
    const { Counter, raw, table, puts } = await setUp(2);
    await new Counter({ id: 'first', count: 1 }).save();
    const error = await Counter.create({ id: 'c', count: 1 }).catch((caught: unknown) => caught);
    // Not retried (the retry would find its own item and say ALREADY_EXISTS).
    expect(error).not.toBeInstanceOf(AlreadyExistsError);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(puts()).toBe(2);
    expect(await raw.get(table, { id: 'c' })).toEqual({ id: 'c', count: 1 });
  });

  it('a plain save whose connection is lost after it was applied is WRITE_OUTCOME_UNKNOWN too, after a create', async () => {
    const { Counter, raw, table, puts } = await setUp(2);
    await Counter.create({ id: 'first', count: 1 });
    const error = await new Counter({ id: 's', count: 2 })
      .save()
      .catch((caught: unknown) => caught);
    // Not sent again: a late copy would overwrite what others wrote meanwhile.
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(puts()).toBe(2);
    expect(await raw.get(table, { id: 's' })).toEqual({ id: 's', count: 2 });
  });

  it('loads and queries as usual', async () => {
    const { Counter } = await setUp(0);
    await Counter.create({ id: 'q', count: 3 });
    expect((await Counter.load('q')).count).toBe(3);
    expect((await Counter.get('none')) ?? null).toBeNull();
  });

  it('refuses, before anything is sent, a client given a deprecated retry strategy, whose user agent would grow at every request', async () => {
    // A strategy of the deprecated interface (`@smithy/middleware-retry`'s): `retry(next, args)`.
    // The SDK adds its mode to the shared context's user agent at every request of a class.
    let retried = 0;
    const deprecated = {
      mode: 'standard',
      retry: (next: (args: unknown) => Promise<unknown>, args: unknown) => {
        retried++;
        return next(args);
      },
    };
    const open = async (cacheMiddleware: boolean) => {
      const client = local().newClient({ cacheMiddleware, retryStrategy: deprecated as never });
      const backend = createDynamoDbBackend({
        client,
        capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
      });
      const api = await loadApi(spec, { backend, tablePrefix: `deprecated${++counter}-` });
      await createDynamoDbBackend({ client: local().rawClient }).ensureTables(api.tables());
      return { Counter: api.persistent('Counter'), table: api.tables()[0]!.name };
    };
    const cached = await open(true);
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await cached.Counter.create({ id: 'd', count: 1 }).catch((caught) => caught);
      expect(error).toBeInstanceOf(BackendError);
      expect((error as BackendError).notSent).toBe(true);
      expect((error as Error).message).toMatch(/cacheMiddleware: true and a deprecated retry/);
    }
    expect(retried).toBe(0);
    expect(await createRawAccess(local().rawClient).get(cached.table, { id: 'd' })).toBeUndefined();
    // Without cacheMiddleware, each request has a context of its own: taken.
    const uncached = await open(false);
    await uncached.Counter.create({ id: 'd', count: 1 });
    expect((await uncached.Counter.load('d')).count).toBe(1);
    // The table check, the create and the load went through the strategy.
    expect(retried).toBeGreaterThanOrEqual(2);
  });
});
