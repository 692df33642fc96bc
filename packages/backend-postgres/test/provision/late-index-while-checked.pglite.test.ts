import { loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';

const engine = usePGliteEngine();

// A table's keys are checked once (KeyFit), and again when it gains an index. A model made
// persistent while that first check reads the catalog (PyMacaron's form: options given when
// first needed, by another request) adds an index the check never saw: the table must not be
// taken as fitting it, so that a query through the index the table lacks is refused, never
// answered with an empty page.
it('an index merged while the table is being checked is checked before a query through it', async () => {
  const model = (name: string, x = 'string') => ({
    type: 'object',
    'x-persist': `app.models.${name}`,
    properties: { id: { type: 'string' }, kind: { type: 'string' }, x: { type: x } },
  });
  const spec = {
    swagger: '2.0',
    info: { title: 'later', version: '1' },
    paths: {},
    definitions: { A: model('A'), B: model('B') },
  };
  // Another service's spec, whose x is a number: its index column is numeric.
  const other = { ...spec, definitions: { A: model('A', 'number'), B: model('B', 'number') } };
  const tables = `race${Math.random().toString(36).slice(2, 6)}-`;
  const shared = { table: 'things', key: 'id', discriminator: 'kind' };
  // Made by another process: this backend has checked nothing yet.
  const maker = await loadApi(other, {
    backend: createPostgresBackend({ pglite: engine().database }),
    compat: 'pymacaron',
    tablePrefix: tables,
  });
  maker.persistent('A', { ...shared, indexes: { byX: { key: 'x' } } });
  await createPostgresBackend({ pglite: engine().database }).ensureTables(maker.tables());

  // The catalog read of the first check is where another request makes B persistent.
  let onCatalog: (() => void) | undefined;
  const client = createPostgresBackend({ pglite: engine().database }).client;
  const backend = createPostgresBackend({
    client: {
      ...client,
      query: (text, parameters) => {
        if (text.includes('FROM pg_attribute a')) {
          const hook = onCatalog;
          onCatalog = undefined;
          hook?.();
        }
        return client.query(text, parameters);
      },
      transaction: (work) => client.transaction(work),
      close: () => client.close(),
    },
  });
  const api = await loadApi(spec, { backend, compat: 'pymacaron', tablePrefix: tables });
  const A = api.persistent<Record<string, unknown>>('A', shared);
  let B: ReturnType<typeof api.persistent<Record<string, unknown>>> | undefined;
  onCatalog = () => {
    B = api.persistent<Record<string, unknown>>('B', { ...shared, indexes: { byX: { key: 'x' } } });
  };
  // The backend's first request checks its tables before taking their statements, which name
  // the schema that check finds (see `SchemaTables`): the save, its statements taken once B's
  // index is merged, checks the table again, and refuses it too (its x is numeric, the merged
  // spec's text).
  await expect(new A({ id: 'a1', x: 'q' }).save()).rejects.toMatchObject({
    code: 'TABLE_MISMATCH',
  });
  expect(B).toBeDefined();
  await expect(B!.query({ index: 'byX', partition: 'q' })).rejects.toMatchObject({
    code: 'TABLE_MISMATCH',
  });
});
