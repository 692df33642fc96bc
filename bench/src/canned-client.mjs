// A DynamoDBClient whose request handler answers in-process with canned HTTP responses: no
// network, no engine, so a timing holds only the client side (the SDK's middleware, signing,
// serialisation and parsing, and whatever the library adds on top).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshallItem, pageSize, profile, profileKey, profilesKeySchema } from './workload.mjs';

const encoder = new TextEncoder();
const headers = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amzn-requestid': 'canned',
};

/**
 * The canned bodies, one per operation, with the items as the library itself stores them
 * (`extras`: attributes it adds, e.g. ElectroDB's entity and version markers).
 */
export function cannedBodies(extras = {}) {
  const stored = (index) => marshallItem({ ...profile('owner-q', index), ...extras });
  const page = Array.from({ length: pageSize }, (_, index) => stored(index));
  const lastKey = marshallItem(profileKey('owner-q', pageSize - 1));
  const pageBody = {
    Items: page,
    Count: pageSize,
    ScannedCount: pageSize,
    LastEvaluatedKey: lastKey,
  };
  return {
    GetItem: { Item: stored(7) },
    PutItem: {},
    UpdateItem: { Attributes: stored(7) },
    DeleteItem: {},
    Query: pageBody,
    Scan: pageBody,
    BatchWriteItem: { UnprocessedItems: {} },
    DescribeTable: {
      Table: {
        TableName: 'profiles',
        TableStatus: 'ACTIVE',
        ...profilesKeySchema,
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      },
    },
  };
}

/** A request handler that answers each operation with its canned body (encoded once). */
export function cannedHandler(bodies) {
  const encoded = new Map(
    Object.entries(bodies).map(([operation, body]) => [
      `DynamoDB_20120810.${operation}`,
      encoder.encode(JSON.stringify(body)),
    ]),
  );
  return {
    metadata: { handlerProtocol: 'canned' },
    async handle(request) {
      const target = request.headers['x-amz-target'];
      const body = encoded.get(target);
      if (!body) throw new Error(`No canned response for ${target}`);
      return { response: { statusCode: 200, headers: { ...headers }, body } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
}

/**
 * A query handler for memory runs: pages of 100 items, each page's LastEvaluatedKey set
 * until `totalItems` have been served, then a last page without one; `reset` starts over.
 */
export function pagingHandler(totalItems) {
  const describeTableBody = encoder.encode(JSON.stringify(cannedBodies().DescribeTable));
  const items = Array.from({ length: pageSize }, (_, index) =>
    marshallItem(profile('owner-q', index)),
  );
  let served = 0;
  return {
    reset(total) {
      totalItems = total;
      served = 0;
    },
    async handle(request) {
      // Macaron reads the table's keys once, before its first query.
      if (request.headers['x-amz-target'] === 'DynamoDB_20120810.DescribeTable')
        return {
          response: { statusCode: 200, headers: { ...headers }, body: describeTableBody },
        };
      if (request.headers['x-amz-target'] !== 'DynamoDB_20120810.Query')
        throw new Error(`Only Query is canned here, not ${request.headers['x-amz-target']}`);
      served += pageSize;
      const body = {
        Items: items,
        Count: pageSize,
        ScannedCount: pageSize,
        ...(served < totalItems
          ? { LastEvaluatedKey: marshallItem(profileKey('owner-q', served)) }
          : {}),
      };
      return {
        response: {
          statusCode: 200,
          headers: { ...headers },
          body: encoder.encode(JSON.stringify(body)),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
}

/** The configuration of a DynamoDBClient that never leaves the process. */
export function cannedClientConfig(handler) {
  return {
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'canned', secretAccessKey: 'canned' },
    requestHandler: handler,
  };
}

/** A DynamoDBClient that never leaves the process. */
export function createCannedClient(handler) {
  return new DynamoDBClient(cannedClientConfig(handler));
}

/**
 * The canned configuration for a library (`createLibrary` of `libraries/`): a first instance on
 * a client answering nothing tells which attributes the library adds to its items, so that the
 * canned items carry them.
 */
export async function cannedConfigFor(createLibrary, table) {
  const probeConfig = cannedClientConfig(cannedHandler({}));
  const probe = await createLibrary({
    client: new DynamoDBClient(probeConfig),
    clientConfig: probeConfig,
    table,
  });
  return cannedClientConfig(cannedHandler(cannedBodies(probe.extras)));
}
