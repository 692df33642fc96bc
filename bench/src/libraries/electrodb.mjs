// ElectroDB: an Entity whose table index uses the Profile's own attributes as its keys.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Entity } from 'electrodb';
import { pageSize } from '../workload.mjs';
import { sendWithRetry } from './batch-loop.mjs';

/** ElectroDB doing the workload; it adds its `__edb_e__` / `__edb_v__` markers to every item. */
export async function createLibrary({ client, table }) {
  const documentClient = DynamoDBDocumentClient.from(client);
  const Profile = new Entity(
    {
      model: { entity: 'profile', version: '1', service: 'bench' },
      attributes: {
        owner: { type: 'string', required: true },
        profile_id: { type: 'string', required: true },
        name: { type: 'string', required: true },
        email: { type: 'string' },
        view_count: { type: 'number' },
        tags: { type: 'list', items: { type: 'string' } },
        address: {
          type: 'map',
          properties: {
            street: { type: 'string' },
            city: { type: 'string' },
            zip: { type: 'string' },
          },
        },
        created_at: { type: 'string' },
      },
      indexes: {
        byOwner: {
          pk: { field: 'owner', composite: ['owner'] },
          sk: { field: 'profile_id', composite: ['profile_id'] },
        },
      },
    },
    { client: documentClient, table },
  );
  const put = (value) => Profile.put(value).go();
  const get = async (key) => (await Profile.get(key).go()).data;
  const keyOf = (value) => `${value.owner}\u0000${value.profile_id}`;
  // ElectroDB chunks by 25 itself and returns the keys it could not write: retry those items.
  const writeAll = async (items) => {
    const byKey = new Map(items.map((value) => [keyOf(value), value]));
    await sendWithRetry(items, async (pending) => {
      const { unprocessed } = await Profile.put(pending).go();
      return unprocessed.map((key) => byKey.get(keyOf(key)));
    });
  };
  return {
    package: 'electrodb',
    extras: { __edb_e__: 'profile', __edb_v__: '1' },
    put,
    get,
    async increment(key) {
      return (await Profile.update(key).add({ view_count: 1 }).go({ response: 'all_new' })).data;
    },
    // patch() is update() with the item required to exist.
    async incrementExisting(key) {
      return (await Profile.patch(key).add({ view_count: 1 }).go({ response: 'all_new' })).data;
    },
    async loadModifySave(key) {
      const value = await get(key);
      value.view_count += 1;
      await put(value);
    },
    async queryPage(partition, cursor) {
      const output = await Profile.query
        .byOwner({ owner: partition })
        .go({ limit: pageSize, ...(cursor ? { cursor } : {}) });
      return { items: output.data, cursor: output.cursor ?? undefined };
    },
    async scanPage() {
      return { items: (await Profile.scan.go({ limit: pageSize })).data };
    },
    batchWrite: writeAll,
    writeAll,
  };
}
