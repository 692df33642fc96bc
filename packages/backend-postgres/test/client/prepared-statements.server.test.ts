import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

const engine = useServerEngine({ poolSize: 2 });

// 40 models, a table each: every table has statements of its own (writes, reads, page shapes).
const tables = 40;
const spec = {
  openapi: '3.0.3',
  info: { title: 'many statements', version: '1.0.0' },
  paths: {},
  components: {
    schemas: Object.fromEntries(
      Array.from({ length: tables }, (_, index) => [
        `Note${index}`,
        {
          type: 'object',
          required: ['owner', 'id'],
          'x-persist': { table: `notes-${index}`, key: 'owner', sort: 'id' },
          properties: { owner: { type: 'string' }, id: { type: 'string' } },
        },
      ]),
    ),
  },
};

describe('prepared statements', () => {
  it('a connection prepares at most 256 statements, however many distinct ones callers make it run (each holds server memory until it closes); the rest run unnamed', async () => {
    const pool = engine().openPool({ max: 1 });
    const backend = createPostgresBackend({ pool });
    const api = await loadApi(spec, { backend, tablePrefix: `prepared-${Date.now()}-` });
    await createPostgresBackend({ pool: engine().pool }).ensureTables(api.tables());
    for (let index = 0; index < tables; index++) {
      const Note = api.persistent<{ owner: string; id: string }>(`Note${index}`);
      await Note.create({ owner: 'o', id: 'a' });
      await new Note({ owner: 'o', id: 'b' }).save();
      expect(await Note.load({ owner: 'o', id: 'a' })).toEqual({ owner: 'o', id: 'a' });
      expect(await Note.exists({ owner: 'o', id: 'z' })).toBe(false);
      const first = await Note.query({ partition: 'o', limit: 1 });
      expect(first.items.map((note) => note.id)).toEqual(['a']);
      const second = await Note.query({ partition: 'o', limit: 1, cursor: first.cursor! });
      expect(second.items.map((note) => note.id)).toEqual(['b']);
      const reversed = await Note.query({ partition: 'o', reverse: true });
      expect(reversed.items.map((note) => note.id)).toEqual(['b', 'a']);
      const after = await Note.query({ partition: 'o', sort: { gt: 'a' } });
      expect(after.items.map((note) => note.id)).toEqual(['b']);
      expect((await Note.scan()).items).toHaveLength(2);
      expect(await Note.delete({ owner: 'o', id: 'b' })).toBe(true);
    }
    const { rows } = await pool.query(
      "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'macaron%'",
    );
    // Without the bound, every distinct text was prepared: about 10 a table here.
    expect(rows[0].n).toBe(256);
  });
});
