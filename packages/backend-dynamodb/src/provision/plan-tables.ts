import type {
  CreateTableCommandInput,
  DynamoDBClient,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  type IndexDescriptor,
  type KeyAttribute,
  type TableDescriptor,
  TableMismatchError,
} from '@macaron/core';
import { checkTablesRequest, tablesOfOneCall } from '@macaron/core/backend';
import {
  type ProvisionChange,
  type ProvisionOptions,
  type WaitSettings,
  waitSettings,
} from './provision-options.js';
import { settleAll } from './settle-all.js';
import { keyAttributesOf, keyTypeClash, toCreateTableInput } from './table-definition.js';
import { compareTable } from './table-differences.js';
import {
  describeTimeToLive,
  engineCanEnableTimeToLive,
  hasTimeToLive,
  timeToLiveChange,
} from './time-to-live.js';
import { describeTable, waitForTableGone } from './wait-for-table.js';

/** What `ensureTables` would do to one table, or why it would refuse to. */
export interface TablePlan {
  /** Physical table name. */
  table: string;
  /**
   * The changes `ensureTables` would report for this table, in its order (`created`,
   * `index-added`, `ttl-enabled`, `ttl-unsupported` or `unchanged`). Empty when the table
   * differs.
   */
  changes: ProvisionChange[];
  /**
   * Differences `ensureTables` cannot fix in place (keys, index keys, projections, TTL
   * attribute). When any table has one, `ensureTables` changes nothing and throws
   * `TableMismatchError` for the first such table with exactly these differences.
   */
  differences: string[];
}

/** A table to provision with its CreateTable request, checked before anything is sent. */
export interface TableSpec {
  table: TableDescriptor;
  input: CreateTableCommandInput;
}

/**
 * One spec per physical table. Several models may share a table, and two specs name one alike,
 * so the same table may be listed more than once: one table when the listings agree on its keys
 * (with the indexes of all), `TableMismatchError` when they cannot (see `tablesOfOneCall`).
 */
export function tableSpecs(
  tables: readonly TableDescriptor[],
  options: ProvisionOptions,
  clashes?: Map<string, string[]>,
): TableSpec[] {
  // Every difference of every name, so that a refusal lists all those of its table, as a plan does.
  const found = clashes ?? new Map<string, string[]>();
  const specs = tablesOfOneCall(tables, found).map((table) => {
    const listings = tables.filter((listed) => listed.name === table.name);
    // Listings whose indexes key one attribute with two types (an email a string in one, a
    // number in the other): a table's attribute has one, so only one can be made, as two
    // calls in turn find. One listing that does so alone is refused as before. Every listing
    // of the table's keys counts, merged or not (one of another TTL attribute differs in both
    // ways); one of other keys differs in those already.
    const keyed = listings.filter(
      (listed) =>
        sameKey(listed.partitionKey, table.partitionKey) && sameKey(listed.sortKey, table.sortKey),
    );
    const clash = listings.some((listed) => keyTypeClash(keyAttributesOf(listed)))
      ? undefined
      : keyTypeClash(keyed.flatMap(keyAttributesOf));
    if (!clash) return { table, input: toCreateTableInput(table, options) };
    const specNames = listings.map((listed) => listed.specName).join(' and ');
    const difference = `two tables of the call are named ${table.name}, with attribute ${clash.name} keyed as a ${clash.first} and as a ${clash.second} (${specNames}, from two specs?): only one can be made`;
    found.set(table.name, [...(found.get(table.name) ?? []), difference]);
    return { table: listings[0]!, input: toCreateTableInput(listings[0]!, options) };
  });
  const [refused] = clashes ? [] : found;
  if (refused) throw new TableMismatchError(refused[0], refused[1]);
  return specs;
}

function sameKey(left: KeyAttribute | undefined, right: KeyAttribute | undefined): boolean {
  return left?.name === right?.name && left?.type === right?.type;
}

/** How one table compares with its spec: the one comparison `ensureTables` acts on. */
export type TableReconciliation =
  | { kind: 'create'; spec: TableSpec }
  | {
      kind: 'update';
      spec: TableSpec;
      description: TableDescription;
      differences: string[];
      missingIndexes: IndexDescriptor[];
      /** Whether TTL is to be enabled: the spec has one the table lacks. */
      enableTtl: boolean;
    };

