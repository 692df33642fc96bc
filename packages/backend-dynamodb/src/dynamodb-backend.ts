import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type ConsumedCapacity,
  DeleteItemCommand,
  type DeleteItemCommandOutput,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandOutput,
  PutItemCommand,
  type PutItemCommandOutput,
  QueryCommand,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandOutput,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandOutput,
  UpdateItemCommand,
  type UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  BackendError,
  type ModelDescriptor,
  type StorageBackend,
  type StoredItem,
  type TableDescriptor,
  UnreachableError,
  UnsupportedOperationError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import {
  type BackendCapabilities,
  type BatchGetEntry,
  type BatchGetResult,
  type BatchWriteEntry,
  type BatchWriteResult,
  backendContractVersion,
  type Condition,
  capabilitiesProblem,
  checkBatchGetRequest,
  checkBatchWriteRequest,
  checkDeleteRequest,
  checkGetRequest,
  checkItemKey,
  checkOptionNames,
  checkQueryRequest,
  checkRequestCondition,
  checkRequestModel,
  checkScanRequest,
  checkTablesRequest,
  checkTransactionRequest,
  checkUpdatePaths,
  cloneItem,
  cloneItemToWrite,
  type DeleteItemRequest,
  type GetItemRequest,
  InvalidRequestError,
  type ItemKey,
  indexRead,
  keyFingerprint,
  keyOfItem,
  optionNames,
  type Page,
  type PutItemRequest,
  type QueryRequest,
  type ScanRequest,
  shownJson,
  type TransactionAction,
  type UpdateItemRequest,
  withOverrides,
} from '@macaron/core/backend';
// Types only: dynamodb-toolbox is an optional peer, imported when an entity or a table is asked for.
import type { Entity, Table } from 'dynamodb-toolbox';
import type { ToolboxEntities } from './entity/toolbox-entities.js';
import { loadToolbox } from './entity/toolbox-modules.js';
import { toMacaronError } from './errors/dynamodb-errors.js';
import { namingOversizedEntry } from './errors/oversized-entry.js';
import { conditionExpression, keyConditionExpression } from './expressions/condition-expression.js';
import { ExpressionAttributes } from './expressions/expression-attributes.js';
import { updateExpression } from './expressions/update-expression.js';
import { updateRequestExpressions } from './expressions/update-request-expressions.js';
import { settledError } from './operations/ambiguous-writes.js';
import { cachedClientChecked, checkCachedClient } from './operations/cached-client-check.js';
import { itemPage } from './operations/item-page.js';
import { KeyFit } from './operations/key-fit.js';
import { installMacaronMiddleware } from './operations/macaron-middleware.js';
import { type RequestState, trackRequest } from './operations/request-state.js';
import { guardProtoNames } from './operations/serialized-names.js';
import type { ProvisionOptions } from './provision/index.js';
import { provisionOptionNames } from './provision/provision-options.js';
import {
  fromAttributeMap,
  type InexactNumbers,
  readTableItem,
  takeProtoNamesMarshalled,
  toAttributeMap,
} from './values/attribute-value.js';

/** What the operation hook receives for every request sent to DynamoDB. */
export interface OperationEvent {
  /** The DynamoDB operation, e.g. `GetItem`, `BatchWriteItem`. */
  operation: string;
  /** The physical table name (the first one, for multi-table requests). */
  table: string;
  /** Wall-clock duration of the request, retries included, in milliseconds. */
  durationMs: number;
  /** Capacity the request consumed, as DynamoDB reported it. */
  consumedCapacity?: ConsumedCapacity[];
  /** The error, when the request failed. */
  error?: unknown;
}

/** Options of `createDynamoDbBackend`. */
export interface DynamoDbBackendOptions {
  /** Your DynamoDBClient or DynamoDBDocumentClient (region, endpoint and credentials as the AWS SDK resolves them). */
  client: DynamoDBClient | DynamoDBDocumentClient;
  /**
   * Receives each operation's name, table, duration and consumed capacity, for logs and
   * metrics. Its own failure (a throw, a rejected promise) changes nothing of the call: it is
   * emitted as a process warning (`MACARON_HOOK_FAILED`).
   */
  onOperation?: ((event: OperationEvent) => unknown) | undefined;
  /** Overrides of the declared capabilities, for engines that lack some of DynamoDB's features. */
  capabilities?: Partial<BackendCapabilities> | undefined;
  /** How `ensureTables` provisions tables (billing mode, waits). */
  provision?: ProvisionOptions | undefined;
  /**
   * How a stored number that no JavaScript number holds exactly is read: a fraction of more
   * than 17 significant digits, such as `3.333333333333333333333333333`, which a PyMacaron
   * service stores from a Python `Decimal`. `'refuse'` (the default): the read is a
   * `BackendError` naming it. `'nearest'`: the nearest JavaScript number, as PyMacaron's
   * `float()` read it; a save of the object then stores that number, so the digits beyond it
   * are gone from the item, in attributes the model does not declare too, which a save writes
   * back as read (integers are always read exactly, as bigints beyond 2^53). Key
   * attributes, the table's and its indexes', are refused in either mode: a rounded key
   * would name another item.
   */
  inexactNumbers?: InexactNumbers | undefined;
  /**
   * Whether each table's key schema is read with DescribeTable once, before the first request
   * on it (true by default): a table made for another key (the spec's key renamed, retyped, a
   * sort key added or dropped) is then a `TableMismatchError` for every request, as DynamoDB
   * itself refuses only some (a put whose item holds the table's own key attributes replaces
   * an item). Without permission to describe the table, requests go on unchecked; while
   * DescribeTable fails otherwise, a table not yet found fitting is read unchecked and not
   * written to (nothing sent; `ThrottledError` while DynamoDB throttles or fails, the
   * request's own error while it cannot be reached, refuses the credentials, or the client
   * cannot send at all). `false`: no
   * DescribeTable is sent.
   */
  checkTableKeys?: boolean | undefined;
}

