import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DeleteTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  InvalidRequestError,
  type TableDescriptor,
  TableExistsError,
  TableMismatchError,
} from '@macaron/core';
import { checkTablesRequest } from '@macaron/core/backend';
import { addGlobalIndex } from './add-global-index.js';
import {
  reconcileTable,
  type TableReconciliation,
  type TableSpec,
  tableSpecs,
} from './plan-tables.js';
import { errorName, toBackendError } from './provision-errors.js';
import {
  type ProvisionChange,
  type ProvisionOptions,
  type WaitSettings,
  waitSettings,
} from './provision-options.js';
import { changeOutcomeUnknown, createdOrFound, sendChange } from './send-change.js';
import { settleAll } from './settle-all.js';
import {
  changesOrFailure,
  sayingOtherFailures,
  settleProvisioning,
} from './settle-provisioning.js';
import { compareTable } from './table-differences.js';
import { enableTimeToLive } from './time-to-live.js';
import {
  describeTable,
  isActive,
  waitForTableActive,
  waitForTableDeletable,
  waitForTableGone,
} from './wait-for-table.js';

/**
 * A table CreateTable found there: made by another process, or, when an earlier attempt of
 * this call's request got no answer (`answerLost`), perhaps by that attempt.
 */
interface TableFound {
  readonly found: true;
  readonly answerLost: boolean;
  readonly cause: unknown;
}

async function createTable(
  client: DynamoDBClient,
  spec: TableSpec,
  settings: WaitSettings,
  done: ProvisionChange[],
): Promise<ProvisionChange[] | TableFound> {
  const name = spec.table.name;
  const sent = await sendChange(client, new CreateTableCommand(spec.input));
  if (!sent.ok) {
    if (errorName(sent.error) === 'ResourceInUseException')
      return { found: true, answerLost: sent.answerLost, cause: sent.error };
    if (sent.answerLost)
      throw changeOutcomeUnknown('CreateTable', name, 'the table was created', sent.error);
    throw toBackendError(sent.error, 'CreateTable', name);
  }
  // Made, whatever follows: waiting for it, or its TTL, may still fail.
  const created = done.length;
  done.push({ table: name, action: 'created' });
  await waitForTableActive(client, name, settings);
  if (spec.table.ttlAttribute !== undefined) {
    const enabled = await enableTimeToLive(client, name, spec.table.ttlAttribute);
    if (enabled) done.push(enabled);
  }
  return done.slice(created);
}

/**
 * Creates every table (in parallel), waits until each is ACTIVE and enables TTL where the
 * table has a `ttlAttribute`. Checks first that none exists: if any does, it creates nothing
 * and throws `TableExistsError` naming them. SDK failures surface as `BackendError`. DynamoDB
 * cannot create several tables at once: when another process creates some of them between the
 * check and the requests, the others are created all the same, and `TableExistsError` names
 * them in `created` (one whose TTL then failed too) and the other tables' failures in its
 * message; a table's other failure names them in its message.
 */
export async function createTables(
  client: DynamoDBClient,
  tables: readonly TableDescriptor[],
  options: ProvisionOptions = {},
): Promise<ProvisionChange[]> {
  checkTablesRequest(tables, 'createTables');
  const settings = waitSettings(options, 'createTables');
  const specs = tableSpecs(tables, options);
  const descriptions = await settleAll(specs.map((spec) => describeTable(client, spec.table.name)));
  const existing = specs.filter((_, position) => descriptions[position] !== undefined);
  if (existing.length > 0) throw new TableExistsError(existing.map((spec) => spec.table.name));
  const made = specs.map(() => [] as ProvisionChange[]);
  const outcomes = await Promise.allSettled(
    specs.map(async (spec, position) => {
      const result = await createTable(client, spec, settings, made[position]!);
      if (!('found' in result)) return result;
      const name = spec.table.name;
      // Whether the table was there before this call is the answer createTables owes.
      if (result.answerLost) throw createdOrFound(name, result.cause);
      throw new TableExistsError([name], { cause: result.cause });
    }),
  );
  const taken = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' && outcome.reason instanceof TableExistsError
      ? outcome.reason.tables
      : [],
  );
  // A table another process took is this call's answer, whatever failed before it in the
  // tables' order: its caller tells a race from a failure by the class.
  const firstTaken = outcomes.find(
    (outcome) => outcome.status === 'rejected' && outcome.reason instanceof TableExistsError,
  );
  if (firstTaken?.status === 'rejected') {
    // Every table this call's CreateTable made, those that failed after (waiting, TTL) too.
    const created = made
      .flat()
      .filter((change) => change.action === 'created')
      .map((change) => change.table);
    throw sayingOtherFailures(
      new TableExistsError(taken, {
        created,
        cause: (firstTaken.reason as TableExistsError).cause,
      }),
      outcomes.flatMap((outcome) =>
        outcome.status === 'rejected' && !(outcome.reason instanceof TableExistsError)
          ? [outcome.reason]
          : [],
      ),
    );
  }
  // Any other failure, with what the call did all the same.
  return changesOrFailure(outcomes, made);
}

