import { loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// The table's own descriptor (the API that made it) gaining, through a later persistent(), an
// index another API's spec already added under the same name with another key: refused as a
// mismatch (as DynamoDB and PostgreSQL refuse it), never read through the other index.
it("an index the table's own descriptor gains later is fitted against the indexes another spec added", async () => {
  const backend = createMemoryBackend();
  const model = (name: string) => ({
    type: 'object',
    'x-persist': `app.models.${name}`,
    properties: {
      id: { type: 'string' },
      kind: { type: 'string' },
      x: { type: 'string' },
      y: { type: 'string' },
    },
  });
  const spec = {
    swagger: '2.0',
    info: { title: 'later', version: '1' },
    paths: {},
    definitions: { A: model('A'), B: model('B') },
  };
  const shared = { table: 'things', key: 'id', discriminator: 'kind' };
  const first = await loadApi(spec, { backend, compat: 'pymacaron' });
  const A = first.persistent<Record<string, unknown>>('A', shared);
  await new A({ id: 'a1', x: 'q', y: 'r' }).save();
  // Another service's spec: byX on x.
  const second = await loadApi(spec, { backend, compat: 'pymacaron' });
  const OtherB = second.persistent<Record<string, unknown>>('B', {
    ...shared,
    indexes: { byX: { key: 'x' } },
  });
  await new OtherB({ id: 'b1', x: 'q', y: 'r' }).save();
  // The first service's B: byX on y.
  const B = first.persistent<Record<string, unknown>>('B', {
    ...shared,
    indexes: { byX: { key: 'y' } },
  });
  await expect(B.query({ index: 'byX', partition: 'r' })).rejects.toMatchObject({
    code: 'TABLE_MISMATCH',
  });
});