/**
 * Refuses, with `InvalidRequestError` saying what to pass, an argument of `entity()` or
 * `table()` that is no model (or table) descriptor: core's check of a request's model.
 */
function checkToolboxArgument(argument: unknown, model: unknown, expected: string): void {
  try {
    checkRequestModel({ model: model as ModelDescriptor }, expected);
  } catch {
    throw new InvalidRequestError(`${expected}, not ${describeArgument(argument)}`);
  }
}

/** What was passed, in words that show no value (a value may be anything, a secret too). */
function describeArgument(argument: unknown): string {
  if (typeof argument === 'function') return 'a function (a model class? pass its descriptor)';
  if (argument === null) return 'null';
  if (typeof argument !== 'object') return typeof argument;
  return 'another object';
}

/** The DynamoDB backend, with the dynamodb-toolbox Table and Entity derived for each model. */
export interface DynamoDbBackend extends StorageBackend {
  /**
   * The dynamodb-toolbox Entity derived from a model's schema, on a Table that sends with
   * your client: `.build(PutItemCommand).item(…).send()` writes the item Macaron would
   * write (the discriminator included, where models share a table). Rejects with
   * `UnsupportedOperationError` for a model whose schema is open (not
   * `additionalProperties: false`): toolbox would drop its undeclared properties. Loads
   * dynamodb-toolbox on first use: `MissingDependencyError` when it is not installed.
   */
  entity(model: ModelDescriptor): Promise<Entity>;
  /** The dynamodb-toolbox Table derived from a table descriptor, sending with your client. */
  table(table: TableDescriptor): Promise<Table>;
  /** Creates missing tables, adds missing indexes and TTL; waits until all are ACTIVE. */
  ensureTables(tables: readonly TableDescriptor[]): Promise<void>;
  /**
   * Waits for the calls in flight, then refuses every later one with `UnreachableError` (nothing
   * sent). Your client stays open: destroy it after this resolves. Safe to call more than once.
   */
  close(): Promise<void>;
}

/** DynamoDB's own limits and features. */
export const dynamoDbCapabilities: BackendCapabilities = {
  transactions: true,
  ttl: true,
  maxBatchGet: 100,
  maxBatchWrite: 25,
  maxTransactionActions: 100,
  maxItemBytes: 400 * 1024,
};

/** Creates the DynamoDB backend on the client you configured. */
export function createDynamoDbBackend(options: DynamoDbBackendOptions): DynamoDbBackend {
  return new DynamoDbStorage(options);
}

type Sendable = Parameters<DynamoDBClient['send']>[0];

