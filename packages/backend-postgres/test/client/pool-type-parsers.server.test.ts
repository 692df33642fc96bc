import { loadApi } from '@macaron/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createNodePostgresClient, createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

const engine = useServerEngine({ poolSize: 4 });

const spec = (table: string) => ({
  openapi: '3.0.3',
  info: { title: 'pool type parsers', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['owner', 'id'],
        'x-persist': {
          table,
          key: 'owner',
          sort: 'id',
          version: 'rev',
          indexes: { byTag: { key: 'tag', sort: 'id' } },
        },
        properties: {
          owner: { type: 'string' },
          id: { type: 'string' },
          tag: { type: 'string' },
          n: { type: 'integer' },
          rev: { type: 'integer' },
          done: { type: 'boolean' },
        },
      },
      // Without a version: saveMany takes it.
      Tally: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: `${table}_tallies`, key: 'id' },
        properties: { id: { type: 'string' }, n: { type: 'integer' } },
      },
    },
  },
});

type Note = { owner: string; id: string; tag?: string; n?: number; rev?: number; done?: boolean };

/**
 * Every kind of operation on a table made for the call, through a backend on `pool`, and what
 * each answered; errors as their codes. The same pool answers the same, whatever its parsers.
 */
async function everyOperation(pool: pg.Pool): Promise<unknown[]> {
  // The same tables each time, made anew: the statements' texts are the same too, so the
  // process names no more of them (test files share a worker's modules, and its bound).
  await engine().sql.query('DROP TABLE IF EXISTS parsed_notes, parsed_notes_tallies');
  const backend = createPostgresBackend({ pool });
  const api = await loadApi(spec('parsed_notes'), { backend });
  // Made through the engine's own pool first: what the operations answer is not hidden behind
  // a failed ensureTables.
  await createPostgresBackend({ pool: engine().pool }).ensureTables(api.tables());
  const outcome = async (call: () => Promise<unknown>) =>
    call().then(
      // The table's name, made for the call, is left out.
      (value) =>
        JSON.parse(
          JSON.stringify(value ?? null, (name, member) => (name === 'table' ? undefined : member)),
        ) as unknown,
      (error: { code?: string }) => ({ error: error.code ?? String(error) }),
    );
  const answers: unknown[] = [];
  const record = async (call: () => Promise<unknown>) => answers.push(await outcome(call));
  const Note = api.persistent<Note>('Note');
  const Tally = api.persistent<{ id: string; n?: number }>('Tally');
  const actions = (changes: readonly { action: string }[]) => changes.map((c) => c.action);
  await record(async () =>
    (await backend.planTables(api.tables())).map((plan) => plan.changes ?? plan.differences),
  );
  await record(async () => actions(await backend.ensureTables(api.tables())));
  await record(async () => actions(await backend.ensureTables(api.tables())));
  await record(() => Note.create({ owner: 'ann', id: 'a', tag: 't', n: 1, done: false }));
  await record(() => Note.create({ owner: 'ann', id: 'a', tag: 't', n: 1 }));
  await record(() => Tally.saveMany([1, 2, 3, 4, 5].map((n) => ({ id: `b${n}`, n }))));
  await record(() => Note.load({ owner: 'ann', id: 'a' }));
  await record(() => Note.get({ owner: 'ann', id: 'none' }));
  await record(() => Note.exists({ owner: 'ann', id: 'a' }));
  await record(() => Note.exists({ owner: 'ann', id: 'none' }));
  await record(() =>
    Note.update({ owner: 'ann', id: 'a' }, { add: { n: 2 }, set: { done: true } }),
  );
  await record(async () => {
    const note = await Note.load({ owner: 'ann', id: 'a' });
    note.n = 10;
    return note.save();
  });
  await record(
    () => new Note({ owner: 'ann', id: 'a', n: 0, rev: 1 }).save(), // a stale version
  );
  await record(async () => {
    await Note.create({ owner: 'ann', id: 'd', tag: 't' });
    const first = await Note.query({ partition: 'ann', limit: 1 });
    const second = await Note.query({ partition: 'ann', limit: 1, cursor: first.cursor });
    return [first.items, second.items, Boolean(first.cursor)];
  });
  await record(() => Note.query({ index: 'byTag', partition: 't' }));
  await record(async () => (await Note.scan({ limit: 3 })).items);
  await record(() => Tally.getMany(['b1', 'none', 'b5']));
  await record(() =>
    api.transaction((transaction) => {
      transaction.create(new Note({ owner: 'bob', id: 'x', n: 1 }));
      transaction.delete(Tally, 'b1');
    }),
  );
  await record(() =>
    api.transaction((transaction) => {
      transaction.create(new Note({ owner: 'bob', id: 'x', n: 1 }));
    }),
  );
  await record(() => Tally.delete('b2'));
  await record(() => Note.create({ owner: 'ann', id: 'c', tag: 't' }));
  await record(() => Note.delete({ owner: 'ann', id: 'c' }));
  await record(() => Note.delete({ owner: 'ann', id: 'none' }));
  await record(() => Tally.deleteMany(['b3', 'none']));
  await record(async () => {
    const first = await Tally.scan({ limit: 1 });
    const rest = await Tally.scan({ cursor: first.cursor });
    return [first.items, rest.items, Boolean(first.cursor)];
  });
  await record(() => Tally.update('b4', { add: { n: 1 } }, { condition: { attr: 'n', eq: 4 } }));
  await record(() => Tally.update('b4', { add: { n: 1 } }, { condition: { attr: 'n', eq: 4 } }));
  await record(async () => {
    const all: Note[] = [];
    for await (const note of Note.scanAll()) all.push(note);
    return all.sort((left, right) => (left.owner + left.id < right.owner + right.id ? -1 : 1));
  });
  await record(async () => actions(await backend.ensureTables(api.tables())));
  return answers;
}

