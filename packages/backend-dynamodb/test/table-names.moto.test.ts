import { loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';

// `__proto__` and `constructor` are valid DynamoDB table names, and batches key their requests
// by table name: each table's entry must reach the engine as its own, and its answer be read
// back as its own. On moto: dynalite drops a `__proto__` entry itself (docs/engines.md).

const tables = ['__proto__', 'constructor', 'plain'];

describeOnMoto('batches on tables named __proto__ and constructor (moto)', () => {
  const moto = useMotoEngine();

  it('writes, reads and deletes in batches that mix them, each table its own', async () => {
    const schemas = Object.fromEntries(
      tables.map((table, index) => [
        `M${index}`,
        {
          type: 'object',
          required: ['id'],
          'x-persist': { table, key: 'id' },
          properties: { id: { type: 'string' }, table: { type: 'string' } },
        },
      ]),
    );
    const backend = createDynamoDbBackend({ client: moto().client });
    const api = await loadApi(
      { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, components: { schemas } },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const models = tables.map((_, index) => api.persistent(`M${index}`));
    for (const [index, Model] of models.entries()) {
      await Model.saveMany([
        { id: 'a', table: tables[index] },
        { id: 'b', table: tables[index] },
      ]);
      expect((await Model.loadMany(['a', 'b'])).map((object) => ({ ...object }))).toEqual([
        { id: 'a', table: tables[index] },
        { id: 'b', table: tables[index] },
      ]);
    }
    // One batch across the three tables (the backend's own: core batches one model at a time);
    // its keys differ across tables too, since moto takes one id in two tables for a duplicate.
    const written = await backend.batchWrite([
      ...models.map((Model, index) => ({
        model: Model.descriptor,
        put: { id: `c${index}`, table: tables[index]! },
      })),
      { model: models[0]!.descriptor, delete: { id: 'a' } },
    ]);
    expect(written.unprocessed).toEqual([]);
    const read = await backend.batchGet(
      models.flatMap((Model, index) =>
        ['a', 'b', `c${index}`].map((id) => ({ model: Model.descriptor, key: { id } })),
      ),
    );
    expect(read.unprocessed).toEqual([]);
    const found = read.found.map(
      ({ entry, item }) => `${entry.model.table.name}:${String(item.id)}:${String(item.table)}`,
    );
    expect(found.sort()).toEqual(
      [
        '__proto__:b:__proto__',
        '__proto__:c0:__proto__',
        'constructor:a:constructor',
        'constructor:b:constructor',
        'constructor:c1:constructor',
        'plain:a:plain',
        'plain:b:plain',
        'plain:c2:plain',
      ].sort(),
    );
    for (const [index, Model] of models.entries()) {
      await Model.deleteMany(['a', 'b', `c${index}`]);
      expect((await Model.scan()).items).toEqual([]);
    }
  });
});
