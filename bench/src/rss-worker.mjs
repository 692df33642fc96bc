// Peak RSS while iterating a whole partition page by page, in a fresh process per size.
// The pages are canned (no engine, no stored data in this process): what grows is the client's.
// Usage: node rss-worker.mjs '{"library":"macaron"|"raw","items":100000}'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbBackend } from '@macaron/backend-dynamodb';
import { loadApi } from '@macaron/core';
import { cannedClientConfig, pagingHandler } from './canned-client.mjs';
import { pageSize, profileSpec } from './workload.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
const handler = pagingHandler(0);
const client = new DynamoDBClient(cannedClientConfig(handler));

async function iterator() {
  if (config.library === 'raw') {
    const documents = DynamoDBDocumentClient.from(client);
    return async function* () {
      const pages = paginateQuery(
        { client: documents, pageSize },
        {
          TableName: 'profiles',
          KeyConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': 'owner-q' },
        },
      );
      for await (const page of pages) yield* page.Items;
    };
  }
  const api = await loadApi(profileSpec('profiles'), {
    backend: createDynamoDbBackend({ client }),
  });
  const Profile = api.persistent('Profile');
  return () => Profile.queryAll({ partition: 'owner-q', limit: pageSize });
}

async function walk(items, iterate) {
  handler.reset(items);
  let count = 0;
  let views = 0;
  for await (const item of iterate()) {
    count += 1;
    views += item.view_count;
  }
  if (count !== items) throw new Error(`iterated ${count} of ${items} items`);
  return views;
}

const iterate = await iterator();
await walk(1000, iterate);
const before = process.memoryUsage().rss;
const started = performance.now();
await walk(config.items, iterate);
const elapsedMs = performance.now() - started;
const result = {
  library: config.library,
  items: config.items,
  rssBeforeMb: before / 2 ** 20,
  peakRssMb: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
  itemsPerSecond: (config.items * 1000) / elapsedMs,
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