/**
 * Compares one table with its spec, reading only (DescribeTable, DescribeTimeToLive). A
 * table being deleted is waited for when `waitForDeletion`; either way it is to be created.
 */
export async function reconcileTable(
  client: DynamoDBClient,
  spec: TableSpec,
  settings: WaitSettings,
  waitForDeletion: boolean,
): Promise<TableReconciliation> {
  const name = spec.table.name;
  let description = await describeTable(client, name);
  if (description?.TableStatus === 'DELETING') {
    if (waitForDeletion) await waitForTableGone(client, name, settings);
    description = undefined;
  }
  if (!description) return { kind: 'create', spec };
  const { differences, missingIndexes } = compareTable(spec.table, description);
  let enableTtl = false;
  const ttlAttribute = spec.table.ttlAttribute;
  if (ttlAttribute !== undefined) {
    const ttl = await describeTimeToLive(client, name);
    if ((ttl.status === 'ENABLED' || ttl.status === 'ENABLING') && ttl.attribute !== ttlAttribute) {
      differences.push(`TTL: table expires items by ${ttl.attribute}, spec by ${ttlAttribute}`);
    } else {
      enableTtl = !hasTimeToLive(ttl, ttlAttribute);
    }
  }
  return {
    kind: 'update',
    spec,
    description,
    differences,
    missingIndexes,
    enableTtl,
  };
}

// The changes applying the reconciliation reports (provision-tables.ts), in the same order.
async function expectedChanges(
  reconciliation: TableReconciliation,
  canEnableTimeToLive: () => Promise<boolean>,
): Promise<TablePlan> {
  const table = reconciliation.spec.table;
  const ttlAttribute = table.ttlAttribute;
  if (reconciliation.kind === 'create') {
    const changes: ProvisionChange[] = [{ table: table.name, action: 'created' }];
    if (ttlAttribute !== undefined) {
      changes.push(timeToLiveChange(table.name, ttlAttribute, await canEnableTimeToLive()));
    }
    return { table: table.name, changes, differences: [] };
  }
  if (reconciliation.differences.length > 0) {
    return { table: table.name, changes: [], differences: reconciliation.differences };
  }
  const changes: ProvisionChange[] = reconciliation.missingIndexes.map((index) => ({
    table: table.name,
    action: 'index-added',
    detail: index.name,
  }));
  if (reconciliation.enableTtl && ttlAttribute !== undefined) {
    changes.push(timeToLiveChange(table.name, ttlAttribute, await canEnableTimeToLive()));
  }
  if (changes.length === 0) changes.push({ table: table.name, action: 'unchanged' });
  return { table: table.name, changes, differences: [] };
}

/**
 * What `ensureTables` would do with the same arguments, table by table, without changing
 * anything: it reads DescribeTable and DescribeTimeToLive (and, when TTL is to be enabled,
 * asks whether the engine has UpdateTimeToLive with a request that cannot change anything),
 * and does not wait for a table being deleted (it plans its creation). Bad input is refused as `ensureTables`
 * refuses it (`InvalidRequestError`). Adding an index is planned as `index-added` even on
 * an engine that cannot do it (dynalite): only trying tells.
 */
export async function planTables(
  client: DynamoDBClient,
  tables: readonly TableDescriptor[],
  options: ProvisionOptions = {},
): Promise<TablePlan[]> {
  checkTablesRequest(tables, 'planTables');
  const settings = waitSettings(options, 'planTables');
  // Two tables of the call that cannot both be made are planned with that difference.
  const clashes = new Map<string, string[]>();
  const specs = tableSpecs(tables, options, clashes);
  let probe: Promise<boolean> | undefined;
  // Asked once, and only when TTL is to be enabled somewhere.
  const canEnableTimeToLive = () => {
    probe ??= engineCanEnableTimeToLive(client);
    return probe;
  };
  return settleAll(
    specs.map(async (spec) => {
      const clash = clashes.get(spec.table.name);
      if (clash) return { table: spec.table.name, changes: [], differences: clash };
      return expectedChanges(
        await reconcileTable(client, spec, settings, false),
        canEnableTimeToLive,
      );
    }),
  );
}
