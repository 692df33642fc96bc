// Macaron from a snapshot of built packages (ab-snapshot.mjs), for A/B of two builds:
// MACARON_SNAPSHOT=<name> (in $MACARON_AB_DIR, default /tmp/macaron-ab). Same workload as macaron.mjs.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pageSize, profileSpec } from '../workload.mjs';

const name = process.env.MACARON_SNAPSHOT;
if (!name) throw new Error('macaron-snapshot needs MACARON_SNAPSHOT=<name>');
const modules = join(process.env.MACARON_AB_DIR ?? '/tmp/macaron-ab', name, 'node_modules');
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const { loadApi } = await load('@macaron/core/dist/index.js');
const { createDynamoDbBackend } = await load('@macaron/backend-dynamodb/dist/index.js');

/** Macaron (the snapshot's build) doing the workload through the model API. */
export async function createLibrary({ client, table }) {
  const api = await loadApi(profileSpec(table), { backend: createDynamoDbBackend({ client }) });
  const Profile = api.persistent('Profile');
  const get = (key) => Profile.load(key);
  return {
    package: `@macaron/core (snapshot ${name})`,
    extras: {},
    put: (value) => new Profile(value).save(),
    get,
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
