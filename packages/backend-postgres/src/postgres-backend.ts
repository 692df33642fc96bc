import {
  BackendError,
  type Condition,
  formatKey,
  type IndexDescriptor,
  InvalidRequestError,
  type ItemKey,
  MacaronError,
  type ModelDescriptor,
  type StorageBackend,
  type StoredItem,
  type StoredValue,
  type TableDescriptor,
  TableMismatchError,
  ThrottledError,
  TransactionCanceledError,
  type TransactionCancelReason,
  UnreachableError,
} from '@macaron/core';
import {
  type BackendCapabilities,
  type BatchGetEntry,
  type BatchGetResult,
  type BatchWriteEntry,
  type BatchWriteResult,
  backendContractVersion,
  checkBatchGetRequest,
  checkBatchWriteRequest,
  checkDeleteRequest,
  checkGetRequest,
  checkItemKey,
  checkJsonItemToWrite,
  checkQueryRequest,
  checkRequestCondition,
  checkRequestModel,
  checkScanRequest,
  checkTransactionActions,
  checkTransactionRequest,
  checkUpdatePaths,
  cloneItem,
  cloneItemToWrite,
  cloneValue,
  copyCheckedOperations,
  type DeleteItemRequest,
  evaluateCondition,
  type GetItemRequest,
  indexRead,
  keyOfItem,
  type Page,
  type PutItemRequest,
  type QueryRequest,
  quotedName,
  type ScanRequest,
  shownName,
  shownText,
  type TransactionAction,
  type UpdateItemRequest,
  updatedItem,
  withOverrides,
} from '@macaron/core/backend';
import type { PoolConfig } from 'pg';
import { checkBackendOptions } from './backend-options.js';
import { pageReader } from './client/index-ordered-pages.js';
import { createNodePostgresClient, type NodePostgresPool } from './client/node-postgres-client.js';
import { createOwnedPoolClient } from './client/owned-pool-client.js';
import { createPGliteClient, type PGliteDatabase } from './client/pglite-client.js';
import {
  reportsCommitOutcome,
  type SqlClient,
  type SqlExecutor,
  type SqlRow,
} from './client/sql-client.js';
import { inTransaction } from './client/transaction-work.js';
import {
  appliedNothingOnLostConnection,
  ranAgainAfter,
  runsAfterLostConnection,
} from './errors/lost-connection-retry.js';
import { whyNoTable } from './errors/no-schema-for-tables.js';
import {
  type Exposure,
  indexMissing,
  isRetryable,
  itemColumnRetyped,
  sqlState,
  toMacaronError,
  transactionConflict,
} from './errors/postgres-errors.js';
import {
  compareIds,
  groupByTable,
  holdsKeyValue,
  inconsistentRow,
  keyId,
  storedKeyId,
} from './keys/key-ids.js';
import { olderServerOr } from './provision/database-fitness.js';
import { KeyFit } from './provision/key-fit.js';
import {
  createTables,
  deleteTables,
  ensureTables,
  type ProvisionChange,
  planTables,
  type TablePlan,
} from './provision/provision-tables.js';
import { describeTable, type TableCatalog } from './provision/table-catalog.js';
import {
  beyondLatin1,
  itemReads,
  keyInText,
  namedUncast,
  readingItems,
  uncastError,
  uncastItems,
  unnamedRow,
  unnamedRows,
  unreadableRows,
} from './reads/unreadable-items.js';
import { quoteIdentifier } from './sql/identifiers.js';
import { keyLocks } from './sql/key-locks.js';
import {
  firstUnfitRowSql,
  keyHeld,
  lastKeyOf,
  type PageQuery,
  partitionQuery,
  scanQuery,
  unfitRowsSql,
} from './sql/page-query.js';
import { SchemaTables } from './sql/schema-tables.js';
import { type IndexLayout, itemColumn, tableLayout, typesColumn } from './sql/table-layout.js';
import {
  type CountedWrite,
  itemSelection,
  paddedItems,
  paddedKeys,
  selectItemOrStored,
  selectItemsAsOneRow,
  type TableStatements,
} from './sql/table-statements.js';
import {
  decodeItem,
  decodeItemPage,
  rowUnfitness,
  type StoredTexts,
} from './values/decode-item.js';
import {
  keyAndDiscriminator,
  keyedStandIn,
  otherModelsRow,
} from './values/key-and-discriminator.js';
import { checkCondition, LockedRow } from './writes/locked-row.js';
import {
  deletedOrGone,
  deleteLocked,
  readAfterWrite,
  rowsWritten,
  rowsWrittenAsGiven,
  storedOrUnstored,
  storedRows,
  WriteAltered,
  WriteSkipped,
} from './writes/written-rows.js';

/** How to reach PostgreSQL: exactly one of these. */
export type PostgresConnection =
  /** A node-postgres pool of yours: the backend borrows connections, `close()` leaves it open. */
  | { pool: NodePostgresPool }
  /**
   * A connection string: the backend creates (and `close()` ends) a node-postgres pool, which
   * gives up connecting after 10 s.
   */
  | { connectionString: string; poolSize?: number | undefined }
  /** node-postgres pool options: the backend creates (and `close()` ends) the pool. */
  | { connection: PoolConfig }
  /** A PGlite database (PostgreSQL in this process): `close()` leaves it open. */
  | { pglite: PGliteDatabase }
  /** Any client adapted to `SqlClient`. */
  | { client: SqlClient };

/** Options of `createPostgresBackend`. */
export type PostgresBackendOptions = PostgresConnection & {
  /** Overrides of the declared capabilities (e.g. smaller batches to exercise chunking). */
  capabilities?: Partial<BackendCapabilities> | undefined;
  /**
   * Attempts of a request that meets a deadlock, a serialization failure, a lock timeout or
   * a concurrent insert of the same key, before it fails (`ThrottledError`, or a
   * `TransactionCanceledError` with `TRANSACTION_CONFLICT`); 8 by default.
   */
  maxAttempts?: number | undefined;
};

/** The PostgreSQL backend, with its provisioning. */
export interface PostgresBackend extends StorageBackend {
  /** The SQL client the backend runs on. */
  readonly client: SqlClient;
  /** Creates the tables (and their indexes), or throws `TableExistsError` if any exists. */
  createTables(tables: readonly TableDescriptor[]): Promise<ProvisionChange[]>;
  /**
   * Creates missing tables, adds missing index columns and indexes; refuses key changes
   * (`TableMismatchError`, before any table is changed). Returns what it changed, table by
   * table (`unchanged` for a table it left as it was).
   */
  ensureTables(tables: readonly TableDescriptor[]): Promise<ProvisionChange[]>;
  /** What `ensureTables` would do, table by table, read from the catalog; changes nothing. */
  planTables(tables: readonly TableDescriptor[]): Promise<TablePlan[]>;
  /** Drops the tables that exist (their data with them). */
  deleteTables(tables: readonly TableDescriptor[]): Promise<ProvisionChange[]>;
  /** Ends the pool the backend created; leaves a pool or PGlite database you gave open. */
  close(): Promise<void>;
}

/** The most item bytes (by the item size limit) a page read as one aggregated row may hold. */
const maxAggregatedPageBytes = 100 * 400 * 1024;

/** DynamoDB's limits, kept so that code and data move between backends unchanged. */
export const postgresCapabilities: BackendCapabilities = {
  transactions: true,
  ttl: false,
  maxBatchGet: 100,
  maxBatchWrite: 25,
  maxTransactionActions: 100,
  maxItemBytes: 400 * 1024,
  // A page without a limit is the whole partition here: walks read 100 items at a time, a page
  // the backend reads as one aggregated row (see `readsAsOneRow`).
  walkPageLimit: 100,
};

/**
 * Creates the PostgreSQL backend: one SQL table per `x-persist` table, typed key columns,
 * the item as JSON. Give it a node-postgres `pool` (or connection options) or a `pglite`
 * database.
 */
