import { type Api, loadApi } from '@macaron/core';
import { compareStrings } from '@macaron/core/backend';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

const engine = useServerEngine({ poolSize: 2 });

// A database whose default collation orders text as people read it (ICU's Turkish, bundled
// with the server, so no system locale is needed): `a` < `B` < `ı` < `I` < `i` < `İ`, accents
// beside their letters. String keys must still come in UTF-8 byte order, as on DynamoDB: every
// comparison of a key (pages, ranges, prefixes, cursors, index keys) must be the key columns'
// `COLLATE "C"`, never the database's.
const database = 'collation_tr';

const spec = {
  openapi: '3.0.3',
  info: { title: 'database collation', version: '1' },
  paths: {},
  components: {
    schemas: {
      Word: {
        type: 'object',
        required: ['lang', 'word'],
        'x-persist': {
          table: 'words',
          key: 'lang',
          sort: 'word',
          indexes: { bySpelling: { key: 'group', sort: 'spelling' } },
        },
        properties: {
          lang: { type: 'string' },
          word: { type: 'string' },
          group: { type: 'string' },
          spelling: { type: 'string' },
        },
      },
    },
  },
};

interface Word {
  lang: string;
  word: string;
  group?: string;
  spelling?: string;
}

// Strings that Turkish ICU order and byte order put in different orders.
const words = ['Z', 'a', 'B', 'b', 'I', 'i', 'ı', 'İ', 'é', 'f', 'ab', 'aB', 'Ab', '中', '😀'];
const byteOrder = [...words].sort(compareStrings);

let pool: pg.Pool;
let api: Api;

beforeAll(async () => {
  await engine().pool.query(
    `CREATE DATABASE ${database} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'tr-TR'`,
  );
  const url = new URL(engine().server.connectionString);
  url.pathname = `/${database}`;
  pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined);
  const backend = createPostgresBackend({ pool });
  api = await loadApi(spec, { backend });
  await backend.ensureTables(api.tables());
  const Word = api.persistent<Word>('Word');
  await Word.saveMany(
    words.flatMap((word) => [
      new Word({ lang: 'tr', word }),
      new Word({ lang: word, word: '-' }),
      new Word({ lang: 'spelt', word, group: 'g', spelling: word }),
    ]),
  );
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await engine().pool.query(`DROP DATABASE IF EXISTS ${database}`);
});

describe('string keys in a database whose default collation is not C (ICU tr-TR)', () => {
  it('the database orders text otherwise than by bytes', async () => {
    const { rows } = await pool.query(
      `SELECT array_agg(w ORDER BY w) AS sorted FROM unnest($1::text[]) AS w`,
      [words],
    );
    expect(rows[0].sorted).not.toEqual(byteOrder);
  });

  it('a partition is read in UTF-8 byte order, forward, backward and page by page', async () => {
    const Word = api.persistent<Word>('Word');
    const read = async (reverse: boolean) => {
      const seen: string[] = [];
      for await (const item of Word.queryAll({ partition: 'tr', limit: 2, reverse }))
        seen.push(item.word);
      return seen;
    };
    expect(await read(false)).toEqual(byteOrder);
    expect(await read(true)).toEqual([...byteOrder].reverse());
  });

  it('sort conditions select byte ranges', async () => {
    const Word = api.persistent<Word>('Word');
    const sorted = async (sort: object) =>
      (await Word.query({ partition: 'tr', sort } as never)).items.map((item) => item.word);
    const between = (low: string, high: string) =>
      byteOrder.filter((word) => compareStrings(word, low) >= 0 && compareStrings(word, high) <= 0);
    expect(await sorted({ between: ['B', 'b'] })).toEqual(between('B', 'b'));
    expect(await sorted({ between: ['I', 'ı'] })).toEqual(between('I', 'ı'));
    expect(await sorted({ gt: 'Z' })).toEqual(
      byteOrder.filter((word) => compareStrings(word, 'Z') > 0),
    );
    expect(await sorted({ lt: 'a' })).toEqual(
      byteOrder.filter((word) => compareStrings(word, 'a') < 0),
    );
    expect(await sorted({ beginsWith: 'a' })).toEqual(['a', 'aB', 'ab']);
  });

  it('an index and a scan are read in UTF-8 byte order', async () => {
    const Word = api.persistent<Word>('Word');
    const indexed: string[] = [];
    for await (const item of Word.queryAll({ index: 'bySpelling', partition: 'g', limit: 4 }))
      indexed.push(item.spelling ?? '');
    expect(indexed).toEqual(byteOrder);
    const partitions: string[] = [];
    for await (const item of Word.scanAll({ limit: 3 }))
      if (item.word === '-') partitions.push(item.lang);
    expect(partitions).toEqual(byteOrder);
  });
});
