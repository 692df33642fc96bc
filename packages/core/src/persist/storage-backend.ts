import type { Condition, SortKeyCondition } from './condition.js';
import type { ItemKey, KeyValue, StoredItem } from './stored-value.js';
import type { ModelDescriptor, TableDescriptor } from './table-descriptor.js';
import type { UpdateOperation } from './update-operation.js';

/** What a backend can do, as data: tests and core read it instead of backend names. */
export interface BackendCapabilities {
  /** `transactWrite` is all-or-nothing. */
  readonly transactions: boolean;
  /** The engine honours items' expiry attribute. */
  readonly ttl: boolean;
  /** Most keys one `batchGet` call takes (DynamoDB: 100). */
  readonly maxBatchGet: number;
  /** Most requests one `batchWrite` call takes (DynamoDB: 25). */
  readonly maxBatchWrite: number;
  /** Most actions one transaction takes (DynamoDB: 100). */
  readonly maxTransactionActions: number;
  /** Largest item the engine stores, in bytes as DynamoDB counts them (400 KB). */
  readonly maxItemBytes: number;
  /**
   * Most items a page of `queryAll()` / `scanAll()` without a `limit` reads, for an engine whose
   * pages without a limit hold everything (memory, PostgreSQL); absent where the engine bounds
   * its pages itself (DynamoDB ends one at 1 MB). The walk yields the same items either way.
   */
  readonly walkPageLimit?: number;
}

/** Reads one item. */
export interface GetItemRequest {
  /** The model whose table holds the item. */
  readonly model: ModelDescriptor;
  /** Full key (partition and sort). */
  readonly key: ItemKey;
  /** Strongly consistent read, where the engine has the choice. */
  readonly consistent?: boolean;
  /** Only these top-level attributes (core includes the key attributes it needs). */
  readonly attributes?: readonly string[];
}

/** Writes a whole item, replacing any under the same key. */
export interface PutItemRequest {
  /** The model of the item. */
  readonly model: ModelDescriptor;
  /** The item, already validated by core. */
  readonly item: StoredItem;
  /** Write only if this holds for the stored item (missing attributes do not exist). */
  readonly condition?: Condition;
}

/** Deletes one item. */
export interface DeleteItemRequest {
  /** The model of the item. */
  readonly model: ModelDescriptor;
  /** Full key. */
  readonly key: ItemKey;
  /** Delete only if this holds. */
  readonly condition?: Condition;
  /**
   * What the answer must say of the item deleted: `item` (the default), the item itself;
   * `presence`, only whether there was one: the backend may then answer the key alone, and
   * must not fail because the old item cannot be read (a value another client wrote that no
   * JavaScript value holds exactly). Backends that ignore it answer the item, which says as much.
   */
  readonly answer?: 'item' | 'presence';
}

/** Applies update operations atomically, creating the item if absent (unless a condition says otherwise). */
export interface UpdateItemRequest {
  /** The model of the item. */
  readonly model: ModelDescriptor;
  /** Full key. */
  readonly key: ItemKey;
  /** The operations, applied together in one write. */
  readonly operations: readonly UpdateOperation[];
  /** Update only if this holds. */
  readonly condition?: Condition;
}

/** Reads one partition of a table or index, in sort-key order. */
export interface QueryRequest {
  /** The model whose table is read. */
  readonly model: ModelDescriptor;
  /** Index name, or none for the table itself. */
  readonly index?: string;
  /** The partition key value. */
  readonly partition: KeyValue;
  /** Condition on the sort key. */
  readonly sort?: SortKeyCondition;
  /** Filter applied after the limit, as DynamoDB does. */
  readonly filter?: Condition;
  /** Most items evaluated in this page. */
  readonly limit?: number;
  /** The last key of the previous page (table key plus index key attributes). */
  readonly startKey?: ItemKey;
  /** Descending sort-key order. */
  readonly reverse?: boolean;
  /** Strongly consistent read (tables only). */
  readonly consistent?: boolean;
}

/** Reads a whole table or index, page by page. */
export interface ScanRequest {
  /** The model whose table is read. */
  readonly model: ModelDescriptor;
  /** Index name, or none for the table. */
  readonly index?: string;
  /** Filter applied after the limit. */
  readonly filter?: Condition;
  /** Most items evaluated in this page. */
  readonly limit?: number;
  /** The last key of the previous page. */
  readonly startKey?: ItemKey;
  /** Strongly consistent read. */
  readonly consistent?: boolean;
}

/** One page of a query or scan. */
export interface Page {
  /** The items, in order. */
  readonly items: StoredItem[];
  /** Where the next page starts; absent when the read is complete. */
  readonly lastKey?: ItemKey;
}

