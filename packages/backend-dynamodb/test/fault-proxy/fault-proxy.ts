import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does to one request. */
export type FaultKind =
  | 'pass'
  | 'server-error'
  | 'throttling'
  | 'throughput-exceeded'
  | 'reset-before'
  | 'reset-after'
  | 'slow-after'
  | 'unprocessed';

/** Relative weights of the fault kinds; a kind left out never happens. */
export type FaultWeights = Partial<Record<FaultKind, number>>;

/** Options of `startFaultProxy`. */
export interface FaultProxyOptions {
  /** The engine's URL, e.g. `http://127.0.0.1:54321`. */
  target: string;
  /** Seed of the schedule: the same seed and the same requests give the same faults. */
  seed: number;
  /** Weights of the fault kinds; `pass` should dominate. */
  weights: FaultWeights;
  /** How long `slow-after` holds the engine's answer, in milliseconds (past the client's timeout). */
  slowMs: number;
  /**
   * Answers a `TransactWriteItems` whose `ClientRequestToken` the engine already applied with
   * success, without sending it again: DynamoDB's documented idempotency, which moto lacks
   * (it applies the same token twice; docs/engines.md).
   */
  idempotentTransactions?: boolean;
  /**
   * Decides each request's fault instead of the seeded schedule: from the operation and how
   * many requests of that operation came before it while faults were on (0 for the first).
   * `weights` are then unused.
   */
  script?: (operation: string, earlier: number) => FaultKind;
}

/** One request the proxy saw and what it did to it. */
export interface FaultRecord {
  /** The DynamoDB operation, from `X-Amz-Target`. */
  operation: string;
  /** What was done; `unprocessed` falls back to `pass` for operations other than batches. */
  fault: FaultKind;
  /** Whether the engine received (a possibly reduced form of) the request. */
  forwarded: boolean;
}

/** A running fault-injecting proxy. */
export interface FaultProxy {
  /** The proxy's URL, to give the client under test as `endpoint`. */
  readonly endpoint: string;
  /** Every request seen, in order. */
  readonly log: readonly FaultRecord[];
  /** Transactions answered from their applied ClientRequestToken (`idempotentTransactions`). */
  readonly replayedTransactions: number;
  /** Turns faults on or off (off: every request passes). */
  setEnabled(enabled: boolean): void;
  /** Closes the proxy and its connections. */
  stop(): Promise<void>;
}

/** A small seeded PRNG (mulberry32): deterministic schedules without a dependency. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(random: () => number, weights: FaultWeights): FaultKind {
  const entries = Object.entries(weights) as [FaultKind, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random() * total;
  for (const [kind, weight] of entries) {
    draw -= weight;
    if (draw < 0) return kind;
  }
  return 'pass';
}

interface EngineAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': 'fault-proxy',
  });
  response.end(text);
}

type Json = Record<string, any>;

function transactionToken(incoming: IncomingMessage, body: Buffer | string): string | undefined {
  if (!String(incoming.headers['x-amz-target'] ?? '').endsWith('.TransactWriteItems'))
    return undefined;
  const token = (JSON.parse(body.toString()) as Json).ClientRequestToken;
  return typeof token === 'string' ? token : undefined;
}

/**
 * Splits a batch request: the tail of each table's list is held back (never sent to the
 * engine) and reported as unprocessed, as DynamoDB does under load.
 */
function holdBack(
  operation: string,
  request: Json,
  random: () => number,
): { reduced: Json; held: Json; empty: boolean } {
  const reduced: Json = {};
  const held: Json = {};
  let remaining = 0;
  for (const [table, entry] of Object.entries(request.RequestItems as Json)) {
    const list: unknown[] = operation === 'BatchWriteItem' ? entry : entry.Keys;
    const count = Math.max(1, Math.floor(random() * list.length));
    const kept = list.slice(0, list.length - count);
    const back = list.slice(list.length - count);
    remaining += kept.length;
    if (operation === 'BatchWriteItem') {
      if (kept.length > 0) reduced[table] = kept;
      held[table] = back;
    } else {
      if (kept.length > 0) reduced[table] = { ...entry, Keys: kept };
      held[table] = { ...entry, Keys: back };
    }
  }
  return { reduced: { ...request, RequestItems: reduced }, held, empty: remaining === 0 };
}