export function createPostgresBackend(options: PostgresBackendOptions): PostgresBackend {
  checkBackendOptions(options);
  return new PostgresStorageBackend(
    sqlClientOf(options),
    withOverrides(postgresCapabilities, options.capabilities),
    options.maxAttempts ?? 8,
  );
}

function sqlClientOf(options: PostgresConnection): SqlClient {
  // The one connection option given: another set to undefined is absent (`pool: config.pool`).
  const given = options as {
    [K in keyof UnionKeys]?: UnionKeys[K] | undefined;
  };
  if (given.client !== undefined) return given.client;
  if (given.pglite !== undefined) return createPGliteClient(given.pglite, false);
  if (given.pool !== undefined) return createNodePostgresClient(given.pool, false);
  if (given.connectionString !== undefined)
    return createOwnedPoolClient(
      // node-postgres would wait for a connection forever (a server that accepts and never answers).
      {
        connectionString: given.connectionString,
        max: given.poolSize ?? 10,
        connectionTimeoutMillis: 10_000,
      },
      'createPostgresBackend({ connectionString })',
    );
  return createOwnedPoolClient(given.connection!, 'createPostgresBackend({ connection })');
}

// Every member of every way to connect, each optional.
type UnionKeys = {
  client: SqlClient;
  pglite: PGliteDatabase;
  pool: NodePostgresPool;
  connectionString: string;
  poolSize: number;
  connection: PoolConfig;
};

/** What a read-modify-write decides for the stored item. */
type Decision = { put: StoredItem } | { delete: true } | undefined;

/**
 * Another writer inserted the key between our read and our insert: run the request again.
 * `unseen`: no row under the key could be read even right after the insert found it taken (a
 * trigger that skips inserts, or a row-level security policy that hides the row, does that
 * every time; a racing writer that deleted its row again, only now and then).
 */
class KeyRace extends Error {
  constructor(readonly unseen: boolean) {
    super('key race');
  }
}

/**
 * A row locked by key whose item PostgreSQL could not cast to jsonb (see `unreadableItem`),
 * which aborted the transaction: it runs again, locking that row as its column holds it
 * (`rows`, the request's own), so that what needs no more than presence, or than the key and
 * discriminator, is decided as for any row that cannot be read exactly.
 */
class UncastRow extends Error {
  constructor(
    readonly id: string,
    readonly failure: unknown,
    readonly rows: Map<string, BackendError>,
  ) {
    super('uncast row');
  }
}

class PostgresStorageBackend implements PostgresBackend {
  readonly name = 'postgres';
  readonly contractVersion = backendContractVersion;

  // Set by the first close(): later calls wait for it, requests fail with a clear error.
  private closing: Promise<void> | undefined;
  private readonly keyFit = new KeyFit();
  // The schema of the tables, and the statements that name it (see `SchemaTables`).
  private readonly tables = new SchemaTables();
  // What query and scan pages are read through (see `pageReader`).
  private readonly pages: SqlExecutor;
  // Whether a transaction that lost its connection before COMMIT may run again (see
  // `reportsCommitOutcome`).
  private readonly commitsReported: boolean;

  constructor(
    readonly client: SqlClient,
    readonly capabilities: BackendCapabilities,
    private readonly maxAttempts: number,
  ) {
    this.pages = pageReader(client);
    this.commitsReported = reportsCommitOutcome(client);
  }

  async getItem(request: GetItemRequest): Promise<StoredItem | undefined> {
    const taken = checkGetRequest(request);
    const finding = this.schemaFound('GetItem', taken.model.table);
    if (finding) await finding;
    const statements = this.tables.statements(taken.model.table);
    // What is read after the round trip is taken now (see `takenNow`).
    const key = takenNow(taken.key);
    const attributes = taken.attributes && [...taken.attributes];
    const parameters = statements.keyParameters(key);
    const table = taken.model.table;
    let rows: SqlRow[];
    let uncast: BackendError | undefined;
    try {
      rows = await this.run('GetItem', 'read', table, () =>
        readingItems(
          this.client.query(statements.reads(this.storedItem(table)).select, parameters),
          parameters,
          table,
          key,
        ),
      );
    } catch (error) {
      if (!uncastItems.has(error as object)) throw error;
      // The row's item is one PostgreSQL cannot cast to jsonb: read as its column holds it,
      // for what can be told without it (its key, and another model's discriminator).
      uncast = error as BackendError;
      // Its own failure, when it fails, is the call's: what the row is cannot then be told.
      rows = await this.run('GetItem', 'read', table, () =>
        this.client.query(statements.selectStored, parameters),
      );
    }
    const row = rows[0];
    if (!row) return undefined;
    let item: StoredItem;
    try {
      if (uncast) throw uncast;
      item = this.decodeAt(row, table, key);
    } catch (error) {
      // Another model's item this model cannot read exactly: its key and discriminator alone,
      // which core sets aside as another model's, so it fails nothing.
      const { model } = taken;
      const known = error instanceof BackendError && keyAndDiscriminator(row, model.table, key);
      if (!known) throw error;
      const discriminator = model.table.discriminatorAttribute;
      const name = discriminator ? ownValue(known, discriminator) : undefined;
      if (model.discriminatorValue !== undefined && name !== model.discriminatorValue) return known;
      // Only what is exact asked for (`exists` asks for the key and the discriminator).
      const exact = [model.table.partitionKey.name, model.table.sortKey?.name, discriminator];
      if (attributes?.every((attribute) => exact.includes(attribute)))
        return projectedItem(known, attributes);
      throw error;
    }
    return attributes ? projectedItem(item, attributes) : item;
  }

  async putItem(request: PutItemRequest): Promise<void> {
    const taken = checkRequestModel(request, 'putItem');
    // What DynamoDB would refuse, refused before anything is sent. The item is copied in the
    // same walk as its check, now, and the copy written: the caller may change it before the
    // write is sent, or between retries, and a getter read again could answer another value.
    const { table } = taken.model;
    const item = cloneItemToWrite(taken.item, table, 'putItem', this.capabilities.maxItemBytes);
    // An item of JSON's values alone is then encoded without another walk.
    const jsonAlone = !taken.condition && isJsonItem(item, table);
    const checkedCondition = checkRequestCondition(taken.condition, 'putItem condition');
    const finding = this.schemaFound('PutItem', table);
    if (finding) await finding;
    const statements = this.tables.statements(table);
    if (!taken.condition) {
      const parameters = statements.writeParameters(item, jsonAlone);
      // One step after the statement when it wrote its row: the common case.
      await this.run('PutItem', 'statement', table, () =>
        rowsWritten(this.client, this.keyFit.writes(statements).countedUpsert, parameters).then(
          (written) =>
            written > 0
              ? undefined
              : readAfterWrite('PutItem', () =>
                  this.client.query(statements.unstoredOf(1), parameters),
                ).then(storedOrUnstored),
        ),
      );
      return;
    }
    const condition = takenNow(checkedCondition);
    const key = keyOfItem(taken.model, item);
    const uncast = new Map<string, BackendError>();
    await this.run('PutItem', 'transaction', table, () =>
      inTransaction(this.client, (transaction) =>
        this.readModifyWrite(
          transaction,
          statements,
          key,
          (row) => {
            checkCondition(condition, row);
            return { put: item };
          },
          uncast,
        ),
      ),
    );
  }