const writeOperations = new Set([
  'PutItem',
  'DeleteItem',
  'UpdateItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/** A delete as sent, and sent again to confirm an ambiguous outcome. */
interface Deletion {
  readonly table: TableDescriptor;
  readonly command: DeleteItemCommand;
  /** The key, when only whether an item was there is asked. */
  readonly presence: StoredItem | undefined;
}

type WriteRequest =
  | { PutRequest: { Item: Record<string, AttributeValue> } }
  | { DeleteRequest: { Key: Record<string, AttributeValue> } };

const backendOptionNames = optionNames(
  'client',
  'onOperation',
  'capabilities',
  'provision',
  'inexactNumbers',
  'checkTableKeys',
);

// A misspelt or missing client would fail only at the first request, inside the SDK.
function checkOptions(options: DynamoDbBackendOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createDynamoDbBackend: options must be an object with a client');
  checkOptionNames(options, backendOptionNames, 'createDynamoDbBackend', TypeError);
  if (typeof options.provision === 'object' && options.provision !== null)
    checkOptionNames(
      options.provision,
      provisionOptionNames,
      'createDynamoDbBackend provision',
      TypeError,
    );
  const client = options.client as Partial<DynamoDBClient> | undefined;
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.send !== 'function' ||
    typeof client.middlewareStack !== 'object'
  )
    throw new TypeError(
      'createDynamoDbBackend: client must be a DynamoDBClient or DynamoDBDocumentClient of the AWS SDK v3',
    );
  if (options.onOperation !== undefined && typeof options.onOperation !== 'function')
    throw new TypeError('createDynamoDbBackend: onOperation must be a function');
  if (options.checkTableKeys !== undefined && typeof options.checkTableKeys !== 'boolean')
    throw new TypeError('createDynamoDbBackend: checkTableKeys must be true or false');
}

// The methods that send to DynamoDB, with the name a call after close() is refused under.
const sendingMethods = [
  ['getItem', 'GetItem'],
  ['putItem', 'PutItem'],
  ['deleteItem', 'DeleteItem'],
  ['updateItem', 'UpdateItem'],
  ['query', 'Query'],
  ['scan', 'Scan'],
  ['batchGet', 'BatchGetItem'],
  ['batchWrite', 'BatchWriteItem'],
  ['transactWrite', 'TransactWriteItems'],
  ['ensureTables', 'ensureTables'],
] as const;

class DynamoDbStorage implements DynamoDbBackend {
  readonly contractVersion = backendContractVersion;
  readonly name = 'dynamodb';
  readonly capabilities: BackendCapabilities;
  private readonly client: DynamoDBClient;
  private toolbox: Promise<ToolboxEntities> | undefined;
  private readonly inexact: InexactNumbers;
  private readonly keyFit: KeyFit | undefined;
  /**
   * The item size the backend checks itself: `capabilities.maxItemBytes` where it was lowered
   * (for an engine of a lower limit), as the other lowered limits are held; undefined at
   * DynamoDB's own, which DynamoDB holds writes to (no count of every item sent).
   */
  private readonly checkedItemBytes: number | undefined;
  // The calls in flight, which close() waits for; set by the first close(), after which
  // every call is refused (the client is yours: destroy it once close() has resolved).
  private inFlight = 0;
  private drained: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: DynamoDbBackendOptions) {
    checkOptions(options);
    // Each request method counted while it runs, and refused once the backend is closed.
    for (const [method, operation] of sendingMethods) {
      const call = (this[method] as (...args: unknown[]) => Promise<unknown>).bind(this);
      (this as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
        this.whileOpen(operation, () => call(...args));
    }
    // A DocumentClient shares its base client's configuration and stack: low-level commands go through it unchanged.
    this.client = options.client as DynamoDBClient;
    const problem =
      options.capabilities === undefined
        ? undefined
        : capabilitiesProblem(options.capabilities, true);
    if (problem) throw new TypeError(`createDynamoDbBackend: ${problem}`);
    this.capabilities = withOverrides(dynamoDbCapabilities, options.capabilities);
    const { maxItemBytes } = this.capabilities;
    this.checkedItemBytes =
      maxItemBytes < dynamoDbCapabilities.maxItemBytes ? maxItemBytes : undefined;
    const inexact = options.inexactNumbers ?? 'refuse';
    if (inexact !== 'refuse' && inexact !== 'nearest')
      throw new TypeError(
        `createDynamoDbBackend: inexactNumbers must be 'refuse' or 'nearest', not ${shownJson(inexact)}`,
      );
    this.inexact = inexact;
    this.keyFit = options.checkTableKeys === false ? undefined : new KeyFit(this.client);
  }

  async table(descriptor: TableDescriptor): Promise<Table> {
    // What no type check stops in JavaScript (a model's descriptor for its table's, nothing at
    // all): an InvalidRequestError saying what to pass, never a TypeError from deep inside.
    checkToolboxArgument(
      descriptor,
      { table: descriptor },
      'backend.table() takes a table descriptor (one of api.tables(), or Model.descriptor.table)',
    );
    return (await this.toolboxEntities()).table(descriptor);
  }

  async entity(model: ModelDescriptor): Promise<Entity> {
    checkToolboxArgument(
      model,
      model,
      'backend.entity() takes a model descriptor (Model.descriptor, Model being api.persistent(name))',
    );
    return (await this.toolboxEntities()).entity(model);
  }

  // dynamodb-toolbox is loaded on first use only: it costs start-up time, and is optional.
  private toolboxEntities(): Promise<ToolboxEntities> {
    this.toolbox ??= Promise.all([
      loadToolbox('backend.entity() or backend.table()'),
      import('./entity/toolbox-entities.js'),
    ]).then(([toolbox, { ToolboxEntities }]) => new ToolboxEntities(this.client, toolbox));
    return this.toolbox;
  }

  // Each method sends the request its checks return, read once (see `checkRequestModel`),
  // never the caller's object again: a getter or Proxy answering otherwise later changes
  // nothing that was checked.
  async getItem(request: GetItemRequest): Promise<StoredItem | undefined> {
    const taken = checkGetRequest(request);
    const attributes = new ExpressionAttributes();
    const projection = taken.attributes?.map((name) => attributes.name(name)).join(', ');
    const output = await this.send<GetItemCommandOutput>(
      'GetItem',
      taken.model.table,
      new GetItemCommand({
        TableName: taken.model.table.name,
        Key: toAttributeMap(taken.key),
        ...(taken.consistent ? { ConsistentRead: true } : {}),
        ...(projection ? { ProjectionExpression: projection, ...attributes.toRequest() } : {}),
      }),
    );
    return output.Item ? this.readModelItem(taken.model, output.Item) : undefined;
  }

  /**
   * A raw item as the model reads it. Another model's item that cannot be read exactly (on a
   * table models share) is its key and discriminator alone: core sets it aside as another
   * model's, so it fails nothing.
   */
  private readModelItem(model: ModelDescriptor, raw: Record<string, AttributeValue>): StoredItem {
    try {
      return readTableItem(raw, model.table, this.inexact);
    } catch (error) {
      if (!(error instanceof BackendError) || isModelItem(model, raw)) throw error;
      const discriminator = model.table.discriminatorAttribute!;
      const kept = keyAttributes(raw, model.table);
      if (raw[discriminator]?.S !== undefined)
        Object.defineProperty(kept, discriminator, {
          value: raw[discriminator],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return fromAttributeMap(kept);
    }
  }

  async putItem(request: PutItemRequest): Promise<void> {
    const { model, item, condition } = checkRequestModel(request, 'putItem');
    // What DynamoDB refuses (or, on a local engine, might not), refused as every backend does;
    // the copy checked is the item sent (a getter read again could answer another value).
    const checked = cloneItemToWrite(item, model.table, 'putItem', this.checkedItemBytes);
    const command = new PutItemCommand({
      TableName: model.table.name,
      Item: toAttributeMap(checked),
      ...conditionFields(checkRequestCondition(condition, 'putItem condition')),
    });
    // Never re-sent once it may have landed, even a plain put: a late copy would overwrite
    // what other clients wrote in between (an `add` they were told succeeded).
    await this.send<PutItemCommandOutput>('PutItem', model.table, command, 'refuse');
  }

  async deleteItem(request: DeleteItemRequest): Promise<StoredItem | undefined> {
    const taken = checkDeleteRequest(request);
    const condition = checkRequestCondition(taken.condition, 'deleteItem condition');
    // The request is taken as it is now: a confirming retry sends the same command.
    const deletion: Deletion = {
      table: taken.model.table,
      command: new DeleteItemCommand({
        TableName: taken.model.table.name,
        Key: toAttributeMap(taken.key),
        ReturnValues: 'ALL_OLD',
        ...conditionFields(condition),
      }),
      presence: taken.answer === 'presence' ? cloneItem(taken.key) : undefined,
    };
    return await this.sendDelete(deletion);
  }

  private async sendDelete({
    table,
    command,
    presence,
  }: Deletion): Promise<StoredItem | undefined> {
    const output = await this.send<DeleteItemCommandOutput>('DeleteItem', table, command, 'refuse');
    if (!output.Attributes) return undefined;
    // Only whether there was an item is asked: an item holding a number no JavaScript value
    // holds exactly is deleted all the same, and never read.
    if (presence) return presence;
    try {
      return readTableItem(output.Attributes, table, this.inexact);
    } catch (error) {
      // DynamoDB has applied the delete by now: the error must say so.
      throw new BackendError(
        `DeleteItem on ${table.name}: the item was deleted, but it cannot be returned: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async updateItem(request: UpdateItemRequest): Promise<StoredItem> {
    // What DynamoDB would refuse, refused as every backend refuses it.
    const taken = checkRequestModel(request, 'updateItem');
    const { table } = taken.model;
    const key = checkItemKey(table, taken.key, 'updateItem');
    // The operations as they read now, checked so: an update whose own values pass the item
    // limit is refused before it is sent, as the other backends refuse it.
    const operations = checkUpdatePaths(
      taken.operations,
      key,
      table,
      this.capabilities.maxItemBytes,
    );
    const condition = checkRequestCondition(taken.condition, 'updateItem condition');
    const command = new UpdateItemCommand({
      TableName: table.name,
      Key: toAttributeMap(key),
      ReturnValues: 'ALL_NEW',
      ...updateRequestExpressions(operations, condition),
    });
    const output = await this.send<UpdateItemCommandOutput>('UpdateItem', table, command, 'refuse');
    // An update asked for ALL_NEW always comes back with its item: an answer without one was
    // not DynamoDB's (a proxy's empty 200), and what it did is unknown.
    if (output.Attributes === undefined)
      throw new WriteOutcomeUnknownError(
        `UpdateItem on ${table.name}: the answer held no item, so whether the update was applied is unknown; read the item before retrying`,
      );
    try {
      return readTableItem(output.Attributes, table, this.inexact);
    } catch (error) {
      // DynamoDB has applied the update by now (a sum with more digits than JavaScript holds,
      // say): the error must say so, or a retry would apply it twice.
      throw new BackendError(
        `UpdateItem on ${table.name}: the update was applied, but the item it left cannot be read: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async query(request: QueryRequest): Promise<Page> {
    // Read once: the index is found by the name the request is then checked with.
    const given = checkRequestModel(request, 'query');
    const index = indexRead(given.model.table, given.index);
    const taken = checkQueryRequest(given, index);
    const table = taken.model.table;
    const keys = index ?? table;
    if (index) await this.keyFit?.checkIndex(table, index.name);
    const attributes = new ExpressionAttributes();
    const keyCondition = keyConditionExpression(
      attributes,
      keys.partitionKey.name,
      taken.partition,
      keys.sortKey?.name,
      taken.sort,
    );
    const filter = taken.filter ? conditionExpression(taken.filter, attributes) : undefined;
    const input = {
      TableName: table.name,
      ...(taken.index !== undefined ? { IndexName: taken.index } : {}),
      KeyConditionExpression: keyCondition,
      ...(filter ? { FilterExpression: filter } : {}),
      ...attributes.toRequest(),
      ...(taken.limit !== undefined ? { Limit: wireLimit(taken.limit) } : {}),
      ...(taken.startKey ? { ExclusiveStartKey: toAttributeMap(taken.startKey) } : {}),
      ...(taken.reverse ? { ScanIndexForward: false } : {}),
      ...(taken.consistent ? { ConsistentRead: true } : {}),
    };
    const read = (startKey?: Record<string, AttributeValue>) =>
      this.send<QueryCommandOutput>(
        'Query',
        table,
        new QueryCommand(startKey ? { ...input, ExclusiveStartKey: startKey } : input),
      );
    return itemPage(await read(), read, table, pageKeyNames(table, index), this.inexact);
  }

  async scan(request: ScanRequest): Promise<Page> {
    // Read once: the index is found by the name the request is then checked with.
    const given = checkRequestModel(request, 'scan');
    const index = indexRead(given.model.table, given.index);
    const taken = checkScanRequest(given, index);
    const table = taken.model.table;
    if (index) await this.keyFit?.checkIndex(table, index.name);
    const attributes = new ExpressionAttributes();
    const filter = taken.filter ? conditionExpression(taken.filter, attributes) : undefined;
    const input = {
      TableName: table.name,
      ...(taken.index !== undefined ? { IndexName: taken.index } : {}),
      ...(filter ? { FilterExpression: filter, ...attributes.toRequest() } : {}),
      ...(taken.limit !== undefined ? { Limit: wireLimit(taken.limit) } : {}),
      ...(taken.startKey ? { ExclusiveStartKey: toAttributeMap(taken.startKey) } : {}),
      ...(taken.consistent ? { ConsistentRead: true } : {}),
    };
    const read = (startKey?: Record<string, AttributeValue>) =>
      this.send<ScanCommandOutput>(
        'Scan',
        table,
        new ScanCommand(startKey ? { ...input, ExclusiveStartKey: startKey } : input),
      );
    return itemPage(await read(), read, table, pageKeyNames(table, index), this.inexact);
  }

  async batchGet(
    entries: readonly BatchGetEntry[],
    options: { consistent?: boolean } = {},
  ): Promise<BatchGetResult> {
    // The caller's entries, each read once: the one checked is the one the answer names.
    const given = entriesReadOnce(entries);
    const checked = checkBatchGetRequest(given, options, this.capabilities.maxBatchGet);
    const taken = checked.entries;
    // DynamoDB refuses an empty batch; every backend answers it with nothing.
    if (taken.length === 0) return { found: [], unprocessed: [] };
    // Items come back in any order and without their request: match them by key, binary keys
    // included, to the position of the entry checked (answered with the caller's entry there).
    const byKey = new Map<string, number>();
    const keysByTable = new Map<string, Record<string, AttributeValue>[]>();
    const tables = new Map<string, TableDescriptor>();
    taken.forEach((entry, position) => {
      const table = entry.model.table.name;
      tables.set(table, entry.model.table);
      byKey.set(keyFingerprint(table, entry.key), position);
      listOf(keysByTable, table).push(toAttributeMap(entry.key));
    });
    const requestItems = byTable(keysByTable, (Keys) => ({
      Keys,
      ...(checked.consistent ? { ConsistentRead: true } : {}),
    }));
    const output = await this.send<BatchGetItemCommandOutput>(
      'BatchGetItem',
      taken.map((entry) => entry.model.table),
      new BatchGetItemCommand({ RequestItems: requestItems }),
    );
    const found: { entry: BatchGetEntry; item: StoredItem }[] = [];
    for (const [table, items] of Object.entries(output.Responses ?? {})) {
      const descriptor = tables.get(table);
      if (!descriptor) continue;
      for (const raw of items) {
        // The entry by its key alone, then the item as the entry's model reads it.
        const at = findPosition(
          byKey,
          taken,
          table,
          fromAttributeMap(keyAttributes(raw, descriptor)),
        );
        if (at !== undefined)
          found.push({ entry: given[at]!, item: this.readModelItem(taken[at]!.model, raw) });
      }
    }
    const unprocessed: BatchGetEntry[] = [];
    for (const [table, request] of Object.entries(output.UnprocessedKeys ?? {})) {
      for (const raw of request.Keys ?? []) {
        // Keys Macaron sent, so exact numbers.
        const at = findPosition(byKey, taken, table, fromAttributeMap(raw));
        if (at !== undefined) unprocessed.push(given[at]!);
      }
    }
    return { found, unprocessed };
  }

  async batchWrite(entries: readonly BatchWriteEntry[]): Promise<BatchWriteResult> {
    // The caller's entries, each read once: the one checked is the one the answer names.
    const given = entriesReadOnce(entries);
    const taken = checkBatchWriteRequest(given, this.capabilities.maxBatchWrite);
    if (taken.length === 0) return { unprocessed: [] };
    const writesByTable = new Map<string, WriteRequest[]>();
    const keys = new Set<string>();
    // The items put as checked: copies, sent as they were checked.
    const puts: (StoredItem | undefined)[] = [];
    // Each entry's key, by which an unprocessed one is matched to its position.
    const entryKeys: ItemKey[] = [];
    for (const [position, entry] of taken.entries()) {
      const put =
        'put' in entry
          ? cloneItemToWrite(
              entry.put,
              entry.model.table,
              `batchWrite entry ${position}`,
              this.checkedItemBytes,
            )
          : undefined;
      puts.push(put);
      const entryKey = put ? keyOfItem(entry.model, put) : (entry as { delete: ItemKey }).delete;
      entryKeys.push(entryKey);
      // DynamoDB refuses one item named twice (moto takes a put and a delete of it): refused here.
      const key = keyFingerprint(entry.model.table.name, entryKey);
      if (keys.has(key))
        throw new InvalidRequestError('A batch or transaction cannot name the same item twice');
      keys.add(key);
      listOf(writesByTable, entry.model.table.name).push(
        put
          ? { PutRequest: { Item: toAttributeMap(put) } }
          : { DeleteRequest: { Key: toAttributeMap(entryKey) } },
      );
    }
    const requestItems = byTable(writesByTable, (requests) => requests);
    // Never re-sent once it may have landed (as a put): core reports the entries unconfirmed.
    const output = await this.send<BatchWriteItemCommandOutput>(
      'BatchWriteItem',
      taken.map((entry) => entry.model.table),
      new BatchWriteItemCommand({ RequestItems: requestItems }),
      'refuse',
    ).catch((error: unknown) => {
      throw namingOversizedEntry(error, puts, 'batchWrite entry', this.capabilities.maxItemBytes);
    });
    const unprocessed: BatchWriteEntry[] = [];
    const left = Object.entries(output.UnprocessedItems ?? {});
    if (left.length === 0) return { unprocessed };
    // Unprocessed items come back without their request: matched by key, built only now.
    const byKey = new Map<string, number>();
    for (const [position, entry] of taken.entries())
      byKey.set(keyFingerprint(entry.model.table.name, entryKeys[position]!), position);
    for (const [table, requests] of left) {
      for (const request of requests) {
        const raw = request.PutRequest?.Item ?? request.DeleteRequest?.Key;
        const at = raw ? findPosition(byKey, taken, table, fromAttributeMap(raw)) : undefined;
        if (at !== undefined) unprocessed.push(given[at]!);
      }
    }
    return { unprocessed };
  }

  async transactWrite(actions: readonly TransactionAction[]): Promise<void> {
    const taken = checkTransactionRequest(actions, this.capabilities.maxTransactionActions);
    // An engine without them (dynalite) would answer UnknownOperationException, a 500.
    if (!this.capabilities.transactions)
      throw new UnsupportedOperationError(
        'TransactWriteItems: this backend was created with capabilities.transactions false',
      );
    // DynamoDB refuses an empty transaction; every backend applies it as nothing.
    if (taken.length === 0) return;
    // The items put as checked: copies, sent as they were checked.
    const puts: (StoredItem | undefined)[] = [];
    const items = taken.map((action, index) =>
      transactItem(action, index, puts, this.checkedItemBytes, this.capabilities.maxItemBytes),
    );
    // The SDK sends a ClientRequestToken, so its own retries of a transaction are idempotent;
    // when they all fail after one may have been applied, the outcome is reported unknown.
    const command = new TransactWriteItemsCommand({ TransactItems: items });
    await this.send<TransactWriteItemsCommandOutput>(
      'TransactWriteItems',
      taken.map((action) => action.model.table),
      command,
      'report',
    ).catch((error: unknown) => {
      const { maxItemBytes } = this.capabilities;
      throw namingOversizedEntry(error, puts, 'transactWrite action', maxItemBytes);
    });
  }

  async ensureTables(tables: readonly TableDescriptor[]): Promise<void> {
    checkTablesRequest(tables, 'ensureTables');
    try {
      const { ensureTables } = await import('./provision/index.js');
      await ensureTables(this.client, tables, this.options.provision);
    } catch (error) {
      throw toMacaronError(error, 'ensureTables', tables.map((table) => table.name).join(', '));
    }
  }

  close(): Promise<void> {
    this.closing ??=
      this.inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            this.drained = resolve;
          });
    return this.closing;
  }

  private whileOpen<T>(operation: string, call: () => Promise<T>): Promise<T> {
    if (this.closing)
      // Nothing sent, as to an engine shutting down (a service draining, say): a 503.
      return Promise.reject(
        new UnreachableError(`DynamoDB ${operation}: the backend is closed (nothing was sent)`),
      );
    this.inFlight += 1;
    return call().finally(() => {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.drained?.();
    });
  }

  private async send<Output extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }>(
    operation: string,
    // The tables the request names, the first one in messages and events.
    tables: TableDescriptor | readonly TableDescriptor[],
    command: { input: object },
    ambiguity?: RequestState['ambiguity'],
  ): Promise<Output> {
    // Taken before anything is awaited: whether the request built just before this call holds
    // a member named `__proto__`.
    const protoNames = takeProtoNamesMarshalled();
    // Before any request of this client is sent, the table check's included.
    if (!cachedClientChecked(this.client)) await checkCachedClient(this.client);
    const unchecked = this.keyFit?.unchecked(tables);
    if (unchecked) await this.keyFit!.check(unchecked, writeOperations.has(operation));
    const table = Array.isArray(tables)
      ? ((tables as readonly TableDescriptor[])[0]?.name ?? '')
      : (tables as TableDescriptor).name;
    const hook = this.options.onOperation;
    if (hook)
      (command.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
    installMacaronMiddleware(this.client);
    // Writes and reads alike: a read's filter, or a condition, comparing with a map that holds
    // such a member would be answered for another request.
    const guarded = protoNames > 0 && guardProtoNames(command);
    const state = trackRequest(command.input, ambiguity);
    const started = performance.now();
    let output: Output;
    try {
      // A command whose own stack holds the check is sent with options: a client made with
      // `cacheMiddleware: true` reuses, for every call of a command class given none, the
      // handler it resolved with the first one's own stack, which would skip this check, or
      // keep it for the class's later commands (refusing every write after one that held
      // such a member). Given options, it resolves this command's own stack, caching nothing.
      output = (await (guarded
        ? this.client.send(command as unknown as Sendable, {})
        : this.client.send(command as unknown as Sendable))) as unknown as Output;
    } catch (caught) {
      const error = settledError(state, caught);
      if (hook)
        this.report(hook, { operation, table, durationMs: performance.now() - started, error });
      const translated = toMacaronError(error, operation, table, operation, (index) =>
        (Array.isArray(tables)
          ? (tables as readonly TableDescriptor[])
          : [tables as TableDescriptor]
        ).some((described) => described.indexes.some((declared) => declared.name === index)),
      );
      // Failed before the SDK's retry loop, where requests are sent: nothing was sent.
      if (
        !state.attempted &&
        translated.code === BackendError.code &&
        !(translated as BackendError).notSent
      )
        throw new BackendError(`${translated.message} (the request was not sent)`, {
          cause: error,
          notSent: true,
        });
      throw translated;
    }
    if (hook) {
      const capacity = output.ConsumedCapacity;
      this.report(hook, {
        operation,
        table,
        durationMs: performance.now() - started,
        ...(capacity ? { consumedCapacity: Array.isArray(capacity) ? capacity : [capacity] } : {}),
      });
    }
    return output;
  }

  /**
   * Calls the operation hook. Its failure (a throw, a rejected promise) changes nothing of the
   * call it reports on, which may have written: it is emitted as a process warning instead.
   */
  private report(hook: (event: OperationEvent) => unknown, event: OperationEvent): void {
    const warn = (error: unknown) =>
      process.emitWarning(
        `@macaron/backend-dynamodb: the onOperation hook failed on ${event.operation}: ${String((error as Error)?.message ?? error)}`,
        { code: 'MACARON_HOOK_FAILED' },
      );
    try {
      const returned = hook(event) as { then?: unknown } | undefined;
      // Any thenable, a promise of another realm or library included.
      if (typeof returned?.then === 'function') Promise.resolve(returned).catch(warn);
    } catch (error) {
      warn(error);
    }
  }
}

// A put's or a delete's condition as request fields; none made for a request without one
// (a plain save, every load-modify-save of an unversioned model).
function conditionFields(condition: Condition | undefined): {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
} {
  if (!condition) return {};
  const attributes = new ExpressionAttributes();
  const expression = conditionExpression(condition, attributes);
  return expression ? { ConditionExpression: expression, ...attributes.toRequest() } : {};
}

function listOf<Value>(lists: Map<string, Value[]>, name: string): Value[] {
  let list = lists.get(name);
  if (!list) {
    list = [];
    lists.set(name, list);
  }
  return list;
}

// Keyed by table name: built from entries, so every table name is an own property.
function byTable<Value, Request>(
  lists: Map<string, Value[]>,
  request: (values: Value[]) => Request,
): Record<string, Request> {
  return Object.fromEntries([...lists].map(([table, values]) => [table, request(values)]));
}

// The key attributes of a page's items: an index's, then the table's.
function pageKeyNames(
  table: TableDescriptor,
  index: { partitionKey: { name: string }; sortKey?: { name: string } | undefined } | undefined,
): string[] {
  const names = [index?.partitionKey.name, index?.sortKey?.name];
  names.push(table.partitionKey.name, table.sortKey?.name);
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}

// Whether a raw item may be one of this model's, as core's check reads the item once
// converted: its discriminator attribute holds the model's name, where models share the table.
function isModelItem(model: ModelDescriptor, raw: Record<string, AttributeValue>): boolean {
  const discriminator = model.table.discriminatorAttribute;
  if (!discriminator || model.discriminatorValue === undefined) return true;
  return Object.hasOwn(raw, discriminator) && raw[discriminator]?.S === model.discriminatorValue;
}

// The key attributes of a raw item (the only ones read before its model is known).
function keyAttributes(
  raw: Record<string, AttributeValue>,
  table: TableDescriptor,
): Record<string, AttributeValue> {
  const key: Record<string, AttributeValue> = {};
  for (const attribute of [table.partitionKey, table.sortKey])
    if (attribute && Object.hasOwn(raw, attribute.name))
      // A key named `__proto__` is an attribute like any other.
      Object.defineProperty(key, attribute.name, {
        value: raw[attribute.name],
        enumerable: true,
        writable: true,
        configurable: true,
      });
  return key;
}

// The position of the entry (of those checked) whose key the item has, if any.
function findPosition(
  byKey: Map<string, number>,
  taken: readonly { readonly model: ModelDescriptor }[],
  table: string,
  item: StoredItem,
): number | undefined {
  for (const entry of taken) {
    if (entry.model.table.name === table)
      return byKey.get(keyFingerprint(table, keyOfItem(entry.model, item)));
  }
  return undefined;
}

// One action as checked (`checkTransactionRequest`'s), its put's item copied as checked (and
// kept in `puts`, at the action's position), its condition and operations as checked.
function transactItem(
  action: TransactionAction,
  index: number,
  puts: (StoredItem | undefined)[],
  checkedItemBytes: number | undefined,
  maxItemBytes: number,
): TransactWriteItem {
  const put =
    action.kind === 'put'
      ? cloneItemToWrite(
          action.item,
          action.model.table,
          `transactWrite action ${index}`,
          checkedItemBytes,
        )
      : undefined;
  puts.push(put);
  const checked = checkRequestCondition(
    action.condition,
    `transactWrite action ${index} condition`,
  );
  const attributes = new ExpressionAttributes();
  const TableName = action.model.table.name;
  const condition = checked ? conditionExpression(checked, attributes) : undefined;
  const conditional = condition ? { ConditionExpression: condition } : {};
  switch (action.kind) {
    case 'put':
      return {
        Put: {
          TableName,
          Item: toAttributeMap(put!),
          ...conditional,
          ...attributes.toRequest(),
        },
      };
    case 'delete':
      return {
        Delete: {
          TableName,
          Key: toAttributeMap(action.key),
          ...conditional,
          ...attributes.toRequest(),
        },
      };
    case 'check':
      return {
        ConditionCheck: {
          TableName,
          Key: toAttributeMap(action.key),
          ConditionExpression: condition ?? '',
          ...attributes.toRequest(),
        },
      };
    case 'update': {
      const operations = checkUpdatePaths(
        action.operations,
        action.key,
        action.model.table,
        maxItemBytes,
      );
      const UpdateExpression = updateExpression(operations, attributes);
      return {
        Update: {
          TableName,
          Key: toAttributeMap(action.key),
          UpdateExpression,
          ...conditional,
          ...attributes.toRequest(),
        },
      };
    }
  }
}

// DynamoDB's Limit is a 32-bit integer; core allows any whole number. A page holds at most
// 1 MB, far fewer items than 2^31 - 1, so the bound changes no answer.
function wireLimit(limit: number): number {
  return Math.min(limit, 2 ** 31 - 1);
}

// A batch's entries as the caller's list holds them now, each read once (a non-list is left
// for the check to refuse): the entry checked is the one an answer names, whatever the list
// (a Proxy, one the caller changes while the batch is in flight) answers on another read.
function entriesReadOnce<Entry>(entries: readonly Entry[]): readonly Entry[] {
  return Array.isArray(entries) ? Array.prototype.slice.call(entries) : entries;
}
