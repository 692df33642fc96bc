// What this release stores and hands out, frozen: the tables `ensureTables` makes, the rows a
// save writes, and the cursors a read returns. Services keep data and cursors across upgrades
// (and run two versions side by side during a rolling deploy), so each must stay readable by
// every later release. A failure here is a change to stored data or cursors, not to a test:
// keep these fixtures, read the old form beside any new one, and say so in the changeset.
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../src/index.js';
import { usePGliteEngine } from './engines/pglite-engine.js';
import { everyKind, releasedSpec } from './released-spec.js';

const engine = usePGliteEngine();
const cursorKey = 'released-formats-cursor-key-0001';

async function released() {
  const backend = createPostgresBackend({ pglite: engine().database });
  const api = await loadApi(releasedSpec, { backend, cursorKey });
  await backend.ensureTables(api.tables());
  return { api, sql: engine().sql };
}

// The row as text, as plain SQL reads it (a JSON number past 2^53 stays exact).
const noteRow = (note_id: string, revision: number) => ({
  owner: 'ann',
  note_id,
  item: `{"at": "2026-12-06T10:00:00.123+01:00", "day": "2026-12-06", "tag": "red", "data": "AAH+/w==", "flag": false, "huge": 9223372036854775807, "rank": 2.5, "count": -42, "extra": {"#x": "hash", "a.b": "dot", "__proto__": "proto"}, "owner": "ann", "place": {"zip": 75002, "city": "Paris"}, "ratio": 0.1, "title": "Zoë \\\\0 😀 \u202e", "words": ["b", "a", "b", ""], "matrix": [[1, 2], [], [3]], "encoded": "AP8=", "note_id": "${note_id}", "nothing": null, "revision": ${revision}}`,
  item_types: '{"/data": "B", "/title": "Z"}',
  tag: 'red',
  rank: '2.5',
});
const noteJson = {
  owner: 'ann',
  note_id: 'w-1',
  tag: 'red',
  rank: 2.5,
  title: 'Zoë \u0000 😀 \u202e',
  count: -42,
  huge: '9223372036854775807',
  ratio: 0.1,
  flag: false,
  nothing: null,
  day: '2026-12-06',
  at: '2026-12-06T10:00:00.123+01:00',
  data: 'AAH+/w==',
  encoded: 'AP8=',
  words: ['b', 'a', 'b', ''],
  matrix: [[1, 2], [], [3]],
  place: { city: 'Paris', zip: 75002 },
  extra: JSON.parse('{"__proto__":"proto","a.b":"dot","#x":"hash"}'),
  revision: 1,
};
const selectNote = `SELECT owner, note_id, item::text AS item, item_types::text AS item_types, tag, rank::text AS rank FROM "released-notes" WHERE owner = $1 AND note_id = $2`;

