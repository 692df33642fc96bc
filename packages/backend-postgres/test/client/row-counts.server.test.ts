import {
  BackendError,
  BatchIncompleteError,
  loadApi,
  WriteOutcomeUnknownError,
} from '@macaron/core';
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
  it("a DBA's DO INSTEAD rule that writes elsewhere: delete, update and a conditional save fail, rather than succeed with the row unchanged", async () => {
    const backend = createPostgresBackend({ pool: engine().pool });
    const api = await loadApi(spec('ruled_notes'), { backend });
    await backend.ensureTables(api.tables());
    const Note = api.persistent<{ id: string; n?: number }>('Note');
    await Note.saveMany([
      { id: 'd', n: 1 },
      { id: 'e', n: 1 },
    ]);
    const { sql } = engine();
    await sql.query('CREATE TABLE ruled_elsewhere (id text PRIMARY KEY, n int)');
    await sql.query("INSERT INTO ruled_elsewhere VALUES ('d', 1), ('e', 1)");
    await sql.query(
      'CREATE RULE to_elsewhere AS ON DELETE TO ruled_notes DO INSTEAD DELETE FROM ruled_elsewhere WHERE id = OLD.id',
    );
    await sql.query(
      'CREATE RULE counted_elsewhere AS ON UPDATE TO ruled_notes DO INSTEAD UPDATE ruled_elsewhere SET n = n + 1 WHERE id = OLD.id',
    );
    // Every one says the statement was refused: the server answered with an error, so nothing
    // was applied (a batch's first chunk: the error itself, not entries left unconfirmed).
    for (const [attempt, failure] of [
      [() => Note.delete('d'), BackendError],
      [() => Note.deleteMany(['d', 'e']), BackendError],
      [() => Note.update('e', { set: { n: 5 } }), BackendError],
      [
        () => new Note({ id: 'e', n: 6 }).save({ condition: { attr: 'id', exists: true } }),
        BackendError,
      ],
    ] as const) {
      const error = await (attempt as () => Promise<unknown>)().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(failure);
      expect(error).toMatchObject({ notApplied: true });
      expect(String((error as Error).cause ?? error)).toContain('RETURNING');
    }
    expect(await Note.exists('d')).toBe(true);
    expect((await Note.load('e')).n).toBe(1);
  });

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
    // Several statements in one text (sent unnamed, as DDL is): several answers, no one count.
    await expect(
      sql.rowsWritten!('CREATE TEMP TABLE several (id int); INSERT INTO several VALUES (1)'),
    ).rejects.toThrow('The answer to several statements counts no rows');
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
      // A transaction's insert (the conditional save's) returns whether the row holds what was
      // sent (a trigger may change it), counted or not; the other inserts are counted.
      const inserts = sent.filter((text) => /^\s*INSERT/.test(text) && !/DO NOTHING/.test(text));
      expect(inserts.length).toBeGreaterThanOrEqual(2);
      for (const text of inserts) expect(/RETURNING/.test(text), text).toBe(!counting);
      const ifAbsent = sent.filter((text) => /^\s*INSERT.*DO NOTHING/s.test(text));
      expect(ifAbsent.length).toBeGreaterThanOrEqual(1);
      for (const text of ifAbsent) expect(text).toContain('RETURNING');
      // An UPDATE's or a DELETE's tag may count another table's rows (a DO INSTEAD rule):
      // those always count the rows they return.
      const others = sent.filter((text) => /^\s*(UPDATE|DELETE)/.test(text));
      expect(others.length).toBeGreaterThanOrEqual(4);
      for (const text of others) expect(text).toContain('RETURNING');
      expect((await Note.load('a')).n).toBe(2);
      expect(await Note.exists('b')).toBe(false);
      expect(await Note.exists('c')).toBe(false);
    });
});

describe('a read after a write that committed', () => {
  it('fails as an unknown outcome, never as a refusal: the write stands (a batch lists its chunk as unconfirmed, a put is WriteOutcomeUnknownError)', async () => {
    const inner = engine().sql;
    // The read that looks for what a write did not store fails with the server's own error,
    // as a row-level security policy or a statement timeout would make it fail.
    const client: SqlClient = {
      ...inner,
      kind: 'failing reads of what was stored',
      query: (text, parameters) =>
        /AS position WHERE NOT EXISTS/.test(text)
          ? inner.query('SELECT 1 / 0')
          : inner.query(text, parameters),
    };
    const backend = createPostgresBackend({ client });
    const api = await loadApi(spec('after_write_notes'), { backend });
    await backend.ensureTables(api.tables());
    await inner.query(
      `CREATE FUNCTION after_write_skip() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id LIKE 'skip%' THEN RETURN NULL; END IF; RETURN NEW; END $$`,
    );
    await inner.query(
      'CREATE TRIGGER after_write_skip BEFORE INSERT ON after_write_notes FOR EACH ROW EXECUTE FUNCTION after_write_skip()',
    );
    const Note = api.persistent<{ id: string; n?: number }>('Note');
    const batch = await Note.saveMany([{ id: 'a' }, { id: 'skip' }]).catch(
      (caught: unknown) => caught,
    );
    expect(batch).toBeInstanceOf(BatchIncompleteError);
    expect((batch as BatchIncompleteError).cause).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((batch as BatchIncompleteError).unprocessed).toEqual([]);
    expect((batch as BatchIncompleteError).unconfirmed.map((entry) => entry.key.id).sort()).toEqual(
      ['a', 'skip'],
    );
    expect(await Note.exists('a')).toBe(true);
    await expect(new Note({ id: 'skip-put' }).save()).rejects.toBeInstanceOf(
      WriteOutcomeUnknownError,
    );
  });
});
