import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  checkOptionNames,
  importOptionalPeer,
  optionNames,
  peerMissing,
  quotedName,
} from '@macaron/core/backend';
import { closableIterators, type DynaliteStores } from './closable-iterators.js';
import {
  type DynaliteStorage,
  guardRequests,
  guardStorage,
  requestValuesWithoutPrototypes,
} from './guarded-requests.js';
import { importUnbundled } from './import-unbundled.js';
import { isLoopbackHost, urlHost } from './loopback-host.js';
import { settleTableChanges } from './settled-table-changes.js';

/** Options of `startLocalDynamoDb`. */
export interface LocalDynamoDbOptions {
  /** Port to listen on; a free one is picked when omitted (or 0). */
  port?: number | undefined;
  /** Loopback host to listen on; `127.0.0.1` by default. Other hosts are refused. */
  host?: string | undefined;
  /** Region the client signs requests for; `us-east-1` by default (the engine ignores it). */
  region?: string | undefined;
  /** `maxAttempts` of the returned client (the SDK's retry budget); 3 by default. */
  maxAttempts?: number | undefined;
  /** How long a new table stays CREATING, in milliseconds; 0 by default. */
  createTableMs?: number | undefined;
  /** How long a deleted table stays DELETING, in milliseconds; 0 by default. */
  deleteTableMs?: number | undefined;
  /** How long an updated table stays UPDATING, in milliseconds; 0 by default. */
  updateTableMs?: number | undefined;
}

// The keys of LocalDynamoDbOptions; any other is refused (P-110).
const localOptionNames = optionNames(
  'port',
  'host',
  'region',
  'maxAttempts',
  'createTableMs',
  'deleteTableMs',
  'updateTableMs',
);

/** A running in-process DynamoDB engine (dynalite, in memory) and a client for it. */
export interface LocalDynamoDb {
  /** The engine's URL, e.g. `http://127.0.0.1:54321`. */
  readonly endpoint: string;
  /** The region the client is configured with. */
  readonly region: string;
  /** The dummy credentials the client signs with (the engine accepts any). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** A client pointed at the engine, ready to use; destroyed by `stop()`. */
  readonly client: DynamoDBClient;
  /** Destroys the client, closes the server and its sockets; safe to call more than once. */
  stop(): Promise<void>;
}

interface DynaliteOptions {
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}

type Dynalite = (options: DynaliteOptions) => Server;

/**
 * Loads dynalite, which the application installs (for tests): a missing dynalite is core's `MissingDependencyError`
 * (DEPENDENCY_MISSING) naming it; any other failure to load it (a dependency of dynalite
 * missing, an error in it) is thrown as it is.
 */
export function loadDynalite(load: () => unknown = importDynalite): Promise<Dynalite> {
  return importOptionalPeer(
    'dynalite',
    'startLocalDynamoDb',
    async () => (await load()) as Dynalite,
  );
}

// `import()` rather than a require made from `import.meta.url`, which a CommonJS bundle
// (esbuild's) does not have; never bundled, since its store is a native module (see
// `importUnbundled`). dynalite is a CommonJS module: its function is the default export.
async function importDynalite(): Promise<unknown> {
  const loaded = (await importUnbundled('dynalite').catch(
    peerMissing('dynalite', 'startLocalDynamoDb'),
  )) as { default?: unknown };
  return loaded.default ?? loaded;
}

/**
 * Starts dynalite in this process with an in-memory store on a free loopback port, and
 * returns its endpoint and a client for it. Meant for tests and local development.
 */
export async function startLocalDynamoDb(
  options: LocalDynamoDbOptions = {},
): Promise<LocalDynamoDb> {
  checkOptionNames(options, localOptionNames, 'startLocalDynamoDb', TypeError);
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(
      `startLocalDynamoDb listens on loopback addresses only (127.0.0.1, ::1, localhost), not ${quotedName(String(host))}: the engine accepts any credentials`,
    );
  }
  const dynalite = await loadDynalite();
  // dynalite's storage, mended where 4.0 fails: its layout inside its package is no interface
  // of its, so a dynalite without this module is run as it is.
  const storage = (await importUnbundled('dynalite/db/index.js').catch(() => undefined)) as
    | { default?: unknown }
    | undefined;
  const storageModule = storage && (storage.default ?? storage);
  if (storageModule) closableIterators(storageModule as DynaliteStores);
  // No `path` option: dynalite then keeps its tables in memory (memory-level).
  const delays = {
    createTableMs: options.createTableMs ?? 0,
    deleteTableMs: options.deleteTableMs ?? 0,
    updateTableMs: options.updateTableMs ?? 0,
  };
  const server = dynalite(delays);
  guardRequests(server);
  settleTableChanges(server, delays);
  if (storageModule) {
    guardStorage(storageModule as DynaliteStorage);
    requestValuesWithoutPrototypes(storageModule as DynaliteStorage);
  }
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const closeServer = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.close((error?: Error) => {
        if (error && (error as { code?: string }).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
        else resolve();
      });
      // Keep-alive sockets would hold `close` open until they time out.
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await closeServer().catch(() => undefined);
    throw new Error(
      `startLocalDynamoDb could not listen on ${host}:${options.port ?? 0}: ${(error as Error).message}`,
      { cause: error },
    );
  }

  const address = server.address() as AddressInfo;
  const endpoint = `http://${urlHost(address.address)}:${address.port}`;
  const region = options.region ?? 'us-east-1';
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials,
    maxAttempts: options.maxAttempts ?? 3,
  });

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    region,
    credentials,
    client,
    stop() {
      stopping ??= (async () => {
        client.destroy();
        await closeServer();
      })();
      return stopping;
    },
  };
}
