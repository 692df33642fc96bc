// dynamodb-toolbox used directly: a Table and an Entity written by hand for the Profile.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  $add,
  BatchPutRequest,
  BatchWriteCommand,
  Entity,
  executeBatchWrite,
  GetItemCommand,
  item,
  list,
  map,
  number,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  string,
  Table,
  UpdateItemCommand,
} from 'dynamodb-toolbox';
import { pageSize } from '../workload.mjs';
import { sendWithRetry, writeInChunks } from './batch-loop.mjs';

/** dynamodb-toolbox doing the workload, storing the same plain item (no entity or timestamp attributes). */
export async function createLibrary({ client, table: tableName }) {
  const documentClient = DynamoDBDocumentClient.from(client);
  const table = new Table({
    name: tableName,
    partitionKey: { name: 'owner', type: 'string' },
    sortKey: { name: 'profile_id', type: 'string' },
    documentClient,
  });
  const Profile = new Entity({
    name: 'Profile',
    table,
    entityAttribute: false,
    timestamps: false,
    schema: item({
      owner: string().key(),
      profile_id: string().key(),
      name: string(),
      email: string().optional(),
      view_count: number().optional(),
      tags: list(string()).optional(),
      address: map({
        street: string().optional(),
        city: string().optional(),
        zip: string().optional(),
      }).optional(),
      created_at: string().optional(),
    }),
  });
  const put = (value) => Profile.build(PutItemCommand).item(value).send();
  const get = async (key) => (await Profile.build(GetItemCommand).key(key).send()).Item;
  const sendBatch = async (items) => {
    const command = table
      .build(BatchWriteCommand)
      .requests(...items.map((value) => Profile.build(BatchPutRequest).item(value)));
    const output = await executeBatchWrite(command);
    return (output.UnprocessedItems?.[tableName] ?? []).map((request) => request.PutRequest.Item);
  };
  return {
    package: 'dynamodb-toolbox',
    extras: {},
    put,
    get,
    async increment(key) {
      const output = await Profile.build(UpdateItemCommand)
        .item({ ...key, view_count: $add(1) })
        .options({ returnValues: 'ALL_NEW' })
        .send();
      return output.Attributes;
    },
    async incrementExisting(key) {
      const output = await Profile.build(UpdateItemCommand)
        .item({ ...key, view_count: $add(1) })
        .options({ returnValues: 'ALL_NEW', condition: { attr: 'owner', exists: true } })
        .send();
      return output.Attributes;
    },
    async loadModifySave(key) {
      const value = await get(key);
      value.view_count += 1;
      await put(value);
    },
    async queryPage(partition, cursor) {
      const output = await table
        .build(QueryCommand)
        .entities(Profile)
        .query({ partition })
        .options({ limit: pageSize, ...(cursor ? { exclusiveStartKey: cursor } : {}) })
        .send();
      return { items: output.Items, cursor: output.LastEvaluatedKey };
    },
    async scanPage() {
      const output = await table
        .build(ScanCommand)
        .entities(Profile)
        .options({ limit: pageSize })
        .send();
      return { items: output.Items };
    },
    batchWrite: (items) => sendWithRetry(items, sendBatch),
    writeAll: (items) => writeInChunks(items, sendBatch),
  };
}