async function applyPlan(
  client: DynamoDBClient,
  plan: TableReconciliation,
  options: ProvisionOptions,
  settings: WaitSettings,
  done: ProvisionChange[],
): Promise<ProvisionChange[]> {
  const name = plan.spec.table.name;
  if (plan.kind === 'create') {
    const result = await createTable(client, plan.spec, settings, done);
    if (!('found' in result)) return result;
    // Created by someone else since it was planned (or by an attempt of this call's request
    // whose answer was lost): reconciled like any existing table.
    const first = done.length;
    // Perhaps this call's, from now on: a failure below says so among what the call did.
    if (result.answerLost) done.push({ table: name, action: 'created', madeBy: 'unknown' });
    let replanned = await reconcileTable(client, plan.spec, settings, true);
    if (replanned.kind === 'create') {
      // Right after CreateTable, DescribeTable may not see the table yet (DynamoDB documents
      // it as eventually consistent): waited for, as after this call's own CreateTable.
      const declared = plan.spec.table.indexes.map((index) => index.name);
      await waitForTableActive(client, name, settings, declared);
      replanned = await reconcileTable(client, plan.spec, settings, true);
      if (replanned.kind === 'create') throw new TableExistsError([name], { cause: result.cause });
    }
    if (replanned.differences.length > 0) {
      // Not this call's CreateTable, which asked for the spec's table.
      done.splice(first);
      throw new TableMismatchError(name, replanned.differences);
    }
    if (!result.answerLost) return applyPlan(client, replanned, options, settings, done);
    await applyPlan(client, replanned, options, settings, done);
    return done.slice(first);
  }
  const first = done.length;
  // A table still CREATING or UPDATING is not ready for use, nor, with any index still being
  // built, for an UpdateTable that adds one; an index the spec does not declare is waited for
  // only then.
  const declared = plan.spec.table.indexes.map((index) => index.name);
  const needed = plan.missingIndexes.length > 0 ? undefined : declared;
  let description = isActive(plan.description, needed)
    ? plan.description
    : await waitForTableActive(client, name, settings, needed);
  for (const index of plan.missingIndexes) {
    const added = await addGlobalIndex(client, description, index, options, settings);
    description = await waitForTableActive(client, name, settings);
    if (added === undefined || added.madeBy === 'unknown') {
      // Another process (perhaps) added it: checked as the plan checked the indexes already there.
      const { differences } = compareTable(plan.spec.table, description);
      if (differences.length > 0) throw new TableMismatchError(name, differences);
    }
    if (added) done.push(added);
  }
  const ttlAttribute = plan.spec.table.ttlAttribute;
  if (plan.enableTtl && ttlAttribute !== undefined) {
    const enabled = await enableTimeToLive(client, name, ttlAttribute);
    if (enabled) done.push(enabled);
  }
  const changes = done.slice(first);
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
  checkTablesRequest(tables, 'ensureTables');
  const settings = waitSettings(options, 'ensureTables');
  const specs = tableSpecs(tables, options);
  const plans = await settleAll(specs.map((spec) => reconcileTable(client, spec, settings, true)));
  for (const plan of plans) {
    if (plan.kind === 'update' && plan.differences.length > 0) {
      throw new TableMismatchError(plan.spec.table.name, plan.differences);
    }
  }
  return settleProvisioning(
    plans.map((plan) => (done) => applyPlan(client, plan, options, settings, done)),
  );
}