/** One key to read in a batch. */
export interface BatchGetEntry {
  /** The model of the item. */
  readonly model: ModelDescriptor;
  /** Full key. */
  readonly key: ItemKey;
}

/** Result of one `batchGet` call. */
export interface BatchGetResult {
  /** Found items, each with the entry that asked for it, in any order. */
  readonly found: readonly { readonly entry: BatchGetEntry; readonly item: StoredItem }[];
  /** The entries the engine left unread (the same objects that were passed in). */
  readonly unprocessed: readonly BatchGetEntry[];
}

/** One write in a batch: a put or a delete, never conditional. */
export type BatchWriteEntry =
  | { readonly model: ModelDescriptor; readonly put: StoredItem }
  | { readonly model: ModelDescriptor; readonly delete: ItemKey };

/** Result of one `batchWrite` call. */
export interface BatchWriteResult {
  /** The entries the engine left unwritten (the same objects that were passed in). */
  readonly unprocessed: readonly BatchWriteEntry[];
}

/** One action of a transaction. */
export type TransactionAction =
  | {
      readonly kind: 'put';
      readonly model: ModelDescriptor;
      readonly item: StoredItem;
      readonly condition?: Condition;
    }
  | {
      readonly kind: 'delete';
      readonly model: ModelDescriptor;
      readonly key: ItemKey;
      readonly condition?: Condition;
    }
  | {
      readonly kind: 'update';
      readonly model: ModelDescriptor;
      readonly key: ItemKey;
      readonly operations: readonly UpdateOperation[];
      readonly condition?: Condition;
    }
  | {
      readonly kind: 'check';
      readonly model: ModelDescriptor;
      readonly key: ItemKey;
      readonly condition: Condition;
    };

/**
 * The contract between core and a storage engine. Core validates, chunks, retries and
 * maps errors to their meaning; a backend performs single requests on plain items.
 *
 * Errors: a failed condition throws `ConditionFailedError`; a cancelled transaction throws
 * `TransactionCanceledError` whose reasons carry `CONDITION_FAILED` for failed conditions;
 * throttling throws `ThrottledError`; an ambiguous write `WriteOutcomeUnknownError`; any
 * other engine failure `BackendError` with the engine's error as `cause`.
 *
 * Items: every item a backend returns (read, updated, deleted, in a page or a batch) is
 * built for that one call and belongs to the caller: the backend keeps no reference to it or
 * to anything in it (`cloneItem` from `@macaron/core/backend` where it keeps items in
 * memory). Core takes returned items over as the loaded objects' values without copying
 * them again. Items and keys core passes in stay the caller's: a backend copies what it keeps.
 */
export interface StorageBackend {
  /**
   * The version of this contract the backend implements: `backendContractVersion` from
   * `@macaron/core/backend`. Core refuses a backend built for another version.
   */
  readonly contractVersion: 1;
  /** A short name for messages and logs, e.g. `memory`, `dynamodb`. */
  readonly name: string;
  /** What this backend can do. */
  readonly capabilities: BackendCapabilities;
  /**
   * Reads one item; `undefined` when there is none. On a table models share, another model's
   * item that the backend cannot read exactly may be given as its key and discriminator
   * attribute alone: core sets it aside as another model's (so does `batchGet`).
   */
  getItem(request: GetItemRequest): Promise<StoredItem | undefined>;
  /** Writes one item. */
  putItem(request: PutItemRequest): Promise<void>;
  /** Deletes one item; returns the item that was deleted (its key alone, when `answer` is `presence`), if any. */
  deleteItem(request: DeleteItemRequest): Promise<StoredItem | undefined>;
  /** Applies update operations atomically; returns the item as it is afterwards. */
  updateItem(request: UpdateItemRequest): Promise<StoredItem>;
  /** Reads one page of one partition. */
  query(request: QueryRequest): Promise<Page>;
  /** Reads one page of a whole table or index. */
  scan(request: ScanRequest): Promise<Page>;
  /** Reads up to `capabilities.maxBatchGet` items; may leave some unprocessed. */
  batchGet(
    entries: readonly BatchGetEntry[],
    options?: { consistent?: boolean },
  ): Promise<BatchGetResult>;
  /** Writes up to `capabilities.maxBatchWrite` entries; may leave some unprocessed. */
  batchWrite(entries: readonly BatchWriteEntry[]): Promise<BatchWriteResult>;
  /** Applies every action or none. */
  transactWrite(actions: readonly TransactionAction[]): Promise<void>;
  /**
   * Makes sure the tables exist (a no-op where tables need no provisioning). What it resolves
   * to is the backend's own (the PostgreSQL backend's: what it changed, table by table).
   */
  ensureTables?(tables: readonly TableDescriptor[]): Promise<unknown>;
  /** Releases connections and timers. */
  close?(): Promise<void>;
}