  async deleteItem(request: DeleteItemRequest): Promise<StoredItem | undefined> {
    const taken = checkDeleteRequest(request);
    const checkedCondition = checkRequestCondition(taken.condition, 'deleteItem condition');
    const finding = this.schemaFound('DeleteItem', taken.model.table);
    if (finding) await finding;
    const statements = this.tables.statements(taken.model.table);
    const key = takenNow(taken.key);
    if (!taken.condition && taken.answer === 'presence') {
      // One statement, and nothing to read back: an item no one can read is still deleted.
      const parameters = statements.keyParameters(key);
      const deleted = await this.run('DeleteItem', 'statement', taken.model.table, () =>
        rowsWritten(this.client, statements.countedDelete, parameters).then((count) =>
          deletedOrGone(this.client, statements, parameters, count),
        ),
      );
      return deleted > 0 ? key : undefined;
    }
    if (!taken.condition) {
      // The old item is read before COMMIT: one that cannot be read fails the delete, which
      // then changes nothing.
      return this.run('DeleteItem', 'transaction', taken.model.table, () =>
        inTransaction(this.client, async (transaction) => {
          const parameters = statements.keyParameters(key);
          const rows = await readingItems(
            transaction.query(
              statements.reads(this.storedItem(taken.model.table)).delete,
              parameters,
            ),
            parameters,
            taken.model.table,
            key,
          );
          await deletedOrGone(transaction, statements, parameters, rows.length);
          return rows[0] && this.decodeAt(rows[0], taken.model.table, key);
        }),
      );
    }
    const condition = takenNow(checkedCondition);
    const uncast = new Map<string, BackendError>();
    return this.run('DeleteItem', 'transaction', taken.model.table, () =>
      inTransaction(this.client, async (transaction) => {
        const row = await this.readModifyWrite(
          transaction,
          statements,
          key,
          (locked) => {
            checkCondition(condition, locked);
            return { delete: true };
          },
          uncast,
        );
        // Read before COMMIT, when asked for: an old item that cannot be read changes nothing.
        if (taken.answer === 'presence') return row.present ? key : undefined;
        return row.item();
      }),
    );
  }

  async updateItem(request: UpdateItemRequest): Promise<StoredItem> {
    // The update expression is checked before the condition is evaluated, as DynamoDB does.
    const taken = checkRequestModel(request, 'updateItem');
    const checkedKey = checkItemKey(taken.model.table, taken.key, 'updateItem');
    // Checked as they read now, and copied with their values (run after a round trip), once.
    const operations = copyCheckedOperations(
      checkUpdatePaths(
        taken.operations,
        checkedKey,
        taken.model.table,
        this.capabilities.maxItemBytes,
      ),
    );
    const checkedCondition = checkRequestCondition(taken.condition, 'updateItem condition');
    const finding = this.schemaFound('UpdateItem', taken.model.table);
    if (finding) await finding;
    const statements = this.tables.statements(taken.model.table);
    const key = takenNow(checkedKey);
    const condition = takenNow(checkedCondition);
    let updated: StoredItem | undefined;
    const uncast = new Map<string, BackendError>();
    await this.run('UpdateItem', 'transaction', taken.model.table, () =>
      inTransaction(this.client, (transaction) =>
        this.readModifyWrite(
          transaction,
          statements,
          key,
          (row) => {
            checkCondition(condition, row);
            updated = updatedItem(row.item(), key, operations, this.capabilities.maxItemBytes);
            return { put: updated };
          },
          uncast,
        ),
      ),
    );
    return cloneItem(updated!);
  }

  async query(request: QueryRequest): Promise<Page> {
    // Read once: the index is found by the name the request is then checked with.
    const given = checkRequestModel(request, 'query');
    const index = this.index(given.model, given.index);
    const taken = checkQueryRequest(given, index?.descriptor);
    const finding = this.schemaFound('Query', taken.model.table);
    if (finding) await finding;
    const layout = this.tables.layout(taken.model.table);
    const aggregated = this.readsAsOneRow(taken.limit);
    const chosen = this.pageSql('Query', taken.model.table, (storedItem) =>
      partitionQuery(layout, index, taken, aggregated, storedItem),
    );
    const sql = chosen instanceof Promise ? await chosen : chosen;
    return this.page(
      'Query',
      taken.model,
      layout,
      index?.descriptor,
      sql,
      taken.limit,
      takenNow(taken.filter),
    );
  }

  async scan(request: ScanRequest): Promise<Page> {
    // Read once: the index is found by the name the request is then checked with.
    const given = checkRequestModel(request, 'scan');
    const index = this.index(given.model, given.index);
    const taken = checkScanRequest(given, index?.descriptor);
    const finding = this.schemaFound('Scan', taken.model.table);
    if (finding) await finding;
    const layout = this.tables.layout(taken.model.table);
    const aggregated = this.readsAsOneRow(taken.limit);
    const chosen = this.pageSql('Scan', taken.model.table, (storedItem) =>
      scanQuery(layout, index, taken, aggregated, storedItem),
    );
    const sql = chosen instanceof Promise ? await chosen : chosen;
    return this.page(
      'Scan',
      taken.model,
      layout,
      index?.descriptor,
      sql,
      taken.limit,
      takenNow(taken.filter),
    );
  }

  async batchGet(
    entries: readonly BatchGetEntry[],
    options?: { consistent?: boolean },
  ): Promise<BatchGetResult> {
    // The caller's entries, each read once: the one checked is the one the answer names.
    const callers = entriesReadOnce(entries);
    const checked = checkBatchGetRequest(callers, options, this.capabilities.maxBatchGet);
    // Each entry as checked, and the caller's entry at its position, which answers name.
    const given = new Map<BatchGetEntry, BatchGetEntry>();
    for (const [position, entry] of checked.entries.entries()) given.set(entry, callers[position]!);
    this.checkDistinct(
      checked.entries.map((entry) => ({ table: entry.model.table, key: entry.key })),
    );
    const finding = this.schemasFound(
      'BatchGetItem',
      checked.entries,
      (entry) => entry.model.table,
    );
    if (finding) await finding;
    // Every table's statement and entries by key are made before the first round trip: the
    // request is taken as it is at the call, whatever the caller does with its keys meanwhile.
    const reads = [...groupByTable(checked.entries, (entry) => entry.model.table)].map(
      ([table, group]) => {
        const statements = this.tables.statements(table);
        const oneRow = this.readsAsOneRow(group.length);
        // A row found under one requested key whose item names another would fill that other
        // key's place: each row says whether its item holds its key columns' key, as in pages.
        const held = keyHeld(statements.layout);
        const { count, parameters } = paddedKeys(
          group.flatMap((entry) => statements.keyParameters(entry.key)),
          statements.layout.keyColumns.length,
          group.length,
        );
        const rowsOfKeys = `FROM ${statements.layout.sql} WHERE ${statements.keysMatch(count)}`;
        // The texts, once the table is checked: a `json` item column reads its text as it holds
        // it too (see `itemSelection`).
        const texts = (storedItem: boolean) => {
          const byRow = `SELECT ${itemSelection(storedItem)}, ${held} AS key_held ${rowsOfKeys}`;
          const text = oneRow
            ? selectItemsAsOneRow(
                `SELECT ${itemColumn}, ${typesColumn}, ${held} AS key_held ${rowsOfKeys}`,
                [],
                '',
                storedItem,
              )
            : byRow;
          return { byRow, text };
        };
        const byKey = new Map<string, BatchGetEntry>();
        for (const entry of group) byKey.set(keyId(table, entry.key), given.get(entry)!);
        // For reading key by key, on a table models share (see below).
        const taken = table.discriminatorAttribute
          ? group.map((entry) => ({
              model: entry.model,
              key: takenNow(entry.key),
              entry: given.get(entry)!,
            }))
          : [];
        const unfitRows = unfitRowsSql(statements.layout, rowsOfKeys);
        return { table, texts, rowsOfKeys, unfitRows, parameters, byKey, taken };
      },
    );
    const found: { entry: BatchGetEntry; item: StoredItem }[] = [];
    for (const { table, texts, rowsOfKeys, unfitRows, parameters, byKey, taken } of reads) {
      let items: StoredItem[];
      try {
        const check = this.checked('BatchGetItem', table);
        if (check !== undefined) await check;
        const { text, byRow } = texts(this.storedItem(table));
        items = await this.readItems(this.client, 'BatchGetItem', table, text, byRow, parameters);
      } catch (error) {
        if (!(error instanceof BackendError)) throw error;
        // A row with no item, or none read as an object, on a table of one model: named.
        if (!table.discriminatorAttribute && unnamedRows.has(error))
          throw await this.namingRow(error, 'BatchGetItem', table, unfitRows, parameters);
        // An item jsonb refuses, on a table of one model: the batch fails, naming it.
        if (!table.discriminatorAttribute && uncastItems.has(error)) {
          const rows = await this.storedRows(
            this.client,
            'BatchGetItem',
            table,
            `SELECT ${selectItemOrStored} ${rowsOfKeys}`,
            parameters,
            error,
          );
          const row = rows.find((candidate) => typeof candidate.stored === 'string');
          throw row ? namedUncast(error, 'BatchGetItem', table, row.stored as string) : error;
        }
        if (!table.discriminatorAttribute) throw error;
        // Maybe another model's item that cannot be read exactly: each key read as `getItem`
        // reads it, which gives such an item as its key and discriminator alone.
        for (const { model, key, entry } of taken) {
          const item = await this.getItem({
            model,
            key,
            ...(checked.consistent ? { consistent: true } : {}),
          });
          if (item) found.push({ entry, item });
        }
        continue;
      }
      for (const item of items) {
        // Rows are found by their key columns, items matched by their key attributes: a row
        // whose item names another key was written inconsistently, by another client.
        const entry = byKey.get(storedKeyId(table, item));
        if (!entry)
          throw await this.namingRow(
            unnamedRow(inconsistentRow(table), 'other-key'),
            'BatchGetItem',
            table,
            unfitRows,
            parameters,
          );
        found.push({ entry, item });
      }
    }
    return { found, unprocessed: [] };
  }

