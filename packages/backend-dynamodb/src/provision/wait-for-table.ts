import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { BackendError } from '@macaron/core';
import { sendTracked } from '../operations/macaron-middleware.js';
import { errorName, toBackendError } from './provision-errors.js';
import type { WaitSettings } from './provision-options.js';

/** The table's description, or `undefined` when it does not exist. */
export async function describeTable(
  client: DynamoDBClient,
  table: string,
): Promise<TableDescription | undefined> {
  try {
    // An empty answer is a failure rather than "no such table", which would have the table
    // created or waited for in vain.
    return (await sendTracked(client, new DescribeTableCommand({ TableName: table }))).Table;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw toBackendError(error, 'DescribeTable', table);
  }
}

/**
 * True when the table and its global secondary indexes are ACTIVE: those named in `indexes`,
 * or every one. An index the spec does not declare (another service's, backfilling for hours)
 * is waited for only where DynamoDB needs it: before an UpdateTable that adds one.
 */
export function isActive(
  description: TableDescription | undefined,
  indexes?: readonly string[],
): boolean {
  return (
    description?.TableStatus === 'ACTIVE' &&
    (description.GlobalSecondaryIndexes ?? []).every(
      (index) =>
        index.IndexStatus === 'ACTIVE' ||
        (indexes !== undefined && !indexes.includes(index.IndexName ?? '')),
    )
  );
}

function statusOf(description: TableDescription | undefined): string {
  if (!description) return 'not found';
  const busy = (description.GlobalSecondaryIndexes ?? [])
    .filter((index) => index.IndexStatus !== 'ACTIVE')
    .map((index) => `index ${index.IndexName} ${index.IndexStatus}`);
  return [description.TableStatus ?? 'unknown', ...busy].join(', ');
}

async function poll(
  client: DynamoDBClient,
  table: string,
  settings: WaitSettings,
  wanted: string,
  done: (description: TableDescription | undefined) => boolean,
): Promise<TableDescription | undefined> {
  // A monotonic clock: a step of the wall clock (NTP at boot, a VM resumed) would end the
  // wait early or stretch it past waitTimeoutMs.
  const deadline = performance.now() + settings.timeoutMs;
  for (;;) {
    const description = await describeTable(client, table);
    if (done(description)) return description;
    const remaining = deadline - performance.now();
    if (remaining <= 0) {
      throw new BackendError(
        `Table ${table} did not become ${wanted} within ${settings.timeoutMs} ms (waitTimeoutMs); last seen: ${statusOf(description)}`,
      );
    }
    await sleep(Math.min(settings.pollIntervalMs, remaining));
  }
}

/**
 * Polls DescribeTable until the table and all its indexes are ACTIVE, within the timeout.
 * A table not found yet counts as not ready: right after CreateTable, DescribeTable may
 * not see it (DynamoDB documents it as eventually consistent).
 */
export async function waitForTableActive(
  client: DynamoDBClient,
  table: string,
  settings: WaitSettings,
  indexes?: readonly string[],
): Promise<TableDescription> {
  return (await poll(client, table, settings, 'ACTIVE', (description) =>
    isActive(description, indexes),
  )) as TableDescription;
}

/**
 * Polls DescribeTable until the table is ACTIVE (its indexes too), as DynamoDB needs before a
 * DeleteTable, or is no longer there to delete: DELETING or not found, another process deleting
 * it meanwhile. The last description, undefined when not found.
 */
export async function waitForTableDeletable(
  client: DynamoDBClient,
  table: string,
  settings: WaitSettings,
): Promise<TableDescription | undefined> {
  return poll(
    client,
    table,
    settings,
    'ACTIVE',
    (description) =>
      description === undefined || description.TableStatus === 'DELETING' || isActive(description),
  );
}

/** Polls DescribeTable until the table is gone, within the timeout. */
export async function waitForTableGone(
  client: DynamoDBClient,
  table: string,
  settings: WaitSettings,
): Promise<void> {
  await poll(client, table, settings, 'deleted', (description) => description === undefined);
}
