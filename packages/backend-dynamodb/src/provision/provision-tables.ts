import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { type IndexDescriptor, InvalidRequestError, type TableDescriptor } from '@macaron/core';
import { addGlobalIndex } from './add-global-index.js';
import {
  errorName,
  TableExistsError,
  TableMismatchError,
  toBackendError,
} from './provision-errors.js';
import {
  type ProvisionChange,
  type ProvisionOptions,
  type WaitSettings,
  waitSettings,
} from './provision-options.js';
import { toCreateTableInput } from './table-definition.js';
import { compareTable } from './table-differences.js';
import { describeTimeToLive, enableTimeToLive, hasTimeToLive } from './time-to-live.js';
import { describeTable, isActive, waitForTableActive, waitForTableGone } from './wait-for-table.js';

/** A table to provision with its CreateTable request, checked before anything is sent. */
interface TableSpec {
  table: TableDescriptor;
  input: CreateTableCommandInput;
}

/**
 * One spec per physical table. Several models may share a table, so the same table may be
 * listed more than once: fine when every listing agrees, an error when they differ.
 */
function tableSpecs(tables: readonly TableDescriptor[], options: ProvisionOptions): TableSpec[] {
  const specs = new Map<string, TableSpec & { fingerprint: string }>();
  for (const table of tables) {
    const input = toCreateTableInput(table, options);
    const fingerprint = JSON.stringify([input, table.ttlAttribute ?? null]);
    const known = specs.get(table.name);
    if (known && known.fingerprint !== fingerprint) {
      throw new InvalidRequestError(
        `Table ${table.name} is described more than once, with different keys, indexes or TTL`,
      );
    }
    if (!known) specs.set(table.name, { table, input, fingerprint });
  }
  return [...specs.values()].map(({ table, input }) => ({ table, input }));
}

