import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import {
  AccessDeniedError,
  BackendError,
  BatchIncompleteError,
  loadApi,
  ThrottledError,
  UnreachableError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { counterSchema } from './counter-schema.js';
import { useLocalEngine } from './local-engine.js';
import { createRawAccess } from './raw-document-client.js';

// Faults are injected with SDK middleware in front of a real engine: the engine really
// processes what the middleware lets through, and the test reads the engine back directly.

const spec = {
  openapi: '3.0.3',
  info: { title: 'faults', version: '1' },
  paths: {},
  components: {
    schemas: {
      Counter: counterSchema,
      Blob: {
        type: 'object',
        required: ['digest'],
        'x-persist': { table: 'blobs', key: 'digest' },
        properties: { digest: { type: 'string', format: 'binary' }, size: { type: 'integer' } },
      },
    },
  },
};

type Fault = (
  context: { commandName: string; input: Record<string, any> },
  next: () => Promise<any>,
) => Promise<any>;

const local = useLocalEngine();
let counter = 0;

async function setUp(
  fault: Fault,
  step: 'initialize' | 'deserialize' = 'initialize',
  endpoint?: string,
) {
  const client = local().newClient({ maxAttempts: 2, ...(endpoint ? { endpoint } : {}) });
  client.middlewareStack.add(
    (next, context) => async (args) =>
      fault(
        { commandName: context.commandName ?? '', input: args.input as Record<string, any> },
        () => next(args),
      ),
    { step, name: 'injectFault', priority: 'high' } as never,
  );
  const backend = createDynamoDbBackend({
    client,
    capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
  });
  const api = await loadApi(spec, {
    backend,
    tablePrefix: `faults${++counter}-`,
    batchRetry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const tables = api.tables();
  await createDynamoDbBackend({ client: local().rawClient }).ensureTables(tables);
  const raw = createRawAccess(local().rawClient);
  return {
    Counter: api.persistent('Counter'),
    Blob: api.persistent('Blob'),
    raw,
    table: (name: string) => tables.find((t) => t.specName === name)!.name,
    client,
  };
}

/** Leaves the last `count` write requests unprocessed, as DynamoDB does under load. */
function leaveWritesUnprocessed(count: number, calls: number): Fault {
  let seen = 0;
  return async (context, next) => {
    if (context.commandName !== 'BatchWriteItemCommand' || seen++ >= calls) return next();
    const [table, requests] = Object.entries(
      context.input.RequestItems as Record<string, unknown[]>,
    )[0]!;
    if (requests.length <= count) return next();
    const held = requests.splice(requests.length - count, count);
    const output = await next();
    output.output.UnprocessedItems = { [table]: held };
    return output;
  };
}

describe('faults: batches the engine leaves unprocessed', () => {
  it('retries unprocessed writes until every item lands, none twice', async () => {
    const { Counter, raw, table } = await setUp(leaveWritesUnprocessed(5, 3));
    const items = Array.from({ length: 60 }, (_, index) => ({ id: `c${index}`, count: index }));
    await Counter.saveMany(items);
    for (const item of items)
      expect(await raw.get(table('counters'), { id: item.id })).toEqual(item);
  });

  it('lists exactly the items that never got written', async () => {
    let calls = 0;
    const { Counter, raw, table } = await setUp(async (context, next) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next();
      calls++;
      const [name, requests] = Object.entries(
        context.input.RequestItems as Record<string, any[]>,
      )[0]!;
      const held = requests.filter((request) => request.PutRequest.Item.id.S === 'c3');
      const rest = requests.filter((request) => request.PutRequest.Item.id.S !== 'c3');
      // DynamoDB answers a batch it could not process at all with everything unprocessed.
      if (rest.length === 0) {
        return { response: {}, output: { $metadata: {}, UnprocessedItems: { [name]: held } } };
      }
      context.input.RequestItems[name] = rest;
      const output = await next();
      if (held.length > 0) output.output.UnprocessedItems = { [name]: held };
      return output;
    });
    const items = Array.from({ length: 30 }, (_, index) => ({ id: `c${index}`, count: index }));
    const error = await Counter.saveMany(items).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BatchIncompleteError);
    expect((error as BatchIncompleteError).unprocessed.map((entry) => entry.key)).toEqual([
      { id: 'c3' },
    ]);
    expect(await raw.get(table('counters'), { id: 'c3' })).toBeUndefined();
    expect(await raw.get(table('counters'), { id: 'c29' })).toEqual({ id: 'c29', count: 29 });
    expect(calls).toBe(2 + 3);
  });

  it('retries unprocessed reads, binary keys included, and keeps the order', async () => {
    let seen = 0;
    const { Blob } = await setUp(async (context, next) => {
      if (context.commandName !== 'BatchGetItemCommand' || seen++ >= 2) return next();
      const [name, request] = Object.entries(
        context.input.RequestItems as Record<string, { Keys: unknown[] }>,
      )[0]!;
      if (request.Keys.length <= 2) return next();
      const held = request.Keys.splice(0, 2);
      const output = await next();
      output.output.UnprocessedKeys = { [name]: { Keys: held } };
      return output;
    });
    const digests = Array.from({ length: 7 }, (_, index) => Uint8Array.of(index, 255 - index));
    await Blob.saveMany(digests.map((digest, size) => ({ digest, size })));
    const loaded = await Blob.loadMany([...digests].reverse());
    expect(loaded.map((blob) => blob.size)).toEqual([6, 5, 4, 3, 2, 1, 0]);
  });
});

describe('faults: a batch write the engine refuses whole', () => {
  // IAM answers before DynamoDB reads or writes anything; DynamoDB throttles a BatchWriteItem
  // whole (an item it throttles alone comes back in UnprocessedItems instead).
  const refuseBatchWriteFrom =
    (call: number, name: string): Fault =>
    async (context, next) => {
      if (context.commandName === 'BatchWriteItemCommand' && ++refused.calls >= call)
        throw Object.assign(new Error(`${name} on dynamodb:BatchWriteItem`), {
          name,
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
      return next();
    };
  const refused = { calls: 0 };

  it.each([
    ['AccessDeniedException', AccessDeniedError, 'ACCESS_DENIED', 500],
    ['ProvisionedThroughputExceededException', ThrottledError, 'THROTTLED', 503],
  ] as const)(
    '%s: saveMany throws it whole, and past a first chunk lists the rest as not written, none as unconfirmed',
    async (name, type, code, status) => {
      const items = Array.from({ length: 30 }, (_, index) => ({ id: `d${index}`, count: index }));
      refused.calls = 0;
      const first = await setUp(refuseBatchWriteFrom(1, name));
      const whole = await first.Counter.saveMany(items).catch((caught: unknown) => caught);
      expect(whole).toBeInstanceOf(type);
      expect(whole).toMatchObject({ code, status });
      if (type === AccessDeniedError) expect(BackendError.isInstance(whole)).toBe(true);
      refused.calls = 0;
      const later = await setUp(refuseBatchWriteFrom(2, name));
      const error = await later.Counter.saveMany(items).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BatchIncompleteError);
      expect((error as BatchIncompleteError).cause).toBeInstanceOf(type);
      expect((error as BatchIncompleteError).unconfirmed).toEqual([]);
      expect((error as BatchIncompleteError).unprocessed.map((entry) => entry.key.id)).toEqual(
        items.slice(25).map((item) => item.id),
      );
      expect(await later.raw.get(later.table('counters'), { id: 'd24' })).toEqual(items[24]);
      expect(await later.raw.get(later.table('counters'), { id: 'd25' })).toBeUndefined();
    },
  );
});

describe('faults: an engine out of reach', () => {
  /** A loopback TCP relay in front of dynalite that can go away: its connections cut, its port closed. */
  async function startRelay(target: number) {
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = connect(target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      async stop() {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
        // Lets the SDK's agent see its kept-alive connection closed.
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
    };
  }

  it('is UNREACHABLE (nothing was sent): saveMany throws it whole, and past a first chunk lists the rest as not written, none as unconfirmed', async () => {
    const relay = await startRelay(Number(new URL(local().engine.endpoint).port));
    let batchWrites = 0;
    // The engine goes out of reach between the first chunk and the second.
    const { Counter, raw, table } = await setUp(
      async (context, next) => {
        if (context.commandName === 'BatchWriteItemCommand' && ++batchWrites === 2)
          await relay.stop();
        return next();
      },
      'initialize',
      relay.endpoint,
    );
    const items = Array.from({ length: 30 }, (_, index) => ({ id: `u${index}`, count: index }));
    const error = await Counter.saveMany(items).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BatchIncompleteError);
    expect((error as BatchIncompleteError).cause).toBeInstanceOf(UnreachableError);
    expect((error as BatchIncompleteError).unconfirmed).toEqual([]);
    expect((error as BatchIncompleteError).unprocessed.map((entry) => entry.key.id)).toEqual(
      items.slice(25).map((item) => item.id),
    );
    expect(await raw.get(table('counters'), { id: 'u24' })).toEqual(items[24]);
    expect(await raw.get(table('counters'), { id: 'u25' })).toBeUndefined();
    // Out of reach from the first chunk, the call throws the UnreachableError itself.
    const whole = await Counter.saveMany(items.slice(25)).catch((caught: unknown) => caught);
    expect(whole).toBeInstanceOf(UnreachableError);
    expect(whole).toMatchObject({ code: 'UNREACHABLE', status: 503 });
    expect((whole as Error).message).toContain('nothing was sent');
    expect(await Counter.load('u0').catch((caught: unknown) => caught)).toBeInstanceOf(
      UnreachableError,
    );
  });
});

describe('faults: an engine that answers a batch a little at a time', () => {
  // dynalite cuts a BatchGetItem answer at about 1 MB (DynamoDB at 16 MB): 30 items of 400 KB
  // take ten calls. Each call makes progress, so the batch goes on past `attempts` (4 here).
  function oneEntryPerCall(): Fault {
    return async (context, next) => {
      const [name, request] = Object.entries(context.input.RequestItems ?? {})[0] ?? [];
      if (context.commandName === 'BatchGetItemCommand') {
        const keys = (request as { Keys: unknown[] }).Keys;
        const held = keys.splice(1);
        const output = await next();
        if (held.length > 0) output.output.UnprocessedKeys = { [name!]: { Keys: held } };
        return output;
      }
      if (context.commandName === 'BatchWriteItemCommand') {
        const held = (request as unknown[]).splice(1);
        const output = await next();
        if (held.length > 0) output.output.UnprocessedItems = { [name!]: held };
        return output;
      }
      return next();
    };
  }

  it('reads and writes every item when each call processes some, beyond the attempts', async () => {
    const { Counter, raw, table } = await setUp(oneEntryPerCall());
    const items = Array.from({ length: 10 }, (_, index) => ({ id: `p${index}`, count: index }));
    await Counter.saveMany(items);
    for (const item of items)
      expect(await raw.get(table('counters'), { id: item.id })).toEqual(item);
    const loaded = await Counter.loadMany(items.map((item) => item.id));
    expect(loaded.map((counter) => counter.count)).toEqual(items.map((item) => item.count));
  });
});

describe('faults: throttling and lost connections', () => {
  it('a throttle the SDK retries away is invisible; one that outlives its retries is THROTTLED', async () => {
    let throttles = 1;
    const throttle: Fault = async (_context, next) => {
      if (throttles-- > 0) {
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next();
    };
    const { Counter } = await setUp(throttle, 'deserialize');
    await Counter.create({ id: 'a', count: 1 });
    throttles = 10;
    const error = await Counter.load('a').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).code).toBe('THROTTLED');
    expect((error as ThrottledError).status).toBe(503);
  });

  it('a write refused for a transaction in progress on its item is THROTTLED, and changed nothing', async () => {
    let conflicts = 0;
    const conflict: Fault = async (_context, next) => {
      if (conflicts-- > 0) {
        throw Object.assign(new Error('Transaction is ongoing for the item'), {
          name: 'TransactionConflictException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next();
    };
    const { Counter } = await setUp(conflict, 'deserialize');
    await Counter.create({ id: 'a', count: 1 });
    conflicts = 1;
    const error = await Counter.update('a', { add: { count: 1 } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ThrottledError);
    expect([(error as ThrottledError).code, (error as ThrottledError).status]).toEqual([
      'THROTTLED',
      503,
    ]);
    expect((await Counter.load('a')).count).toBe(1);
  });

  it.each([
    ['a connection lost', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    [
      'a 500',
      () =>
        Object.assign(new Error('Internal server error'), {
          name: 'InternalServerError',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
        }),
    ],
  ])(
    '%s after an increment was applied is WRITE_OUTCOME_UNKNOWN, never applied twice',
    async (_label, failure) => {
      let failures = 0;
      const { Counter, raw, table } = await setUp(async (context, next) => {
        const result = await next();
        if (context.commandName === 'UpdateItemCommand' && failures++ === 0) throw failure();
        return result;
      }, 'deserialize');
      await Counter.create({ id: 'a', count: 0 });
      const error = await Counter.update('a', { add: { count: 1 } }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
      expect(await raw.get(table('counters'), { id: 'a' })).toEqual({ id: 'a', count: 1 });
    },
  );

  it("a user's middleware that passes on a copy of the input keeps the protection: a 500 after an increment is WRITE_OUTCOME_UNKNOWN, applied once", async () => {
    let failures = 0;
    const { Counter, raw, table, client } = await setUp(async (context, next) => {
      const result = await next();
      if (context.commandName === 'UpdateItemCommand' && failures++ === 0)
        throw Object.assign(new Error('Internal server error'), {
          name: 'InternalServerError',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
        });
      return result;
    }, 'deserialize');
    client.middlewareStack.add(
      (next) => (args) =>
        next({ ...args, input: { ...(args.input as object), ReturnConsumedCapacity: 'TOTAL' } }),
      { step: 'initialize', name: 'copiesTheInput' } as never,
    );
    await Counter.create({ id: 'a', count: 0 });
    const error = await Counter.update('a', { add: { count: 1 } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await raw.get(table('counters'), { id: 'a' })).toEqual({ id: 'a', count: 1 });
  });

  it("an update answered 200 with no item (a proxy's empty body) is WRITE_OUTCOME_UNKNOWN, never an empty success", async () => {
    const { Counter, raw, table } = await setUp(async (context, next) => {
      const result = await next();
      if (context.commandName === 'UpdateItemCommand')
        return { ...result, output: { $metadata: {} } };
      return result;
    });
    await Counter.create({ id: 'e', count: 0 });
    const error = await Counter.update('e', { add: { count: 1 } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await raw.get(table('counters'), { id: 'e' })).toEqual({ id: 'e', count: 1 });
  });

  /** Resets the connection of the first DeleteItem, after (or before) the engine got it. */
  function resetFirstDelete(when: 'after' | 'before') {
    let resets = 0;
    const fault: Fault = async (context, next) => {
      const first = context.commandName === 'DeleteItemCommand' && resets++ === 0;
      if (first && when === 'before')
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      const result = await next();
      if (first) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return result;
    };
    return fault;
  }

  it('a connection lost after an unconditional delete was applied is WRITE_OUTCOME_UNKNOWN, never a wrong false', async () => {
    const { Counter, raw, table } = await setUp(resetFirstDelete('after'), 'deserialize');
    await Counter.create({ id: 'gone', count: 1 });
    // The first attempt deleted the item: a retry finds none, which says nothing about this call.
    const error = await Counter.delete('gone').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as WriteOutcomeUnknownError).code).toBe('WRITE_OUTCOME_UNKNOWN');
    expect(await raw.get(table('counters'), { id: 'gone' })).toBeUndefined();
  });

  it('a connection lost before an unconditional delete reached the engine is WRITE_OUTCOME_UNKNOWN too: it is never sent again', async () => {
    const { Counter, raw, table } = await setUp(resetFirstDelete('before'), 'deserialize');
    await Counter.create({ id: 'here', count: 1 });
    const error = await Counter.delete('here').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await raw.get(table('counters'), { id: 'here' })).toEqual({ id: 'here', count: 1 });
  });

  it("a delete applied whose answer is lost is not sent again: another client's create meanwhile stays", async () => {
    let resets = 0;
    let raw: ReturnType<typeof createRawAccess> | undefined;
    let counters = '';
    const { Counter, ...rest } = await setUp(async (context, next) => {
      const result = await next();
      if (context.commandName === 'DeleteItemCommand' && resets++ === 0) {
        // Between the lost answer and any retry, another client creates the item anew.
        await raw!.put(counters, { id: 'race', count: 2 });
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      return result;
    }, 'deserialize');
    raw = rest.raw;
    counters = rest.table('counters');
    await Counter.create({ id: 'race', count: 1 });
    const error = await Counter.delete('race').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(resets).toBe(1);
    expect(await raw.get(counters, { id: 'race' })).toEqual({ id: 'race', count: 2 });
  });

  it('a plain save applied whose answer is lost is WRITE_OUTCOME_UNKNOWN and not sent again: an add made meanwhile stays', async () => {
    let attempts = 0;
    let other: { update: (id: string) => Promise<unknown> } | undefined;
    const { Counter, raw, table } = await setUp(async (context, next) => {
      if (context.commandName !== 'PutItemCommand') return next();
      attempts++;
      const result = await next();
      if (attempts === 1) {
        // Another client's atomic add lands on the saved item before any retry could.
        await other!.update('views');
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      return result;
    }, 'deserialize');
    const otherApi = await loadApi(spec, {
      backend: createDynamoDbBackend({
        client: local().rawClient,
        capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
      }),
      tablePrefix: table('counters').slice(0, -'counters'.length),
    });
    const OtherCounter = otherApi.persistent('Counter');
    other = { update: (id) => OtherCounter.update(id, { add: { count: 1 } }) };
    const error = await new Counter({ id: 'views', count: 0 })
      .save()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(attempts).toBe(1);
    expect(await raw.get(table('counters'), { id: 'views' })).toEqual({ id: 'views', count: 1 });
  });
});

describe('faults: answers that cannot be read, and the operation hook', () => {
  /**
   * An HTTP relay in front of the engine that forwards every request and, for the operations
   * named, answers 200 with an empty body once the engine has answered: what a proxy that
   * loses the body does.
   */
  // Answers the operations named with `empty` (its body, or none) once the engine has answered.
  async function emptyingRelay(
    operations: ReadonlySet<string> | ReadonlyMap<string, string>,
    empty: { status: number; headers: Record<string, string> },
  ) {
    const target = new URL(local().engine.endpoint);
    const seen: string[] = [];
    const server = createHttpServer((incoming, outgoing) => {
      seen.push(String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? '');
      const forwarded = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: incoming.url,
          method: incoming.method,
          headers: incoming.headers,
        },
        (answer) => {
          const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
          if (!operations.has(operation)) {
            outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
            answer.pipe(outgoing);
            return;
          }
          answer.resume();
          answer.on('end', () => {
            outgoing.writeHead(empty.status, {
              'content-type': 'application/x-amz-json-1.0',
              ...empty.headers,
            });
            outgoing.end(operations instanceof Map ? operations.get(operation) : undefined);
          });
        },
      );
      incoming.pipe(forwarded);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      seen,
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it("an empty answer to the table-key check's DescribeTable is not a stand-in engine's: writes are refused (nothing sent) and the table is described again at the next", async () => {
    const relay = await emptyingRelay(new Set(['DescribeTable']), { status: 200, headers: {} });
    try {
      const client = local().newClient({ maxAttempts: 1, endpoint: relay.endpoint });
      const api = await loadApi(spec, {
        backend: createDynamoDbBackend({
          client,
          capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
        }),
        tablePrefix: `empty-describe${++counter}-`,
      });
      await createDynamoDbBackend({ client: local().rawClient }).ensureTables(api.tables());
      const Counter = api.persistent('Counter');
      for (let attempt = 0; attempt < 2; attempt++)
        await expect(Counter.create({ id: 'a', count: 1 })).rejects.toBeInstanceOf(ThrottledError);
      expect(relay.seen.filter((operation) => operation === 'DescribeTable')).toHaveLength(2);
      expect(relay.seen).not.toContain('PutItem');
    } finally {
      await relay.stop();
    }
  });

  it('an empty answer to provisioning\'s DescribeTable is not "no such table": ensureTables fails saying so, creating nothing', async () => {
    const relay = await emptyingRelay(new Set(['DescribeTable']), { status: 200, headers: {} });
    try {
      const backend = createDynamoDbBackend({
        client: local().newClient({ maxAttempts: 1, endpoint: relay.endpoint }),
      });
      const api = await loadApi(spec, { backend, tablePrefix: `empty-provision${++counter}-` });
      const error = await backend.ensureTables(api.tables()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BackendError);
      expect((error as Error).message).toContain('empty body');
      expect(relay.seen).toContain('DescribeTable');
      expect(relay.seen).not.toContain('CreateTable');
    } finally {
      await relay.stop();
    }
  });

  it.each([
    ['a 200 (chunked, no bytes)', { status: 200, headers: {} }],
    ['a 200 of length 0', { status: 200, headers: { 'content-length': '0' } }],
    ['a 204', { status: 204, headers: {} }],
    ['a 202 of length 0', { status: 202, headers: { 'content-length': '0' } }],
  ])(
    '%s with an empty body, where DynamoDB always answers a JSON object: a write applied is WRITE_OUTCOME_UNKNOWN, a read a BackendError, never "not found", an empty page or a batch written whole',
    async (_label, answer) => {
      const relay = await emptyingRelay(
        new Set(['DeleteItem', 'PutItem', 'GetItem', 'Query', 'Scan', 'BatchWriteItem']),
        answer,
      );
      try {
        const { Counter, raw, table } = await setUp(
          (_context, next) => next(),
          'initialize',
          relay.endpoint,
        );
        await raw.put(table('counters'), { id: 'a', count: 1 });
        // Applied, and answered with nothing: not "there was nothing to delete".
        const deleted = await Counter.delete('a').catch((caught: unknown) => caught);
        expect(deleted).toBeInstanceOf(WriteOutcomeUnknownError);
        expect(await raw.get(table('counters'), { id: 'a' })).toBeUndefined();
        for (const write of [
          () => Counter.create({ id: 'b', count: 1 }),
          () => Counter.saveMany([{ id: 'c', count: 1 }]),
        ]) {
          const error = await write().catch((caught: unknown) => caught);
          expect(
            error instanceof WriteOutcomeUnknownError ||
              (error instanceof BatchIncompleteError && error.unconfirmed.length === 1),
          ).toBe(true);
        }
        await raw.put(table('counters'), { id: 'd', count: 1 });
        for (const read of [
          () => Counter.load('d'),
          () => Counter.query({ partition: 'd' }),
          () => Counter.scan(),
        ]) {
          const error = await read().catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(BackendError);
          expect((error as Error).message).toContain('empty body');
        }
      } finally {
        await relay.stop();
      }
    },
  );

  it("a 200 whose body is not DynamoDB's answer (not an object, a null item, item fields of other shapes, bytes not in base64): a write applied is WRITE_OUTCOME_UNKNOWN, a read a BackendError", async () => {
    const relay = await emptyingRelay(
      new Map([
        ['DeleteItem', '[]'],
        ['UpdateItem', '{"Attributes":null}'],
        ['Query', '{"Items":5,"Count":1}'],
        ['Scan', '{"Items":[null]}'],
        ['GetItem', '{"Item":{"digest":{"B":"not base64!!"},"size":{"N":"1"}}}'],
        ['BatchWriteItem', '{"UnprocessedItems":{"t":[{"PutRequest":{"Item":null}}]}}'],
      ]),
      { status: 200, headers: {} },
    );
    try {
      const { Counter, Blob, raw, table } = await setUp(
        (_context, next) => next(),
        'initialize',
        relay.endpoint,
      );
      await raw.put(table('counters'), { id: 'a', count: 1 });
      const deleted = await Counter.delete('a').catch((caught: unknown) => caught);
      expect(deleted).toBeInstanceOf(WriteOutcomeUnknownError);
      expect((deleted as Error).message).toContain('not a JSON object');
      expect(await raw.get(table('counters'), { id: 'a' })).toBeUndefined();
      await raw.put(table('counters'), { id: 'b', count: 1 });
      // ReturnValues ALL_NEW, answered with no item: not "applied, but unreadable".
      const updated = await Counter.update('b', { add: { count: 1 } }).catch(
        (caught: unknown) => caught,
      );
      expect(updated).toBeInstanceOf(WriteOutcomeUnknownError);
      expect(await raw.get(table('counters'), { id: 'b' })).toEqual({ id: 'b', count: 2 });
      const saved = await Counter.saveMany([{ id: 'c', count: 1 }]).catch(
        (caught: unknown) => caught,
      );
      expect(saved).toBeInstanceOf(BatchIncompleteError);
      expect((saved as BatchIncompleteError).unconfirmed).toHaveLength(1);
      for (const [read, says] of [
        [() => Counter.query({ partition: 'b' }), 'whose Items is not as DynamoDB sends it'],
        [() => Counter.scan(), 'whose Items is not as DynamoDB sends it'],
        [() => Blob.load(Uint8Array.of(1)), 'are not base64'],
      ] as const) {
        const error = await read().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(BackendError);
        expect((error as Error).message).toContain(says);
      }
    } finally {
      await relay.stop();
    }
  });

  it("a 4xx that is not DynamoDB's refusal (a gateway's HTML page, an error type no AWS service has), after the write was applied, is WRITE_OUTCOME_UNKNOWN and not sent again", async () => {
    const relay = await emptyingRelay(
      new Map([
        ['UpdateItem', '<html><body>Bad Request</body></html>'],
        ['PutItem', '{"__type":"com.example#GatewayTimeout","message":"upstream timed out"}'],
        ['DeleteItem', '<html><body>Bad Request</body></html>'],
      ]),
      { status: 400, headers: {} },
    );
    try {
      const { Counter, raw, table } = await setUp(
        (_context, next) => next(),
        'initialize',
        relay.endpoint,
      );
      const outcome = (write: Promise<unknown>) => write.catch((caught: unknown) => caught);
      await raw.put(table('counters'), { id: 'b', count: 1 });
      const updated = await outcome(Counter.update('b', { add: { count: 1 } }));
      expect(updated).toBeInstanceOf(WriteOutcomeUnknownError);
      expect((updated as Error).message).toContain("an HTTP 400 that is not DynamoDB's");
      // Applied once: an add sent again would have made it 3.
      expect(await raw.get(table('counters'), { id: 'b' })).toEqual({ id: 'b', count: 2 });
      expect(await outcome(Counter.create({ id: 'n', count: 1 }))).toBeInstanceOf(
        WriteOutcomeUnknownError,
      );
      expect(await raw.get(table('counters'), { id: 'n' })).toEqual({ id: 'n', count: 1 });
      expect(await outcome(Counter.delete('b'))).toBeInstanceOf(WriteOutcomeUnknownError);
      expect(await raw.get(table('counters'), { id: 'b' })).toBeUndefined();
      expect(relay.seen.filter((operation) => operation === 'UpdateItem')).toHaveLength(1);
    } finally {
      await relay.stop();
    }
  });

  it('a 200 whose body is cut short, after an increment was applied, is WRITE_OUTCOME_UNKNOWN', async () => {
    const client = local().newClient({ maxAttempts: 2 });
    const backend = createDynamoDbBackend({
      client,
      capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
    });
    const api = await loadApi(spec, { backend, tablePrefix: `cut${++counter}-` });
    await createDynamoDbBackend({ client: local().rawClient }).ensureTables(api.tables());
    const Counter = api.persistent('Counter');
    await Counter.create({ id: 'a', count: 0 });
    // Inside the SDK's deserializer (priority low) and, added after Macaron's own (installed by
    // the first request), inside it too: the answer as the transport gives it, cut short.
    client.middlewareStack.add(
      ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: unknown) => {
          const result = (await next(args)) as { response: { statusCode: number; body: unknown } };
          if (context.commandName === 'UpdateItemCommand') {
            const body = result.response.body;
            const chunks: Buffer[] = [];
            if (body instanceof Uint8Array) chunks.push(Buffer.from(body));
            else for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
            const text = Buffer.concat(chunks);
            result.response.body = new PassThrough().end(text.subarray(0, text.length - 5));
          }
          return result;
        }) as never,
      { step: 'deserialize', name: 'cutAnswer', priority: 'low' } as never,
    );
    const error = await Counter.update('a', { add: { count: 1 } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    const table = api.tables().find((t) => t.specName === 'counters')!.name;
    expect(await createRawAccess(local().rawClient).get(table, { id: 'a' })).toEqual({
      id: 'a',
      count: 1,
    });
  });

  it.each([
    ['a text page', 'Not Found', 'a body that is not JSON'],
    ['an empty body', '', 'no DynamoDB error in it'],
    ['JSON without a type', '{"message":"no route"}', 'an error of no DynamoDB type (no route)'],
  ])(
    'an endpoint that is not DynamoDB (an HTTP 404 with %s) fails naming the status, not an "Unknown" error',
    async (_label, page, said) => {
      const server = createHttpServer((incoming, outgoing) => {
        incoming.resume();
        outgoing.writeHead(404, { 'content-type': 'text/plain' });
        outgoing.end(page);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const backend = createDynamoDbBackend({
          client: local().newClient({ maxAttempts: 1, endpoint: `http://127.0.0.1:${port}` }),
        });
        const api = await loadApi(spec, { backend, tablePrefix: `not-dynamodb${++counter}-` });
        for (const failed of [
          () => backend.ensureTables(api.tables()),
          () => api.persistent('Counter').load('a'),
        ]) {
          const error = await failed().catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(BackendError);
          expect((error as Error).message).toContain(
            `the endpoint answered HTTP 404 with ${said} (is it a DynamoDB endpoint?)`,
          );
        }
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  );

  it.each([
    [
      'throws',
      () => {
        throw new Error('metrics down');
      },
    ],
    ['rejects', async () => Promise.reject(new Error('metrics down'))],
  ])(
    'an onOperation hook that %s changes nothing of the call: a warning says so',
    async (_label, hook) => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      try {
        const backend = createDynamoDbBackend({
          client: local().rawClient,
          capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
          onOperation: hook,
        });
        const api = await loadApi(spec, { backend, tablePrefix: `hook${++counter}-` });
        await createDynamoDbBackend({ client: local().rawClient }).ensureTables(api.tables());
        const Counter = api.persistent<{ id: string; count: number }>('Counter');
        expect((await Counter.create({ id: 'h', count: 1 })).count).toBe(1);
        expect((await Counter.update('h', { add: { count: 1 } })).count).toBe(2);
        await expect(Counter.load('missing')).rejects.toMatchObject({ code: 'ITEM_NOT_FOUND' });
        await new Promise((resolve) => setImmediate(resolve));
        // Only the hook's own warnings: another test's stray warning is not this one's.
        const hookWarnings = warnings.filter((warning) =>
          warning.message.includes('the onOperation hook failed'),
        );
        expect(hookWarnings.length).toBeGreaterThanOrEqual(3);
        expect(hookWarnings[0]!.message).toContain(
          'the onOperation hook failed on PutItem: metrics down',
        );
      } finally {
        process.off('warning', onWarning);
      }
    },
  );
});
