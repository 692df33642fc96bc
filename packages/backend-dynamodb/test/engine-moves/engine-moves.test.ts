import { type AttributeValue, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Api, ResultPage } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { findMotoInstall } from '../moto-server.js';
import { copyTable } from './copy-table.js';
import { exactText } from './exact-text.js';
import { type MoveEngine, useMoveEngines } from './move-engines.js';
import { movePrefix, openMoveApi } from './open-move-api.js';
import { storedItems } from './stored-items.js';

const engines = useMoveEngines();
const models = ['Doc', 'Word', 'Amount', 'Blob'] as const;

/** Every ordered pair of two engines: a move in each direction. */
function movePairs(all: readonly MoveEngine[]): (readonly [MoveEngine, MoveEngine])[] {
  return all.flatMap((from) => all.filter((to) => to !== from).map((to) => [from, to] as const));
}

/**
 * Each engine to the next, the last to the first: every engine read from and written to once,
 * for the checks whose every direction the pairs above already cover (a fifth of the time).
 */
function moveRing(all: readonly MoveEngine[]): (readonly [MoveEngine, MoveEngine])[] {
  return all.map((from, at) => [from, all[(at + 1) % all.length] as MoveEngine] as const);
}

/** A value `depth` levels deep, maps and lists in turn (DynamoDB nests 32, the attribute one). */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1)
    value = level % 2 ? [value] : { [`l${level}`]: value };
  return value;
}

const bytes = (...values: number[]) => Uint8Array.from(values);

/** Values of every kind Macaron stores, on the Doc table's open schema (undeclared names). */
function docValues(withProto: boolean): Record<string, unknown>[] {
  const names: Record<string, unknown> = {
    constructor: 'c',
    toString: 1,
    'a.b': 2,
    '#\u0000': 3,
    $v: [],
    'e\u0301': 'combining',
  };
  const kinds: Record<string, unknown> = {};
  if (withProto) {
    const proto = { value: { x: 1 }, enumerable: true, writable: true, configurable: true };
    Object.defineProperty(names, '__proto__', proto);
    Object.defineProperty(kinds, '__proto__', proto);
  }
  return [
    {
      ...kinds,
      id: 'kinds',
      owner: 'o',
      rank: -2.5,
      big: 2n ** 63n - 1n,
      digits38: 12345678901234567890123456789012345678n,
      negativeBig: -(2n ** 64n) + 1n,
      tiny: 1e-130,
      negativeTiny: -1e-130,
      huge: 99999999999999999999999999999999999999n * 10n ** 88n,
      fraction: 1.2345678901234567e-100,
      tenth: 0.1,
      photo: bytes(...Array.from({ length: 256 }, (_, n) => n)),
      emptyBytes: bytes(),
      strings: new Set(['b', 'a', '😀', '\uFF61']),
      numbers: new Set([1, -0.5, 2n ** 60n, 1e-130]),
      binaries: new Set([bytes(0), bytes(255, 0)]),
      emptyString: '',
      emptyList: [],
      emptyMap: {},
      deep: nested(30),
      text: '😀e\u0301\u0000\uFFFF\u{10FFFF}',
      names,
      nothing: null,
      yes: true,
      no: false,
    },
    { id: 'sparse-owner-only', owner: 'o' },
    { id: 'ranked', owner: 'o', rank: 7 },
    { id: 'tied-b', owner: 'o', rank: 7 },
    { id: 'tied-a', owner: 'o', rank: 7 },
    { id: 'tied-😀', owner: 'o', rank: 7 },
    { id: 'tied-\uFF61', owner: 'o', rank: 7 },
    { id: 'ranked-negative', owner: 'o', rank: -0.001 },
    { id: 'ranked-big', owner: 'o', rank: 2n ** 60n },
    { id: 'other-owner', owner: 'p', rank: 1 },
  ];
}

