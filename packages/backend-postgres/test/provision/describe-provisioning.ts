import { randomBytes } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import {
  AccessDeniedError,
  InvalidRequestError,
  loadApi,
  MacaronError,
  type ModelDescriptor,
  TableNotFoundError,
  UnsupportedOperationError,
} from '@macaron/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  createPostgresBackend,
  type PostgresBackend,
  postgresTablesDdl,
  TableExistsError,
  TableMismatchError,
} from '../../src/index.js';
import { indexName } from '../../src/sql/table-layout.js';
import type { ProvisionEngine } from './describe-index-columns.js';
import { modelOf, number, specOf, string, uniquePrefix } from './provision-specs.js';

export interface ProvisioningEngine extends ProvisionEngine {
  /** A real server: concurrent transactions, and connections that can fail. */
  readonly server?: {
    readonly connectionString: string;
    readonly createBackend: (connectionString: string) => PostgresBackend;
  };
}

// One schema per table name, each with an optional index on `x`.
function tablesSpec(tables: Record<string, string | undefined>) {
  const schemas: Record<string, unknown> = {};
  for (const [position, [table, index]] of Object.entries(tables).entries())
    schemas[`M${position}`] = modelOf(
      { table, key: 'id', ...(index ? { indexes: { [index]: { key: 'x' } } } : {}) },
      { id: string, x: string },
    );
  return specOf(schemas);
}

async function apiOf(
  backend: PostgresBackend,
  prefix: string,
  tables: Record<string, string | undefined>,
) {
  return loadApi(tablesSpec(tables), { backend, tablePrefix: prefix });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
}

