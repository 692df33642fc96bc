import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbBackend, deleteTables } from '@macaron/backend-dynamodb';
import { startLocalDynamoDb } from '@macaron/backend-dynamodb/local';
import { createMemoryBackend } from '@macaron/backend-memory';
import { createPostgresBackend } from '@macaron/backend-postgres';
import { startLocalPostgres } from '@macaron/backend-postgres/local';
import type { StorageBackend, TableDescriptor } from '@macaron/core';
import { quotedName } from '@macaron/core/backend';
import type { ServiceConfig } from './service-config.js';

/** The backend the service stores profiles in, and how to release it. */
export interface Storage {
  backend: StorageBackend;
  /** Where the data lives, for the start-up message. */
  description: string;
  /**
   * The variable that named where it lives, its value quoted (never DATABASE_URL's): what a
   * start-up failure of the storage names, as the README says. None for an embedded engine.
   */
  source?: string;
  /**
   * Fails fast when the endpoint accepts connections and never answers, which the requests'
   * own timeouts (10 s, tried 3 times) would report only after 30 s: the service and the load
   * script call it before the first request. None for the embedded engines, nor PostgreSQL,
   * whose `connectionTimeoutMillis` (5 s) bounds a silent server already.
   */
  checkAnswers?(): Promise<void>;
  /**
   * Deletes `tables` and their data where the storage outlives the process (a DynamoDB endpoint,
   * a PostgreSQL server): for the load script's own tables, never the service's.
   */
  dropTables?(tables: readonly TableDescriptor[]): Promise<void>;
  stop(): Promise<void>;
}

/** How long start-up waits for a DynamoDB endpoint to answer its first request. */
export const firstAnswerTimeoutMs = 5_000;

/**
 * Opens the storage the configuration asks for: the embedded DynamoDB engine (dynalite,
 * in-process, in memory) by default, the memory backend, any DynamoDB endpoint, or
 * PostgreSQL: a server at `DATABASE_URL`, else PGlite (in-process, in memory).
 */