// U+0000 and U+0001 next to one another: PostgreSQL's key columns write them escaped.
const words = [
  ...['a', 'B', 'Z', 'ab', 'é', '\uFF61', '😀', '\uFFFF', 'a b', '\u0000', '\u0001\u0000'],
  ...['a\u0000', 'a\u0000\u0001', 'a\u0001', 'a\u0001\u0001', 'a\u0001\u0002', 'a\u0002'],
];
const amounts: (number | bigint)[] = [
  -1.5,
  -1,
  -0.001,
  0,
  1e-130,
  -1e-130,
  3.14,
  2n ** 60n,
  -(2n ** 60n),
  12345678901234567890123456789012345678n,
  -12345678901234567890123456789012345678n,
];
const blobs = [bytes(0), bytes(0, 0), bytes(255), bytes(1, 2), bytes(0x80), bytes(0x7f, 0xff)];

async function seed(api: Api, withProto: boolean): Promise<void> {
  const Doc = api.persistent<Record<string, unknown>>('Doc');
  for (const values of docValues(withProto)) {
    const doc = new Doc(values as never);
    await doc.save();
    await doc.save(); // version 2
  }
  await api.persistent('Word').saveMany(words.map((s, n) => ({ p: 'w', s, n, g: 'g', t: s })));
  await api.persistent('Amount').saveMany(amounts.map((n) => ({ p: 'a', n })));
  await api.persistent('Blob').saveMany(blobs.map((b) => ({ p: 'b', b })));
}

/** The queries whose answers must agree on every engine, by name. */
function queries(api: Api, onDynalite: boolean) {
  const Doc = api.persistent('Doc');
  const Word = api.persistent('Word');
  const Amount = api.persistent('Amount');
  const Blob = api.persistent('Blob');
  const asks: Record<string, () => Promise<{ items: unknown[] }>> = {
    'words in order': () => Word.query({ partition: 'w' }),
    'words reversed': () => Word.query({ partition: 'w', reverse: true }),
    'words beginning with a': () => Word.query({ partition: 'w', sort: { beginsWith: 'a' } }),
    'words from é': () => Word.query({ partition: 'w', sort: { gte: 'é' } }),
    'words below 😀': () => Word.query({ partition: 'w', sort: { lt: '😀' } }),
    'words limit before filter': () =>
      Word.query({ partition: 'w', limit: 4, filter: { attr: 'n', gt: 2 } }),
    'words beginning with a, U+0001': () =>
      Word.query({ partition: 'w', sort: { beginsWith: 'a\u0001' } }),
    'words between a, U+0000 and a, U+0001, U+0001': () =>
      Word.query({ partition: 'w', sort: { between: ['a\u0000', 'a\u0001\u0001'] } }),
    'words by text, an index': () => Word.query({ index: 'byText', partition: 'g' }),
    'words by text beginning with a, U+0000': () =>
      Word.query({ index: 'byText', partition: 'g', sort: { beginsWith: 'a\u0000' } }),
    'words by text above a, U+0001': () =>
      Word.query({ index: 'byText', partition: 'g', sort: { gt: 'a\u0001' }, reverse: true }),
    'amounts in order': () => Amount.query({ partition: 'a' }),
    'amounts between': () =>
      Amount.query({ partition: 'a', sort: { between: [-(2n ** 60n), 1e-130] } }),
    'amounts reversed, limit 3': () => Amount.query({ partition: 'a', reverse: true, limit: 3 }),
    'blobs in order': () => Blob.query({ partition: 'b' }),
    'blobs beginning with 0': () => Blob.query({ partition: 'b', sort: { beginsWith: bytes(0) } }),
    'blobs between': () =>
      Blob.query({ partition: 'b', sort: { between: [bytes(0, 0), bytes(0x80)] } }),
    'owner o by rank': () => Doc.query({ index: 'byOwner', partition: 'o' }),
    'owner o by rank, reversed': () =>
      Doc.query({ index: 'byOwner', partition: 'o', reverse: true }),
    'owner o, rank below 0': () => Doc.query({ index: 'byOwner', partition: 'o', sort: { lt: 0 } }),
  };
  // dynalite checks a key condition's between bounds by UTF-16 code units (docs/engines.md,
  // key-between-bounds-checked-by-utf16): the query is refused there.
  if (!onDynalite)
    asks['words between ｡ and 😀'] = () =>
      Word.query({ partition: 'w', sort: { between: ['\uFF61', '😀'] } });
  return asks;
}

