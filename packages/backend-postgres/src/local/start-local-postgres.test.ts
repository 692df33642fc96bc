import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { startLocalPostgres, startPostgresServer } from './index.js';

describe('startLocalPostgres', () => {
  it('runs PGlite in this process and gives a backend on it; stop() is idempotent', async () => {
    const local = await startLocalPostgres();
    try {
      const api = await loadApi(
        {
          openapi: '3.0.3',
          info: { title: 'local', version: '1' },
          paths: {},
          components: {
            schemas: {
              Note: {
                type: 'object',
                required: ['id'],
                'x-persist': { table: 'notes', key: 'id' },
                properties: { id: { type: 'string' }, text: { type: 'string' } },
              },
            },
          },
        },
        { backend: local.backend },
      );
      await local.backend.ensureTables(api.tables());
      const Note = api.persistent<{ id: string; text?: string }>('Note');
      await Note.create({ id: 'n1', text: 'hello' });
      const rows = await local.database.query<{ text: string }>(
        `SELECT item->>'text' AS text FROM notes`,
      );
      expect(rows.rows).toEqual([{ text: 'hello' }]);
    } finally {
      await Promise.all([local.stop(), local.stop()]);
    }
    expect(local.database.closed).toBe(true);
    // PGlite compiles its WebAssembly on start: seconds on a busy machine.
  }, 120_000);
});

describe('options of the local engines (P-110)', () => {
  it('startLocalPostgres and startPostgresServer refuse an option they do not take with a TypeError naming it, before starting anything', async () => {
    await expect(startLocalPostgres({ datadir: '/tmp/x' } as never)).rejects.toThrow(
      'startLocalPostgres has no option "datadir" (options: dataDir, backend)',
    );
    await expect(startPostgresServer({ Port: 5432 } as never)).rejects.toThrow(
      'startPostgresServer has no option "Port" (options: port, systemUser, settings)',
    );
    await expect(startPostgresServer({ Port: 5432 } as never)).rejects.toThrow(TypeError);
  });
});