  async batchWrite(entries: readonly BatchWriteEntry[]): Promise<BatchWriteResult> {
    // The caller's entries, each read once: the one checked is the one the answer names.
    const given = entriesReadOnce(entries);
    const taken = checkBatchWriteRequest(given, this.capabilities.maxBatchWrite);
    // The caller's entry at each checked one's position, which an unprocessed answer names.
    const givenOf = new Map<BatchWriteEntry, BatchWriteEntry>();
    for (const [position, entry] of taken.entries()) givenOf.set(entry, given[position]!);
    // The items put, copied in the walk that checks them (see `putItem`), and those of JSON's
    // values alone, encoded without another walk.
    const jsonItems = new Set<StoredItem>();
    for (const [position, entry] of taken.entries()) {
      if (!('put' in entry)) continue;
      const put = cloneItemToWrite(
        entry.put,
        entry.model.table,
        `batchWrite entry ${position}`,
        this.capabilities.maxItemBytes,
      );
      // The entry is the check's own snapshot: it holds the copy from now on.
      (entry as { put: StoredItem }).put = put;
      if (isJsonItem(put, entry.model.table)) jsonItems.add(put);
    }
    this.checkDistinct(
      taken.map((entry) => ({
        table: entry.model.table,
        key: 'put' in entry ? keyOfItem(entry.model, entry.put) : entry.delete,
      })),
    );
    if (taken.length === 0) return { unprocessed: [] };
    const finding = this.schemasFound('BatchWriteItem', taken, (entry) => entry.model.table);
    if (finding) await finding;
    // Tables in name order, rows in key order: concurrent batches lock in one order.
    // Each statement returns a row per entry it wrote; fewer, and `unwritten` finds the entries
    // it did not (a trigger that skips them, a policy that passes them over), by position.
    const statementsToRun: {
      // The statement, taken when it runs: after the tables are checked.
      write: () => CountedWrite;
      parameters: unknown[];
      entries: BatchWriteEntry[];
      unwritten: string;
    }[] = [];
    const groups = [...groupByTable(taken, (entry) => entry.model.table)].sort(([left], [right]) =>
      left.name < right.name ? -1 : left.name > right.name ? 1 : 0,
    );
    for (const [table, group] of groups) {
      const statements = this.tables.statements(table);
      const puts = group
        .filter((entry) => 'put' in entry)
        .sort((left, right) =>
          compareIds(keyId(table, left.put as ItemKey), keyId(table, right.put as ItemKey)),
        );
      const deletes = group.filter((entry) => 'delete' in entry);
      if (puts.length > 0) {
        const { count, parameters } = paddedItems(
          puts.flatMap((entry) => statements.writeParameters(entry.put, jsonItems.has(entry.put))),
          statements.layout.keyColumns.length + 2,
          puts.length,
        );
        statementsToRun.push({
          // Taken once the table is checked (see `KeyFit.writes`).
          write: () => this.keyFit.writes(statements).upsertMany(count),
          parameters,
          entries: puts,
          unwritten: statements.unstoredOf(count),
        });
      }
      if (deletes.length > 0) {
        const { count, parameters } = paddedKeys(
          deletes.flatMap((entry) => statements.keyParameters(entry.delete)),
          statements.layout.keyColumns.length,
          deletes.length,
        );
        statementsToRun.push({
          write: () => statements.deleteMany(count),
          parameters,
          entries: deletes,
          unwritten: statements.presentOf(count),
        });
      }
    }
    const tables = groups.map(([table]) => table);
    // A delete of a missing key returns no row either: those still there are the unwritten.
    // `committed`: the statement commits by itself (no transaction around it).
    const unwrittenBy = async (
      executor: SqlExecutor,
      statement: (typeof statementsToRun)[number],
      committed: boolean,
    ): Promise<BatchWriteEntry[]> => {
      const written = await rowsWritten(executor, statement.write(), statement.parameters);
      if (written === statement.entries.length) return [];
      const unwritten = () => executor.query(statement.unwritten, statement.parameters);
      const left = await (committed ? readAfterWrite('BatchWriteItem', unwritten) : unwritten());
      // Positions past the entries are the padding's (see `paddedKeys`, `paddedItems`).
      return left
        .map((row) => Number(row.position))
        .filter((position) => position < statement.entries.length)
        .map((position) => statement.entries[position]!);
    };
    if (statementsToRun.length === 1) {
      const [only] = statementsToRun;
      const unprocessed = await this.run('BatchWriteItem', 'statement', tables, () =>
        unwrittenBy(this.client, only!, true),
      );
      return { unprocessed: unprocessed.map((entry) => givenOf.get(entry)!) };
    }
    const unprocessed = await this.run('BatchWriteItem', 'transaction', tables, () =>
      inTransaction(this.client, async (transaction) => {
        const unwritten: BatchWriteEntry[] = [];
        for (const statement of statementsToRun)
          unwritten.push(...(await unwrittenBy(transaction, statement, false)));
        return unwritten;
      }),
    );
    return { unprocessed: unprocessed.map((entry) => givenOf.get(entry)!) };
  }

