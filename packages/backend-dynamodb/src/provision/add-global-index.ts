import {
  type DynamoDBClient,
  type TableDescription,
  UpdateTableCommand,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { type IndexDescriptor, UnsupportedOperationError } from '@macaron/core';
import { errorName, toBackendError } from './provision-errors.js';
import type { ProvisionChange, ProvisionOptions, WaitSettings } from './provision-options.js';
import { changeOutcomeUnknown, sendChange } from './send-change.js';
import {
  resolveBilling,
  toAttributeDefinitions,
  toGlobalSecondaryIndex,
} from './table-definition.js';
import { describeTable, waitForTableActive } from './wait-for-table.js';

function unsupported(table: string, index: string, cause?: unknown): UnsupportedOperationError {
  return new UnsupportedOperationError(
    `Table ${table}: the engine did not add index ${index}. It does not support adding a global secondary index to an existing table (dynalite ignores UpdateTable's GlobalSecondaryIndexUpdates.Create, or rejects it on an on-demand table); delete and recreate the table to get the index`,
    cause === undefined ? {} : { cause },
  );
}

// What DynamoDB answers an UpdateTable while another update of the table is in progress (another
// process adding another index: one index is built at a time), or while too many table
// operations run at once.
const busyNames = new Set(['ResourceInUseException', 'LimitExceededException']);
const busyAttempts = 3;

function lists(description: TableDescription | undefined, index: string): boolean {
  return (description?.GlobalSecondaryIndexes ?? []).some((entry) => entry.IndexName === index);
}

/**
 * Adds one global secondary index (projecting all attributes) to an existing, ACTIVE table
 * with UpdateTable, and waits until the table and the index are ACTIVE. The capacity follows
 * the table's billing mode: none when on demand; `options.throughput`, else the table's own,
 * when provisioned. Returns `undefined` when another process added the index first (see below).
 */
export async function addGlobalIndex(
  client: DynamoDBClient,
  description: TableDescription,
  index: IndexDescriptor,
  options: ProvisionOptions,
  settings: WaitSettings,
  attempt = 1,
  earlierAnswerLost = false,
): Promise<ProvisionChange | undefined> {
  const table = description.TableName ?? '';
  const onDemand = description.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST';
  const tableThroughput = description.ProvisionedThroughput;
  const throughput = onDemand
    ? undefined
    : resolveBilling(table, {
        billingMode: 'PROVISIONED',
        throughput: options.throughput ?? {
          read: tableThroughput?.ReadCapacityUnits ?? 0,
          write: tableThroughput?.WriteCapacityUnits ?? 0,
        },
      }).throughput;
  const keys = index.sortKey ? [index.partitionKey, index.sortKey] : [index.partitionKey];
  const newNames = new Set(keys.map((key) => key.name));
  // DynamoDB needs only the new index's attributes, but moto replaces the table's
  // definitions with the ones sent: sending the existing ones too suits both.
  const kept = (description.AttributeDefinitions ?? []).filter(
    (definition) => !newNames.has(definition.AttributeName ?? ''),
  );
  const input: UpdateTableCommandInput = {
    TableName: table,
    AttributeDefinitions: [...kept, ...toAttributeDefinitions(table, keys)],
    GlobalSecondaryIndexUpdates: [{ Create: toGlobalSecondaryIndex(index, throughput) }],
  };
  const sent = await sendChange(client, new UpdateTableCommand(input));
  if (!sent.ok) {
    const { error } = sent;
    // An earlier request's lost attempt (before the table was busy) may have added it too.
    const answerLost = sent.answerLost || earlierAnswerLost;
    // Replicas starting together each plan the index missing and each send it: the ones that
    // lose are refused (DynamoDB: the index exists, or the table is being updated; moto: HTTP
    // 500). The index is there then, added by another process, and is waited for; whether it
    // is the spec's is the caller's to check, as for any existing index. After an attempt of
    // this call's whose answer was lost, that attempt may have added it.
    // A failure to look is no answer: the request's own error is reported then.
    const now = await describeTable(client, table).catch(() => undefined);
    if (lists(now, index.name)) {
      await waitForTableActive(client, table, settings);
      return answerLost
        ? { table, action: 'index-added', detail: index.name, madeBy: 'unknown' }
        : undefined;
    }
    // Sent again once the other update has ended, built from the table as it is then (moto
    // replaces the attribute definitions with those sent: the other index's must be among them).
    if (busyNames.has(errorName(error) ?? '') && attempt < busyAttempts) {
      const settled = await waitForTableActive(client, table, settings);
      return addGlobalIndex(client, settled, index, options, settings, attempt + 1, answerLost);
    }
    // DynamoDB takes no capacity for an index of an on-demand table; dynalite requires one.
    const message = (error as { message?: unknown }).message;
    if (
      onDemand &&
      errorName(error) === 'ValidationException' &&
      typeof message === 'string' &&
      /create\.provisionedThroughput.*must not be null/i.test(message)
    ) {
      throw unsupported(table, index.name, error);
    }
    if (answerLost)
      throw changeOutcomeUnknown(
        `UpdateTable (add index ${index.name})`,
        table,
        `the index was added`,
        error,
      );
    throw toBackendError(error, `UpdateTable (add index ${index.name})`, table);
  }
  const updated = sent.output.TableDescription;
  // DynamoDB lists the new index (CREATING) at once; dynalite answers 200 and ignores it.
  if (!lists(updated, index.name) && !lists(await describeTable(client, table), index.name)) {
    throw unsupported(table, index.name);
  }
  await waitForTableActive(client, table, settings);
  return { table, action: 'index-added', detail: index.name };
}