describe('tables, as this release makes them', () => {
  it('keeps their columns, keys and indexes', async () => {
    const { sql } = await released();
    const columns = await sql.query(
      `SELECT table_name, column_name, data_type, collation_name, is_nullable, is_generated FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE 'released-%' ORDER BY table_name, ordinal_position`,
    );
    const column = (
      table: string,
      name: string,
      type: string,
      collation: string | null,
      nullable: boolean,
      generated = false,
    ) => ({
      table_name: `released-${table}`,
      column_name: name,
      data_type: type,
      collation_name: collation,
      is_nullable: nullable ? 'YES' : 'NO',
      is_generated: generated ? 'ALWAYS' : 'NEVER',
    });
    const itemColumns = (table: string) => [
      column(table, 'item', 'jsonb', null, false),
      column(table, 'item_types', 'jsonb', null, true),
    ];
    expect(columns).toEqual([
      column('notes', 'owner', 'text', 'C', false),
      column('notes', 'note_id', 'text', 'C', false),
      ...itemColumns('notes'),
      column('notes', 'rank', 'numeric', null, true, true),
      column('notes', 'tag', 'text', 'C', true, true),
      column('pets', 'owner', 'text', 'C', false),
      column('pets', 'name', 'text', 'C', false),
      ...itemColumns('pets'),
      column('tiles', 'layer', 'text', 'C', false),
      column('tiles', 'code', 'bytea', null, false),
      ...itemColumns('tiles'),
    ]);
    const indexes = await sql.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE 'released-%' ORDER BY indexname`,
    );
    const schema = (await sql.query('SELECT current_schema() AS name'))[0]!.name as string;
    expect(indexes.map((index) => index.indexdef)).toEqual([
      `CREATE UNIQUE INDEX "released-notes#pkey" ON ${schema}."released-notes" USING btree (owner, note_id)`,
      `CREATE INDEX "released-notes:byTag" ON ${schema}."released-notes" USING btree (tag, rank, owner, note_id) WHERE ((tag IS NOT NULL) AND (rank IS NOT NULL))`,
      `CREATE UNIQUE INDEX "released-pets#pkey" ON ${schema}."released-pets" USING btree (owner, name)`,
      `CREATE UNIQUE INDEX "released-tiles#pkey" ON ${schema}."released-tiles" USING btree (layer, code)`,
    ]);
  });
});

describe('rows, as this release writes them', () => {
  it('stores every kind of value as the same row', async () => {
    const { api, sql } = await released();
    await new (api.persistent('Note'))(everyKind as never).save();
    expect(await sql.query(selectNote, ['ann', 'n-1'])).toEqual([noteRow('n-1', 1)]);
    // Key columns hold text without U+0000, escaped in a way that keeps the order of bytes.
    await new (api.persistent('Note'))({ owner: 'a\u0000b', note_id: '\u0001\\' }).save();
    expect(
      await sql.query(
        `SELECT encode(convert_to(owner, 'UTF8'), 'hex') AS owner, encode(convert_to(note_id, 'UTF8'), 'hex') AS note_id, item::text AS item, item_types::text AS item_types FROM "released-notes" WHERE owner <> 'ann'`,
      ),
    ).toEqual([
      {
        owner: '61010162',
        note_id: '01025c',
        item: '{"owner": "a\\\\0b", "note_id": "\\u0001\\\\", "revision": 1}',
        item_types: '{"/owner": "Z"}',
      },
    ]);
    await new (api.persistent('Cat'))({ owner: 'ann', name: 'tom', kind: 'Cat', lives: 9 }).save();
    expect(
      await sql.query(
        `SELECT owner, name, item::text AS item, item_types::text AS item_types FROM "released-pets"`,
      ),
    ).toEqual([
      {
        owner: 'ann',
        name: 'tom',
        item: '{"kind": "Cat", "name": "tom", "lives": 9, "owner": "ann"}',
        item_types: null,
      },
    ]);
    await new (api.persistent('Tile'))({
      layer: 'l',
      code: new Uint8Array([1, 2, 3]),
      label: 'x',
    }).save();
    expect(
      await sql.query(
        `SELECT layer, encode(code, 'hex') AS code, item::text AS item, item_types::text AS item_types FROM "released-tiles"`,
      ),
    ).toEqual([
      {
        layer: 'l',
        code: '010203',
        item: '{"code": "AQID", "label": "x", "layer": "l"}',
        item_types: '{"/code": "B"}',
      },
    ]);
  });

  it('reads such a row back as the same values, and writes it back unchanged', async () => {
    const { api, sql } = await released();
    const { item, item_types } = noteRow('w-1', 1);
    await sql.query(
      `INSERT INTO "released-notes" (owner, note_id, item, item_types) VALUES ($1, $2, $3::jsonb, $4::jsonb)`,
      ['ann', 'w-1', item, item_types],
    );
    const note = await api.persistent('Note').load({ owner: 'ann', note_id: 'w-1' });
    expect(note.toJSON()).toEqual(noteJson);
    expect(note.huge).toBe(2n ** 63n - 1n);
    expect(note.data).toEqual(new Uint8Array([0, 1, 254, 255]));
    await note.save();
    expect(await sql.query(selectNote, ['ann', 'w-1'])).toEqual([noteRow('w-1', 2)]);
  });
});

// Made by this release with `cursorKey` above (the first byte is the cursor's format).
const long = '\u0001'.repeat(300);
const releasedCursors = {
  // Format 2: a query's, its key as JSON.
  query:
    'AiULjWMhOxAiSMxxu7bfTuOJ7O3NsVYFfSNY3F6znE-TVnVpeb0-_KCP9ZK5_X2CJziZMobtaI0NZfFSIn047Mz-LRj_wArp',
  // Format 3: a query's, its key as bytes (its JSON would be over 512 bytes).
  longKeyQuery:
    'A9aBsFmZHduyRdiOWPp38kmwKd8IS6KOHL-NyByLRn3gokqi_y1C-ZThwf5_IU4t0aQarvJp8QS-MTbeRk_3hkkk9Jmw_6Yvmxw8w7Vbdh8_PbHyNEGGtJWJDHKmhxiMj1jU3pDt8GOk_kLFr9YCrIFi1htUtFs9l16IeHhMOydCHRisJQ8r2NuWvX0JKc9FJ7kVoEsrvDz281Yof-FEc4Wjzt1DeyBCjBHl1Z7HA_Nlu_wnb5kdz4ibAzE8QKD4v4Hf5Om1KPlcFU5O_fw8NoD5-S5eEXsu4kkSMePQo6z4j2tYI3IVaDqMf2hknTk3hdOqG5kcM7HlaGNC5I-nNHFHlcgLAa8fPz1fY5Q6Vm68fkesWMvk3XYjg4K1omvHsggtQIq53lDQzeejFshczdTBKQDQI1QBB6Z5ebB825bmN5LjCGy61O5eLf_QiJnbX36SGnut0JM0YdbG4yipQvssq40Uyg',
  // Format 4: an index query's, bound to the index's keys.
  index:
    'BLyqDYjOZe_N6HY_xOZmicxpP6YM_x7CnWGstwlOyR-A60agl2kjKPOgxdUPh2DNXqMLvSVx7c3ButSO3V3F4yePju3bBAvBztUYNq8oZUaXCQBkUdTpE_Kk5SrrPcnvzXZ-RBOBj-eaSnA',
  // Format 5: an index query's, its key as bytes.
  longKeyIndex:
    'BbkqVEcSln3PuNMfN4VRuL8NsuTt3n_PL5W_XuawdrHMtAJuHFUOFCd54rmMVwJX0s3VsULHgnSA7rel2v7q64vgEKvecvGwPUx-gUB-Atd01qTN6LTSMBcZJuDvm3_kNJctEmrlEyNCJsNKg7eKi_gClyAg6SEj0b9cYH8ENCmochRCieYD8P8COtvA8XX3oVXFt-RlXMamufcERdM0ag37vROg_H8AG8nQQ2NybikZNthhHIkVeD2lMXaNDgxxwCtw9a1ZsxpI64YMcYN8epYIuKS0OCwbgiuteThT3XDa1Qt2czKnG5MUT1Ql2O02zEEomOIOsYSa3v2zyARVOwMa4yzop88jUzNBpnJXnnrdHj_fnnZ-qAZRkzN3jkjaXUK580cikIMpR3BEF5As3H7kIg3JSVYyr8Htecul4W8VoFULDTD0ZyoO8u41gE5chmJiKYbzCd0BCEXdBz-y54uysinK_19wDTohVMVBw2tbS978UnnoNtgzXu_Dk14',
  // Format 3: a scan's (its first item is the long key's: keys in order of their bytes).
  scan: 'A6SRN4lqUk-vemLPKuFNbGADzkmc9UExpADFZvDBMoEYpUpupbeSIB_irUZFKfUPIYNVVLg37GolujvgGpbs4vflTKd4nihrjoW-1msen9nZaBJ5illeYf7ve3SujRX3L9w37tJgyzXPV4D46VH0m_-76OpDQxMyTQTntqfMNiI3Ln_yozQzh4Tj2BwzZ-Gr96jrGLqwpqm1Nin3z3-L_rBPhgj8zD-5KFsdCLITeZgtSicaZxQlNggDE2nwa5kwghAOsgZujWc--1Ma1B5PFEbkQujSGGP5VN4gN8YedOG7hKZOxaCquSYP_SIVqBZMQTb52qWj14JCBb0CJCg0QdE3WoXHMsLmpuEzbzjtNq33egpkbnP4prkmmSWyv-Wf8w-5f05D1lAXiJut5vNw7N1Rr3FuI3d9hRCwINaw1_QEKAPTqI7aXnkStQpdhhuKeWC4H4gpzLRJ7QiHHkEpYRWvTGlE_g',
};

describe('cursors, as this release makes them', () => {
  it('open on this release and go on after the item they were made at', async () => {
    const { api, sql } = await released();
    const Note = api.persistent('Note');
    const notes = [
      ['n-1', 'red', 1],
      ['n-2', 'red', 2],
      ['n-3', long, 3],
      ['n-4', long, 4],
      [long, 'blue', 5],
      [`${long}x`, 'blue', 6],
    ] as const;
    // Saved afresh (the other tests saved notes of this partition with a version).
    await sql.query('DELETE FROM "released-notes"');
    for (const [note_id, tag, rank] of notes)
      await new Note({ ...everyKind, note_id, tag, rank } as never).save();
    const ids = (page: { items: Record<string, unknown>[] }) =>
      page.items.map((item) => item.note_id);
    const next = { limit: 1 };
    const query = { partition: 'ann', sort: { gte: 'n' } };
    expect(ids(await Note.query({ ...query, ...next, cursor: releasedCursors.query }))).toEqual([
      'n-2',
    ]);
    expect(
      ids(await Note.query({ partition: 'ann', ...next, cursor: releasedCursors.longKeyQuery })),
    ).toEqual([`${long}x`]);
    const byTag = { index: 'byTag', partition: 'red' };
    expect(ids(await Note.query({ ...byTag, ...next, cursor: releasedCursors.index }))).toEqual([
      'n-2',
    ]);
    const byLongTag = { index: 'byTag', partition: long };
    expect(
      ids(await Note.query({ ...byLongTag, ...next, cursor: releasedCursors.longKeyIndex })),
    ).toEqual(['n-4']);
    const all = ids(await Note.scan({ limit: 100 }));
    expect(all[0]).toBe(long);
    expect(ids(await Note.scan({ limit: 100, cursor: releasedCursors.scan }))).toEqual(
      all.slice(1),
    );
    // And this code still makes each of them, in its format, at the same item: a release that
    // makes another format (one earlier releases may not open) changes this test too.
    const made = async (page: Promise<{ cursor?: string | undefined }>) => {
      const cursor = (await page).cursor;
      return cursor === undefined ? undefined : Buffer.from(cursor, 'base64url')[0];
    };
    expect({
      query: await made(Note.query({ ...query, ...next })),
      longKeyQuery: await made(Note.query({ partition: 'ann', ...next })),
      index: await made(Note.query({ ...byTag, ...next })),
      longKeyIndex: await made(Note.query({ ...byLongTag, ...next })),
      scan: await made(Note.scan(next)),
    }).toEqual(
      Object.fromEntries(
        Object.entries(releasedCursors).map(([name, cursor]) => [
          name,
          Buffer.from(cursor, 'base64url')[0],
        ]),
      ),
    );
  });
});
