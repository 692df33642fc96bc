// The memory-backend subjects (a bare Map with the same copies, the backend's own calls, the
// model API on the backend) and their operations, shared by the memory worker and the profiler.
import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';
import { pageSize, profile, profileKey, profileSpec, queryPages } from './workload.mjs';

// The deep copy the memory backend makes on the way in and on the way out.
function copy(value) {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value.slice();
  if (Array.isArray(value)) return value.map(copy);
  const result = {};
  for (const name in value) if (value[name] !== undefined) result[name] = copy(value[name]);
  return result;
}

/** A Map of items and sorted partitions, copying in and out; async like a backend. */
function createMapStore() {
  const items = new Map();
  const partitions = new Map();
  const keyOf = (key) => `${key.owner}\u0000${key.profile_id}`;
  return {
    async put(item) {
      const stored = copy(item);
      const id = keyOf(stored);
      if (!items.has(id)) {
        const partition = partitions.get(stored.owner) ?? { list: [], positions: new Map() };
        partition.positions.set(stored.profile_id, partition.list.length);
        partition.list.push(stored.profile_id);
        partitions.set(stored.owner, partition);
      }
      items.set(id, stored);
    },
    get: async (key) => copy(items.get(keyOf(key))),
    async increment(key) {
      const next = copy(items.get(keyOf(key)));
      next.view_count += 1;
      items.set(keyOf(key), next);
      return copy(next);
    },
    async queryPage(owner, cursor) {
      const partition = partitions.get(owner);
      const start = cursor ? partition.positions.get(cursor.profile_id) + 1 : 0;
      const ids = partition.list.slice(start, start + pageSize);
      const page = ids.map((id) => copy(items.get(`${owner}\u0000${id}`)));
      const last = ids.at(-1);
      return {
        items: page,
        cursor: start + pageSize < partition.list.length ? { owner, profile_id: last } : undefined,
      };
    },
  };
}

/** One subject: `map`, `memory-backend` or `memory-model`. */
export async function createSubject(library) {
  if (library === 'map') {
    const store = createMapStore();
    return {
      ...store,
      async loadModifySave(key) {
        const item = await store.get(key);
        item.view_count += 1;
        await store.put(item);
      },
    };
  }
  const backend = createMemoryBackend();
  const api = await loadApi(profileSpec('profiles'), { backend });
  const Profile = api.persistent('Profile');
  if (library === 'memory-model') {
    return {
      put: (item) => new Profile(item).save(),
      get: (key) => Profile.load(key),
      increment: (key) => Profile.update(key, { add: { view_count: 1 } }),
      async loadModifySave(key) {
        const item = await Profile.load(key);
        item.view_count += 1;
        await item.save();
      },
      async queryPage(partition, cursor) {
        return Profile.query({ partition, limit: pageSize, ...(cursor ? { cursor } : {}) });
      },
    };
  }
  const model = Profile.descriptor;
  const increment = [{ action: 'add', path: 'view_count', value: 1 }];
  return {
    put: (item) => backend.putItem({ model, item }),
    get: (key) => backend.getItem({ model, key }),
    increment: (key) => backend.updateItem({ model, key, operations: increment }),
    async loadModifySave(key) {
      const item = await backend.getItem({ model, key });
      item.view_count += 1;
      await backend.putItem({ model, item });
    },
    async queryPage(partition, cursor) {
      const page = await backend.query({
        model,
        partition,
        limit: pageSize,
        ...(cursor ? { startKey: cursor } : {}),
      });
      return { items: page.items, cursor: page.lastKey };
    },
  };
}

/** The subject seeded with the partition and keys the operations read, and those operations. */
export async function memoryOperations(library) {
  const subject = await createSubject(library);
  for (let index = 0; index < queryPages * pageSize; index++)
    await subject.put(profile('owner-q', index));
  for (let index = 0; index < 1000; index++)
    await subject.put(profile(`owner-s${index % 10}`, index));
  const writes = Array.from({ length: 1000 }, (_, index) => profile(`owner-w${index % 10}`, index));
  const keys = Array.from({ length: 1000 }, (_, index) =>
    profileKey(`owner-s${index % 10}`, index),
  );
  return {
    put: (index) => subject.put(writes[index % writes.length]),
    get: (index) => subject.get(keys[index % keys.length]),
    'update +1': (index) => subject.increment(keys[index % keys.length]),
    'load-modify-save': (index) => subject.loadModifySave(keys[index % keys.length]),
    'query page of 100': async (_index, lane) => {
      if (!lane.cursor || (lane.pages ?? 0) >= queryPages) lane.pages = 0;
      const page = await subject.queryPage('owner-q', lane.pages === 0 ? undefined : lane.cursor);
      if (page.items.length !== pageSize) throw new Error(`a page of ${page.items.length}`);
      lane.cursor = page.cursor;
      lane.pages += 1;
    },
  };
}