/** Names, hand-made tables, concurrency and connection failures of provisioning. */
export function describeProvisioning(label: string, engine: ProvisioningEngine): void {
  describe(`provisioning on ${label}`, () => {
    it.each([[undefined], [null], [42], ['notes'], [[null]], [[{}]], [[{ name: 'notes' }]]])(
      'given %j from JavaScript, ensureTables, planTables, createTables and deleteTables throw InvalidRequestError, nothing sent',
      async (tables) => {
        const backend = engine.backend();
        for (const name of [
          'ensureTables',
          'planTables',
          'createTables',
          'deleteTables',
        ] as const) {
          const error = await failure(backend[name](tables as never));
          expect(error, String(error)).toBeInstanceOf(InvalidRequestError);
          expect((error as Error).message).toBe(
            `${name} takes a list of the table descriptors api.tables() returns`,
          );
        }
      },
    );

    it('planTables says what ensureTables would do, changing nothing; ensureTables refuses a call with a table that differs before changing any other', async () => {
      const prefix = uniquePrefix();
      const backend = engine.backend();
      const notes = `${prefix}notes`;
      const other = `${prefix}other`;
      const indexCount = async () =>
        Number(
          (
            await engine
              .sql()
              .query(`SELECT count(*) AS n FROM pg_indexes WHERE tablename = $1`, [notes])
          )[0]!.n,
        );
      const plain = await apiOf(backend, prefix, { notes: undefined });
      expect(await backend.planTables(plain.tables())).toEqual([
        { table: notes, changes: [{ table: notes, action: 'created' }], differences: [] },
      ]);
      expect(await indexCount()).toBe(0);
      // ensureTables returns what it changed: the plan, applied; then nothing.
      expect(await backend.ensureTables(plain.tables())).toEqual([
        { table: notes, action: 'created' },
      ]);
      expect(await backend.ensureTables(plain.tables())).toEqual([
        { table: notes, action: 'unchanged' },
      ]);
      expect(await backend.planTables(plain.tables())).toEqual([
        { table: notes, changes: [{ table: notes, action: 'unchanged' }], differences: [] },
      ]);
      const indexed = await apiOf(backend, prefix, { notes: 'byX' });
      expect(await backend.planTables(indexed.tables())).toEqual([
        {
          table: notes,
          changes: [{ table: notes, action: 'index-added', index: 'byX' }],
          differences: [],
        },
      ]);
      expect(await indexCount()).toBe(1);
      // A table of the call made by hand for an integer key: ensureTables refuses the whole call.
      await engine
        .sql()
        .query(
          `CREATE TABLE "${other}" (id integer PRIMARY KEY, item jsonb NOT NULL, item_types jsonb)`,
        );
      const both = await apiOf(backend, prefix, { notes: 'byX', other: undefined });
      const [notesPlan, otherPlan] = await backend.planTables(both.tables());
      expect(notesPlan!.changes).toEqual([{ table: notes, action: 'index-added', index: 'byX' }]);
      expect(otherPlan!.changes).toEqual([]);
      expect(otherPlan!.differences.join('; ')).toContain('id');
      const error = await failure(backend.ensureTables(both.tables()));
      expect(error).toBeInstanceOf(TableMismatchError);
      expect((error as TableMismatchError).differences).toEqual(otherPlan!.differences);
      expect(await indexCount()).toBe(1);
    });

    it('two tables of one call named alike with other keys (two specs, one prefix): planned as a difference, refused by ensureTables and createTables, nothing made', async () => {
      const prefix = uniquePrefix();
      const backend = engine.backend();
      const byId = await apiOf(backend, prefix, { shared: undefined });
      const byNumber = await loadApi(
        specOf({ N: modelOf({ table: 'shared', key: 'num' }, { num: number }) }),
        { backend, tablePrefix: prefix },
      );
      // The same partition key, and a sort key: other keys too.
      const bySort = await loadApi(
        specOf({
          S: modelOf({ table: 'shared', key: 'id', sort: 's' }, { id: string, s: string }),
        }),
        { backend, tablePrefix: prefix },
      );
      for (const other of [byNumber, bySort]) {
        const tables = [...byId.tables(), ...other.tables()];
        const [plan, ...others] = await backend.planTables(tables);
        expect(others).toEqual([]);
        expect(plan!.changes).toEqual([]);
        expect(plan!.differences.join('; ')).toContain(
          `two tables of the call are named ${prefix}shared, with other keys`,
        );
        for (const attempt of [
          () => backend.ensureTables(tables),
          () => backend.createTables(tables),
        ])
          expect(await failure(attempt())).toBeInstanceOf(TableMismatchError);
      }
      const made = await engine
        .sql()
        .query(`SELECT count(*) AS n FROM pg_class WHERE relname = $1`, [`${prefix}shared`]);
      expect(Number(made[0]!.n)).toBe(0);
    });

    it('two tables of one call named alike with the same keys (two specs, one prefix) are one table with the indexes of both, as two calls in turn make it; an index of one name keyed otherwise is refused, nothing made', async () => {
      const prefix = uniquePrefix();
      const backend = engine.backend();
      const users = (indexes: Record<string, unknown>) =>
        loadApi(
          specOf({
            User: modelOf(
              { table: 'users', key: 'id', indexes },
              { id: string, a: string, b: string },
            ),
          }),
          { backend, tablePrefix: prefix },
        );
      const byA = await users({ byA: { key: 'a' } });
      const byB = await users({ byB: { key: 'b' } });
      const otherByA = await users({ byA: { key: 'b' } });
      const table = `${prefix}users`;
      const clashing = [...byA.tables(), ...otherByA.tables()];
      const [clash] = await backend.planTables(clashing);
      expect(clash!.differences).toEqual([
        `two tables of the call are named ${table}, with other keys for index byA (users and users, from two specs?): only one can be made`,
      ]);
      expect(await failure(backend.ensureTables(clashing))).toBeInstanceOf(TableMismatchError);
      expect(() => postgresTablesDdl(clashing)).toThrow(TableMismatchError);
      const both = [...byA.tables(), ...byB.tables()];
      expect(await backend.planTables(both)).toEqual([
        { table, changes: [{ table, action: 'created' }], differences: [] },
      ]);
      expect(postgresTablesDdl(both)).toContain(`"${table}:byB"`);
      expect(await backend.ensureTables(both)).toEqual([{ table, action: 'created' }]);
      for (const [api, index] of [
        [byA, 'byA'],
        [byB, 'byB'],
      ] as const) {
        const User = api.persistent<Record<string, unknown>>('User');
        await User.create({ id: index, a: 'x', b: 'x' });
        expect((await User.query({ index, partition: 'x' })).items.length).toBeGreaterThan(0);
      }
      const made = await engine
        .sql()
        .query(`SELECT count(*) AS n FROM pg_indexes WHERE tablename = $1`, [table]);
      expect(Number(made[0]!.n)).toBe(3);
    });

    it('two tables of one call named alike whose indexes key one attribute as a string and as a number (two specs, one prefix): planned as a difference, refused by ensureTables, createTables and the DDL with TableMismatchError, as the second of two calls in turn is; nothing made; deleteTables drops the table of that name, as DynamoDB does', async () => {
      const prefix = uniquePrefix();
      const backend = engine.backend();
      const users = (indexes: Record<string, unknown>, a: Record<string, unknown>) =>
        loadApi(
          specOf({ User: modelOf({ table: 'users', key: 'id', indexes }, { id: string, a }) }),
          {
            backend,
            tablePrefix: prefix,
          },
        );
      const byText = await users({ byText: { key: 'a' } }, string);
      const byNumber = await users({ byNumber: { key: 'a' } }, number);
      const table = `${prefix}users`;
      const clashing = [...byText.tables(), ...byNumber.tables()];
      const difference = `two tables of the call are named ${table}, with attribute "a" keyed as a string and as a number (users and users, from two specs?): only one can be made`;
      expect(await backend.planTables(clashing)).toEqual([
        { table, changes: [], differences: [difference] },
      ]);
      for (const attempt of [
        () => backend.ensureTables(clashing),
        () => backend.createTables(clashing),
      ]) {
        const error = await failure(attempt());
        expect(error, String(error)).toBeInstanceOf(TableMismatchError);
        expect((error as TableMismatchError).differences).toEqual([difference]);
      }
      expect(() => postgresTablesDdl(clashing)).toThrow(TableMismatchError);
      // Dropping needs the name alone: as two calls in turn, and DynamoDB's deleteTables.
      expect(await backend.deleteTables(clashing)).toEqual([{ table, action: 'absent' }]);
      const made = await engine
        .sql()
        .query(`SELECT count(*) AS n FROM pg_class WHERE relname = $1`, [table]);
      expect(Number(made[0]!.n)).toBe(0);
      // Calls in turn: the second is refused the same way.
      await backend.ensureTables(byText.tables());
      expect(await failure(backend.ensureTables(byNumber.tables()))).toBeInstanceOf(
        TableMismatchError,
      );
      expect(await backend.deleteTables(clashing)).toEqual([{ table, action: 'deleted' }]);
    });

    // PostgreSQL has no time to live (capabilities.ttl false): a table's TTL attribute is no
    // part of it, and two specs that name another one make one table, as calls in turn do.
    it('two tables of one call named alike whose specs expire items by other attributes: one table, as calls in turn make it, planned and exported alike', async () => {
      const backend = engine.backend();
      const users = (ttl: string, prefix: string) =>
        loadApi(
          specOf({
            User: modelOf(
              { table: 'users', key: 'id', ttl },
              { id: string, a: { type: 'integer' }, b: { type: 'integer' } },
            ),
          }),
          { backend, tablePrefix: prefix },
        );
      const prefix = uniquePrefix();
      const [byA, byB] = [await users('a', prefix), await users('b', prefix)];
      const table = `${prefix}users`;
      const both = [...byA.tables(), ...byB.tables()];
      expect(await backend.planTables(both)).toEqual([
        { table, changes: [{ table, action: 'created' }], differences: [] },
      ]);
      expect(postgresTablesDdl(both)).toBe(postgresTablesDdl(byA.tables()));
      expect(await backend.ensureTables(both)).toEqual([{ table, action: 'created' }]);
      expect(await backend.deleteTables(both)).toEqual([{ table, action: 'deleted' }]);
      expect(await backend.createTables(both)).toEqual([{ table, action: 'created' }]);
      // Calls in turn, on other tables: the second finds the table as the first made it.
      const inTurn = uniquePrefix();
      await backend.ensureTables((await users('a', inTurn)).tables());
      expect(await backend.ensureTables((await users('b', inTurn)).tables())).toEqual([
        { table: `${inTurn}users`, action: 'unchanged' },
      ]);
    });

    it('tables named like PostgreSQL default primary keys, or like table.index, do not collide', async () => {
      const prefix = uniquePrefix();
      const api = await apiOf(engine.backend(), prefix, {
        users: undefined,
        users_pkey: undefined,
        'abc.byV': undefined,
        abc: 'byV',
      });
      await engine.backend().ensureTables(api.tables());
      await engine.backend().ensureTables(api.tables());
      for (const [schema, table] of [
        ['M0', 'users'],
        ['M1', 'users_pkey'],
        ['M2', 'abc.byV'],
        ['M3', 'abc'],
      ] as const) {
        const Model = api.persistent<Record<string, unknown>>(schema);
        await Model.create({ id: '1', x: table });
        expect((await Model.load('1')).x).toBe(table);
      }
      const byV = await api
        .persistent<Record<string, unknown>>('M3')
        .query({ index: 'byV', partition: 'abc' });
      expect(byV.items.map((item) => item.id)).toEqual(['1']);
      const [index] = await engine
        .sql()
        .query(
          `SELECT t.relname AS indexed FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_class t ON t.oid = i.indrelid WHERE c.relname = $1`,
          [`${prefix}abc:byV`],
        );
      expect(index).toEqual({ indexed: `${prefix}abc` });
      const created = await apiOf(engine.backend(), uniquePrefix(), {
        'abc.byV': undefined,
        abc: 'byV',
        users_pkey: undefined,
        users: undefined,
      });
      expect(
        (await engine.backend().createTables(created.tables())).map((change) => change.action),
      ).toEqual(['created', 'created', 'created', 'created']);
    });

    it('a name another relation holds is a TableMismatchError naming it, never skipped', async () => {
      const prefix = uniquePrefix();
      const tables = { msgs: 'byX', other: undefined };
      await engine.sql().query(`CREATE TABLE "${prefix}other" (id int)`);
      await engine.sql().query(`CREATE VIEW "${prefix}msgs:byX" AS SELECT 1 AS one`);
      const api = await apiOf(engine.backend(), prefix, tables);
      for (const attempt of [
        () => engine.backend().ensureTables(api.tables()),
        () => engine.backend().createTables([api.tables()[0]!]),
      ]) {
        const error = await failure(attempt());
        expect(error).toBeInstanceOf(TableMismatchError);
        expect((error as TableMismatchError).differences).toEqual([
          `the name "${prefix}msgs:byX", needed for its index byX, is taken by the view "${prefix}msgs:byX"`,
        ]);
      }
      await engine.sql().query(`DROP VIEW "${prefix}msgs:byX"`);
      await engine.sql().query(`CREATE INDEX "${prefix}msgs#pkey" ON "${prefix}other" (id)`);
      const pkey = await failure(engine.backend().ensureTables(api.tables()));
      expect((pkey as TableMismatchError).differences).toEqual([
        `the name "${prefix}msgs#pkey", needed for its primary key, is taken by the index "${prefix}msgs#pkey" of table "${prefix}other"`,
      ]);
      await engine.sql().query(`DROP INDEX "${prefix}msgs#pkey"`);
      await engine.sql().query(`CREATE SEQUENCE "${prefix}msgs"`);
      const table = await failure(engine.backend().ensureTables(api.tables()));
      expect(table).toBeInstanceOf(TableMismatchError);
      expect((table as TableMismatchError).differences).toEqual([
        `the name "${prefix}msgs", needed for the table, is taken by the sequence "${prefix}msgs"`,
      ]);
      // A table that exists already is TableExistsError for createTables, as before.
      expect(await failure(engine.backend().createTables([api.tables()[1]!]))).toBeInstanceOf(
        TableExistsError,
      );
    });

    it('deleteTables drops every table or none: a view on one keeps them all', async () => {
      const prefix = uniquePrefix();
      const api = await apiOf(engine.backend(), prefix, { aaa: undefined, bbb: 'byX' });
      await engine.backend().ensureTables(api.tables());
      await api.persistent<Record<string, unknown>>('M0').create({ id: '1', x: 'kept' });
      await engine.sql().query(`CREATE VIEW "${prefix}bbb_view" AS SELECT id FROM "${prefix}bbb"`);
      const error = await failure(engine.backend().deleteTables(api.tables()));
      expect(error).toBeInstanceOf(MacaronError);
      expect((error as Error).message).toMatch(/depend/);
      expect((await api.persistent<Record<string, unknown>>('M0').load('1')).x).toBe('kept');
      await engine.sql().query(`DROP VIEW "${prefix}bbb_view"`);
      expect(await engine.backend().deleteTables(api.tables())).toEqual([
        { table: `${prefix}aaa`, action: 'deleted' },
        { table: `${prefix}bbb`, action: 'deleted' },
      ]);
      expect(await engine.backend().deleteTables(api.tables())).toEqual([
        { table: `${prefix}aaa`, action: 'absent' },
        { table: `${prefix}bbb`, action: 'absent' },
      ]);
    });

    it('long names are shortened with a hash, and their tables still work', async () => {
      const prefix = uniquePrefix();
      const long = `t${'x'.repeat(62 - prefix.length)}`;
      const api = await apiOf(engine.backend(), prefix, { [long]: `i${'y'.repeat(40)}` });
      await engine.backend().ensureTables(api.tables());
      await engine.backend().ensureTables(api.tables());
      const Model = api.persistent<Record<string, unknown>>('M0');
      await Model.create({ id: '1', x: 'v' });
      const page = await Model.query({ index: `i${'y'.repeat(40)}`, partition: 'v' });
      expect(page.items.map((item) => item.id)).toEqual(['1']);
    });

    it('key and index key attributes named like system columns get key_ columns; others keep theirs', async () => {
      const persist = {
        table: 'sys',
        key: 'ctid',
        sort: 'xmin',
        indexes: {
          byT: { key: 'tableoid', sort: 'cmax' },
          byX: { key: 'xmax', sort: 'cmin' },
          byK: { key: 'key_ctid' },
          byO: { key: 'oid', sort: 'CTID' },
        },
      };
      const properties = {
        ctid: string,
        xmin: number,
        tableoid: string,
        cmax: number,
        xmax: string,
        cmin: string,
        key_ctid: string,
        oid: string,
        CTID: string,
      };
      const spec = specOf({ Sys: modelOf(persist, properties) });
      const prefix = uniquePrefix();
      const api = await loadApi(spec, { backend: engine.backend(), tablePrefix: prefix });
      await engine.backend().ensureTables(api.tables());
      await engine.backend().ensureTables(api.tables());
      const Sys = api.persistent<Record<string, unknown>>('Sys');
      const item = {
        ctid: 'c',
        xmin: 1,
        tableoid: 't',
        cmax: 2,
        xmax: 'x',
        cmin: 'y',
        key_ctid: 'k',
        oid: 'o',
        CTID: 'C',
      };
      await Sys.create(item);
      expect((await Sys.load({ ctid: 'c', xmin: 1 })).toJSON()).toEqual(item);
      for (const [index, partition] of [
        ['byT', 't'],
        ['byX', 'x'],
        ['byK', 'k'],
        ['byO', 'o'],
      ] as const)
        expect((await Sys.query({ index, partition })).items.map((found) => found.ctid)).toEqual([
          'c',
        ]);
      const columns = await engine
        .sql()
        .query(
          `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::text::regclass AND attnum > 0 ORDER BY attname COLLATE "C"`,
          [`"${prefix}sys"`],
        );
      expect(columns.map((column) => column.name)).toEqual([
        'CTID',
        'item',
        'item_types',
        'key_cmax',
        'key_cmin',
        'key_ctid',
        'key_key_ctid',
        'key_tableoid',
        'key_xmax',
        'key_xmin',
        'oid',
      ]);
      // The exported DDL (`macaron tables export --format sql`) runs as it is.
      const exported = await loadApi(spec, { tablePrefix: uniquePrefix() });
      const ddl = postgresTablesDdl(exported.tables());
      for (const statement of ddl.trimEnd().slice(0, -1).split(';\n\n'))
        await engine.sql().query(statement);
    });

    it('two tables whose long names shorten to one index name are refused before anything is made', async () => {
      // Found by search (no prefix): both index names end in the same 32-bit hash.
      const [first, second] = [`${'a'.repeat(55)}t497`, `${'a'.repeat(55)}t411`];
      const shared = indexName(first, 'ix1a');
      expect(indexName(second, 'ix40')).toBe(shared);
      const spec = specOf({
        A: modelOf(
          { table: first, key: 'id', indexes: { ix1a: { key: 'x' } } },
          { id: string, x: string },
        ),
        B: modelOf(
          { table: second, key: 'id', indexes: { ix40: { key: 'x' } } },
          { id: string, x: string },
        ),
      });
      const api = await loadApi(spec, { backend: engine.backend() });
      const shortened =
        '(names longer than 63 bytes are shortened to their first bytes and a 32-bit hash, and these two meet: rename or shorten one of the tables or indexes)';
      for (const attempt of [
        () => engine.backend().ensureTables(api.tables()),
        () => engine.backend().createTables(api.tables()),
        async () => postgresTablesDdl(api.tables()),
      ]) {
        const error = await failure(attempt());
        expect(error).toBeInstanceOf(TableMismatchError);
        expect(error).toMatchObject({ table: second });
        expect((error as TableMismatchError).differences).toEqual([
          `the name "${shared}", needed for its index ix40, is also needed by table "${first}" for its index ix1a ${shortened}`,
        ]);
      }
      const made = await engine
        .sql()
        .query(`SELECT relname FROM pg_class WHERE relname LIKE 'aaaaa%'`);
      expect(made).toEqual([]);
      // One call each: the catalog check finds the other table's index.
      const [tableA, tableB] = api.tables();
      await engine.backend().ensureTables([tableA!]);
      const error = await failure(engine.backend().ensureTables([tableB!]));
      expect((error as TableMismatchError).differences).toEqual([
        `the name "${shared}", needed for its index ix40, is taken by the index "${shared}" of table "${first}" ${shortened}`,
      ]);
      await engine.backend().deleteTables(api.tables());
    });

    it('an attribute name PostgreSQL cannot hold is refused, naming it and its table', async () => {
      const prefix = uniquePrefix();
      for (const [name, problem] of [
        ['a\u0000b', 'a PostgreSQL name cannot hold U+0000'],
        ['n'.repeat(64), "it is longer than PostgreSQL's 63-byte names"],
      ] as const) {
        const spec = specOf({
          M: modelOf(
            { table: 'odd', key: 'id', indexes: { byA: { key: name } } },
            { id: string, [name]: string },
          ),
        });
        const api = await loadApi(spec, { backend: engine.backend(), tablePrefix: prefix });
        const message = `Table ${prefix}odd: key attribute ${JSON.stringify(name)} cannot have a PostgreSQL column (${JSON.stringify(name)}): ${problem}`;
        for (const attempt of [
          () => engine.backend().ensureTables(api.tables()),
          () => engine.backend().createTables(api.tables()),
          // First use, without provisioning: nothing is sent.
          () => api.persistent<Record<string, unknown>>('M').create({ id: '1', [name]: 'v' }),
        ]) {
          const error = await failure(attempt());
          expect(error).toBeInstanceOf(InvalidRequestError);
          expect((error as Error).message).toBe(message);
        }
      }
    });

    it('a key or index key attribute holding a lone surrogate (a descriptor made without loadApi, which refuses it) is refused, nothing made', async () => {
      const prefix = uniquePrefix();
      const lone = 'a\ud800b';
      // PostgreSQL stored such a column as a\uFFFDb: made once, then "already exists" at
      // every ensureTables, or a primary key that never matched the spec again.
      const api = await loadApi(
        specOf({
          M: modelOf(
            { table: 'lone', key: 'id', indexes: { byA: { key: 'a' } } },
            { id: string, a: string },
          ),
        }),
        { backend: engine.backend(), tablePrefix: prefix },
      );
      const [table] = api.tables();
      const [index] = table!.indexes;
      const lonePartition = { name: lone, type: 'string' as const };
      for (const descriptor of [
        { ...table!, indexes: [{ ...index!, partitionKey: lonePartition }] },
        { ...table!, partitionKey: lonePartition, indexes: [] },
      ]) {
        const backend = engine.backend();
        const message = `Table ${prefix}lone: key attribute ${JSON.stringify(lone)} cannot have a PostgreSQL column (${JSON.stringify(lone)}): it holds a lone surrogate, which a PostgreSQL name cannot`;
        const model = { name: 'M', schema: {}, table: descriptor } as unknown as ModelDescriptor;
        for (const attempt of [
          () => backend.planTables([descriptor]),
          () => backend.ensureTables([descriptor]),
          () => backend.createTables([descriptor]),
          async () => postgresTablesDdl([descriptor]),
          () => backend.getItem({ model, key: { [descriptor.partitionKey.name]: 'v' } }),
        ]) {
          const error = await failure(attempt());
          expect(error).toBeInstanceOf(InvalidRequestError);
          expect((error as Error).message).toBe(message);
        }
        const made = await engine
          .sql()
          .query(`SELECT 1 FROM pg_class WHERE relname LIKE $1`, [`${prefix}%`]);
        expect(made).toEqual([]);
      }
    });

    it('a hand-made table the writes cannot use is a TableMismatchError', async () => {
      const prefix = uniquePrefix();
      await engine
        .sql()
        .query(
          `CREATE TABLE "${prefix}plain" (id text COLLATE "C" PRIMARY KEY, item jsonb NOT NULL)`,
        );
      await engine
        .sql()
        .query(
          `CREATE TABLE "${prefix}owned" (id text COLLATE "C" PRIMARY KEY, item jsonb NOT NULL, item_types jsonb, owner text NOT NULL, created timestamptz NOT NULL DEFAULT now())`,
        );
      for (const [table, difference] of [
        ['plain', 'no item_types column'],
        ['owned', "column owner is NOT NULL without a default: Macaron's writes do not set it"],
      ] as const) {
        const api = await apiOf(engine.backend(), prefix, { [table]: undefined });
        const error = await failure(engine.backend().ensureTables(api.tables()));
        expect(error).toBeInstanceOf(TableMismatchError);
        expect((error as TableMismatchError).differences).toEqual([difference]);
      }
    });

    it('a table keyed otherwise than the spec (ensureTables not run): every request is a TableMismatchError, and nothing is read or changed', async () => {
      const prefix = uniquePrefix();
      const backend = engine.backend();
      const keyedBy = (sort?: string) =>
        loadApi(
          specOf({
            M: modelOf(
              { table: 'keyed', key: 'id', ...(sort ? { sort } : {}) },
              { id: string, s: string, x: string },
            ),
          }),
          { backend, tablePrefix: prefix },
        );
      const before = await keyedBy('s');
      await backend.ensureTables(before.tables());
      const Old = before.persistent<Record<string, unknown>>('M');
      await Old.saveMany([
        { id: 'a', s: '1', x: 'kept' },
        { id: 'a', s: '2', x: 'kept' },
      ]);
      // Without the check, a delete by `id` alone removed both rows, and a load read one.
      const M = (await keyedBy()).persistent<Record<string, unknown>>('M');
      const calls = {
        load: () => M.load('a'),
        exists: () => M.exists('a'),
        delete: () => M.delete('a'),
        query: () => M.query({ partition: 'a' }),
        scan: () => M.scan(),
        save: () => new M({ id: 'a', x: 'new' }).save(),
        update: () => M.update('a', { set: { x: 'new' } }),
        loadMany: () => M.loadMany(['a', 'b']),
        saveMany: () => M.saveMany([{ id: 'b', x: 'new' }]),
        deleteMany: () => M.deleteMany(['a']),
      };
      for (const [name, call] of Object.entries(calls)) {
        const error = await failure(call());
        expect(error, name).toBeInstanceOf(TableMismatchError);
        expect((error as TableMismatchError).differences, name).toEqual([
          'primary key: table has (id text COLLATE "C", s text COLLATE "C"), spec has (id text COLLATE "C")',
        ]);
      }
      const rows = await engine
        .sql()
        .query(`SELECT item->>'x' AS x FROM "${prefix}keyed" ORDER BY s`);
      expect(rows).toEqual([{ x: 'kept' }, { x: 'kept' }]);
      // The old spec's requests go on: the check is per table of each spec.
      expect((await Old.load({ id: 'a', s: '2' }))?.x).toBe('kept');
    });

    it('a table dropped and made again otherwise while a backend serves it (a restore, a migration tool): once a request finds it missing, the next checks the new table, a TableMismatchError, nothing deleted', async () => {
      const prefix = uniquePrefix();
      const backend = engine.backend();
      const api = await loadApi(
        specOf({ M: modelOf({ table: 'remade', key: 'id' }, { id: string, x: string }) }),
        { backend, tablePrefix: prefix },
      );
      await backend.ensureTables(api.tables());
      const M = api.persistent<Record<string, unknown>>('M');
      await new M({ id: 'a', x: 'first' }).save();
      expect((await M.load('a'))?.x).toBe('first');
      await engine.sql().query(`DROP TABLE "${prefix}remade"`);
      expect(await failure(M.load('a'))).toBeInstanceOf(TableNotFoundError);
      // Made again by hand, keyed (id, s): the spec's delete by id alone would remove both rows.
      await engine
        .sql()
        .query(
          `CREATE TABLE "${prefix}remade" (id text COLLATE "C" NOT NULL, s text COLLATE "C" NOT NULL, item jsonb NOT NULL, item_types jsonb, PRIMARY KEY (id, s))`,
        );
      await engine
        .sql()
        .query(
          `INSERT INTO "${prefix}remade" (id, s, item) VALUES ('a', '1', '{"id":"a","s":"1"}'), ('a', '2', '{"id":"a","s":"2"}')`,
        );
      for (const [name, call] of Object.entries({
        delete: () => M.delete('a'),
        load: () => M.load('a'),
        save: () => new M({ id: 'a', x: 'new' }).save(),
      })) {
        const error = await failure(call());
        expect(error, name).toBeInstanceOf(TableMismatchError);
        expect((error as TableMismatchError).differences, name).toEqual([
          'primary key: table has (id text COLLATE "C", s text COLLATE "C"), spec has (id text COLLATE "C")',
        ]);
      }
      const rows = await engine.sql().query(`SELECT s FROM "${prefix}remade" ORDER BY s`);
      expect(rows).toEqual([{ s: '1' }, { s: '2' }]);
      // A column gone from a table the backend has checked: the request that meets it fails,
      // and the next one checks the table again and says what it lacks.
      const other = await loadApi(
        specOf({ N: modelOf({ table: 'altered', key: 'id' }, { id: string, x: string }) }),
        { backend, tablePrefix: prefix },
      );
      await backend.ensureTables(other.tables());
      const N = other.persistent<Record<string, unknown>>('N');
      await new N({ id: 'a', x: 'kept' }).save();
      await engine.sql().query(`ALTER TABLE "${prefix}altered" DROP COLUMN item_types`);
      expect(await failure(N.load('a'))).toBeInstanceOf(MacaronError);
      const error = await failure(N.load('a'));
      expect(error).toBeInstanceOf(TableMismatchError);
      expect((error as TableMismatchError).differences).toEqual(['no item_types column']);
    });

    it('a request that meets its table gone forgets that table’s check only: requests on another table read no catalog again', async () => {
      const prefix = uniquePrefix();
      const inner = engine.backend().client;
      let catalogReads = 0;
      const backend = createPostgresBackend({
        client: {
          ...inner,
          query: (text, parameters) => {
            if (/pg_attribute|pg_index/.test(text)) catalogReads++;
            return inner.query(text, parameters);
          },
          transaction: (work) => inner.transaction(work),
          close: async () => {},
        },
      });
      const api = await loadApi(
        specOf({
          Gone: modelOf({ table: 'gone', key: 'id' }, { id: string }),
          Kept: modelOf({ table: 'kept', key: 'id' }, { id: string }),
        }),
        { backend, tablePrefix: prefix },
      );
      await engine.backend().ensureTables(api.tables());
      const Gone = api.persistent<Record<string, unknown>>('Gone');
      const Kept = api.persistent<Record<string, unknown>>('Kept');
      await new Gone({ id: 'a' }).save();
      await new Kept({ id: 'a' }).save();
      await engine.sql().query(`DROP TABLE "${prefix}gone"`);
      const before = catalogReads;
      for (let round = 0; round < 3; round++) {
        expect(await failure(Gone.load('a'))).toBeInstanceOf(TableNotFoundError);
        expect((await Kept.load('a'))?.id).toBe('a');
      }
      // The gone table's check is read again at each request (it is still gone); the kept one's never.
      expect(catalogReads - before).toBeLessThanOrEqual(3);
    });

    it('a hand-made table whose item column is text, or item_types not jsonb (ensureTables not run): every request is a TableMismatchError naming the column and its type; nothing read or changed', async () => {
      const prefix = uniquePrefix();
      const backend = engine.backend();
      // Served, a text column took the writes through a cast, and an update wrote this back as
      // jsonb reads it (the name given twice once, 1.50 and 1e2 as 1.5 and 100).
      const stored = '{"id":"a","x":"first","x":"second","n":1.50,"m":1e2}';
      for (const [table, columns, difference] of [
        [
          'texty',
          'item text NOT NULL, item_types jsonb',
          'column item: table has text, spec needs jsonb or json',
        ],
        [
          'typed',
          'item jsonb NOT NULL, item_types text',
          'column item_types: table has text, spec needs jsonb',
        ],
        ['untyped', 'item jsonb NOT NULL', 'no item_types column'],
      ] as const) {
        await engine
          .sql()
          .query(`CREATE TABLE "${prefix}${table}" (id text COLLATE "C" PRIMARY KEY, ${columns})`);
        await engine
          .sql()
          .query(`INSERT INTO "${prefix}${table}" (id, item) VALUES ('a', $1)`, [stored]);
        const api = await loadApi(
          specOf({ M: modelOf({ table, key: 'id' }, { id: string, x: string, n: number }) }),
          { backend, tablePrefix: prefix },
        );
        const M = api.persistent<Record<string, unknown>>('M');
        const calls = {
          load: () => M.load('a'),
          exists: () => M.exists('a'),
          scan: () => M.scan(),
          update: () => M.update('a', { set: { n: 2 } }),
          save: () => new M({ id: 'b', x: 'new' }).save(),
          saveMany: () => M.saveMany([{ id: 'b', x: 'new' }]),
          delete: () => M.delete('a'),
        };
        for (const [name, call] of Object.entries(calls)) {
          const error = await failure(call());
          expect(error, `${table} ${name}`).toBeInstanceOf(TableMismatchError);
          expect((error as TableMismatchError).differences, `${table} ${name}`).toEqual([
            difference,
          ]);
        }
        const rows = await engine
          .sql()
          .query(`SELECT id, item::text AS item FROM "${prefix}${table}"`);
        expect(rows.map((row) => [row.id, table === 'texty' ? row.item : 'jsonb'])).toEqual([
          ['a', table === 'texty' ? stored : 'jsonb'],
        ]);
      }
    });

    it('an index key whose type the spec changed (ensureTables refused): every request is a TableMismatchError, never a page of the old type', async () => {
      const prefix = uniquePrefix();
      const backend = engine.backend();
      const withIndexKey = (x: typeof string) =>
        loadApi(
          specOf({
            M: modelOf(
              { table: 'retyped', key: 'id', indexes: { byX: { key: 'x' } } },
              { id: string, x },
            ),
          }),
          { backend, tablePrefix: prefix },
        );
      const before = await withIndexKey(string);
      await backend.ensureTables(before.tables());
      await before.persistent<Record<string, unknown>>('M').create({ id: 'old', x: 'a' });
      const after = await withIndexKey(number);
      await expect(backend.ensureTables(after.tables())).rejects.toBeInstanceOf(TableMismatchError);
      const M = after.persistent<Record<string, unknown>>('M');
      const calls = {
        scan: () => M.scan({ index: 'byX' }),
        query: () => M.query({ index: 'byX', partition: 5 }),
        save: () => new M({ id: 'new', x: 5 }).save(),
        load: () => M.load('old'),
      };
      for (const [name, call] of Object.entries(calls)) {
        const error = await failure(call());
        expect(error, name).toBeInstanceOf(TableMismatchError);
        expect((error as TableMismatchError).differences.join(), name).toMatch(
          /^column .*x.*: table has text COLLATE "C", spec has numeric$/,
        );
      }
      const rows = await engine.sql().query(`SELECT item->>'id' AS id FROM "${prefix}retyped"`);
      expect(rows).toEqual([{ id: 'old' }]);
    });

    it('a table made by hand without the primary key (none, or a unique constraint instead): every request is a TableMismatchError, as ensureTables says, nothing read or changed', async () => {
      const prefix = uniquePrefix();
      const sorted = specOf({
        S: modelOf({ table: 'uniq2', key: 'id', sort: 's' }, { id: string, s: string, x: string }),
      });
      for (const [table, columns, spec, expected] of [
        [
          'none',
          'id text COLLATE "C" NOT NULL',
          tablesSpec({ none: undefined }),
          '(id text COLLATE "C")',
        ],
        [
          'uniq',
          'id text COLLATE "C" NOT NULL UNIQUE',
          tablesSpec({ uniq: undefined }),
          '(id text COLLATE "C")',
        ],
        [
          'uniq2',
          'id text COLLATE "C" NOT NULL, s text COLLATE "C" NOT NULL, UNIQUE (id, s)',
          sorted,
          '(id text COLLATE "C", s text COLLATE "C")',
        ],
      ] as const) {
        const name = `${prefix}${table}`;
        await engine
          .sql()
          .query(`CREATE TABLE "${name}" (${columns}, item jsonb NOT NULL, item_types jsonb)`);
        // Two rows of one key where nothing stops them: a load read one, a delete removed both.
        const rows =
          table === 'uniq2'
            ? [`'a', 's', '{"id":"a","s":"s","x":"kept"}'`]
            : [
                `'a', '{"id":"a","x":"kept"}'`,
                ...(table === 'none' ? [`'a', '{"id":"a","x":"twin"}'`] : []),
              ];
        await engine
          .sql()
          .query(
            `INSERT INTO "${name}" (${table === 'uniq2' ? 'id, s' : 'id'}, item) VALUES ${rows.map((row) => `(${row})`).join(', ')}`,
          );
        const backend = engine.backend();
        const api = await loadApi(spec, { backend, tablePrefix: prefix });
        const difference = `primary key: table has (), spec has ${expected}`;
        const planned = await backend.planTables(api.tables());
        expect(planned[0]?.differences).toEqual([difference]);
        const M = api.persistent<Record<string, unknown>>(table === 'uniq2' ? 'S' : 'M0');
        const key = table === 'uniq2' ? { id: 'a', s: 's' } : 'a';
        const calls = {
          load: () => M.load(key),
          delete: () => M.delete(key),
          scan: () => M.scan(),
          save: () => new M({ id: 'a', s: 's', x: 'new' }).save(),
          create: () => M.create({ id: 'b', s: 's', x: 'new' }),
        };
        for (const [call, run] of Object.entries(calls)) {
          const error = await failure(run());
          expect(error, `${table} ${call}`).toBeInstanceOf(TableMismatchError);
          expect((error as TableMismatchError).differences, `${table} ${call}`).toEqual([
            difference,
          ]);
        }
        expect(
          await engine.sql().query(`SELECT item->>'x' AS x FROM "${name}" ORDER BY 1`),
        ).toEqual(table === 'none' ? [{ x: 'kept' }, { x: 'twin' }] : [{ x: 'kept' }]);
        if (table === 'uniq') {
          // Given its primary key by hand, the table is taken at the next request.
          await engine.sql().query(`ALTER TABLE "${name}" ADD PRIMARY KEY (id)`);
          expect((await M.load('a')).x).toBe('kept');
        }
      }
    });

    it("an index key column that is not Macaron's (a team's own, or generated from another column; ensureTables not run): every request is a TableMismatchError, as planTables says; an earlier version's column is read", async () => {
      const prefix = uniquePrefix();
      const table = `${prefix}msgs`;
      const spec = specOf({
        M: modelOf(
          { table: 'msgs', key: 'pk', indexes: { byStatus: { key: 'status' } } },
          { pk: string, status: string },
        ),
      });
      const needed = 'ensureTables would drop it to make the key column of index byStatus (status)';
      const todo =
        'rename the column (ALTER TABLE … RENAME COLUMN) or drop it yourself, then run ensureTables again';
      const create = async (columns: string, insert: string) => {
        await engine.sql().query(`DROP TABLE IF EXISTS "${table}"`);
        await engine
          .sql()
          .query(
            `CREATE TABLE "${table}" (pk text COLLATE "C" NOT NULL, item jsonb NOT NULL, item_types jsonb, ${columns}, PRIMARY KEY (pk))`,
          );
        await engine.sql().query(insert);
      };
      for (const [columns, insert, difference] of [
        [
          'status text COLLATE "C"',
          `INSERT INTO "${table}" (pk, item, status) VALUES ('m1', '{"pk":"m1","status":"open"}', 'archived')`,
          `column status is not generated by Macaron and may hold data of its own: ${needed}; ${todo}`,
        ],
        [
          'other text COLLATE "C", status text COLLATE "C" GENERATED ALWAYS AS (other) STORED',
          `INSERT INTO "${table}" (pk, item, other) VALUES ('m1', '{"pk":"m1","status":"open"}', 'archived')`,
          `column status is generated from column other, not from the item alone: ${needed}; ${todo}`,
        ],
      ] as const) {
        await create(columns, insert);
        const backend = engine.backend();
        const api = await loadApi(spec, { backend, tablePrefix: prefix });
        expect((await backend.planTables(api.tables()))[0]?.differences).toEqual([difference]);
        const M = api.persistent<Record<string, unknown>>('M');
        // Without the check, 'archived' found m1 (whose status is 'open') and 'open' nothing.
        const calls = {
          queryOpen: () => M.query({ index: 'byStatus', partition: 'open' }),
          queryArchived: () => M.query({ index: 'byStatus', partition: 'archived' }),
          scanIndex: () => M.scan({ index: 'byStatus' }),
          load: () => M.load('m1'),
          save: () => new M({ pk: 'm1', status: 'closed' }).save(),
        };
        for (const [call, run] of Object.entries(calls)) {
          const error = await failure(run());
          expect(error, call).toBeInstanceOf(TableMismatchError);
          expect((error as TableMismatchError).differences, call).toEqual([difference]);
        }
        expect(
          await engine.sql().query(`SELECT item->>'status' AS status FROM "${table}"`),
        ).toEqual([{ status: 'open' }]);
      }
      // Earlier versions wrote the column themselves, under their own index: read as it is
      // until ensureTables converts it (docs/backends/postgres.md).
      await create(
        'status text COLLATE "C"',
        `INSERT INTO "${table}" (pk, item, status) VALUES ('m1', '{"pk":"m1","status":"open"}', 'open')`,
      );
      await engine
        .sql()
        .query(
          `CREATE INDEX "${table}.byStatus" ON "${table}" (status, pk) WHERE status IS NOT NULL`,
        );
      const api = await loadApi(spec, { backend: engine.backend(), tablePrefix: prefix });
      const M = api.persistent<Record<string, unknown>>('M');
      const page = await M.query({ index: 'byStatus', partition: 'open' });
      expect(page.items.map((item) => item.pk)).toEqual(['m1']);
    });

    if (engine.server) {
      const server = engine.server;

      it("an invalid index of Macaron's name and shape (a failed CREATE INDEX CONCURRENTLY left it, and no query uses it) is planned and rebuilt, never reported unchanged", async () => {
        const prefix = uniquePrefix();
        const backend = engine.backend();
        const api = await loadApi(
          specOf({
            M: modelOf(
              { table: 'cic', key: 'id', indexes: { byX: { key: 'x' } } },
              {
                id: string,
                x: string,
              },
            ),
          }),
          { backend, tablePrefix: prefix },
        );
        await backend.ensureTables(api.tables());
        const M = api.persistent<Record<string, unknown>>('M');
        await new M({ id: 'a', x: 'small' }).save();
        const table = `"${prefix}cic"`;
        const index = `"${prefix}cic:byX"`;
        await engine.sql().query(`DROP INDEX ${index}`);
        // A key past a B-tree entry's 2,704 bytes (random, so it does not compress) fails the build.
        const long = randomBytes(2400).toString('base64');
        await engine
          .sql()
          .query(`INSERT INTO ${table} (id, item) VALUES ('b', $1::text::jsonb)`, [
            JSON.stringify({ id: 'b', x: long }),
          ]);
        const built = await failure(
          engine
            .sql()
            .query(`CREATE INDEX CONCURRENTLY ${index} ON ${table} (x, id) WHERE x IS NOT NULL`),
        );
        expect(String(built)).toMatch(/index row size/);
        await engine.sql().query(`DELETE FROM ${table} WHERE id = 'b'`);
        const validity = () =>
          engine
            .sql()
            .query(
              `SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = $1::text::regclass`,
              [index],
            );
        expect(await validity()).toEqual([{ valid: false }]);
        const rebuilt = [{ table: 'cic', action: 'index-rebuilt', index: 'byX' }];
        const [plan] = await backend.planTables(api.tables());
        expect(plan?.changes.map((change) => ({ ...change, table: 'cic' }))).toEqual(rebuilt);
        const changes = await backend.ensureTables(api.tables());
        expect(changes.map((change) => ({ ...change, table: 'cic' }))).toEqual(rebuilt);
        expect(await validity()).toEqual([{ valid: true }]);
        expect((await M.query({ index: 'byX', partition: 'small' })).items).toEqual([
          { id: 'a', x: 'small' },
        ]);
      });

      it.each([['its owner'], ['a role granted reads and writes']])(
        "an index of Macaron's name that a DBA's CREATE INDEX CONCURRENTLY is building is waited for by ensureTables (run by %s), never dropped nor refused: the build ends, reads and writes go on meanwhile, and the table is unchanged",
        async (who) => {
          const prefix = uniquePrefix();
          const spec = specOf({
            M: modelOf(
              { table: 'cicwait', key: 'id', indexes: { byX: { key: 'x' } } },
              { id: string, x: string },
            ),
          });
          const owner = engine.backend();
          await owner.ensureTables((await loadApi(spec, { tablePrefix: prefix })).tables());
          const table = `"${prefix}cicwait"`;
          const index = `"${prefix}cicwait:byX"`;
          let backend = owner;
          let pool: pg.Pool | undefined;
          if (who !== 'its owner') {
            const role = `app_${uniquePrefix().replace(/\W/g, '')}`;
            await engine.sql().query(`CREATE ROLE ${role} LOGIN PASSWORD 'app'`);
            await engine.sql().query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${role}`);
            const url = new URL(server.connectionString);
            url.username = role;
            url.password = 'app';
            pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
            pool.on('error', () => undefined);
            backend = createPostgresBackend({ pool });
          }
          const api = await loadApi(spec, { backend, tablePrefix: prefix });
          const M = api.persistent<Record<string, unknown>>('M');
          await new M({ id: 'a', x: 'small' }).save();
          await engine.sql().query(`DROP INDEX ${index}`);
          // A transaction left open holds the build in its first wait, its index invalid.
          const holder = new pg.Client({ connectionString: server.connectionString });
          const builder = new pg.Client({ connectionString: server.connectionString });
          await Promise.all([holder.connect(), builder.connect()]);
          try {
            await holder.query('BEGIN');
            await holder.query(`INSERT INTO ${table} (id, item) VALUES ('h', '{"id":"h"}')`);
            const built = failure(
              builder.query(
                `CREATE INDEX CONCURRENTLY ${index} ON ${table} (x, id) WHERE x IS NOT NULL`,
              ),
            );
            const validity = () =>
              engine
                .sql()
                .query(
                  `SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1::text)`,
                  [index],
                );
            while ((await validity()).length === 0) await setTimeout(20);
            expect(await validity()).toEqual([{ valid: false }]);
            const ensured = backend.ensureTables(api.tables());
            let settled = false;
            ensured.then(
              () => {
                settled = true;
              },
              () => {
                settled = true;
              },
            );
            // ensureTables waits for a lock on the table now.
            const waiting = () =>
              engine
                .sql()
                .query(
                  `SELECT mode FROM pg_locks WHERE relation = $1::text::regclass AND NOT granted`,
                  [table],
                );
            while (!settled && (await waiting()).length === 0) await setTimeout(20);
            // Reads and writes are not queued behind it while the build runs.
            const passed = await Promise.race([
              Promise.all([M.load('a'), new M({ id: 'b', x: 'other' }).save()]).then(() => true),
              setTimeout(3000, false),
            ]);
            expect(passed).toBe(true);
            await holder.query('COMMIT');
            expect(await built).toBeUndefined();
            expect((await ensured).map((change) => ({ ...change, table: 'cicwait' }))).toEqual([
              { table: 'cicwait', action: 'unchanged' },
            ]);
            expect(await validity()).toEqual([{ valid: true }]);
            expect((await M.query({ index: 'byX', partition: 'small' })).items).toEqual([
              { id: 'a', x: 'small' },
            ]);
          } finally {
            await Promise.all([holder.end(), builder.end(), pool?.end()]);
          }
        },
      );

      it("an index whose build is in its last transaction (the table's lock let go, the index not yet marked valid) is waited for: unchanged, never dropped under it", async () => {
        const prefix = uniquePrefix();
        const backend = engine.backend();
        const api = await loadApi(
          specOf({
            M: modelOf(
              { table: 'cicend', key: 'id', indexes: { byX: { key: 'x' } } },
              { id: string, x: string },
            ),
          }),
          { backend, tablePrefix: prefix },
        );
        await backend.ensureTables(api.tables());
        const index = `"${prefix}cicend:byX"`;
        // A build lets the table's lock go, then commits the transaction that marks its index
        // valid: a session that marks it so, not yet committed, stands for that transaction.
        const marking = new pg.Client({ connectionString: server.connectionString });
        await marking.connect();
        try {
          const mark = (valid: boolean) =>
            marking.query(
              `UPDATE pg_index SET indisvalid = ${valid} WHERE indexrelid = $1::text::regclass`,
              [index],
            );
          await mark(false);
          await marking.query('BEGIN');
          await mark(true);
          const ensured = backend.ensureTables(api.tables()).then(
            (changes) => changes.map((change) => ({ ...change, table: 'cicend' })),
            (error: unknown) => error,
          );
          await setTimeout(300);
          await marking.query('COMMIT');
          // Not a BackendError (tuple concurrently updated) from a DROP INDEX under the commit.
          expect(await ensured).toEqual([{ table: 'cicend', action: 'unchanged' }]);
        } finally {
          await marking.end();
        }
      });

      it('concurrent createTables of the same tables in different orders never deadlock', async () => {
        for (let round = 0; round < 6; round++) {
          const prefix = uniquePrefix();
          const forward = await apiOf(engine.backend(), prefix, {
            aaa: 'byX',
            bbb: 'byX',
            ccc: undefined,
          });
          const backward = await apiOf(engine.backend(), prefix, {
            ccc: undefined,
            bbb: 'byX',
            aaa: 'byX',
          });
          const results = await Promise.allSettled([
            engine.backend().createTables(forward.tables()),
            engine.backend().createTables(backward.tables()),
          ]);
          expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
          const rejected = results.find((result) => result.status === 'rejected');
          expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(TableExistsError);
        }
      });

      // A backend on a pool of one session of `search_path`, in `database` (default: the server's).
      function sessionBackend(searchPath: string | undefined, database?: string) {
        const url = new URL(server.connectionString);
        if (database) url.pathname = `/${database}`;
        const pool = new pg.Pool({
          connectionString: url.toString(),
          max: 1,
          ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
        });
        pool.on('error', () => undefined);
        return { pool, backend: createPostgresBackend({ pool }) };
      }

      it('a database whose encoding does not order as UTF-8 is refused before any table is made; LATIN1 and SQL_ASCII are taken', async () => {
        const suffix = uniquePrefix().replace(/\W/g, '');
        for (const [encoding, refused] of [
          ['WIN1252', true],
          ['EUC_JP', true],
          ['LATIN1', false],
          ['SQL_ASCII', false],
        ] as const) {
          const database = `enc_${encoding.toLowerCase()}_${suffix}`;
          await engine
            .sql()
            .query(
              `CREATE DATABASE ${database} ENCODING '${encoding}' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
            );
          const { pool, backend } = sessionBackend(undefined, database);
          const api = await apiOf(backend, uniquePrefix(), { notes: 'byX' });
          for (const attempt of [
            () => backend.ensureTables(api.tables()),
            () => backend.createTables(api.tables()),
          ]) {
            const error = await failure(attempt());
            if (refused) {
              expect(error).toBeInstanceOf(UnsupportedOperationError);
              expect((error as Error).message).toContain(`encoding is ${encoding}`);
            } else expect(error).toBeUndefined();
            if (!refused) break;
          }
          const tables = await pool.query(
            `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
          );
          expect(tables.rows[0].n).toBe(refused ? 0 : 1);
          await pool.end();
          await engine.sql().query(`DROP DATABASE ${database}`);
        }
      });

      it('a LATIN1 database: a key or index key attribute whose column name it cannot hold is an InvalidRequestError from planTables, ensureTables and createTables, nothing made', async () => {
        const database = `enc_latin1_names_${uniquePrefix().replace(/\W/g, '')}`;
        await engine
          .sql()
          .query(
            `CREATE DATABASE ${database} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
          );
        const { pool, backend } = sessionBackend(undefined, database);
        try {
          for (const model of [
            modelOf({ table: 'notes', key: 'ключ' }, { ключ: string }),
            modelOf(
              { table: 'notes', key: 'id', indexes: { byAuthor: { key: 'автор' } } },
              { id: string, автор: string },
            ),
          ]) {
            const api = await loadApi(specOf({ Note: model }), {
              backend,
              tablePrefix: uniquePrefix(),
            });
            for (const attempt of [
              () => backend.planTables(api.tables()),
              () => backend.ensureTables(api.tables()),
              () => backend.createTables(api.tables()),
            ]) {
              const error = await failure(attempt());
              expect(error).toBeInstanceOf(InvalidRequestError);
              expect((error as Error).message).toContain('cannot hold');
            }
          }
          const made = await pool.query(
            `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
          );
          expect(made.rows[0].n).toBe(0);
          // Names within Latin-1 make the table; an item with a name beyond it is refused.
          const latin = await loadApi(
            specOf({ Note: modelOf({ table: 'notes', key: 'id' }, { id: string }) }),
            { backend, tablePrefix: uniquePrefix() },
          );
          await backend.ensureTables(latin.tables());
          const Note = latin.persistent<Record<string, unknown>>('Note');
          const refused = await failure(Note.create({ id: 'a', заметка: 'x' }));
          expect(refused).toBeInstanceOf(InvalidRequestError);
          expect(refused).toMatchObject({ status: 400 });
          expect(await Note.exists('a')).toBe(false);
          // A key it cannot hold, in a read by key and in the locked read of a create: the
          // request's character (22P05), never taken for a stored item it cannot read.
          for (const request of [Note.load('€'), Note.create({ id: '€' })])
            expect(await failure(request)).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
        } finally {
          await pool.end();
          await engine.sql().query(`DROP DATABASE ${database}`);
        }
      });

      it('a search_path whose first schema lacks the tables another one holds: ensureTables refuses to hide them', async () => {
        const prefix = uniquePrefix();
        const schema = `shadow_${prefix.replace(/\W/g, '')}`;
        const api = await apiOf(engine.backend(), prefix, { notes: undefined });
        await engine.backend().ensureTables(api.tables());
        await engine.sql().query(`CREATE SCHEMA ${schema}`);
        const { pool, backend } = sessionBackend(`${schema},public`);
        for (const attempt of [
          () => backend.ensureTables(api.tables()),
          () => backend.createTables(api.tables()),
        ]) {
          const error = await failure(attempt());
          expect(error).toBeInstanceOf(TableMismatchError);
          expect((error as TableMismatchError).differences[0]).toContain(
            'a relation of that name is in schema public',
          );
        }
        const shadows = await pool.query(
          `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1`,
          [schema],
        );
        expect(shadows.rows[0].n).toBe(0);
        await pool.end();
        await engine.sql().query(`DROP SCHEMA ${schema}`);
      });

      it('a pool whose search_path is a schema of the service: its tables are made, read and written there, apart from the same names in public', async () => {
        const prefix = uniquePrefix();
        const schema = `service_${prefix.replace(/\W/g, '')}`;
        await engine.sql().query(`CREATE SCHEMA ${schema}`);
        const { pool, backend } = sessionBackend(schema);
        const api = await apiOf(backend, prefix, { notes: 'byX' });
        const elsewhere = await apiOf(engine.backend(), prefix, { notes: 'byX' });
        for (const [tables, made] of [
          [api, backend],
          [api, backend],
          [elsewhere, engine.backend()],
        ] as const)
          await made.ensureTables(tables.tables());
        await api.persistent<Record<string, unknown>>('M0').create({ id: '1', x: 'service' });
        await elsewhere.persistent<Record<string, unknown>>('M0').create({ id: '1', x: 'public' });
        const byX = await api
          .persistent<Record<string, unknown>>('M0')
          .query({ index: 'byX', partition: 'service' });
        expect(byX.items.map((item) => item.id)).toEqual(['1']);
        const stored = await engine
          .sql()
          .query(`SELECT item->>'x' AS x FROM ${schema}."${prefix}notes"`);
        expect(stored).toEqual([{ x: 'service' }]);
        await backend.deleteTables(api.tables());
        expect((await elsewhere.persistent<Record<string, unknown>>('M0').load('1')).x).toBe(
          'public',
        );
        await pool.end();
        await engine.sql().query(`DROP SCHEMA ${schema}`);
      });

      it('a search_path listing pg_temp first: ensureTables and createTables refuse to make temporary tables, whether the session has a temporary schema yet or not', async () => {
        for (const [attempt, sessionHasTemporarySchema] of [
          ['ensureTables', false],
          ['ensureTables', true],
          ['createTables', false],
          ['createTables', true],
        ] as const) {
          const { pool, backend } = sessionBackend('pg_temp,public');
          if (sessionHasTemporarySchema) await pool.query('CREATE TEMP TABLE scratch (n int)');
          const api = await apiOf(backend, uniquePrefix(), { notes: undefined });
          const error = await failure(backend[attempt](api.tables()));
          expect(error, `${attempt} ${sessionHasTemporarySchema}`).toBeInstanceOf(
            UnsupportedOperationError,
          );
          expect((error as Error).message).toContain('would vanish with the connection');
          const temporary = await pool.query(
            `SELECT count(*)::int AS n FROM pg_class WHERE relpersistence = 't' AND relname <> 'scratch'`,
          );
          expect(temporary.rows[0].n).toBe(0);
          await pool.end();
        }
      });

      it('a search_path naming no schema: planTables, ensureTables and createTables say there is no schema to make the tables in; nothing is made', async () => {
        const { pool, backend } = sessionBackend('no_such_schema');
        const prefix = uniquePrefix();
        const api = await apiOf(backend, prefix, { notes: 'byX' });
        for (const attempt of [
          () => backend.planTables(api.tables()),
          () => backend.ensureTables(api.tables()),
          () => backend.createTables(api.tables()),
        ]) {
          const error = await failure(attempt());
          expect(error).toBeInstanceOf(UnsupportedOperationError);
          expect((error as Error).message).toContain('no schema to make table');
        }
        const made = await engine
          .sql()
          .query(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE $1`, [`${prefix}%`]);
        expect(made[0]!.n).toBe(0);
        await pool.end();
      });

      // LATIN1's bytes are the first 256 code points, in their order: UTF-8's byte order for
      // the characters it holds. Names are always quoted: PostgreSQL folds no case of theirs
      // (an unquoted name's Latin-1 capitals it would fold, under a Latin-1 LC_CTYPE).
      it('a LATIN1 database: string keys come in UTF-8 byte order, by index too, and attribute names with Latin-1 capitals are columns as written', async () => {
        const database = `enc_latin1_order_${uniquePrefix().replace(/\W/g, '')}`;
        await engine
          .sql()
          .query(
            `CREATE DATABASE ${database} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
          );
        const { pool, backend } = sessionBackend(undefined, database);
        try {
          const api = await loadApi(
            specOf({
              Note: modelOf(
                {
                  table: 'Elan',
                  key: 'Clé',
                  sort: 'Ordre',
                  indexes: { parEtat: { key: 'État', sort: 'Ordre' } },
                },
                { Clé: string, Ordre: string, État: string },
              ),
            }),
            { backend, tablePrefix: uniquePrefix() },
          );
          await backend.ensureTables(api.tables());
          const Note = api.persistent<Record<string, unknown>>('Note');
          const sorts = ['z', 'ÿ', 'a', 'é', '\u0080', 'Z', 'É', ' ', 'ä'];
          for (const Ordre of sorts) await Note.create({ Clé: 'p', Ordre, État: 'x' });
          const byUtf8 = [...sorts].sort((left, right) =>
            Buffer.compare(Buffer.from(left), Buffer.from(right)),
          );
          const page = await Note.query({ partition: 'p' });
          expect(page.items.map((item) => item.Ordre)).toEqual(byUtf8);
          const byIndex = await Note.query({ index: 'parEtat', partition: 'x' });
          expect(byIndex.items.map((item) => item.Ordre)).toEqual(byUtf8);
          const ranged = await Note.query({ partition: 'p', sort: { between: ['a', 'é'] } });
          expect(ranged.items.map((item) => item.Ordre)).toEqual(
            byUtf8.filter(
              (sort) =>
                Buffer.compare(Buffer.from(sort), Buffer.from('a')) >= 0 &&
                Buffer.compare(Buffer.from(sort), Buffer.from('é')) <= 0,
            ),
          );
          const columns = await pool.query(
            `SELECT attname::text AS name FROM pg_attribute WHERE attrelid = (SELECT oid FROM pg_class WHERE relname LIKE '%Elan') AND attnum > 0 ORDER BY attnum`,
          );
          expect(columns.rows.map((row) => row.name)).toEqual(
            expect.arrayContaining(['Clé', 'Ordre', 'État']),
          );
        } finally {
          await pool.end();
          await engine.sql().query(`DROP DATABASE ${database}`);
        }
      });

      // As a superuser (this server's role): planTables promised pg_catalog's table, which
      // ensureTables could not make, and information_schema's was made, which pg_dump leaves out.
      it.each(['pg_catalog', 'no_such_schema, pg_catalog', 'information_schema'])(
        'a search_path whose first usable schema is a system one (%s): planTables, ensureTables and createTables refuse it, naming it; nothing is made',
        async (searchPath) => {
          const { pool, backend } = sessionBackend(searchPath.replace(' ', ''));
          const prefix = uniquePrefix();
          const api = await apiOf(backend, prefix, { notes: 'byX' });
          const schema = searchPath.split(' ').at(-1);
          for (const attempt of [
            () => backend.planTables(api.tables()),
            () => backend.ensureTables(api.tables()),
            () => backend.createTables(api.tables()),
          ]) {
            const error = await failure(attempt());
            expect(error).toBeInstanceOf(UnsupportedOperationError);
            expect((error as Error).message).toContain(
              `the current schema is ${schema}, a system schema`,
            );
          }
          const made = await engine
            .sql()
            .query(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE $1`, [`${prefix}%`]);
          expect(made[0]!.n).toBe(0);
          await pool.end();
        },
      );

      // LIKE 'pg_%' took any character after pg: pgbench was refused as a system schema.
      it('a schema of its own whose name starts with pg, not pg_ (pgbench…): not refused as a system schema', async () => {
        const schema = `pgbench${uniquePrefix().replace(/\W/g, '')}`;
        await engine.sql().query(`CREATE SCHEMA ${schema}`);
        const pool = new pg.Pool({
          connectionString: server.connectionString,
          max: 1,
          options: `-c search_path=${schema}`,
        });
        pool.on('error', () => undefined);
        const backend = createPostgresBackend({ pool });
        const api = await apiOf(backend, uniquePrefix(), { notes: 'byX' });
        expect(await backend.ensureTables(api.tables())).toEqual(
          expect.arrayContaining([expect.objectContaining({ action: 'created' })]),
        );
        await pool.end();
        await engine.sql().query(`DROP SCHEMA ${schema} CASCADE`);
      });

      it('a role that may not create in its schema (PostgreSQL 15 public for others than its owner): planTables, ensureTables and createTables are AccessDeniedErrors naming the schema; nothing is made', async () => {
        const suffix = uniquePrefix().replace(/\W/g, '');
        const schema = `locked_${suffix}`;
        const role = `app_${suffix}`;
        await engine.sql().query(`CREATE SCHEMA ${schema}`);
        await engine.sql().query(`CREATE ROLE ${role} LOGIN PASSWORD 'app'`);
        await engine.sql().query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
        const url = new URL(server.connectionString);
        url.username = role;
        url.password = 'app';
        const pool = new pg.Pool({
          connectionString: url.toString(),
          max: 1,
          options: `-c search_path=${schema}`,
        });
        pool.on('error', () => undefined);
        const backend = createPostgresBackend({ pool });
        const api = await apiOf(backend, uniquePrefix(), { notes: 'byX' });
        for (const attempt of [
          () => backend.planTables(api.tables()),
          () => backend.ensureTables(api.tables()),
          () => backend.createTables(api.tables()),
        ]) {
          const error = await failure(attempt());
          expect(error).toBeInstanceOf(AccessDeniedError);
          expect((error as Error).message).toContain(`in schema ${schema}`);
        }
        const made = await engine
          .sql()
          .query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1`, [schema]);
        expect(made[0]!.n).toBe(0);
        await pool.end();
        await engine.sql().query(`DROP SCHEMA ${schema}`);
        await engine.sql().query(`DROP ROLE ${role}`);
      });

      it('a schema named with a line break and a bidi control: the AccessDeniedError shows its name escaped', async () => {
        const suffix = uniquePrefix().replace(/\W/g, '');
        const schema = `locked\u2028\u202e${suffix}`;
        const role = `app_${suffix}`;
        await engine.sql().query(`CREATE SCHEMA "${schema}"`);
        await engine.sql().query(`CREATE ROLE ${role} LOGIN PASSWORD 'app'`);
        await engine.sql().query(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}`);
        await engine.sql().query(`ALTER ROLE ${role} SET search_path TO "${schema}"`);
        const url = new URL(server.connectionString);
        url.username = role;
        url.password = 'app';
        const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
        pool.on('error', () => undefined);
        const backend = createPostgresBackend({ pool });
        const api = await apiOf(backend, uniquePrefix(), { notes: 'byX' });
        const error = await failure(backend.ensureTables(api.tables()));
        expect(error).toBeInstanceOf(AccessDeniedError);
        expect((error as Error).message).toContain(`in schema "locked\\u2028\\u202e${suffix}"`);
        expect((error as Error).message).not.toMatch(/[\u2028\u202e]/);
        await pool.end();
        await engine.sql().query(`DROP SCHEMA "${schema}"`);
        await engine.sql().query(`DROP ROLE ${role}`);
      });

      it("a role that reads and writes a table it does not own (a DBA's migration made it, PostgreSQL naming its primary key): ensureTables of its spec passes, renaming nothing; a change it would need is an AccessDeniedError from planTables and ensureTables, nothing changed", async () => {
        const suffix = uniquePrefix().replace(/\W/g, '');
        const schema = `dml_${suffix}`;
        const role = `app_${suffix}`;
        const prefix = uniquePrefix();
        const table = `${prefix}notes`;
        await engine.sql().query(`CREATE SCHEMA ${schema}`);
        await engine
          .sql()
          .query(
            `CREATE TABLE ${schema}."${table}" (id text COLLATE "C" NOT NULL, item jsonb NOT NULL, item_types jsonb, PRIMARY KEY (id))`,
          );
        await engine.sql().query(`CREATE ROLE ${role} LOGIN PASSWORD 'app'`);
        await engine.sql().query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
        await engine
          .sql()
          .query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}."${table}" TO ${role}`);
        const url = new URL(server.connectionString);
        url.username = role;
        url.password = 'app';
        const pool = new pg.Pool({
          connectionString: url.toString(),
          max: 1,
          options: `-c search_path=${schema}`,
        });
        pool.on('error', () => undefined);
        const backend = createPostgresBackend({ pool });
        const constraint = async () =>
          (
            await engine
              .sql()
              .query(
                `SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::text::regclass AND contype = 'p'`,
                [`${schema}."${table}"`],
              )
          )[0]!.name;
        const api = await apiOf(backend, prefix, { notes: undefined });
        expect(await backend.planTables(api.tables())).toEqual([
          { table, changes: [{ table, action: 'unchanged' }], differences: [] },
        ]);
        expect(await backend.ensureTables(api.tables())).toEqual([{ table, action: 'unchanged' }]);
        expect(await constraint()).toBe(`${table}_pkey`);
        await api.persistent<Record<string, unknown>>('M0').create({ id: '1', x: 'a' });
        const indexed = await apiOf(backend, prefix, { notes: 'byX' });
        for (const attempt of [
          () => backend.planTables(indexed.tables()),
          () => backend.ensureTables(indexed.tables()),
        ]) {
          const error = await failure(attempt());
          expect(error).toBeInstanceOf(AccessDeniedError);
          expect((error as Error).message).toContain(`does not own table ${table}`);
        }
        const columns = await engine
          .sql()
          .query(
            `SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped`,
            [`${schema}."${table}"`],
          );
        expect(columns[0]!.n).toBe(3);
        await pool.end();
        await engine.sql().query(`DROP SCHEMA ${schema} CASCADE`);
        await engine.sql().query(`DROP ROLE ${role}`);
      });

      it('a failure to connect says why, without the password', async () => {
        const url = new URL(server.connectionString);
        const password = 'not-the-password-4711';
        url.password = password;
        const wrong = server.createBackend(url.toString());
        const api = await apiOf(wrong, uniquePrefix(), { aaa: undefined });
        for (const attempt of [
          () => wrong.ensureTables(api.tables()),
          () => wrong.createTables(api.tables()),
        ]) {
          const error = (await failure(attempt())) as Error;
          // The server refused the credentials: no retry mends a wrong password.
          expect(error).toMatchObject({ code: 'ACCESS_DENIED', status: 500 });
          expect(error.message).toContain('password authentication failed for user "postgres"');
          expect(error.message).not.toContain(password);
        }
        // Nothing was sent: a batch is refused whole, no entry left unconfirmed.
        const batch = await failure(
          api.persistent<Record<string, unknown>>('M0').saveMany([{ id: 'a' }, { id: 'b' }]),
        );
        expect(batch).toMatchObject({ code: 'ACCESS_DENIED' });
        await wrong.client.close();
        // A database that does not exist: none of its tables does, and nothing was sent.
        const elsewhere = new URL(server.connectionString);
        elsewhere.pathname = '/no_such_database';
        const missing = server.createBackend(elsewhere.toString());
        const missingApi = await apiOf(missing, uniquePrefix(), { aaa: undefined });
        for (const attempt of [
          () => missing.ensureTables(missingApi.tables()),
          () =>
            missingApi
              .persistent<Record<string, unknown>>('M0')
              .saveMany([{ id: 'a' }, { id: 'b' }]),
        ])
          expect(await failure(attempt())).toMatchObject({ code: 'TABLE_NOT_FOUND' });
        await missing.client.close();
        url.password = new URL(server.connectionString).password;
        url.port = '1';
        const down = server.createBackend(url.toString());
        const error = (await failure(down.ensureTables(api.tables()))) as Error;
        expect(error).toMatchObject({ code: 'UNREACHABLE', status: 503 });
        expect(error.message).toMatch(/ECONNREFUSED/);
        await down.client.close();
      });
    }
  });
}