async function answers(api: Api, onDynalite: boolean): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const [name, ask] of Object.entries(queries(api, onDynalite))) {
    const page = await ask();
    result[name] = tiesSorted(page.items.map((item) => ({ ...(item as { rank?: unknown }) })));
  }
  return result;
}

/**
 * Items in exact text, those of equal index keys (one `rank`, next to one another) sorted
 * among themselves: their order is each engine's (P-51), dynalite's not memory's.
 */
function tiesSorted(items: { rank?: unknown }[]): string[] {
  const texts: string[] = [];
  let run: string[] = [];
  items.forEach((item, at) => {
    run.push(exactText(item));
    const next = items[at + 1];
    if (
      next === undefined ||
      item.rank === undefined ||
      exactText(next.rank) !== exactText(item.rank)
    ) {
      texts.push(...run.sort());
      run = [];
    }
  });
  return texts;
}

describe('moving data between engines (scan and batchWrite, as the README copies)', () => {
  it('every value kind arrives exactly, and every query answers the same, in every direction', async () => {
    const failures: string[] = [];
    // Every engine runs: moto too where it is installed (CI installs it).
    expect(engines().map((engine) => engine.name)).toEqual(
      expect.arrayContaining(['memory', 'dynalite', 'pglite', 'postgres']),
    );
    for (const [from, to] of movePairs(engines())) {
      const move = `${from.name} → ${to.name}`;
      // dynalite drops attributes named __proto__ (docs/engines.md,
      // attributes-named-proto-dropped): left out where it holds either end.
      const withProto = from.name !== 'dynalite' && to.name !== 'dynalite';
      const tablePrefix = movePrefix();
      const [source, target] = [
        await openMoveApi(from, tablePrefix),
        await openMoveApi(to, tablePrefix),
      ];
      await seed(source, withProto);
      for (const model of models) {
        await copyTable(source, target, model);
        const [before, after] = [
          await storedItems(source, model),
          await storedItems(target, model),
        ];
        for (const [key, item] of before)
          if (after.get(key) !== item)
            failures.push(`${move} ${model} ${key}:\n  was ${item}\n  is  ${after.get(key)}`);
        if (before.size === 0) failures.push(`${move} ${model}: nothing seeded`);
        if (after.size !== before.size)
          failures.push(`${move} ${model}: ${after.size} of ${before.size}`);
      }
      const asked = await answers(source, !withProto);
      const askedAfter = await answers(target, !withProto);
      for (const [name, items] of Object.entries(asked))
        if (JSON.stringify(askedAfter[name]) !== JSON.stringify(items))
          failures.push(
            `${move} query "${name}":\n  was ${items.join(' | ')}\n  is  ${askedAfter[name]?.join(' | ')}`,
          );
    }
    expect(failures).toEqual([]);
  }, 600_000);
});