/**
 * Starts a loopback HTTP proxy in front of a DynamoDB engine that injects faults on a
 * seeded schedule: 500s, throttling, connection resets before and after the engine applied
 * the request, answers held past the client's timeout, and batch items left unprocessed
 * (only items the engine never received).
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = createRandom(options.seed);
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true });
  const log: FaultRecord[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let enabled = true;
  // Requests of each operation seen while faults were on, for `script`.
  const scripted = new Map<string, number>();

  // One request at a time reaches the engine, in arrival order: a request the client gave up
  // on (timed out) is applied before its retry, never after a later call.
  let engineQueue: Promise<unknown> = Promise.resolve();
  function forward(incoming: IncomingMessage, body: Buffer | string): Promise<EngineAnswer> {
    const run = engineQueue.then(() => sendOnce(incoming, body));
    engineQueue = run.catch(() => {});
    return run;
  }

  // Checked in the engine's queue: a retry arriving while its first attempt is still being
  // applied waits for it, as DynamoDB answers it only once the first attempt completed.
  const appliedTokens = new Set<string>();
  let replayedTransactions = 0;
  async function sendOnce(incoming: IncomingMessage, body: Buffer | string): Promise<EngineAnswer> {
    const token = options.idempotentTransactions ? transactionToken(incoming, body) : undefined;
    if (token !== undefined && appliedTokens.has(token)) {
      replayedTransactions++;
      return {
        status: 200,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': 'fault-proxy',
        },
        body: Buffer.from('{}'),
      };
    }
    const answer = await send(incoming, body);
    if (token !== undefined && answer.status === 200) appliedTokens.add(token);
    return answer;
  }

  async function send(incoming: IncomingMessage, body: Buffer | string): Promise<EngineAnswer> {
    const headers = { ...incoming.headers, host: target.host };
    headers['content-length'] = String(Buffer.byteLength(body));
    return await new Promise<EngineAnswer>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers,
          agent,
        },
        (answer) => {
          readBody(answer).then(
            (answerBody) =>
              resolve({
                status: answer.statusCode ?? 500,
                headers: answer.headers,
                body: answerBody,
              }),
            reject,
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  function relay(response: ServerResponse, answer: EngineAnswer, body?: Buffer | string): void {
    const headers = { ...answer.headers };
    if (body !== undefined) {
      // The checksum was the engine's answer's; the body changed.
      delete headers['x-amz-crc32'];
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    response.writeHead(answer.status, headers);
    response.end(body ?? answer.body);
  }

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(incoming);
    const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    let fault: FaultKind = 'pass';
    if (enabled && options.script) {
      const earlier = scripted.get(operation) ?? 0;
      scripted.set(operation, earlier + 1);
      fault = options.script(operation, earlier);
    } else if (enabled) fault = pick(random, options.weights);
    const isBatch = operation === 'BatchWriteItem' || operation === 'BatchGetItem';
    if (fault === 'unprocessed' && !isBatch) fault = 'pass';
    const record: FaultRecord = { operation, fault, forwarded: false };
    log.push(record);
    switch (fault) {
      case 'server-error':
        return sendJson(response, 500, {
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: 'Internal server error (injected)',
        });
      case 'throttling':
        return sendJson(response, 400, {
          __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
          message: 'Rate of requests exceeds the allowed throughput (injected)',
        });
      case 'throughput-exceeded':
        return sendJson(response, 400, {
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'The level of configured provisioned throughput was exceeded (injected)',
        });
      case 'reset-before':
        incoming.socket.destroy();
        return;
      case 'reset-after': {
        record.forwarded = true;
        await forward(incoming, body);
        incoming.socket.destroy();
        return;
      }
      case 'slow-after': {
        record.forwarded = true;
        const answer = await forward(incoming, body);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, options.slowMs);
          timers.add(timer);
        });
        if (!incoming.socket.destroyed) relay(response, answer);
        return;
      }
      case 'unprocessed': {
        const request = JSON.parse(body.toString('utf8')) as Json;
        const { reduced, held, empty } = holdBack(operation, request, random);
        const key = operation === 'BatchWriteItem' ? 'UnprocessedItems' : 'UnprocessedKeys';
        if (empty) {
          const nothing = operation === 'BatchWriteItem' ? {} : { Responses: {} };
          return sendJson(response, 200, { ...nothing, [key]: held });
        }
        record.forwarded = true;
        const answer = await forward(incoming, JSON.stringify(reduced));
        if (answer.status !== 200) return relay(response, answer);
        const output = JSON.parse(answer.body.toString('utf8')) as Json;
        // Nothing the engine itself left unprocessed overlaps the held items: they never reached it.
        const merged: Json = { ...(output[key] ?? {}) };
        for (const [table, entry] of Object.entries(held)) {
          if (operation === 'BatchWriteItem') merged[table] = [...(merged[table] ?? []), ...entry];
          else merged[table] = { ...entry, Keys: [...(merged[table]?.Keys ?? []), ...entry.Keys] };
        }
        return relay(response, answer, JSON.stringify({ ...output, [key]: merged }));
      }
      default: {
        record.forwarded = true;
        relay(response, await forward(incoming, body));
      }
    }
  }

  const server: Server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => {
      incoming.socket.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    get replayedTransactions() {
      return replayedTransactions;
    },
    setEnabled(value) {
      enabled = value;
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
