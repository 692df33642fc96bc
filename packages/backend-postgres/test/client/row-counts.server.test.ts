import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { SqlClient } from '../../src/client/sql-client.js';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

const engine = useServerEngine({ poolSize: 4 });

const spec = (table: string) => ({
  openapi: '3.0.3',
  info: { title: 'row counts', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table, key: 'id' },
        properties: { id: { type: 'string' }, n: { type: 'integer' } },
      },
    },
  },
});

// The server's client, with every statement it is sent recorded; `counting: false` takes its
// `rowsWritten` away, as a client adapted by a user may not have one.
function recordingClient(counting: boolean): { client: SqlClient; sent: string[] } {
  const inner = engine().sql;
  const sent: string[] = [];
  const client: SqlClient = {
    kind: 'recording',
    query: (text, parameters) => {
      sent.push(text);
      return inner.query(text, parameters);
    },
    transaction: (work) =>
      inner.transaction((transaction) =>
        work({
          query: (text, parameters) => {
            sent.push(text);
            return transaction.query(text, parameters);
          },
          ...(counting && {
            rowsWritten: (text, parameters) => {
              sent.push(text);
              return transaction.rowsWritten!(text, parameters);
            },
          }),
        }),
      ),
    close: () => inner.close(),
  };
  if (counting)
    client.rowsWritten = (text, parameters) => {
      sent.push(text);
      return inner.rowsWritten!(text, parameters);
    };
  return { client, sent };
}

describe('counting the rows a write wrote', () => {
  it("the node-postgres client reads the count of a write's command tag, outside and inside a transaction; an answer that counts nothing is an error, not a zero", async () => {
    const { sql } = engine();
    await sql.query('CREATE TABLE counted (id int PRIMARY KEY)');
    expect(await sql.rowsWritten!('INSERT INTO counted VALUES (1), (2), (3)')).toBe(3);
    expect(
      await sql.rowsWritten!('INSERT INTO counted VALUES (3), (4) ON CONFLICT DO NOTHING'),
    ).toBe(1);
    expect(await sql.rowsWritten!('UPDATE counted SET id = id + 10 WHERE id > $1', ['2'])).toBe(2);
    expect(
      await sql.transaction((transaction) =>
        transaction.rowsWritten!('DELETE FROM counted WHERE id > 10'),
      ),
    ).toBe(2);
    await expect(sql.rowsWritten!("SET application_name = 'counted'")).rejects.toThrow(
      'The answer to SET counts no rows',
    );
    expect(await sql.query('SELECT id FROM counted ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  for (const counting of [true, false])
    it(`the backend counts its writes ${counting ? 'from command tags, without RETURNING, on a client that reads them' : 'from the rows RETURNING gives back, on a client without rowsWritten'}; the outcomes are the same`, async () => {
      const { client, sent } = recordingClient(counting);
      const backend = createPostgresBackend({ client });
      const api = await loadApi(spec(`counted_notes_${counting}`), { backend });
      await backend.ensureTables(api.tables());
      const Note = api.persistent<{ id: string; n?: number }>('Note');
      sent.length = 0;
      await new Note({ id: 'a', n: 1 }).save();
      await Note.saveMany([
        { id: 'b', n: 2 },
        { id: 'c', n: 3 },
      ]);
      await Note.update('a', { add: { n: 1 } });
      await new Note({ id: 'd' }).save({ condition: { attr: 'id', exists: false } });
      expect(await Note.delete('b')).toBe(true);
      expect(await Note.delete('missing')).toBe(false);
      await Note.deleteMany(['c', 'd']);
      const writes = sent.filter((text) => /^\s*(INSERT|UPDATE|DELETE)/.test(text));
      expect(writes.length).toBeGreaterThanOrEqual(7);
      for (const text of writes) expect(/RETURNING/.test(text), text).toBe(!counting);
      expect((await Note.load('a')).n).toBe(2);
      expect(await Note.exists('b')).toBe(false);
      expect(await Note.exists('c')).toBe(false);
    });
});
