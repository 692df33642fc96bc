// Throughput of the memory backend beside a bare Map doing the same copies.
// Not a test: run with `pnpm --filter @macaron/backend-memory bench` (after a build).
// BENCH_SCALE=0.01 runs a tiny smoke version.
import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';

const scale = Number(process.env.BENCH_SCALE ?? 1);
const rounds = scale < 1 ? 1 : 5;
const operations = Math.max(100, Math.round(50_000 * scale));

const spec = {
  openapi: '3.0.3',
  info: { title: 'bench', version: '1' },
  paths: {},
  components: {
    schemas: {
      Profile: {
        type: 'object',
        required: ['owner', 'profile_id', 'name'],
        'x-persist': { table: 'profiles', key: 'owner', sort: 'profile_id' },
        properties: {
          owner: { type: 'string' },
          profile_id: { type: 'string' },
          name: { type: 'string' },
          view_count: { type: 'integer' },
          tags: { type: 'array', items: { type: 'string' } },
          address: {
            type: 'object',
            properties: { city: { type: 'string' }, zip: { type: 'string' } },
          },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
};

const profile = (index) => ({
  owner: `owner-${index % 100}`,
  profile_id: `p-${String(index).padStart(6, '0')}`,
  name: `Name ${index}`,
  view_count: index,
  tags: ['a', 'b', 'c'],
  address: { city: 'Paris', zip: '75001' },
  created_at: '2026-11-26T10:00:00Z',
});

// The same deep copy the backend makes on the way in and out.
function copy(value) {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value.slice();
  if (Array.isArray(value)) return value.map(copy);
  const result = {};
  for (const name in value) if (value[name] !== undefined) result[name] = copy(value[name]);
  return result;
}

async function measure(run) {
  const samples = [];
  await run(Math.min(operations, 2000));
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    await run(operations);
    samples.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  samples.sort((a, b) => a - b);
  return operations / samples[Math.floor(samples.length / 2)];
}

function mapBaseline() {
  const items = new Map();
  const partitions = new Map();
  const keyOf = (item) => `${item.owner}\u0000${item.profile_id}`;
  return {
    // Async like every backend method, so both sides pay for a promise per call.
    async put(item) {
      const stored = copy(item);
      const id = keyOf(stored);
      if (!items.has(id)) {
        const partition = partitions.get(stored.owner) ?? [];
        partition.push(stored);
        partitions.set(stored.owner, partition);
      }
      items.set(id, stored);
    },
    get: async (key) => copy(items.get(keyOf(key))),
    async update(key, increment) {
      const next = copy(items.get(keyOf(key)));
      next.view_count += increment;
      items.set(keyOf(key), next);
      return copy(next);
    },
    query: async (owner, limit) => (partitions.get(owner) ?? []).slice(0, limit).map(copy),
  };
}

const backend = createMemoryBackend();
const api = await loadApi(spec, { backend });
const Profile = api.persistent('Profile');
const model = Profile.descriptor;
const map = mapBaseline();
for (let index = 0; index < 10_000; index++) {
  await backend.putItem({ model, item: profile(index) });
  await map.put(profile(index));
}
const key = (index) => ({
  owner: `owner-${index % 100}`,
  profile_id: `p-${String(index % 10_000).padStart(6, '0')}`,
});
const increment = [{ action: 'add', path: 'view_count', value: 1 }];

const rows = [
  [
    'put',
    async (n) => {
      for (let i = 0; i < n; i++) await map.put(profile(i % 10_000));
    },
    async (n) => {
      for (let i = 0; i < n; i++) await backend.putItem({ model, item: profile(i % 10_000) });
    },
  ],
  [
    'get',
    async (n) => {
      for (let i = 0; i < n; i++) await map.get(key(i));
    },
    async (n) => {
      for (let i = 0; i < n; i++) await backend.getItem({ model, key: key(i) });
    },
  ],
  [
    'update (add 1)',
    async (n) => {
      for (let i = 0; i < n; i++) await map.update(key(i), 1);
    },
    async (n) => {
      for (let i = 0; i < n; i++)
        await backend.updateItem({ model, key: key(i), operations: increment });
    },
  ],
  [
    'query (25 items)',
    async (n) => {
      for (let i = 0; i < n / 10; i++) await map.query(`owner-${i % 100}`, 25);
    },
    async (n) => {
      for (let i = 0; i < n / 10; i++)
        await backend.query({ model, partition: `owner-${i % 100}`, limit: 25 });
    },
  ],
];
const modelRows = [
  [
    'model save()',
    async (n) => {
      for (let i = 0; i < n; i++) await new Profile(profile(i % 10_000)).save();
    },
  ],
  [
    'model load()',
    async (n) => {
      for (let i = 0; i < n; i++) await Profile.load(key(i));
    },
  ],
  [
    'model update()',
    async (n) => {
      for (let i = 0; i < n; i++) await Profile.update(key(i), { add: { view_count: 1 } });
    },
  ],
  [
    'model query() 25',
    async (n) => {
      for (let i = 0; i < n / 10; i++)
        await Profile.query({ partition: `owner-${i % 100}`, limit: 25 });
    },
  ],
];

const format = (value) => Math.round(value).toLocaleString('en-US').padStart(12);
console.log(
  `Node ${process.version}, ${operations} operations a round, median of ${rounds} rounds (query rows: ops/s of 25-item pages)`,
);
console.log(
  `${'operation'.padEnd(18)}${'Map + copies'.padStart(12)}${'memory backend'.padStart(16)}${'ratio'.padStart(8)}`,
);
for (const [name, baseline, subject] of rows) {
  const base = await measure(baseline);
  const ours = await measure(subject);
  const factor = name.startsWith('query') ? 10 : 1;
  console.log(
    `${name.padEnd(18)}${format(base / factor)}${format(ours / factor).padStart(16)}${`${(ours / base).toFixed(2)}×`.padStart(8)}`,
  );
}
console.log('\nThrough the model API (validation, copies, key checks included):');
for (const [name, subject] of modelRows) {
  const ours = await measure(subject);
  console.log(`${name.padEnd(18)}${format(name.includes('query') ? ours / 10 : ours)} ops/s`);
}

// Patterns of unit tests whose cost grew with the square of the table before the sorted views
// were kept up to date on write: each figure should grow with N, not N².
const growth = Math.max(100, Math.round(10_000 * scale));
const patternSpec = {
  openapi: '3.0.3',
  info: { title: 'patterns', version: '1' },
  paths: {},
  components: {
    schemas: {
      Event: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'events', key: 'id', indexes: { byG: { key: 'g' } } },
        properties: { id: { type: 'string' }, g: { type: 'string' } },
      },
      Log: {
        type: 'object',
        required: ['id', 'at'],
        'x-persist': { table: 'logs', key: 'id', sort: 'at' },
        properties: { id: { type: 'string' }, at: { type: 'integer' } },
      },
    },
  },
};
async function patternModels() {
  const fresh = createMemoryBackend();
  const patterns = await loadApi(structuredClone(patternSpec), { backend: fresh });
  return { Event: patterns.persistent('Event'), Log: patterns.persistent('Log'), fresh };
}
async function timed(run) {
  const started = process.hrtime.bigint();
  await run();
  return `${Math.round(Number(process.hrtime.bigint() - started) / 1e6)} ms`;
}
console.log('\nPatterns (total time; each grows with N where the table is kept in order):');
{
  const { Event } = await patternModels();
  const both = await timed(async () => {
    for (let i = 0; i < growth; i++) {
      await Event.create({ id: `e${i}`, g: `u${i % 100}` });
      await Event.query({ index: 'byG', partition: 'u7', limit: 1 });
    }
  });
  console.log(`${growth} creates, each followed by an index query: ${both}`);
}
{
  const { Event } = await patternModels();
  const both = await timed(async () => {
    for (let i = 0; i < growth; i++) {
      await Event.create({ id: `e${i}`, g: 'u' });
      await Event.scan({ limit: 1 });
    }
  });
  console.log(`${growth} creates, each followed by a scan page: ${both}`);
}
{
  const { Log, fresh } = await patternModels();
  const walked = growth * 10;
  for (let i = 0; i < walked; i++)
    await fresh.putItem({ model: Log.descriptor, item: { id: 'p', at: i } });
  for (const [name, options] of [
    ['forward', {}],
    ['sort gte 0', { sort: { gte: 0 } }],
    ['reverse', { reverse: true }],
  ]) {
    const walk = await timed(async () => {
      for await (const _ of Log.queryAll({ partition: 'p', limit: 100, ...options }));
    });
    console.log(`a partition of ${walked} walked in pages of 100, ${name}: ${walk}`);
  }
}