export async function openStorage(
  config: ServiceConfig,
  environment: NodeJS.ProcessEnv,
): Promise<Storage> {
  if (config.backend === 'memory') {
    return {
      backend: createMemoryBackend(),
      description: 'the in-memory backend (data is lost on exit)',
      stop: async () => {},
    };
  }
  if (config.backend === 'postgres') {
    if (config.databaseUrl !== undefined) {
      const backend = postgresBackendOrRefusal(config.databaseUrl);
      return {
        backend,
        source: 'DATABASE_URL',
        // The host, or a Unix socket's folder (`socket:/run/postgresql`); never the password.
        description: `PostgreSQL at ${new URL(config.databaseUrl).host || new URL(config.databaseUrl).pathname}`,
        dropTables: async (tables) => void (await backend.deleteTables(tables)),
        stop: () => backend.close(),
      };
    }
    const local = await startLocalPostgres();
    return {
      backend: local.backend,
      description: 'an embedded PostgreSQL (PGlite, in memory)',
      stop: () => local.stop(),
    };
  }
  if (config.dynamoDbEndpoint === undefined && !config.useAws) {
    const engine = await startLocalDynamoDb();
    // dynalite has no transactions and no TTL; the service uses neither.
    const backend = createDynamoDbBackend({
      client: engine.client,
      capabilities: { transactions: false, ttl: false },
    });
    return {
      backend,
      description: `an embedded DynamoDB engine (dynalite, in memory) at ${engine.endpoint}`,
      stop: () => engine.stop(),
    };
  }
  const client = new DynamoDBClient({
    ...(config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {}),
    // A local endpoint needs a region and credentials, but checks neither.
    ...(config.dynamoDbEndpoint && !environment.AWS_REGION ? { region: 'us-east-1' } : {}),
    // boto3 (PyMacaron's) and the AWS CLI read AWS_DEFAULT_REGION, the JavaScript SDK only
    // AWS_REGION: a service moved over keeps its environment, as `macaron tables` does.
    ...(config.useAws && !environment.AWS_REGION && environment.AWS_DEFAULT_REGION
      ? { region: environment.AWS_DEFAULT_REGION }
      : {}),
    ...(config.dynamoDbEndpoint && !environment.AWS_ACCESS_KEY_ID && !environment.AWS_PROFILE
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 3,
    // The backend alone uses this client: each command class's middleware is resolved once,
    // not for every request (about 30 % of a request's client CPU; see the backend's README).
    cacheMiddleware: true,
    // The SDK has no timeouts by default: an endpoint that never answers would hold requests.
    requestHandler: {
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true,
    },
  });
  if (config.useAws) await checkAwsRegion(client, environment);
  const fromAws = awsEndpointVariable(environment);
  const backend = createDynamoDbBackend({ client });
  return {
    backend,
    description: config.dynamoDbEndpoint
      ? `DynamoDB at ${config.dynamoDbEndpoint}`
      : fromAws
        ? `DynamoDB at ${environment[fromAws]} (from ${fromAws})`
        : 'Amazon DynamoDB (AWS)',
    source: config.dynamoDbEndpoint
      ? `DYNAMODB_ENDPOINT ${quotedName(config.dynamoDbEndpoint)}`
      : fromAws
        ? `${fromAws} ${quotedName(environment[fromAws] ?? '')} (with DYNAMODB_ENDPOINT=aws)`
        : 'DYNAMODB_ENDPOINT "aws"',
    checkAnswers: () => checkAnswers(client, firstAnswerTimeoutMs),
    dropTables: async (tables) => void (await deleteTables(client, tables)),
    // The backend's calls still in flight (a handler past the stop's deadline) end first, within
    // the client's timeouts: destroying the client under them would leave writes of unknown outcome.
    stop: async () => {
      await backend.close();
      client.destroy();
    },
  };
}

// A server that accepts connections and never answers: typed errors, not requests that never
// settle. What the backend refuses in the URL (a `?schema=` node-postgres would ignore) is a bad
// DATABASE_URL, named as such (the backend's message never holds the URL).
function postgresBackendOrRefusal(databaseUrl: string) {
  try {
    return createPostgresBackend({
      connection: {
        connectionString: databaseUrl,
        connectionTimeoutMillis: 5_000,
        query_timeout: 30_000,
      },
    });
  } catch (error) {
    if (error instanceof TypeError)
      throw new Error(`DATABASE_URL: ${error.message.replace(/^createPostgresBackend:?\s*/, '')}`);
    throw error;
  }
}

// With DYNAMODB_ENDPOINT=aws the region is the SDK's (AWS_REGION, else the AWS profile's):
// none, or one that is no region name, would fail only at the first request, in the SDK's words
// ("Region is missing"). One line naming the variable instead, before anything is sent.
async function checkAwsRegion(client: DynamoDBClient, environment: NodeJS.ProcessEnv) {
  try {
    await client.config.region();
  } catch (error) {
    client.destroy();
    const variable = environment.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
    const region = environment[variable];
    throw new Error(
      region
        ? `${variable} must be a region name, as eu-west-1, not ${quotedName(region)}`
        : 'DYNAMODB_ENDPOINT=aws needs an AWS region, and none was found (or the AWS profile has no valid one): set AWS_REGION, as AWS_REGION=eu-west-1',
      { cause: error },
    );
  }
}

// With DYNAMODB_ENDPOINT=aws the SDK still takes an endpoint from these, the service-specific
// one first (AWS SDKs' "service-specific endpoints"): the banner says where requests go.
function awsEndpointVariable(environment: NodeJS.ProcessEnv): string | undefined {
  if (environment.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL'].find(
    (variable) => environment[variable],
  );
}

// One ListTables (it reads no item), bounded by `timeoutMs` whatever the SDK's tries: any
// answer, even a refusal (AccessDenied), or an error of the connection (refused: the first
// request names it, as before) lets start-up go on; silence past `timeoutMs` is one line. The credentials are resolved first:
// the time a profile, SSO or instance metadata takes is not the endpoint's.
async function checkAnswers(client: DynamoDBClient, timeoutMs: number): Promise<void> {
  try {
    await client.config.credentials();
  } catch {
    return; // the first request says why, in the SDK's words, as before
  }
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  const answered = client
    .send(new ListTablesCommand({ Limit: 1 }), { abortSignal: abort.signal })
    .then(
      () => false,
      () => false,
    );
  const timedOut = await Promise.race([silent, answered]);
  clearTimeout(timer);
  if (!timedOut) return;
  abort.abort();
  throw new Error(
    `DynamoDB did not answer within ${timeoutMs / 1000} s (ListTables): is it a DynamoDB endpoint, and is it up? Nothing was written`,
  );
}
