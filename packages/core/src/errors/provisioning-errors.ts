import { keepClassNames } from './class-names.js';
import { MacaronError, type MacaronErrorOptions } from './macaron-error.js';
import { BackendError } from './persistence-errors.js';
import { shownName, shownText } from './shown-name.js';

/**
 * `createTables` found tables that exist already (`ensureTables` reconciles them instead).
 * One class for every backend, so that code catching it moves between backends unchanged.
 */
export class TableExistsError extends MacaronError {
  /** `TABLE_EXISTS`. */
  static override code = 'TABLE_EXISTS';
  /** 409. */
  static override status = 409;
  /** The tables that exist already. */
  readonly tables: readonly string[];
  /**
   * The tables this call created all the same, empty unless another process created `tables`
   * at the same time (a backend that cannot create tables atomically, DynamoDB): they stay.
   */
  readonly created: readonly string[];
  constructor(
    tables: readonly string[],
    options?: MacaronErrorOptions & { created?: readonly string[] | undefined },
  ) {
    const created = options?.created ?? [];
    super(
      `Table${tables.length > 1 ? 's' : ''} ${tables.map(shownName).join(', ')} exist${tables.length > 1 ? '' : 's'} already; ensureTables reconciles existing tables instead${
        created.length > 0
          ? `. Another process created ${tables.length > 1 ? 'them' : 'it'} at the same time as this call created ${created.map(shownName).join(', ')}, which stay${created.length > 1 ? '' : 's'}`
          : ''
      }`,
      options,
    );
    this.tables = tables;
    this.created = created;
  }
}

/** An existing table differs from the spec in a way provisioning cannot fix (its keys, say). */
export class TableMismatchError extends MacaronError {
  /** `TABLE_MISMATCH`. */
  static override code = 'TABLE_MISMATCH';
  /** 409. */
  static override status = 409;
  /** The table that differs. */
  readonly table: string;
  /** Each difference, in the engine's terms, e.g. `partition key: table has id (S), spec has profile_id (S)`. */
  readonly differences: readonly string[];
  constructor(table: string, differences: readonly string[], options?: MacaronErrorOptions) {
    super(
      `Table ${shownName(table)} differs from the spec: ${shownText(differences.join('; '))}. Provisioning cannot change this in place: migrate the data to a new table, or change the table by hand`,
      options,
    );
    this.table = table;
    this.differences = differences;
  }
}

/**
 * The request named a table, or a query or scan an index, that does not exist
 * (`ensureTables` or `createTables` creates it). The engine refused it whole: nothing was
 * read or written. A `BackendError`, so code that catches those catches it too.
 */
export class TableNotFoundError extends BackendError {
  /** `TABLE_NOT_FOUND`. */
  static override code = 'TABLE_NOT_FOUND';
  /** 500: the deployment's tables, not the request, are wrong. */
  static override status = 500;
}

// Names that no minifier changes (see `keepClassNames`).
keepClassNames({ TableExistsError, TableMismatchError, TableNotFoundError });