/** An item another client wrote on the engine, in its own form (boto3's, plain SQL's). */
async function writeForeignDoc(engine: MoveEngine, api: Api, withProto: boolean): Promise<void> {
  const table = api.tables().find((described) => described.name.endsWith('docs'))?.name;
  if (engine.dynamoDb) {
    // boto3 writes a Decimal as its text: exponents, leading zeros, -0.
    const Item: Record<string, AttributeValue> = {
      id: { S: 'foreign' },
      owner: { S: 'o' },
      rank: { N: '-0' },
      rev: { N: '7' },
      exponent: { N: '1E-7' },
      padded: { N: '007' },
      hundred: { N: '1.0E+2' },
      digits38: { N: '-12345678901234567890123456789012345678' },
      numbers: { NS: ['1E-7', '100', '-5', '99999999999999999999999999999999999999'] },
      binaries: { BS: [bytes(1), bytes(2, 0)] },
      emptyBytes: { B: bytes() },
      nothing: { NULL: true },
      map: { M: { list: { L: [{ N: '1' }, { S: '' }, { M: {} }, { L: [] }] } } },
    };
    // JSON.parse makes __proto__ an own member, where an object literal sets the prototype.
    if (withProto) Item.map = { M: JSON.parse('{"__proto__": {"S": "p"}, "x": {"BOOL": false}}') };
    await engine.dynamoDb.send(new PutItemCommand({ TableName: table, Item }));
  }
  if (engine.sql) {
    // A row as the README's layout says another client may write it: the item's JSON, and
    // item_types for what JSON cannot say.
    // Written as text: a JavaScript object would round the 38 digits, and drop a __proto__.
    const map = withProto ? '{"__proto__": {"y": 1}, "z": []}' : '{"z": []}';
    const itemText = `{"id": "foreign", "owner": "o", "rank": -0.0, "rev": 7, "one": 1.0,
      "digits38": 12345678901234567890123456789012345678, "text": "a\\\\0b\\\\\\\\c",
      "strings": ["b", "a"], "numbers": [1, 2.5, 123456789012345678901234567890],
      "bytes": "AAE=", "binaries": ["AQ==", "AgA="], "map": ${map}}`;
    const types = {
      '/text': 'Z',
      '/strings': 'SS',
      '/numbers': 'NS',
      '/bytes': 'B',
      '/binaries': 'BS',
    };
    await engine.sql(
      `INSERT INTO "${table}" (id, item, item_types) VALUES ($1, $2::jsonb, $3::jsonb)`,
      ['foreign', itemText, JSON.stringify(types)],
    );
  }
}

