import { MacaronError } from '@macaron/core';

/** `createTables` found tables that exist already (use `ensureTables` to reconcile them). */
export class TableExistsError extends MacaronError {
  /** `TABLE_EXISTS`. */
  static override code = 'TABLE_EXISTS';
  /** 409. */
  static override status = 409;
  /** The tables that exist already. */
  readonly tables: readonly string[];
  constructor(tables: readonly string[]) {
    super(
      `Table${tables.length > 1 ? 's' : ''} ${tables.join(', ')} exist${tables.length > 1 ? '' : 's'} already; ensureTables reconciles existing tables instead`,
    );
    this.tables = tables;
  }
}

/** An existing table's keys differ from the spec in a way provisioning cannot fix. */
export class TableMismatchError extends MacaronError {
  /** `TABLE_MISMATCH`. */
  static override code = 'TABLE_MISMATCH';
  /** 409. */
  static override status = 409;
  /** The table that differs. */
  readonly table: string;
  /** Each difference, e.g. `primary key: table has id text COLLATE "C", spec has profile_id …`. */
  readonly differences: readonly string[];
  constructor(table: string, differences: readonly string[]) {
    super(
      `Table ${table} differs from the spec: ${differences.join('; ')}. Provisioning cannot change this in place: migrate the data to a new table, or change the table by hand`,
    );
    this.table = table;
    this.differences = differences;
  }
}
