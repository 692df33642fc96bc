// dynamoose: a Model and Table over the given client, no table management.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import dynamoose from 'dynamoose';
import { pageSize } from '../workload.mjs';
import { sendWithRetry, writeInChunks } from './batch-loop.mjs';

/** dynamoose doing the workload. */
export async function createLibrary({ clientConfig, table }) {
  // dynamoose calls the aggregated client's methods (`getItem(…)`): a DynamoDB of the same configuration.
  dynamoose.aws.ddb.set(new DynamoDB(clientConfig));
  const schema = new dynamoose.Schema(
    {
      owner: { type: String, hashKey: true },
      profile_id: { type: String, rangeKey: true },
      name: { type: String, required: true },
      email: String,
      view_count: Number,
      tags: { type: Array, schema: [String] },
      address: {
        type: Object,
        schema: { street: String, city: String, zip: String },
      },
      created_at: String,
    },
    { saveUnknown: false, timestamps: false },
  );
  const Profile = dynamoose.model('Profile', schema, { create: false, waitForActive: false });
  new dynamoose.Table(table, [Profile], { create: false, waitForActive: false, update: false });
  const put = (value) => new Profile(value).save();
  const get = (key) => Profile.get(key);
  // batchPut sends what it is given in one request: chunking and retrying are the caller's.
  const sendBatch = async (items) => (await Profile.batchPut(items)).unprocessedItems;
  return {
    package: 'dynamoose',
    extras: {},
    put,
    get,
    increment: (key) => Profile.update(key, { $ADD: { view_count: 1 } }),
    incrementExisting: (key) =>
      Profile.update(
        key,
        { $ADD: { view_count: 1 } },
        { condition: new dynamoose.Condition('owner').exists() },
      ),
    async loadModifySave(key) {
      const value = await get(key);
      value.view_count += 1;
      await value.save();
    },
    async queryPage(partition, cursor) {
      let query = Profile.query('owner').eq(partition).limit(pageSize);
      if (cursor) query = query.startAt(cursor);
      const output = await query.exec();
      return { items: output, cursor: output.lastKey };
    },
    async scanPage() {
      return { items: await Profile.scan().limit(pageSize).exec() };
    },
    batchWrite: (items) => sendWithRetry(items, sendBatch),
    writeAll: (items) => writeInChunks(items, sendBatch),
  };
}