// What an app's parsers read of the same answer, before and after Macaron used its pool.
const appRead = async (pool: pg.Pool) =>
  (
    await pool.query(
      `SELECT true AS yes, 'text' AS words, 7::int AS seven, '{"a":1}'::jsonb AS doc`,
    )
  ).rows[0];

describe("a pool whose type parsers are the app's", () => {
  it("answers every operation as a pool with node-postgres's default parsers does, and leaves the app's parsers as they were", async () => {
    const expected = await everyOperation(engine().pool);
    // What the app answered each time: raw text, values of a class of its own, bigints.
    const raw = { getTypeParser: () => (text: string) => text };
    const wrapped = {
      getTypeParser: (oid: number) => (text: string) => ({ oid, text }),
    };
    // Parsers that throw: no statement of the backend's reads a value with the app's parsers.
    const throwing = {
      getTypeParser: (oid: number) => () => {
        throw new Error(`the app's parser of type ${oid}`);
      },
    };
    const numbersAsBigints = {
      getTypeParser: (oid: number, format?: string) =>
        oid === 20 || oid === 21 || oid === 23
          ? (text: string) => BigInt(text)
          : pg.types.getTypeParser(oid, format as 'text'),
    };
    for (const types of [raw, wrapped, throwing, numbersAsBigints]) {
      const pool = engine().openPool({ max: 2, types: types as pg.CustomTypesConfig });
      // The throwing parsers fail the app's read, before and after alike.
      const appsBefore = await appRead(pool).catch((error: Error) => error.message);
      expect(await everyOperation(pool)).toEqual(expected);
      expect(await appRead(pool).catch((error: Error) => error.message)).toEqual(appsBefore);
    }
    // Results in the binary format (`binary: true`, the pool's or pg.defaults'), parsed by pg.
    const binary = engine().openPool({ max: 2, binary: true } as pg.PoolConfig);
    expect(await everyOperation(binary)).toEqual(expected);
  });

  it('answers as with the default parsers when the app set parsers globally (pg.types.setTypeParser)', async () => {
    const expected = await everyOperation(engine().pool);
    const oids = [16, 20, 21, 23, 25, 114, 1043, 3802] as const;
    const before = oids.map((oid) => pg.types.getTypeParser(oid, 'text'));
    try {
      for (const oid of oids) pg.types.setTypeParser(oid, (text: string) => `app:${text}`);
      const pool = engine().openPool({ max: 2 });
      expect(await everyOperation(pool)).toEqual(expected);
      expect(await appRead(pool)).toEqual({
        yes: 'app:t',
        words: 'app:text',
        seven: 'app:7',
        doc: 'app:{"a": 1}',
      });
    } finally {
      // Test files share a worker's modules: pg's parsers are the next file's too.
      for (const [at, oid] of oids.entries()) pg.types.setTypeParser(oid, before[at]!);
    }
  });

  it("reads the app's own SQL sent through its SqlClient with the pool's parsers, for the types the backend's statements never answer", async () => {
    const wrapped = {
      getTypeParser: (oid: number, format?: string) =>
        oid === 16 || oid === 3802
          ? (text: string) => `app:${text}`
          : pg.types.getTypeParser(oid, format as 'text'),
    };
    const pool = engine().openPool({ max: 1, types: wrapped as pg.CustomTypesConfig });
    const client = createNodePostgresClient(pool, false);
    // bool is one the backend reads (its own parser); jsonb is the app's to read.
    expect(await client.query(`SELECT true AS yes, '{"a":1}'::jsonb AS doc`)).toEqual([
      { yes: true, doc: 'app:{"a": 1}' },
    ]);
    expect(
      await client.transaction((transaction) => transaction.query(`SELECT '[1]'::jsonb AS doc`)),
    ).toEqual([{ doc: 'app:[1]' }]);
  });
});
