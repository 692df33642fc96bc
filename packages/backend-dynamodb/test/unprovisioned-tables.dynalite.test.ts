import { BackendError, loadApi, TableMismatchError, TableNotFoundError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { counterSchema } from './counter-schema.js';
import { useLocalEngine } from './local-engine.js';

const local = useLocalEngine();

describe('a table that was never created', () => {
  it('[P-106] every operation is TableNotFoundError (a BackendError); saveMany throws it whole, as refused', async () => {
    const backend = createDynamoDbBackend({ client: local().engine.client });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'missing', version: '1.0.0' },
        paths: {},
        components: { schemas: { Counter: counterSchema } },
      },
      { backend, tablePrefix: 'never_created_' },
    );
    const Counter = api.persistent<{ id: string; count?: number }>('Counter');
    const attempts = [
      () => Counter.load('a'),
      () => Counter.exists('a'),
      () => Counter.create({ id: 'a' }),
      () => Counter.query({ partition: 'a' }),
      () => Counter.scan(),
      () => Counter.loadMany(['a', 'b']),
      // Refused before anything was written: the refusal, not a batch whose chunk is unconfirmed.
      () => Counter.saveMany([{ id: 'a' }, { id: 'b' }]),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableNotFoundError);
      expect(BackendError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'TABLE_NOT_FOUND', status: 500 });
    }
  });

  it('[P-106] an index the spec gained since the table was made: its queries and scans are TableNotFoundError, not a 400', async () => {
    const backend = createDynamoDbBackend({ client: local().engine.client });
    const spec = (indexes?: object) => ({
      openapi: '3.0.3',
      info: { title: 'missing index', version: '1.0.0' },
      paths: {},
      components: {
        schemas: {
          Counter: { ...counterSchema, 'x-persist': { table: 'counters', key: 'id', indexes } },
        },
      },
    });
    const before = await loadApi(spec(), { backend, tablePrefix: 'index_later_' });
    await backend.ensureTables(before.tables());
    const after = await loadApi(spec({ byLabel: { key: 'label' } }), {
      backend,
      tablePrefix: 'index_later_',
    });
    const Counter = after.persistent<{ id: string; label?: string }>('Counter');
    await Counter.create({ id: 'a', label: 'x' });
    for (const attempt of [
      () => Counter.query({ index: 'byLabel', partition: 'x' }),
      () => Counter.scan({ index: 'byLabel' }),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableNotFoundError);
      expect((error as Error).message).toContain('the index does not exist');
    }
  });

  it('[P-106] a table made for another key: every keyed operation is TableMismatchError (409, not a 400 naming the table); saveMany throws it whole', async () => {
    const backend = createDynamoDbBackend({ client: local().engine.client });
    const spec = (key: string, type: string) => ({
      openapi: '3.0.3',
      info: { title: 'mismatch', version: '1.0.0' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: [key],
            'x-persist': { table: 'things', key },
            properties: { [key]: { type }, label: { type: 'string' } },
          },
        },
      },
    });
    const made = await loadApi(spec('id', 'string'), { backend, tablePrefix: 'other_key_' });
    await backend.ensureTables(made.tables());
    for (const [key, value] of [
      ['thing_id', 'a'],
      ['id', 1],
    ] as const) {
      const api = await loadApi(spec(key, typeof value === 'string' ? 'string' : 'integer'), {
        backend,
        tablePrefix: 'other_key_',
      });
      const Thing = api.persistent<Record<string, unknown>>('Thing');
      for (const attempt of [
        () => Thing.load(value),
        () => Thing.create({ [key]: value }),
        () => Thing.query({ partition: value }),
        () => Thing.loadMany([value]),
        () => Thing.saveMany([{ [key]: value }]),
        () => Thing.delete(value),
        () => Thing.update(value, { set: { label: 'x' } }),
      ]) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TableMismatchError);
        expect(error).toMatchObject({ code: 'TABLE_MISMATCH', table: 'other_key_things' });
      }
    }
  });
});
