import {
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { type TableDescriptor, TableMismatchError } from '@macaron/core';
import { compareKeys } from '../provision/table-differences.js';

/**
 * The tables a backend has found keyed as their spec says, each read with DescribeTable once,
 * before the first request on it. DynamoDB refuses a key that does not fit its table, but not
 * a put whose item holds the table's own key attributes (the old key, kept as a property after
 * a spec changed its key), nor a scan: those would replace items and read them as another
 * model's. Where DescribeTable gives no answer (no permission for it, an engine without it),
 * the table is taken as it is.
 */
export class KeyFit {
  // Checked: keyed as the spec says, or not checkable.
  private readonly settled = new WeakSet<TableDescriptor>();
  // One DescribeTable a table at a time, for the calls that start together.
  private readonly pending = new Map<TableDescriptor, Promise<void>>();

  constructor(private readonly client: DynamoDBClient) {}

  /** The tables among `tables` not yet checked, or undefined when none is left. */
  unchecked(
    tables: TableDescriptor | readonly TableDescriptor[],
  ): readonly TableDescriptor[] | undefined {
    if (!Array.isArray(tables)) {
      const table = tables as TableDescriptor;
      return this.settled.has(table) ? undefined : [table];
    }
    const left = tables.filter((table) => !this.settled.has(table));
    return left.length > 0 ? left : undefined;
  }

  /** `TableMismatchError` for a table keyed otherwise than its spec (checked again next time). */
  async check(tables: readonly TableDescriptor[]): Promise<void> {
    for (const table of new Set(tables)) {
      let check = this.pending.get(table);
      if (!check) {
        check = this.describe(table).finally(() => this.pending.delete(table));
        this.pending.set(table, check);
      }
      await check;
    }
  }

  private async describe(table: TableDescriptor): Promise<void> {
    let described: TableDescription | undefined;
    try {
      described = (await this.client.send(new DescribeTableCommand({ TableName: table.name })))
        .Table;
    } catch (error) {
      // A missing table: the request itself says so. A failure that may pass (throttling, the
      // network, the service): checked at the next request. Any other refusal (no permission
      // to describe tables) will not pass: the table is taken as it is.
      if (!mayPass(error)) this.settled.add(table);
      return;
    }
    if (described?.KeySchema) {
      const differences = compareKeys(
        '',
        described.KeySchema,
        described.AttributeDefinitions ?? [],
        table.partitionKey,
        table.sortKey,
      );
      if (differences.length > 0) throw new TableMismatchError(table.name, differences);
    }
    this.settled.add(table);
  }
}

function mayPass(error: unknown): boolean {
  const failure = error as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  const status = failure?.$metadata?.httpStatusCode;
  return (
    failure?.name === 'ResourceNotFoundException' ||
    /Throttl|LimitExceeded|TooManyRequests/.test(String(failure?.name)) ||
    status === undefined ||
    status >= 500
  );
}