describe('moving items other clients wrote', () => {
  it('boto3-style items on DynamoDB engines and plain SQL rows on PostgreSQL move as Macaron reads them', async () => {
    const failures: string[] = [];
    for (const from of engines().filter((engine) => engine.dynamoDb || engine.sql)) {
      for (const to of engines().filter((engine) => engine !== from)) {
        const move = `${from.name} → ${to.name}`;
        const withProto = from.name !== 'dynalite' && to.name !== 'dynalite';
        const tablePrefix = movePrefix();
        const [source, target] = [
          await openMoveApi(from, tablePrefix),
          await openMoveApi(to, tablePrefix),
        ];
        await writeForeignDoc(from, source, withProto);
        await copyTable(source, target, 'Doc');
        const [before, after] = [
          await storedItems(source, 'Doc'),
          await storedItems(target, 'Doc'),
        ];
        if (before.size !== 1) failures.push(`${move}: ${before.size} items seeded`);
        for (const [key, item] of before)
          if (after.get(key) !== item)
            failures.push(`${move} ${key}:\n  was ${item}\n  is  ${after.get(key)}`);
        const Doc = target.persistent<Record<string, unknown>>('Doc');
        // The moved item loads, and saves back at its version, as on the engine it came from.
        const loaded = await Doc.load('foreign');
        await loaded.save();
        if (loaded.rev !== 8) failures.push(`${move}: saved at ${String(loaded.rev)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});

describe('versions and cursors after a move', () => {
  it('a moved item keeps its version: a client holding it saves at it, a stale one conflicts, as before the move', async () => {
    const failures: string[] = [];
    for (const [from, to] of movePairs(engines())) {
      const move = `${from.name} → ${to.name}`;
      const tablePrefix = movePrefix();
      const [source, target] = [
        await openMoveApi(from, tablePrefix),
        await openMoveApi(to, tablePrefix),
      ];
      const SourceDoc = source.persistent<Record<string, unknown>>('Doc');
      const doc = await SourceDoc.create({ id: 'v', owner: 'o', rank: 1 });
      const stale = doc.toJSON();
      await doc.save();
      await doc.save();
      const current = doc.toJSON(); // rev 3, as a client (a browser tab) holds it
      await copyTable(source, target, 'Doc');
      const Doc = target.persistent<Record<string, unknown>>('Doc');
      const loaded = await Doc.load('v');
      if (loaded.rev !== 3) failures.push(`${move}: loaded at ${String(loaded.rev)}`);
      const outcome = async (write: () => Promise<unknown>) =>
        write().then(
          () => 'saved',
          (error: { code?: string }) => error.code ?? String(error),
        );
      const staleOutcome = await outcome(() => Doc.fromJSON(stale).save());
      if (staleOutcome !== 'CONFLICT') failures.push(`${move}: stale save ${staleOutcome}`);
      const created = await outcome(() => Doc.create({ id: 'v' }));
      if (created !== 'ALREADY_EXISTS') failures.push(`${move}: create over it ${created}`);
      const client = Doc.fromJSON(current);
      const saved = await outcome(() => client.save());
      if (saved !== 'saved' || client.rev !== 4)
        failures.push(`${move}: current save ${saved} at ${String(client.rev)}`);
      const updated = await Doc.update('v', { set: { owner: 'p' } });
      if (updated.rev !== 5) failures.push(`${move}: update to ${String(updated.rev)}`);
      const lateOutcome = await outcome(() => loaded.save());
      if (lateOutcome !== 'CONFLICT')
        failures.push(`${move}: save of the first load ${lateOutcome}`);
    }
    expect(failures).toEqual([]);
  }, 600_000);

  // What each read's second page is on the target, given the source's cursor: for every move,
  // by `${move} ${read}`. Read once for both tests below.
  let outcomes: Promise<Map<string, CursorOutcome>> | undefined;
  const cursorOutcomes = () => {
    outcomes ??= readCursorOutcomes(engines());
    return outcomes;
  };

  it('a cursor is refused on an engine of another backend; between two PostgreSQL engines, and on table queries, it goes on exactly', async () => {
    const failures: string[] = [];
    for (const [read, outcome] of await cursorOutcomes()) {
      if (outcome.knownGap) continue;
      if (outcome.otherBackend && outcome.there !== 'INVALID_CURSOR')
        failures.push(`${read}: ${outcome.there}, where the cursor should be refused`);
      if (!outcome.otherBackend && outcome.there !== outcome.expected)
        failures.push(
          `${read}:\n  source's next page ${outcome.expected}\n  target's ${outcome.there}`,
        );
    }
    expect(failures).toEqual([]);
  }, 600_000);

  // moto runs where scripts/moto/setup.sh installed it, and always under CI=true.
  it.skipIf(!findMotoInstall().installed && process.env.CI !== 'true')(
    "known gap (P-96 binds a cursor to the backend's name): dynalite and moto open each other's index and scan cursors, and go on in their own order",
    async () => {
      const gaps = [...(await cursorOutcomes())].filter(([, outcome]) => outcome.knownGap);
      // Each opens (no INVALID_CURSOR) and answers a page that is not the source's next: items
      // of the source's order are skipped or repeated. A fix that refuses them turns this red.
      expect(gaps.map(([read, outcome]) => [read, outcome.there === outcome.expected])).toEqual(
        [
          'dynalite → moto query of an index',
          'dynalite → moto scan of many partitions',
          'dynalite → moto scan of an index',
          'moto → dynalite query of an index',
          'moto → dynalite scan of many partitions',
          'moto → dynalite scan of an index',
        ].map((read) => [read, false]),
      );
      for (const [, outcome] of gaps) expect(outcome.there).not.toBe('INVALID_CURSOR');
    },
    600_000,
  );
});

interface CursorOutcome {
  /** The source's own next page, in exact text. */
  readonly expected: string;
  /** The target's page for the source's cursor, or the code it refused it with. */
  readonly there: string;
  /** The engines' backends have different names. */
  readonly otherBackend: boolean;
  /** dynalite and moto, on reads whose order is each engine's: pinned, not checked. */
  readonly knownGap: boolean;
}

const cursorReads: Record<string, (api: Api, cursor?: string) => Promise<ResultPage<unknown>>> = {
  'query of a table': (api, cursor) =>
    api.persistent('Word').query({ partition: 'w', limit: 3, cursor }),
  'query of an index': (api, cursor) =>
    api.persistent('Doc').query({ index: 'byOwner', partition: 'o', limit: 2, cursor }),
  'scan of a partition': (api, cursor) => api.persistent('Word').scan({ limit: 3, cursor }),
  'scan of many partitions': (api, cursor) => api.persistent('Doc').scan({ limit: 3, cursor }),
  'scan of an index': (api, cursor) =>
    api.persistent('Doc').scan({ index: 'byOwner', limit: 2, cursor }),
};

const pageText = (page: ResultPage<unknown>) =>
  page.items.map((item) => exactText({ ...(item as object) })).join(' | ');

async function readCursorOutcomes(all: readonly MoveEngine[]): Promise<Map<string, CursorOutcome>> {
  const outcomes = new Map<string, CursorOutcome>();
  for (const [from, to] of movePairs(all)) {
    const move = `${from.name} → ${to.name}`;
    const withProto = from.name !== 'dynalite' && to.name !== 'dynalite';
    const tablePrefix = movePrefix();
    const [source, target] = [
      await openMoveApi(from, tablePrefix),
      await openMoveApi(to, tablePrefix),
    ];
    await seed(source, withProto);
    for (const model of models) await copyTable(source, target, model);
    const dynamoDbEngines = from.dynamoDb !== undefined && to.dynamoDb !== undefined;
    for (const [name, read] of Object.entries(cursorReads)) {
      const first = await read(source);
      const expected = pageText(await read(source, first.cursor));
      const there = await read(target, first.cursor).then(
        pageText,
        (error: { code?: string }) => error.code ?? String(error),
      );
      outcomes.set(`${move} ${name}`, {
        expected,
        there,
        otherBackend: from.backend.name !== to.backend.name,
        knownGap: dynamoDbEngines && name !== 'query of a table' && name !== 'scan of a partition',
      });
    }
  }
  return outcomes;
}

describe('moving through the models, and what cannot move', () => {
  it('scanAll() on one engine and saveMany() on another move unversioned items exactly; a versioned model is refused, typed', async () => {
    const failures: string[] = [];
    for (const [from, to] of moveRing(engines())) {
      const move = `${from.name} → ${to.name}`;
      const tablePrefix = movePrefix();
      const [source, target] = [
        await openMoveApi(from, tablePrefix),
        await openMoveApi(to, tablePrefix),
      ];
      await seed(source, from.name !== 'dynalite' && to.name !== 'dynalite');
      for (const model of ['Word', 'Amount', 'Blob']) {
        const objects: object[] = [];
        for await (const object of source.persistent(model).scanAll()) objects.push(object);
        await target.persistent(model).saveMany(objects);
        const [before, after] = [
          await storedItems(source, model),
          await storedItems(target, model),
        ];
        if ([...after].join('\n') !== [...before].join('\n') || before.size === 0)
          failures.push(
            `${move} ${model}: ${after.size} of ${before.size} items, or not as stored`,
          );
      }
      const docs: object[] = [];
      for await (const doc of source.persistent('Doc').scanAll()) docs.push(doc);
      const refused = await target
        .persistent('Doc')
        .saveMany(docs)
        .then(
          () => 'saved',
          (error: { code?: string }) => error.code,
        );
      // P-27: saveMany cannot check versions; the README's copy keeps them (tested above).
      if (refused !== 'INVALID_REQUEST') failures.push(`${move}: saveMany of Doc ${refused}`);
      if ((await storedItems(target, 'Doc')).size !== 0) failures.push(`${move}: Doc written`);
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('rows plain SQL wrote that DynamoDB refuses are refused by every DynamoDB-like target (memory too), typed, nothing of their chunk written', async () => {
    let nested = '"x"';
    for (let level = 0; level < 32; level += 1) nested = `{"k": ${nested}}`;
    const rows: Record<string, string> = {
      'an empty name in a map': '{"id": "r", "m": {"": 1}}',
      'nesting past 32 levels': `{"id": "r", "d": ${nested}}`,
      'a number below 1e-130': '{"id": "r", "n": 1e-200}',
      'a number of 39 digits': '{"id": "r", "n": 123456789012345678901234567890123456789}',
      'an index key of another type': '{"id": "r", "owner": 5, "rank": 1}',
      'an empty index key': '{"id": "r", "owner": "", "rank": 1}',
    };
    const from = engines().find((engine) => engine.name === 'pglite') as MoveEngine;
    const failures: string[] = [];
    for (const to of engines().filter((engine) => engine.sql === undefined)) {
      for (const [name, row] of Object.entries(rows)) {
        const tablePrefix = movePrefix();
        const [source, target] = [
          await openMoveApi(from, tablePrefix),
          await openMoveApi(to, tablePrefix),
        ];
        const table = source.tables().find((described) => described.name.endsWith('docs'))?.name;
        const insert = `INSERT INTO "${table}" (id, item) VALUES ($1, $2::jsonb)`;
        await from.sql?.(insert, ['r', row]);
        await from.sql?.(insert, ['fine', '{"id": "fine"}']);
        const outcome = await copyTable(source, target, 'Doc').then(
          (copied) => `copied ${copied}`,
          (error: { code?: string }) => error.code,
        );
        const written = (await storedItems(target, 'Doc')).size;
        if (outcome !== 'INVALID_REQUEST' || written !== 0)
          failures.push(`${name} → ${to.name}: ${outcome}, ${written} written`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('a number no JavaScript number holds, stored by another client, stops the copy with a BackendError naming it, nothing rounded', async () => {
    const failures: string[] = [];
    for (const from of engines().filter((engine) => engine.dynamoDb || engine.sql)) {
      const to = engines().find((engine) => engine.name === 'memory') as MoveEngine;
      const tablePrefix = movePrefix();
      const [source, target] = [
        await openMoveApi(from, tablePrefix),
        await openMoveApi(to, tablePrefix),
      ];
      const table = source.tables().find((described) => described.name.endsWith('docs'))?.name;
      const digits = '0.12345678901234567890123456789012345678';
      if (from.dynamoDb)
        await from.dynamoDb.send(
          new PutItemCommand({ TableName: table, Item: { id: { S: 'd' }, v: { N: digits } } }),
        );
      if (from.sql)
        await from.sql(`INSERT INTO "${table}" (id, item) VALUES ('d', $1::jsonb)`, [
          `{"id": "d", "v": ${digits}}`,
        ]);
      const outcome = await copyTable(source, target, 'Doc').then(
        (copied) => `copied ${copied}`,
        (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
      );
      if (!outcome.startsWith('BACKEND_ERROR') || !outcome.includes(digits))
        failures.push(`${from.name}: ${outcome}`);
      if ((await storedItems(target, 'Doc')).size !== 0) failures.push(`${from.name}: written`);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});

describe('a table models share', () => {
  it("is copied once, through one model: every model's items arrive, and each model reads its own", async () => {
    const failures: string[] = [];
    for (const [from, to] of moveRing(engines())) {
      const move = `${from.name} → ${to.name}`;
      const tablePrefix = movePrefix();
      const [source, target] = [
        await openMoveApi(from, tablePrefix),
        await openMoveApi(to, tablePrefix),
      ];
      await source.persistent('Cat').saveMany([
        { pk: 'home', sk: '1', name: 'Tom' },
        { pk: 'home', sk: '3', name: 'Kit' },
      ]);
      await source.persistent('Dog').saveMany([{ pk: 'home', sk: '2', name: 'Rex' }]);
      const copied = await copyTable(source, target, 'Cat');
      const names = async (api: Api, model: string) => {
        const found: string[] = [];
        for await (const pet of api.persistent<{ name: string }>(model).queryAll({
          index: 'byName',
          partition: model === 'Cat' ? 'Tom' : 'Rex',
        }))
          found.push(pet.name);
        const page = await api.persistent<{ sk: string }>(model).query({ partition: 'home' });
        return [...found, ...page.items.map((pet) => pet.sk)].join(',');
      };
      for (const model of ['Cat', 'Dog'])
        if ((await names(target, model)) !== (await names(source, model)))
          failures.push(`${move} ${model}: ${await names(target, model)}`);
      if (copied !== 3) failures.push(`${move}: ${copied} copied`);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