/** Runs every task to its end, then throws the first failure (in the tasks' order), if any. */
async function settleAll<T>(tasks: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

async function createTable(
  client: DynamoDBClient,
  spec: TableSpec,
  settings: WaitSettings,
): Promise<ProvisionChange[]> {
  const name = spec.table.name;
  try {
    await client.send(new CreateTableCommand(spec.input));
  } catch (error) {
    if (errorName(error) === 'ResourceInUseException') {
      throw new TableExistsError([name], { cause: error });
    }
    throw toBackendError(error, 'CreateTable', name);
  }
  await waitForTableActive(client, name, settings);
  const changes: ProvisionChange[] = [{ table: name, action: 'created' }];
  if (spec.table.ttlAttribute !== undefined) {
    changes.push(await enableTimeToLive(client, name, spec.table.ttlAttribute));
  }
  return changes;
}

/**
 * Creates every table (in parallel), waits until each is ACTIVE and enables TTL where the
 * table has a `ttlAttribute`. Checks first that none exists: if any does, it creates nothing
 * and throws `TableExistsError` naming them. SDK failures surface as `BackendError`.
 */
export async function createTables(
  client: DynamoDBClient,
  tables: readonly TableDescriptor[],
  options: ProvisionOptions = {},
): Promise<ProvisionChange[]> {
  const specs = tableSpecs(tables, options);
  const settings = waitSettings(options);
  const descriptions = await settleAll(specs.map((spec) => describeTable(client, spec.table.name)));
  const existing = specs.filter((_, position) => descriptions[position] !== undefined);
  if (existing.length > 0) throw new TableExistsError(existing.map((spec) => spec.table.name));
  const changes = await settleAll(specs.map((spec) => createTable(client, spec, settings)));
  return changes.flat();
}

type TablePlan =
  | { kind: 'create'; spec: TableSpec }
  | {
      kind: 'update';
      spec: TableSpec;
      description: TableDescription;
      differences: string[];
      missingIndexes: IndexDescriptor[];
      enableTtl: boolean;
    };

async function planTable(
  client: DynamoDBClient,
  spec: TableSpec,
  settings: WaitSettings,
): Promise<TablePlan> {
  const name = spec.table.name;
  let description = await describeTable(client, name);
  if (description?.TableStatus === 'DELETING') {
    await waitForTableGone(client, name, settings);
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
  return { kind: 'update', spec, description, differences, missingIndexes, enableTtl };
}

async function applyPlan(
  client: DynamoDBClient,
  plan: TablePlan,
  options: ProvisionOptions,
  settings: WaitSettings,
): Promise<ProvisionChange[]> {
  const name = plan.spec.table.name;
  if (plan.kind === 'create') {
    try {
      return await createTable(client, plan.spec, settings);
    } catch (error) {
      // Created by someone else since it was planned: reconcile it like any existing table.
      if (!(error instanceof TableExistsError)) throw error;
      const replanned = await planTable(client, plan.spec, settings);
      if (replanned.kind === 'create') throw error;
      if (replanned.differences.length > 0) {
        throw new TableMismatchError(name, replanned.differences);
      }
      return applyPlan(client, replanned, options, settings);
    }
  }
  const changes: ProvisionChange[] = [];
  // A table still CREATING or UPDATING is not ready for use nor for an UpdateTable.
  let description = isActive(plan.description)
    ? plan.description
    : await waitForTableActive(client, name, settings);
  for (const index of plan.missingIndexes) {
    changes.push(await addGlobalIndex(client, description, index, options, settings));
    description = await waitForTableActive(client, name, settings);
  }
  const ttlAttribute = plan.spec.table.ttlAttribute;
  if (plan.enableTtl && ttlAttribute !== undefined) {
    changes.push(await enableTimeToLive(client, name, ttlAttribute));
  }
  return changes.length > 0 ? changes : [{ table: name, action: 'unchanged' }];
}

/**
 * Makes the tables match the spec, idempotently: creates missing tables, adds missing
 * indexes to existing ones (one at a time, waiting for each to be ACTIVE) and enables TTL
 * where missing. Compares every table first and changes nothing when one differs in a way
 * it cannot fix (keys, index keys, projection, TTL attribute): `TableMismatchError`.
 * Returns what it did, table by table; indexes and TTL the table has no spec for are left
 * alone. On dynalite, TTL is reported `ttl-unsupported` and adding an index to an existing
 * table is an `UnsupportedOperationError`.
 */
export async function ensureTables(
  client: DynamoDBClient,
  tables: readonly TableDescriptor[],
  options: ProvisionOptions = {},
): Promise<ProvisionChange[]> {
  const specs = tableSpecs(tables, options);
  const settings = waitSettings(options);
  const plans = await settleAll(specs.map((spec) => planTable(client, spec, settings)));
  for (const plan of plans) {
    if (plan.kind === 'update' && plan.differences.length > 0) {
      throw new TableMismatchError(plan.spec.table.name, plan.differences);
    }
  }
  const changes = await settleAll(plans.map((plan) => applyPlan(client, plan, options, settings)));
  return changes.flat();
}

async function deleteTable(
  client: DynamoDBClient,
  name: string,
  settings: WaitSettings,
): Promise<ProvisionChange> {
  const description = await describeTable(client, name);
  if (!description) return { table: name, action: 'absent' };
  if (description.TableStatus === 'CREATING' || description.TableStatus === 'UPDATING') {
    // DynamoDB refuses to delete a table in these states (ResourceInUseException).
    await waitForTableActive(client, name, settings);
  }
  if (description.TableStatus !== 'DELETING') {
    try {
      await client.send(new DeleteTableCommand({ TableName: name }));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException')
        return { table: name, action: 'absent' };
      throw toBackendError(error, 'DeleteTable', name);
    }
  }
  await waitForTableGone(client, name, settings);
  return { table: name, action: 'deleted' };
}

/**
 * Deletes the tables that exist (missing ones are reported `absent`) and waits until they
 * are gone. Deletes the data with them: meant for tests and development.
 */
export async function deleteTables(
  client: DynamoDBClient,
  tables: readonly TableDescriptor[],
  options: Pick<ProvisionOptions, 'waitTimeoutMs' | 'pollIntervalMs'> = {},
): Promise<ProvisionChange[]> {
  const settings = waitSettings(options);
  const names = [...new Set(tables.map((table) => table.name))];
  return settleAll(names.map((name) => deleteTable(client, name, settings)));
}