  async transactWrite(actions: readonly TransactionAction[]): Promise<void> {
    const requested = checkTransactionRequest(actions, this.capabilities.maxTransactionActions);
    const checked = checkTransactionActions(requested, this.capabilities.maxItemBytes);
    const puts = checked.puts;
    // What the transaction reads once rows are locked is taken now (see `takenNow`).
    const targets = checked.actions.map((action, position) => {
      const item = puts[position];
      const key = item ? keyOfItem(action.model, item) : takenNow((action as { key: ItemKey }).key);
      const table = action.model.table;
      return {
        position,
        kind: action.kind,
        table,
        item,
        key,
        condition: takenNow(action.condition),
        operations:
          action.kind === 'update'
            ? copyCheckedOperations(checked.operations[position]!)
            : undefined,
        id: `${table.name}\u0000${keyId(table, key)}`,
      };
    });
    this.checkDistinct(targets.map((target) => ({ table: target.table, key: target.key })));
    if (targets.length === 0) return;
    const finding = this.schemasFound('TransactWriteItems', targets, (target) => target.table);
    if (finding) await finding;
    // Rows are locked in one global order, so two transactions never wait for each other.
    const lockOrder = [...targets].sort((left, right) => compareIds(left.id, right.id));
    const uncast = new Map<string, BackendError>();
    try {
      await this.run(
        'TransactWriteItems',
        'transaction',
        [...new Set(targets.map((target) => target.table))],
        () =>
          inTransaction(this.client, async (transaction) => {
            // Absent rows have no row lock: the keys themselves are locked first (see keyLocks).
            const locks = keyLocks(lockOrder.map((target) => target.id));
            await transaction.query(locks.text, locks.parameters);
            const current = new Map<number, LockedRow>();
            for (const target of lockOrder)
              current.set(
                target.position,
                await this.lock(
                  transaction,
                  this.tables.statements(target.table),
                  target.key,
                  uncast,
                ),
              );
            const reasons: TransactionCancelReason[] = [];
            for (const { condition, position } of targets) {
              if (condition && !current.get(position)!.holds(condition))
                reasons.push({
                  index: position,
                  code: 'CONDITION_FAILED',
                  message: 'The conditional request failed',
                });
            }
            if (reasons.length > 0) throw new TransactionCanceledError(reasons);
            // Every new item is computed before anything is written: a failing one writes nothing.
            const results = targets.map((target) =>
              target.operations
                ? updatedItem(
                    current.get(target.position)!.item(),
                    target.key,
                    target.operations,
                    this.capabilities.maxItemBytes,
                  )
                : target.item,
            );
            for (const target of lockOrder) {
              const existed = current.get(target.position)!.present;
              const { key, kind } = target;
              const statements = this.tables.statements(target.table);
              if (kind === 'check') continue;
              if (kind === 'delete') {
                if (existed) await deleteLocked(transaction, statements, key);
                continue;
              }
              await this.store(transaction, statements, existed, results[target.position]!, key);
            }
          }),
      );
    } catch (error) {
      // Deadlocks, serialization failures, lock timeouts and key races that outlasted the
      // retries: the contract's cancellation for a transaction that met others. An overloaded
      // server (a statement timeout, no connection) stays THROTTLED: no other writer caused it.
      const cause = ThrottledError.isInstance(error) ? (error.cause ?? error) : undefined;
      if (cause !== undefined && (isRetryable(cause) || cause instanceof KeyRace))
        throw transactionConflict(cause, targets.length);
      throw error;
    }
  }

  async planTables(tables: readonly TableDescriptor[]): Promise<TablePlan[]> {
    this.checkOpen('planTables');
    return planTables(this.client, tables, this.schemaOf);
  }

  async ensureTables(tables: readonly TableDescriptor[]): Promise<ProvisionChange[]> {
    this.checkOpen('ensureTables');
    this.keyFit.forget();
    return ensureTables(this.client, tables, this.schemaOf);
  }

  async createTables(tables: readonly TableDescriptor[]): Promise<ProvisionChange[]> {
    this.checkOpen('createTables');
    this.keyFit.forget();
    return createTables(this.client, tables, this.schemaOf);
  }

  async deleteTables(tables: readonly TableDescriptor[]): Promise<ProvisionChange[]> {
    this.checkOpen('deleteTables');
    this.keyFit.forget();
    return deleteTables(this.client, tables, this.schemaOf);
  }

  async close(): Promise<void> {
    this.closing ??= this.client.close();
    await this.closing;
  }

  // Runs a request, again while it fails in a way that applied nothing (deadlock,
  // serialization failure, lock timeout, a concurrent insert), and once more on a new
  // connection after a lost connection that applied nothing (see lost-connection-retry.ts);
  // then translates the failure. The first attempt runs without an async
  // frame of its own: most requests end there, and this is on every one of them.
  // `tables`: those the request reads or writes, whose keys are checked against the spec
  // before their first statement (see `KeyFit`).
  private run<T>(
    operation: string,
    exposure: Exposure,
    tables: TableDescriptor | readonly TableDescriptor[],
    request: () => Promise<T>,
  ): Promise<T> {
    this.checkOpen(operation);
    const unchecked = this.keyFit.unchecked(tables);
    if (unchecked)
      return this.keyFit
        .check(unchecked, {
          table: (table) =>
            this.attempt(operation, 'read', table, () =>
              this.describe(table).catch(this.olderServer(operation)),
            ),
          statements: (table) => this.tables.statements(table),
        })
        .then(() => {
          // Closed while the table was checked: close() did not wait for this request.
          this.checkOpen(operation);
          return this.attempt(operation, exposure, tables, request);
        });
    return this.attempt(operation, exposure, tables, request);
  }

  // Where provisioning finds a table the backend's requests have found (see `inSchema`).
  private readonly schemaOf = (table: TableDescriptor) => this.tables.schemaOf(table);

  // A table's catalog, for its check. Its first check finds its schema as PostgreSQL finds its
  // name in that session (see `SchemaTables`); two first checks at once may find two (a pooled
  // session's search_path changed): the first kept is the table's, read again in it if need be.
  // The session's temporary table of the name is refused: no other session would find it.
  private async describe(table: TableDescriptor): Promise<TableCatalog> {
    const known = this.tables.schemaOf(table);
    // Not found yet: the name alone, which PostgreSQL looks up through the search_path.
    const catalog = await describeTable(
      this.client,
      known === undefined ? tableLayout(table) : this.tables.layout(table),
    );
    if (known !== undefined) return catalog;
    if (catalog.temporary)
      throw new TableMismatchError(table.name, [
        `its name finds the session's temporary table first (schema ${catalog.schema}), which other sessions cannot see and which vanishes with the connection; drop it (DROP TABLE pg_temp.${quoteIdentifier(table.name)}), and make no temporary table of that name on the backend's connections`,
      ]);
    if (this.tables.settle(table, catalog.schema) === catalog.schema) return catalog;
    return describeTable(this.client, this.tables.layout(table));
  }

  // Until a table's first check has found its schema (see `SchemaTables`), no statement can
  // name it: the request's tables are checked first (once a table), then it runs.
  private schemaFound(operation: string, table: TableDescriptor): Promise<void> | undefined {
    if (this.tables.schemaOf(table) !== undefined) return undefined;
    return this.run(operation, 'read', table, async () => undefined);
  }

  // As `schemaFound`, for the tables of a request on several.
  private schemasFound<T>(
    operation: string,
    entries: readonly T[],
    tableOf: (entry: T) => TableDescriptor,
  ): Promise<void> | undefined {
    let unfound: TableDescriptor[] | undefined;
    for (const entry of entries) {
      const table = tableOf(entry);
      if (this.tables.schemaOf(table) === undefined) (unfound ??= []).push(table);
    }
    return unfound && this.run(operation, 'read', unfound, async () => undefined);
  }

  // A catalog read's failure on a server too old for the tables: UnsupportedOperationError.
  private olderServer(operation: string): (failure: unknown) => Promise<never> {
    return async (failure) => {
      throw await olderServerOr(this.client, operation, failure);
    };
  }

  private attempt<T>(
    operation: string,
    exposure: Exposure,
    tables: TableDescriptor | readonly TableDescriptor[],
    request: () => Promise<T>,
  ): Promise<T> {
    let first: Promise<T>;
    try {
      first = request();
    } catch (error) {
      return this.retry(operation, exposure, tables, request, error);
    }
    return first.catch((error: unknown) => this.retry(operation, exposure, tables, request, error));
  }