async function deleteTable(
  client: DynamoDBClient,
  name: string,
  description: TableDescription | undefined,
  settings: WaitSettings,
  done: ProvisionChange[],
): Promise<ProvisionChange[]> {
  if (!description) return [{ table: name, action: 'absent' }];
  const deadline = performance.now() + settings.timeoutMs;
  let seen: TableDescription | undefined = description;
  let sent: Awaited<ReturnType<typeof sendChange>>;
  for (;;) {
    // DynamoDB refuses to delete a table CREATING or UPDATING (ResourceInUseException): waited
    // for, as long as it is there to delete. Not found then, it is gone or was never seen by
    // that read (DescribeTable is eventually consistent): the DeleteTable below tells.
    const settled =
      seen?.TableStatus === 'CREATING' || seen?.TableStatus === 'UPDATING'
        ? await waitForTableDeletable(client, name, settings)
        : seen;
    if (settled?.TableStatus === 'DELETING') {
      // Another process's DeleteTable: waited for, this call deleting nothing (as ensureTables
      // reports `unchanged` a table another process changed first).
      await waitForTableGone(client, name, settings);
      return [{ table: name, action: 'absent' }];
    }
    sent = await sendChange(client, new DeleteTableCommand({ TableName: name }));
    if (sent.ok || sent.answerLost || errorName(sent.error) !== 'ResourceInUseException') break;
    // Refused as in use: the table is there, and the look before it was behind (a table not
    // found, or ACTIVE, that is CREATING, or UPDATING by another process meanwhile). Looked at
    // again and waited for, within waitTimeoutMs; deleting meanwhile, as above. A look that
    // does not find it, or sees it ACTIVE, may be behind as well: DeleteTable is sent again
    // after a pause, and tells (gone meanwhile: ResourceNotFoundException, reported absent).
    if (performance.now() >= deadline) throw toBackendError(sent.error, 'DeleteTable', name);
    const now = await describeTable(client, name);
    const moving = ['CREATING', 'UPDATING', 'DELETING'].includes(now?.TableStatus ?? '');
    if (!moving) await sleep(Math.min(settings.pollIntervalMs, deadline - performance.now()));
    seen = moving ? now : undefined;
  }
  let deleted: ProvisionChange = { table: name, action: 'deleted' };
  if (!sent.ok) {
    const refusal = errorName(sent.error);
    if (refusal === 'ResourceNotFoundException' && !sent.answerLost)
      return [{ table: name, action: 'absent' }];
    if (!sent.answerLost) throw toBackendError(sent.error, 'DeleteTable', name);
    // A retry meets the table gone, or going (an engine that refuses to delete a DELETING
    // table): deleted by the attempt whose answer was lost, or by another process meanwhile.
    const now =
      refusal === 'ResourceNotFoundException'
        ? undefined
        : refusal === 'ResourceInUseException'
          ? await describeTable(client, name).catch(() => 'unknown' as const)
          : 'unknown';
    if (now === 'unknown')
      throw changeOutcomeUnknown('DeleteTable', name, 'the table was deleted', sent.error, {
        completing: 'deleteTables deletes it if it is still there',
      });
    // Still there and not going: no attempt deleted it (its other use refused the retry).
    if (now !== undefined && now.TableStatus !== 'DELETING')
      throw toBackendError(sent.error, 'DeleteTable', name);
  }
  // Going, whatever follows: the wait for it to be gone may still fail. DynamoDB answers a
  // DeleteTable of a table already DELETING with success: after a lost answer, that table may
  // be going by the lost attempt or by another process.
  if (sent.answerLost) deleted = { ...deleted, madeBy: 'unknown' };
  done.push(deleted);
  await waitForTableGone(client, name, settings);
  return [deleted];
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
  // The options given to createTables are taken too: billing and throughput mean nothing here.
  checkTablesRequest(tables, 'deleteTables');
  const settings = waitSettings(options, 'deleteTables');
  const names = [...new Set(tables.map((table) => table.name))];
  const descriptions = await Promise.all(names.map((name) => describeTable(client, name)));
  // DynamoDB refuses to delete a table with deletion protection on: refused before any table
  // is deleted, rather than after the others of the call are gone.
  const kept = names.filter((_, position) => descriptions[position]?.DeletionProtectionEnabled);
  if (kept.length > 0)
    throw new InvalidRequestError(
      `deleteTables: deletion protection is on for ${kept.join(', ')}; nothing was deleted`,
    );
  return settleProvisioning(
    names.map(
      (name, position) => (done) =>
        deleteTable(client, name, descriptions[position], settings, done),
    ),
  );
}
