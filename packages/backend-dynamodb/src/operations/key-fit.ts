import {
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  AccessDeniedError,
  BackendError,
  type IndexDescriptor,
  type MacaronError,
  type TableDescriptor,
  TableMismatchError,
  ThrottledError,
  UnreachableError,
} from '@macaron/core';
import { isAmbiguousFailure, toMacaronError } from '../errors/dynamodb-errors.js';
import { compareIndex, compareKeys } from '../provision/table-differences.js';
import { sendTracked } from './macaron-middleware.js';

/** What one DescribeTable said of a table: its key differences and its indexes', or why it said nothing. */
type Verdict = { differences: string[]; indexes: IndexVerdicts } | { failure: unknown };

/** A table's indexes of the spec: the differences of those that differ, those it lacks. */
interface IndexVerdicts {
  readonly differing: ReadonlyMap<string, string[]>;
  readonly missing: ReadonlySet<string>;
}

const noIndexVerdicts: IndexVerdicts = { differing: new Map(), missing: new Set() };

/**
 * The tables a backend has found keyed as their spec says, each read with DescribeTable once,
 * before the first request on it. DynamoDB refuses a key that does not fit its table, but not
 * a put whose item holds the table's own key attributes (the old key, kept as a property after
 * a spec changed its key), nor a scan: those would replace items and read them as another
 * model's. Nor does it refuse a query through an index that projects less than the whole item
 * (KEYS_ONLY, INCLUDE): the objects read would lack attributes, and saving them would drop those.
 * - A table found keyed otherwise is a `TableMismatchError` for every request, described
 *   again at each (it may be fixed), and refused still while DescribeTable fails.
 * - An index found keyed or projected otherwise is a `TableMismatchError` for the queries and
 *   scans through it, described again at each; other requests on the table go on.
 * - Without permission to describe it (or on an engine without DescribeTable), a table is
 *   taken as it is, for good.
 * - While DescribeTable fails otherwise, a table never found fitting is read unchecked, and
 *   written to, or read through an index, not at all (nothing sent), until it answers: a
 *   `ThrottledError` while DynamoDB throttles or fails, the `UnreachableError` or
 *   `AccessDeniedError` the request itself would get while DynamoDB cannot be reached or refuses
 *   the client's credentials, and a `BackendError` while the client cannot send it at all (no
 *   region, a credential provider that fails) or something else refuses it (a firewall's 403):
 *   a retry does not mend those (P-108).
 */
export class KeyFit {
  // Keyed as the spec says, or not checkable: never described again while the table has the
  // indexes it had then (one that gained an index since, see `perTable`, is described again).
  private readonly settled = new WeakMap<TableDescriptor, readonly IndexDescriptor[]>();
  private readonly mismatched = new WeakMap<TableDescriptor, TableMismatchError>();
  // What the last description of a settled table said of its indexes.
  private readonly indexVerdicts = new WeakMap<TableDescriptor, IndexVerdicts>();
  // One DescribeTable a table at a time, for the calls that start together.
  private readonly pending = new Map<TableDescriptor, Promise<Verdict>>();

  constructor(private readonly client: DynamoDBClient) {}

  /** The tables among `tables` not yet settled, or undefined when none is left. */
  unchecked(
    tables: TableDescriptor | readonly TableDescriptor[],
  ): readonly TableDescriptor[] | undefined {
    if (!Array.isArray(tables)) {
      const table = tables as TableDescriptor;
      return this.isSettled(table) ? undefined : [table];
    }
    const left = tables.filter((table) => !this.isSettled(table));
    return left.length > 0 ? left : undefined;
  }

  private isSettled(table: TableDescriptor): boolean {
    return this.settled.get(table) === table.indexes;
  }

  /** Checks each table before a request on it (`writes`: the request writes). */
  async check(tables: readonly TableDescriptor[], writes: boolean): Promise<void> {
    for (const table of new Set(tables))
      this.judge(
        table,
        await this.verdictOf(table),
        writes
          ? 'its keys could not be checked against the spec, so nothing was written'
          : undefined,
      );
  }

  /** Checks the table's index `index` before a query or scan through it. */
  async checkIndex(table: TableDescriptor, index: string): Promise<void> {
    const earlier = this.indexVerdicts.get(table);
    if (
      this.isSettled(table) &&
      earlier &&
      !earlier.differing.has(index) &&
      !earlier.missing.has(index)
    )
      return;
    // Not described yet, or the index differed or was missing: described again (it may have
    // been rebuilt, or made since, with a projection of its own).
    const found = await this.verdictOf(table);
    const known = earlier?.differing.get(index);
    // A mismatch already found stays refused while DescribeTable fails.
    if (
      known &&
      'failure' in found &&
      mayPass(found.failure) &&
      errorName(found.failure) !== 'ResourceNotFoundException'
    )
      throw new TableMismatchError(table.name, known);
    this.judge(
      table,
      found,
      `its index ${index} could not be checked against the spec, so nothing was read through it`,
    );
    const differences = this.indexVerdicts.get(table)?.differing.get(index);
    if (differences) throw new TableMismatchError(table.name, differences);
  }

