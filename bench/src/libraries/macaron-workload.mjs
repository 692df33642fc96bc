// The workload through Macaron's model API (validation and copies included), given the loadApi
// and createDynamoDbBackend of whichever build runs it: the packages (macaron.mjs) or a
// snapshot of another build (macaron-snapshot.mjs).
import { pageSize, profileSpec } from '../workload.mjs';

export async function macaronWorkload({ loadApi, createDynamoDbBackend, client, table, label }) {
  const api = await loadApi(profileSpec(table), { backend: createDynamoDbBackend({ client }) });
  const Profile = api.persistent('Profile');
  const get = (key) => Profile.load(key);
  return {
    package: label,
    extras: {},
    put: (value) => new Profile(value).save(),
    get,
    // update() requires the item to exist (ItemNotFoundError otherwise): always conditional.
    increment: (key) => Profile.update(key, { add: { view_count: 1 } }),
    incrementExisting: (key) => Profile.update(key, { add: { view_count: 1 } }),
    async loadModifySave(key) {
      const value = await get(key);
      value.view_count += 1;
      await value.save();
    },
    async queryPage(partition, cursor) {
      const page = await Profile.query({
        partition,
        limit: pageSize,
        ...(cursor ? { cursor } : {}),
      });
      return { items: page.items, cursor: page.cursor };
    },
    async scanPage() {
      return { items: (await Profile.scan({ limit: pageSize })).items };
    },
    batchWrite: (items) => Profile.saveMany(items),
    writeAll: (items) => Profile.saveMany(items),
  };
}