  // What `run` does once an attempt failed with `failure`.
  private async retry<T>(
    operation: string,
    exposure: Exposure,
    tables: TableDescriptor | readonly TableDescriptor[],
    request: () => Promise<T>,
    failure: unknown,
  ): Promise<T> {
    let error = failure;
    // The failure after which the request last ran again on a new connection, and how often it did.
    let lostFirst: unknown;
    let reconnections = 0;
    // The key races met, and whether each showed no row under the key (see KeyRace).
    let races = 0;
    let racesUnseen = true;
    for (let attempt = 1; ; attempt++) {
      // A table or column the statement named is gone: the table was dropped, renamed or made
      // again since it was checked (a restore, a migration tool). The checks of the request's
      // tables are forgotten, so that the next request checks the table that is there then,
      // rather than serve one keyed otherwise on the old check (a delete by a key the new table
      // holds more rows under). Other tables keep theirs: a request that keeps meeting a table
      // gone reads no other table's catalog again.
      if (tableChanged(error)) this.keyFit.forget(tables);
      // Gone from the schema its first check found it in: looked for again through the
      // search_path, as before that check (moved back, or to a schema the search_path names).
      if (tableGone(error)) this.tables.forget(tables);
      if (isMacaron(error)) throw error;
      if (error instanceof UncastRow) {
        const unreadable = await this.unreadableItem(error.failure, operation, exposure);
        if (unreadable === undefined || error.rows.has(error.id))
          throw (
            unreadable ?? toMacaronError(error.failure, operation, exposure, this.commitsReported)
          );
        error.rows.set(error.id, unreadable);
        if (this.closing) throw unreadable;
        try {
          return await request();
        } catch (next) {
          error = next;
          continue;
        }
      }
      if (error instanceof KeyRace) {
        races++;
        if (!error.unseen) racesUnseen = false;
      }
      const reconnects =
        reconnections < runsAfterLostConnection &&
        appliedNothingOnLostConnection(error, exposure, this.commitsReported);
      const again =
        reconnects ||
        ((isRetryable(error) ||
          error instanceof KeyRace ||
          (error instanceof WriteSkipped && error.again)) &&
          attempt < this.maxAttempts);
      const failed = (last: unknown) =>
        last instanceof WriteAltered
          ? new BackendError(
              `PostgreSQL ${operation}: a trigger of the table changed the row of ${shownName(last.table)} under key ${formatKey(last.key)} as it was written (its item, item_types or key column are not what was sent): nothing was written`,
              { cause: last, notApplied: true },
            )
          : last instanceof WriteSkipped
            ? new BackendError(
                `PostgreSQL ${operation}: ${last.kind === 'write' ? 'the item was not stored under its key' : 'the row is still there'}: a trigger of the table skips the ${last.kind} (or writes elsewhere), or a row-level security policy lets this role read the row but not change it`,
                { cause: last },
              )
            : !(last instanceof KeyRace)
              ? toMacaronError(
                  last,
                  lostFirst === undefined ? operation : ranAgainAfter(operation, lostFirst),
                  exposure,
                  this.commitsReported,
                )
              : racesUnseen
                ? new BackendError(
                    `PostgreSQL ${operation}: ${races} times the key looked free, the insert stored nothing, and no row under the key could be read: a trigger skips the insert, or a row-level security policy hides the row from this role; nothing was written`,
                    { cause: last },
                  )
                : new ThrottledError(
                    `PostgreSQL ${operation}: other writers kept inserting the same key; nothing was applied`,
                    { cause: last },
                  );
      if (!again)
        throw await whyNoTable(
          this.client,
          (await this.unreadableItem(error, operation, exposure)) ?? failed(error),
        );
      if (reconnects) {
        reconnections++;
        lostFirst = error;
      }
      // A short, growing, jittered pause, so that racing writers fall out of step.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.random() * 2 ** Math.min(attempt, 6)),
      );
      // Closed meanwhile: close() waited for the statements in flight, not for this pause, and
      // the pool may be gone. The call ends with the failure it met, which applied nothing.
      if (this.closing) throw failed(error);
      try {
        return await request();
      } catch (next) {
        error = next;
      }
    }
  }

  private checkOpen(operation: string): void {
    if (this.closing)
      // Nothing sent, as to a server shutting down (a service draining, say): a 503.
      throw new UnreachableError(
        `PostgreSQL ${operation}: the backend is closed (nothing was sent)`,
      );
  }

  // Locks the row under the key (or finds it absent), lets `decide` choose, and writes.
  private async readModifyWrite(
    transaction: SqlExecutor,
    statements: TableStatements,
    key: ItemKey,
    decide: (row: LockedRow) => Decision,
    uncast: Map<string, BackendError>,
  ): Promise<LockedRow> {
    const row = await this.lock(transaction, statements, key, uncast);
    const decision = decide(row);
    if (decision === undefined) return row;
    if ('delete' in decision) {
      if (row.present) await deleteLocked(transaction, statements, key);
      return row;
    }
    await this.store(transaction, statements, row.present, decision.put, key);
    return row;
  }

  // `uncast`: the rows of the request found holding an item PostgreSQL cannot cast to jsonb,
  // locked as their column holds them (see `UncastRow`).
  private async lock(
    transaction: SqlExecutor,
    statements: TableStatements,
    key: ItemKey,
    uncast: Map<string, BackendError>,
  ): Promise<LockedRow> {
    const table = statements.layout.descriptor;
    const parameters = statements.keyParameters(key);
    // Made only when a row of the request was found uncast (rare): not on every write's lock.
    const id = () => `${table.name}\u0000${keyId(table, key)}`;
    const unreadable = uncast.size > 0 ? uncast.get(id()) : undefined;
    if (unreadable) {
      const [stored] = await transaction.query(statements.selectStoredForUpdate, parameters);
      return new LockedRow(
        key,
        table,
        stored &&
          (() => {
            throw unreadable;
          }),
        stored && (() => keyAndDiscriminator(stored, table, key)),
      );
    }
    const rows = await readingItems(
      transaction.query(statements.reads(this.storedItem(table)).selectForUpdate, parameters),
      parameters,
      table,
      key,
    ).catch((error: unknown) => {
      throw sqlState(error)?.startsWith('22') ? new UncastRow(id(), error, uncast) : error;
    });
    const found = rows[0];
    return new LockedRow(
      key,
      table,
      found && (() => this.decodeAt(found, table, key)),
      found && (() => keyAndDiscriminator(found, table, key)),
    );
  }

  // Writes an item over a locked row, or into a key found free; a key taken meanwhile is a race.
  private async store(
    transaction: SqlExecutor,
    statements: TableStatements,
    existed: boolean,
    item: StoredItem,
    key: ItemKey,
  ): Promise<void> {
    const parameters = statements.writeParameters(item);
    // Each write returns whether it stored the row as sent (see `WriteAltered`).
    const written = (write: string) =>
      rowsWrittenAsGiven(transaction, write, parameters, statements.layout.descriptor.name, key);
    if (existed) {
      storedRows(await written(this.keyFit.writes(statements).replace));
      return;
    }
    if ((await written(statements.insertIfAbsent)) > 0) return;
    // Presence alone, the item not read: one jsonb refuses would fail this read (see `lock`).
    const visible = await transaction.query(
      statements.presentOf(1),
      parameters.slice(0, statements.layout.keyColumns.length),
    );
    throw new KeyRace(visible.length === 0);
  }

  // A page (or a batch get) is read as one aggregated row when it is small enough to be one
  // text on both sides: at most 100 items of DynamoDB's largest size (40 MB), far below
  // PostgreSQL's 1 GB and V8's 512 MB per text even with every character escaped.
  private readsAsOneRow(itemCount: number | undefined): boolean {
    return (
      itemCount !== undefined &&
      itemCount * this.capabilities.maxItemBytes <= maxAggregatedPageBytes
    );
  }

  private async page(
    operation: 'Query' | 'Scan',
    model: ModelDescriptor,
    layout: ReturnType<typeof tableLayout>,
    index: IndexDescriptor | undefined,
    sql: PageQuery,
    limit: number | undefined,
    filter: Condition | undefined,
  ): Promise<Page> {
    try {
      return await this.pageOfRows(operation, model, layout, index, sql, limit, filter);
    } catch (error) {
      throw unnamedRows.has(error as object)
        ? await this.namingRow(
            error as Error,
            operation,
            layout.descriptor,
            sql.rowKeys,
            sql.parameters,
          )
        : error;
    }
  }

  /**
   * A read's failure on a row it could not name (see `unnamedRows`), naming it: the key columns
   * of the first row unfit as the failure says (its item missing, no JSON object, or of another
   * key), read again by `text` (`unfitRowsSql`); a row unfit otherwise before it is another
   * row. The failure as it was when that read fails or finds none.
   */
  private async namingRow(
    error: Error,
    operation: string,
    table: TableDescriptor,
    text: string,
    parameters: readonly unknown[],
  ): Promise<Error> {
    const unfitness = unnamedRows.get(error);
    if (unfitness === undefined) return error;
    const rows = await this.run(operation, 'read', table, () =>
      this.pages.query(firstUnfitRowSql(text, unfitness), parameters),
    ).catch(() => undefined);
    const row = rows?.[0];
    if (row === undefined) return error;
    // As PostgreSQL prints them: a number's and bytes' texts (`-1.50`, `\x01ff`) hold nothing
    // to escape, and quoted they would read as text keys.
    const columns = tableLayout(table).keyColumns.map((column, position) => {
      const text = String(row[`key${position}`]);
      return `${shownName(column.name)} = ${column.type === 'string' ? quotedName(text) : text}`;
    });
    error.message = `${error.message} (the row's key columns: ${columns.join(', ')})`;
    return error;
  }

  private async pageOfRows(
    operation: 'Query' | 'Scan',
    model: ModelDescriptor,
    layout: ReturnType<typeof tableLayout>,
    index: IndexDescriptor | undefined,
    sql: PageQuery,
    limit: number | undefined,
    filter: Condition | undefined,
  ): Promise<Page> {
    const table = layout.descriptor;
    let evaluated: StoredItem[];
    // Another model's rows that cannot be read exactly, read as what a filter on the
    // discriminator and the page's last key need of them (see `otherModelsRow`).
    let standIns: Set<StoredItem> | undefined;
    let unreadable: unknown;
    // The page row by row, once a read of it failed on a row.
    let byRow = sql.byRow;
    try {
      evaluated = await this.readItems(
        this.pages,
        operation,
        table,
        sql.text,
        sql.aggregated ? sql.byRow : sql.text,
        sql.parameters,
      );
    } catch (error) {
      // A row that cannot be read exactly: maybe another model's, which the page can do without.
      // A row whose item jsonb refuses (see `unreadableItem`), of any table: read again with
      // such items as their column holds them, to tell another model's from one to name.
      const uncast = uncastItems.has(error as object);
      if (
        !uncast &&
        (!unreadableRows.has(error as object) || model.discriminatorValue === undefined)
      )
        throw index ? indexMissing(error, operation, index) : error;
      unreadable = error;
      standIns = new Set();
      if (uncast) byRow = sql.stored;
      evaluated = await this.readRowsBeside(operation, model, index, byRow, sql, standIns, error);
    }
    for (let offset = 0; ; ) {
      const items = filter
        ? evaluated.filter((item) => evaluateCondition(filter, item))
        : evaluated;
      // A stand-in is never an item of the page: without a filter that sets it aside (core's on
      // the discriminator), the page cannot be read.
      if (standIns !== undefined && items.some((item) => standIns.has(item))) throw unreadable;
      // As DynamoDB: a page that reached its limit has a last key, even at the very end.
      if (evaluated.length === 0 || limit === undefined || evaluated.length < limit)
        return { items };
      // The last row whose key a cursor can carry: those after it (another model's, whose key
      // no JavaScript value holds) are read again by the next page, and set aside again.
      const last = standIns
        ? evaluated.findLast((item) => !standIns.has(item) || keyedStandIn(item, table))
        : evaluated[evaluated.length - 1];
      if (last) return { items, lastKey: lastKeyOf(layout, index, last) };
      // Every row of the page is such a row: the page reads on past them.
      offset += limit;
      evaluated = await this.readRowsBeside(
        operation,
        model,
        index,
        `${byRow} OFFSET ${offset}`,
        sql,
        standIns!,
        unreadable,
      );
    }
  }

  // A page's rows one by one (`text`: `sql.byRow` or `sql.stored`, or its rows past an offset),
  // each another model's that cannot be read exactly as its stand-in (added to `standIns`); a
  // row of the model's own that cannot be read fails the page. `first`: the page's failure.
  private async readRowsBeside(
    operation: string,
    model: ModelDescriptor,
    index: IndexDescriptor | undefined,
    text: string,
    sql: PageQuery,
    standIns: Set<StoredItem>,
    first: unknown,
  ): Promise<StoredItem[]> {
    const table = model.table;
    const rows = uncastItems.has(first as object)
      ? await this.storedRows(this.pages, operation, table, text, sql.parameters, first)
      : await this.run(operation, 'read', table, () =>
          readingItems(this.pages.query(text, sql.parameters), sql.parameters, table),
        );
    const items = rows.map((row) => {
      // An item jsonb refuses (`sql.stored` reads it as its column holds it): another model's
      // is set aside by its discriminator, the model's own fails the page, named.
      if (typeof row.stored === 'string') {
        const standIn = otherModelsRow({ item: row.stored, types: row.types }, model, index);
        if (standIn === undefined) throw namedUncast(first, operation, table, row.stored);
        standIns.add(standIn);
        return standIn;
      }
      try {
        return this.decode(row, table);
      } catch (failure) {
        const standIn = otherModelsRow(row, model, index);
        if (standIn === undefined) throw failure;
        standIns.add(standIn);
        return standIn;
      }
    });
    if (rows.some((row) => row.key_held === false))
      throw unnamedRow(inconsistentRow(table), 'other-key');
    return items;
  }

  // The items `text` selects: as one aggregated row (see `selectItemsAsOneRow`) unless `text`
  // is `byRow`, or the rows are too large to be one text, then read again by `byRow`, one row
  // an item. Each row says whether its item holds its key columns' key.
  private async readItems(
    reader: SqlExecutor,
    operation: string,
    table: TableDescriptor,
    text: string,
    byRow: string,
    parameters: readonly unknown[],
  ): Promise<StoredItem[]> {
    // Decoded first: a row that holds no item (its column NULL) or no JSON says so, rather than
    // that its key attributes are missing.
    if (text !== byRow) {
      const [row] = await this.run(operation, 'read', table, () =>
        readingItems(reader.query(text, parameters), parameters, table),
      );
      if (row?.oversized !== true) {
        const items = this.decodePage(row, table);
        if (row?.key_held === false) throw unnamedRow(inconsistentRow(table), 'other-key');
        return items;
      }
    }
    const rows = await this.run(operation, 'read', table, () =>
      readingItems(reader.query(byRow, parameters), parameters, table),
    );
    const items = rows.map((row) => this.decode(row, table));
    if (rows.some((row) => row.key_held === false))
      throw unnamedRow(inconsistentRow(table), 'other-key');
    return items;
  }

  // The rows of a read that failed (`first`) on an item jsonb refuses, read again by `text`
  // (made with `selectItemOrStored`). A server without `pg_input_is_valid` (before
  // PostgreSQL 16) cannot: the read's own failure stands; any other failure of this read is
  // the call's (what the rows are cannot then be told).
  private async storedRows(
    reader: SqlExecutor,
    operation: string,
    table: TableDescriptor,
    text: string,
    parameters: readonly unknown[],
    first: unknown,
  ): Promise<SqlRow[]> {
    try {
      return await this.run(operation, 'read', table, () => reader.query(text, parameters));
    } catch (error) {
      if (sqlState((error as { cause?: unknown }).cause ?? error) === '42883') throw first;
      throw error;
    }
  }

  private index(model: ModelDescriptor, name: string | undefined): IndexLayout | undefined {
    const index = indexRead(model.table, name);
    return index && tableLayout(model.table).indexes.get(index.name);
  }

  private decode(row: Record<string, unknown>, table: TableDescriptor, key?: ItemKey): StoredItem {
    return this.readExactly(
      table,
      () =>
        decodeItem(
          row.item as string,
          row.types as string | null,
          this.storedTexts(table, row.key_item_stored),
        ),
      key,
    );
  }

  // A page's SQL, whose text depends on the table's item column (`json` reads its text as it
  // holds it too): built from the request now either way (what the caller changes later does
  // not count), chosen once the table is checked; at once when it is.
  private pageSql(
    operation: string,
    table: TableDescriptor,
    build: (storedItem: boolean) => PageQuery,
  ): PageQuery | Promise<PageQuery> {
    const sql = build(this.storedItem(table));
    const check = this.checked(operation, table);
    if (check === undefined) return sql;
    const json = build(true);
    return check.then(() => (this.storedItem(table) ? json : sql));
  }

  // Whether the table's item column is `json`, as its check found it (see `KeyFit`).
  private storedItem(table: TableDescriptor): boolean {
    return this.keyFit.jsonColumns(table)?.item === true;
  }

  // A row's texts as its `json` columns hold them (`stored`: its `key_item_stored`), which the
  // item cannot be read exactly without (see `decodeItem`); undefined on a table of jsonb
  // columns, as every table provisioning makes.
  private storedTexts(table: TableDescriptor, stored: unknown): StoredTexts | undefined {
    const json = this.keyFit.jsonColumns(table);
    if (json === undefined) return undefined;
    return { item: typeof stored === 'string' ? stored : undefined, types: json.types };
  }

  // Checks the table against its spec (see `KeyFit`) when it is not yet, as `run` does before
  // its first statement, for requests whose SQL depends on the table's item column type:
  // undefined (nothing to wait for) once it is.
  private checked(operation: string, table: TableDescriptor): Promise<void> | undefined {
    if (this.keyFit.unchecked(table) === undefined) return undefined;
    return this.run(operation, 'read', table, async () => undefined);
  }

  // A row read by its key: its item must hold that key (plain-SQL writers set both).
  private decodeAt(row: Record<string, unknown>, table: TableDescriptor, key: ItemKey): StoredItem {
    const item = this.decode(row, table, key);
    if (!holdsKeyValue(table.partitionKey, item, key)) throw inconsistentRow(table, key);
    if (table.sortKey && !holdsKeyValue(table.sortKey, item, key))
      throw inconsistentRow(table, key);
    return item;
  }

  private decodePage(
    row: Record<string, unknown> | undefined,
    table: TableDescriptor,
  ): StoredItem[] {
    return this.readExactly(table, () =>
      decodeItemPage(
        (row?.items ?? null) as string | null,
        (row?.types ?? null) as string | null,
        this.storedTexts(table, row?.key_item_stored),
      ),
    );
  }

  // `key`: the key the row was read by, which names it whatever its item holds.
  private readExactly<T>(table: TableDescriptor, read: () => T, key?: ItemKey): T {
    try {
      return read();
    } catch (error) {
      // A row another client wrote that cannot be read exactly: never a rounded value. Its
      // key, as far as the text says it, tells which row of a page it is.
      const text = (error as { itemText?: unknown }).itemText;
      const named = key
        ? formatKey(key)
        : typeof text === 'string'
          ? keyInText(table, text)
          : undefined;
      const unreadable = new BackendError(
        `PostgreSQL: a stored item of table ${table.specName}${named ? ` (key ${named})` : ''} cannot be read exactly: ${shownText((error as Error).message)}`,
        { cause: error },
      );
      unreadableRows.add(unreadable);
      const unfitness = named === undefined ? rowUnfitness(error) : undefined;
      // Any other failure of a row whose key the text does not tell: SQL cannot tell that row
      // from another, so it goes unnamed rather than misnamed.
      if (unfitness !== undefined) unnamedRows.set(unreadable, unfitness);
      throw unreadable;
    }
  }

  /**
   * The error of a statement that read stored items and failed with a data exception (22xxx)
   * on one of them: in an item column of type `json` (or `text`) another client made, JSON
   * jsonb does not take (`\u0000`, a number past numeric's range, a lone surrogate), which
   * every read casts (see `selectItem`). The request is not at fault, as PostgreSQL's data
   * exception would otherwise say: its key texts, decimal numbers and bytes raise none, but for
   * 22P05, also a character of the request a LATIN1 database cannot hold, when the statement's
   * parameters hold one (a UTF8 database holds every character, and SQL_ASCII converts none:
   * there, and in LATIN1 when the parameters are all Latin-1, it is surely the item's; jsonb
   * refuses `\u0000` in every encoding, and any escape beyond ASCII in SQL_ASCII). Undefined
   * for any other failure.
   */
  private async unreadableItem(
    error: unknown,
    operation: string,
    exposure: Exposure,
  ): Promise<BackendError | undefined> {
    const read = error !== null && typeof error === 'object' ? itemReads.get(error) : undefined;
    const state = sqlState(error);
    if (read === undefined || !state?.startsWith('22')) return undefined;
    if (state === '22P05' && beyondLatin1(read.parameters)) {
      const encoding = await this.client
        .query(`SELECT current_setting('server_encoding') AS encoding`)
        .then(
          (rows) => rows[0]?.encoding,
          () => undefined,
        );
      if (encoding !== 'UTF8' && encoding !== 'SQL_ASCII') return undefined;
    }
    const { table, key } = read;
    return uncastError(error, operation, exposure, table, key && formatKey(key));
  }

  private checkDistinct(targets: readonly { table: TableDescriptor; key: ItemKey }[]): void {
    const seen = new Set<string>();
    for (const { table, key } of targets) {
      const id = `${table.name}\u0000${keyId(table, key)}`;
      if (seen.has(id))
        throw new InvalidRequestError('A batch or transaction cannot name the same item twice');
      seen.add(id);
    }
  }
}