  private verdictOf(table: TableDescriptor): Promise<Verdict> {
    let verdict = this.pending.get(table);
    if (!verdict) {
      verdict = this.describe(table).finally(() => this.pending.delete(table));
      this.pending.set(table, verdict);
    }
    return verdict;
  }

  /**
   * Records what DescribeTable said of a table, and throws what it refuses; `unknownRefused`
   * says why a request is refused while DescribeTable fails (none: it goes on unchecked).
   */
  private judge(table: TableDescriptor, found: Verdict, unknownRefused: string | undefined): void {
    if ('differences' in found) {
      if (found.differences.length === 0) {
        this.settled.set(table, table.indexes);
        this.mismatched.delete(table);
        this.indexVerdicts.set(table, found.indexes);
        return;
      }
      // Found keyed otherwise (again, or since: a table described anew for an index of it).
      const mismatch = new TableMismatchError(table.name, found.differences);
      this.settled.delete(table);
      this.mismatched.set(table, mismatch);
      throw mismatch;
    }
    // A missing table: the request says so itself (`TableNotFoundError`), and `ensureTables`
    // may make it before the next.
    if (errorName(found.failure) === 'ResourceNotFoundException') {
      this.indexVerdicts.delete(table);
      return;
    }
    if (!mayPass(found.failure)) {
      this.settled.set(table, table.indexes);
      return;
    }
    const known = this.mismatched.get(table);
    if (known) throw known;
    if (unknownRefused) throw refusalWhileUndescribed(table.name, found.failure, unknownRefused);
  }

  private async describe(table: TableDescriptor): Promise<Verdict> {
    let described: TableDescription | undefined;
    try {
      // Tracked, so that an empty answer (a proxy's, not DynamoDB's) is a failure, described
      // again next time, rather than a stand-in's answer, taken for good.
      described = (
        await sendTracked(this.client, new DescribeTableCommand({ TableName: table.name }))
      ).Table;
    } catch (failure) {
      return { failure };
    }
    // An answer without a key schema (a stand-in engine, a client mocked in tests) says
    // nothing: taken as it is. (An empty HTTP body is not taken for one: see keepAnswer.)
    if (!described?.KeySchema) return { differences: [], indexes: noIndexVerdicts };
    const definitions = described.AttributeDefinitions ?? [];
    const differing = new Map<string, string[]>();
    const missing = new Set<string>();
    for (const index of table.indexes) {
      const existing =
        described.GlobalSecondaryIndexes?.find((found) => found.IndexName === index.name) ??
        described.LocalSecondaryIndexes?.find((found) => found.IndexName === index.name);
      // A missing index: a request through it says so itself (`TableNotFoundError`), and it is
      // described again when next read through, made meanwhile perhaps.
      if (!existing) {
        missing.add(index.name);
        continue;
      }
      const differences = compareIndex(index, existing, definitions);
      if (differences.length > 0) differing.set(index.name, differences);
    }
    const indexes = { differing, missing };
    return {
      differences: compareKeys(
        '',
        described.KeySchema,
        definitions,
        table.partitionKey,
        table.sortKey,
      ),
      indexes,
    };
  }
}

/** What a request refused because DescribeTable failed with `failure` is told. */
function refusalWhileUndescribed(table: string, failure: unknown, why: string): MacaronError {
  const options = { cause: failure };
  const failed = `DescribeTable on ${table} failed (${errorName(failure)})`;
  const translated = toMacaronError(failure, 'DescribeTable', table);
  if (translated instanceof ThrottledError)
    return new ThrottledError(`${failed}: ${why}; try again`, options);
  if (translated instanceof UnreachableError)
    return new UnreachableError(`${failed}: DynamoDB cannot be reached; ${why}`, options);
  if (translated instanceof AccessDeniedError)
    return new AccessDeniedError(`${failed}: ${translated.message}; ${why}`, {
      ...options,
      notSent: true,
    });
  // No answer and no failure of the connection: the client never sent it (no region, no
  // credentials, a certificate it does not trust).
  const status = (failure as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
    ?.httpStatusCode;
  if (status === undefined && !isAmbiguousFailure(failure))
    return new BackendError(
      `${failed}: the client could not send it${
        failure instanceof Error ? ` (${failure.message})` : ''
      }; ${why}`,
      { ...options, notSent: true },
    );
  // A 5xx, or a connection lost: DynamoDB failing, for now. Any other answer (a 4xx a proxy or a
  // firewall sends, an error DynamoDB does not name) is not mended by a retry.
  if (isAmbiguousFailure(failure))
    return new ThrottledError(`${failed}: ${why}; try again`, options);
  return new BackendError(`${failed}: ${why}`, { ...options, notSent: true });
}

function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'error';
}

// Refusals that will not pass by themselves: no permission to describe tables, an engine
// without DescribeTable. Anything else (throttling, the network, expired credentials) may.
const lasting = new Set(['AccessDeniedException', 'UnknownOperationException']);

function mayPass(error: unknown): boolean {
  return !lasting.has(errorName(error));
}
