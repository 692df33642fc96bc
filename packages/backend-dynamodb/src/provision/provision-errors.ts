import { MacaronError } from '@macaron/core';
import { toMacaronError } from '../errors/dynamodb-errors.js';

/** `createTables` found tables that exist already (use `ensureTables` to reconcile them). */
export class TableExistsError extends MacaronError {
  static override code = 'TABLE_EXISTS';
  static override status = 409;
  /** The tables that exist already. */
  readonly tables: readonly string[];
  constructor(tables: readonly string[], options?: { cause?: unknown }) {
    super(
      `Table${tables.length > 1 ? 's' : ''} ${tables.join(', ')} exist${tables.length > 1 ? '' : 's'} already; ensureTables reconciles existing tables instead`,
      options,
    );
    this.tables = tables;
  }
}

/** An existing table's keys or indexes differ from the spec in a way provisioning cannot fix. */
export class TableMismatchError extends MacaronError {
  static override code = 'TABLE_MISMATCH';
  static override status = 409;
  /** The table that differs. */
  readonly table: string;
  /** Each difference, e.g. `partition key: table has id (S), spec has profile_id (S)`. */
  readonly differences: readonly string[];
  constructor(table: string, differences: readonly string[]) {
    super(
      `Table ${table} differs from the spec: ${differences.join('; ')}. Provisioning cannot change this in place: migrate the data to a new table, or change the table by hand`,
    );
    this.table = table;
    this.differences = differences;
  }
}

/** The `name` of an AWS SDK service error (e.g. `ResourceNotFoundException`), if any. */
export function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The backend's one translation of SDK errors: a Macaron error passes unchanged. */
export function toBackendError(error: unknown, operation: string, table: string): MacaronError {
  return toMacaronError(error, operation, `table ${table}`);
}