// The item's attributes among `names`, as own data properties (`__proto__` included).
function projectedItem(item: StoredItem, names: readonly string[]): StoredItem {
  const projected: StoredItem = {};
  for (const name of names)
    if (Object.hasOwn(item, name))
      Object.defineProperty(projected, name, {
        value: item[name],
        writable: true,
        enumerable: true,
        configurable: true,
      });
  return projected;
}

function ownValue(item: StoredItem, name: string): StoredValue | undefined {
  return Object.hasOwn(item, name) ? item[name] : undefined;
}

function isMacaron(error: unknown): boolean {
  return MacaronError.isInstance(error);
}

/**
 * A copy of what a request gives that is read after a round trip (a condition checked on the
 * locked row, an update's operations, a page's filter): the request is taken as it is at the
 * call, whatever the caller does with its objects while it runs.
 */
function takenNow<T extends object | undefined>(value: T): T {
  return value === undefined ? value : (cloneValue(value as unknown as StoredItem) as unknown as T);
}

// A failure that says a table a request named is not the one checked (see `KeyFit`): the
// relation (42P01) or one of its columns (42703) is gone, or its item column, found jsonb, was
// altered to another type (see `selectItem`), directly or as a Macaron error's cause.
function tableChanged(error: unknown): boolean {
  for (let depth = 0; error instanceof Error && depth < 4; depth++) {
    const state = sqlState(error);
    if (state === '42703' || itemColumnRetyped(error) || tableGone(error)) return true;
    error = error.cause;
  }
  return false;
}

// The statement's table, or its schema (see `SchemaTables`), does not exist.
function tableGone(error: unknown): boolean {
  for (let depth = 0; error instanceof Error && depth < 4; depth++) {
    const state = sqlState(error);
    if (state === '42P01' || state === '3F000') return true;
    error = error.cause;
  }
  return false;
}

// Whether an item already checked (and copied) holds JSON's values alone, which are encoded
// without another walk: `checkJsonItemToWrite` of it, which refuses nothing it did not.
function isJsonItem(item: StoredItem, table: TableDescriptor): boolean {
  return checkJsonItemToWrite(item, table, 'putItem');
}

// A batch's entries as the caller's list holds them now, each read once (a non-list is left
// for the check to refuse): the entry checked is the one an answer names, whatever the list
// (a Proxy, one changed later) answers on another read.
function entriesReadOnce<Entry>(entries: readonly Entry[]): readonly Entry[] {
  return Array.isArray(entries) ? Array.prototype.slice.call(entries) : entries;
}
