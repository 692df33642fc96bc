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

/*
 * PostgreSQL re-plans a prepared statement after DDL on its table, and refuses one whose result
 * columns would change type (0A000, `cached plan must not change result type`). Every statement
 * the backend sends returns expressions of fixed type (the item as text, flags), never a
 * table's own columns, so none meets that refusal, whatever a migration does.
 */
describe('prepared statements over a table a migration changes while the service runs', () => {
  const migrated = (table: string) => ({
    openapi: '3.0.3',
    info: { title: 'migrated', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Note: {
          type: 'object',
          required: ['owner', 'id'],
          'x-persist': { table, key: 'owner', sort: 'id', indexes: { byTag: { key: 'tag' } } },
          properties: {
            owner: { type: 'string' },
            id: { type: 'string' },
            tag: { type: 'string' },
            n: { type: 'integer' },
          },
        },
        Plain: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: `${table}-plain`, key: 'id' },
          properties: { id: { type: 'string' }, n: { type: 'integer' } },
        },
      },
    },
  });

  it('every operation, prepared on the connection before, runs after ADD COLUMN, DROP COLUMN, ALTER COLUMN item_types TYPE json, CREATE INDEX and DROP INDEX; a statement selecting the table’s columns is refused (0A000)', async () => {
    // One connection: the statements each operation prepared are the ones it runs again.
    const pool = engine().openPool({ max: 1 });
    const backend = createPostgresBackend({ pool });
    const table = `migrated-${Date.now()}`;
    const api = await loadApi(migrated(table), { backend });
    await backend.ensureTables(api.tables());
    const Note = api.persistent<{ owner: string; id: string; tag?: string; n?: number }>('Note');
    const Plain = api.persistent<{ id: string; n?: number }>('Plain');
    let round = 0;
    const everyOperation = async () => {
      round++;
      const id = `r${round}`;
      await Note.create({ owner: 'o', id, tag: 't', n: 1 });
      await new Note({ owner: 'o', id: `${id}-saved`, tag: 't', n: 1 }).save();
      expect(await Note.update({ owner: 'o', id }, { add: { n: 1 } })).toMatchObject({ n: 2 });
      expect(await Note.load({ owner: 'o', id })).toEqual({ owner: 'o', id, tag: 't', n: 2 });
      expect(await Note.exists({ owner: 'o', id: 'none' })).toBe(false);
      await Note.saveMany([{ owner: 'b', id, n: 3 }]);
      expect(
        await Note.getMany([
          { owner: 'b', id },
          { owner: 'b', id: 'none' },
        ]),
      ).toEqual([{ owner: 'b', id, n: 3 }, undefined]);
      await api.transaction((transaction) => {
        transaction.update(Note, { owner: 'b', id }, { add: { n: 1 } });
        transaction.create(new Note({ owner: 'c', id }));
      });
      const page = await Note.query({ partition: 'o', limit: 100 });
      expect(page.items.map((note) => note.id)).toContain(id);
      // Each round leaves two items (o and b); four of its own are there until its deletes.
      expect((await Note.query({ index: 'byTag', partition: 't' })).items).toHaveLength(round + 1);
      expect((await Note.scan({ limit: 100 })).items).toHaveLength(2 * round + 2);
      await Note.deleteMany([{ owner: 'c', id }]);
      expect(await Note.delete({ owner: 'o', id: `${id}-saved` })).toBe(true);
      await Plain.create({ id, n: 1 });
      expect(await Plain.update(id, { add: { n: 1 } })).toEqual({ id, n: 2 });
      expect((await Plain.scan({ limit: 100 })).items).toHaveLength(round);
    };
    await everyOperation();
    const before = (
      await pool.query(
        "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'macaron%'",
      )
    ).rows[0].n;
    expect(before).toBeGreaterThan(10);
    // A statement of another client's on the same connection, whose result has the table's
    // columns: the mechanism these migrations meet.
    const star = { name: 'star', text: `SELECT * FROM "${table}" LIMIT 1` };
    await pool.query(star);
    for (const migration of [
      `ALTER TABLE "${table}" ADD COLUMN extra text`,
      `ALTER TABLE "${table}" ADD COLUMN stamped timestamptz NOT NULL DEFAULT now()`,
      `ALTER TABLE "${table}" DROP COLUMN extra`,
      `ALTER TABLE "${table}-plain" ALTER COLUMN item_types TYPE json USING item_types::json`,
      `CREATE INDEX "${table}-by-n" ON "${table}" (((item->>'n')::int))`,
      `DROP INDEX "${table}:byTag"`,
      `DROP INDEX "${table}-by-n"`,
    ]) {
      await engine().pool.query(migration);
      await everyOperation();
    }
    // The same statements ran again on the same connection, none prepared twice.
    const after = (
      await pool.query(
        "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'macaron%'",
      )
    ).rows[0].n;
    expect(after).toBe(before);
    await expect(pool.query(star)).rejects.toMatchObject({ code: '0A000' });
    expect(await backend.ensureTables(api.tables())).toEqual([
      { table, action: 'index-added', index: 'byTag' },
      { table: `${table}-plain`, action: 'unchanged' },
    ]);
  });
});
