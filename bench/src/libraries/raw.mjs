// The floor: AWS's DynamoDBDocumentClient with hand-written requests.
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { pageSize } from '../workload.mjs';
import { sendWithRetry, writeInChunks } from './batch-loop.mjs';

/** The raw DocumentClient doing the workload. */
export async function createLibrary({ client, table }) {
  const documents = DynamoDBDocumentClient.from(client);
  const put = (item) => documents.send(new PutCommand({ TableName: table, Item: item }));
  const get = async (key) =>
    (await documents.send(new GetCommand({ TableName: table, Key: key }))).Item;
  const sendBatch = async (items) => {
    const output = await documents.send(
      new BatchWriteCommand({
        RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
    return (output.UnprocessedItems?.[table] ?? []).map((request) => request.PutRequest.Item);
  };
  return {
    package: '@aws-sdk/lib-dynamodb',
    extras: {},
    put,
    get,
    async increment(key) {
      const output = await documents.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'ADD #count :one',
          ExpressionAttributeNames: { '#count': 'view_count' },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return output.Attributes;
    },
    async incrementExisting(key) {
      const output = await documents.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'ADD #count :one',
          ConditionExpression: 'attribute_exists(#owner)',
          ExpressionAttributeNames: { '#count': 'view_count', '#owner': 'owner' },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return output.Attributes;
    },
    async loadModifySave(key) {
      const item = await get(key);
      item.view_count += 1;
      await put(item);
    },
    async queryPage(partition, cursor) {
      const output = await documents.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': partition },
          Limit: pageSize,
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      return { items: output.Items, cursor: output.LastEvaluatedKey };
    },
    async scanPage() {
      const output = await documents.send(new ScanCommand({ TableName: table, Limit: pageSize }));
      return { items: output.Items };
    },
    batchWrite: (items) => sendWithRetry(items, sendBatch),
    writeAll: (items) => writeInChunks(items, sendBatch),
  };
}
