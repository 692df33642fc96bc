import {
  AlreadyExistsError,
  ConditionFailedError,
  ConflictError,
  InvalidRequestError,
  ItemNotFoundError,
} from '../errors/persistence-errors.js';
import { createModelClass, type Model, type ModelClass } from '../model/model-class.js';
import { getMany, writeMany } from './batch-operations.js';
import type { Condition } from './condition.js';
import { type KeyInput, keyOfItem, toItemKey } from './item-key.js';
import { modelConditions, withCallerCondition } from './model-conditions.js';
import { prepareObjectWrite } from './object-write.js';
import { type PersistenceContext, requireBackend } from './persistence-context.js';
import {
  pagesOf,
  type QueryOptions,
  type ResultPage,
  readPage,
  type ScanOptions,
} from './query-pages.js';
import { belongsToModel, fromStoredItem } from './stored-form.js';
import type { ItemKey, StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';
import { toUpdateOperations, type UpdateChanges } from './update-changes.js';

/** Options of reads. */
export interface ReadOptions {
  /** Strongly consistent read. */
  consistent?: boolean;
}

/** Options of conditional writes. */
export interface WriteOptions {
  /** The write happens only if this holds for the stored item; else `ConditionFailedError`. */
  condition?: Condition;
}

/** Methods of a persistent object, beside its properties and the model methods. */
export interface PersistentMethods {
  /** Validates and writes the object (with a `version`, only over the version it was read at). */
  save(options?: WriteOptions): Promise<this>;
  /** Validates and writes the object if no item has its key; else `AlreadyExistsError`. */
  create(): Promise<this>;
  /** Deletes the object's item; true when there was one. */
  delete(options?: WriteOptions): Promise<boolean>;
  /** The object's key attributes. */
  key(): ItemKey;
}

/** A persistent model object. */
export type Persistent<T extends object> = Model<T> & PersistentMethods;

type Constructor<M> = new (data?: never) => M;

/** A persistent model class: the model class plus load / save / query and the rest. */
export interface PersistentModelClass<T extends object> extends Omit<ModelClass<T>, never> {
  /** Builds an object from model values (validated when saved). */
  new (data?: Partial<T>): Persistent<T>;
  /** Where and how the model is stored. */
  readonly descriptor: ModelDescriptor;
  /** The object under a key; `ItemNotFoundError` when there is none. */
  load<M>(this: Constructor<M>, key: KeyInput, options?: ReadOptions): Promise<M>;
  /** The object under a key, or undefined. */
  get<M>(this: Constructor<M>, key: KeyInput, options?: ReadOptions): Promise<M | undefined>;
  /** True when an item has the key; reads only the key attributes. */
  exists(key: KeyInput, options?: ReadOptions): Promise<boolean>;
  /** Validates and writes a new object; `AlreadyExistsError` when the key is taken. */
  create<M>(this: Constructor<M>, data: Partial<T>): Promise<M>;
  /** Deletes the item under a key; true when there was one. */
  delete(key: KeyInput, options?: WriteOptions): Promise<boolean>;
  /** Applies changes atomically and returns the object as stored afterwards; `ItemNotFoundError` when absent. */
  update<M>(
    this: Constructor<M>,
    key: KeyInput,
    changes: UpdateChanges<T>,
    options?: WriteOptions,
  ): Promise<M>;
  /** One page of a partition (of the table or an index), in sort-key order. */
  query<M>(this: Constructor<M>, query: QueryOptions): Promise<ResultPage<M>>;
  /** Every object of a partition, page by page, with bounded memory. */
  queryAll<M>(this: Constructor<M>, query: Omit<QueryOptions, 'cursor'>): AsyncIterable<M>;
  /** One page of the whole table (or an index). */
  scan<M>(this: Constructor<M>, options?: ScanOptions): Promise<ResultPage<M>>;
  /** Every object of the table, page by page, with bounded memory. */
  scanAll<M>(this: Constructor<M>, options?: Omit<ScanOptions, 'cursor'>): AsyncIterable<M>;
  /** The objects under the keys, in the caller's order, undefined where none. */
  getMany<M>(
    this: Constructor<M>,
    keys: readonly KeyInput[],
    options?: ReadOptions,
  ): Promise<(M | undefined)[]>;
  /** The objects under the keys, in the caller's order; `ItemNotFoundError` for the first missing. */
  loadMany<M>(this: Constructor<M>, keys: readonly KeyInput[], options?: ReadOptions): Promise<M[]>;
  /** Validates every object, then writes them in chunks; `BatchIncompleteError` lists what could not be written. */
  saveMany(objects: readonly (Partial<T> | object)[]): Promise<void>;
  /** Deletes the items under the keys in chunks; `BatchIncompleteError` lists what could not be deleted. */
  deleteMany(keys: readonly KeyInput[]): Promise<void>;
}

/** Creates the persistent class of a model. */
export function createPersistentClass<T extends object>(
  model: ModelDescriptor,
  context: PersistenceContext,
): PersistentModelClass<T> {
  const base = createModelClass<T>(model.name, model.schema) as unknown as new (
    data?: Partial<T>,
  ) => object;
  const location = (key: ItemKey) => ({ model: model.name, table: model.table.name, key });
  const own = modelConditions(model);
  // Subclasses keep the model constructor's signature: it takes the model values.
  const instantiate = <M>(type: Constructor<M>, item: StoredItem): M =>
    new type(fromStoredItem(model, item) as never);

  async function readItem(key: ItemKey, options: ReadOptions = {}, attributes?: readonly string[]) {
    const item = await requireBackend(context).getItem({
      model,
      key,
      ...(options.consistent ? { consistent: true } : {}),
      ...(attributes ? { attributes } : {}),
    });
    return item && belongsToModel(model, item) ? item : undefined;
  }

  async function write(
    self: object,
    mode: 'save' | 'create',
    options: WriteOptions = {},
  ): Promise<void> {
    const backend = requireBackend(context);
    const prepared = prepareObjectWrite(
      model,
      self,
      mode,
      backend.capabilities.maxItemBytes,
      options.condition,
    );
    const { item, condition } = prepared;
    try {
      await backend.putItem({ model, item, ...(condition ? { condition } : {}) });
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      const reason = await prepared.explainFailure(backend);
      if (reason === 'ALREADY_EXISTS')
        throw new AlreadyExistsError(location(prepared.key), { cause: error });
      if (reason === 'CONFLICT')
        throw new ConflictError(location(prepared.key), prepared.expectedVersion, { cause: error });
      throw error;
    }
    prepared.commit();
  }

  const persistent = class extends base {
    static readonly descriptor = model;

    async save(options?: WriteOptions): Promise<this> {
      await write(this, 'save', options);
      return this;
    }

    async create(): Promise<this> {
      await write(this, 'create');
      return this;
    }

    async delete(options?: WriteOptions): Promise<boolean> {
      return persistent.delete(this.key(), options);
    }

    key(): ItemKey {
      return toItemKey(model, keyOfItem(model, this as unknown as StoredItem));
    }

    static async load<M>(this: Constructor<M>, key: KeyInput, options?: ReadOptions): Promise<M> {
      const itemKey = toItemKey(model, key);
      const item = await readItem(itemKey, options);
      if (!item) throw new ItemNotFoundError(location(itemKey));
      return instantiate(this, item);
    }

    static async get<M>(
      this: Constructor<M>,
      key: KeyInput,
      options?: ReadOptions,
    ): Promise<M | undefined> {
      const item = await readItem(toItemKey(model, key), options);
      return item ? instantiate(this, item) : undefined;
    }

    static async exists(key: KeyInput, options?: ReadOptions): Promise<boolean> {
      const itemKey = toItemKey(model, key);
      const discriminator = model.table.discriminatorAttribute;
      const attributes = [...Object.keys(itemKey), ...(discriminator ? [discriminator] : [])];
      return (await readItem(itemKey, options, attributes)) !== undefined;
    }

    static async create<M>(this: Constructor<M>, data: Partial<T>): Promise<M> {
      const object = new this(data as never);
      await (object as unknown as PersistentMethods).create();
      return object;
    }

    static async delete(key: KeyInput, options: WriteOptions = {}): Promise<boolean> {
      const itemKey = toItemKey(model, key);
      const condition = withCallerCondition(options.condition, own.absentOrOwn);
      try {
        const old = await requireBackend(context).deleteItem({
          model,
          key: itemKey,
          ...(condition ? { condition } : {}),
        });
        return old !== undefined;
      } catch (error) {
        // The key holds another model's item: for this model there was none.
        if (error instanceof ConditionFailedError && own.absentOrOwn) {
          const stored = await requireBackend(context).getItem({
            model,
            key: itemKey,
            consistent: true,
          });
          if (stored && !belongsToModel(model, stored)) return false;
        }
        throw error;
      }
    }

    static async update<M>(
      this: Constructor<M>,
      key: KeyInput,
      changes: UpdateChanges<T>,
      options: WriteOptions = {},
    ): Promise<M> {
      const itemKey = toItemKey(model, key);
      const operations = toUpdateOperations(model, changes as UpdateChanges);
      const condition = withCallerCondition(options.condition, own.existing)!;
      try {
        const item = await requireBackend(context).updateItem({
          model,
          key: itemKey,
          operations,
          condition,
        });
        return instantiate(this, item);
      } catch (error) {
        if (
          error instanceof ConditionFailedError &&
          !(await readItem(itemKey, { consistent: true }))
        ) {
          throw new ItemNotFoundError(location(itemKey), { cause: error });
        }
        throw error;
      }
    }

    static async query<M>(this: Constructor<M>, query: QueryOptions): Promise<ResultPage<M>> {
      const page = await readPage(context, model, 'query', query);
      return {
        items: page.items.map((item) => instantiate(this, item)),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      };
    }

    static async *queryAll<M>(
      this: Constructor<M>,
      query: Omit<QueryOptions, 'cursor'>,
    ): AsyncGenerator<M> {
      for await (const items of pagesOf(context, model, 'query', query))
        for (const item of items) yield instantiate(this, item);
    }

    static async scan<M>(this: Constructor<M>, options: ScanOptions = {}): Promise<ResultPage<M>> {
      const page = await readPage(context, model, 'scan', options);
      return {
        items: page.items.map((item) => instantiate(this, item)),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      };
    }

    static async *scanAll<M>(
      this: Constructor<M>,
      options: Omit<ScanOptions, 'cursor'> = {},
    ): AsyncGenerator<M> {
      for await (const items of pagesOf(context, model, 'scan', options))
        for (const item of items) yield instantiate(this, item);
    }

    static async getMany<M>(
      this: Constructor<M>,
      keys: readonly KeyInput[],
      options: ReadOptions = {},
    ): Promise<(M | undefined)[]> {
      if (!Array.isArray(keys)) throw new InvalidRequestError('getMany() takes a list of keys');
      const itemKeys = keys.map((key) => toItemKey(model, key));
      const items = await getMany(context, model, itemKeys, options.consistent === true);
      return items.map((item) =>
        item && belongsToModel(model, item) ? instantiate(this, item) : undefined,
      );
    }

    static async loadMany<M>(
      this: Constructor<M>,
      keys: readonly KeyInput[],
      options?: ReadOptions,
    ): Promise<M[]> {
      const found = await (
        persistent.getMany as (
          keys: readonly KeyInput[],
          options?: ReadOptions,
        ) => Promise<unknown[]>
      ).call(this, keys, options);
      const missing = found.indexOf(undefined);
      if (missing >= 0) throw new ItemNotFoundError(location(toItemKey(model, keys[missing])));
      return found as M[];
    }

    static async saveMany(objects: readonly object[]): Promise<void> {
      if (!Array.isArray(objects))
        throw new InvalidRequestError('saveMany() takes a list of objects');
      if (model.versionAttribute !== undefined) {
        throw new InvalidRequestError(
          `saveMany() cannot check ${model.name}'s version; use save() or a transaction`,
        );
      }
      await writeMany(context, model, 'put', objects);
    }

    static async deleteMany(keys: readonly KeyInput[]): Promise<void> {
      if (!Array.isArray(keys)) throw new InvalidRequestError('deleteMany() takes a list of keys');
      await writeMany(context, model, 'delete', keys);
    }
  };
  Object.defineProperty(persistent, 'name', { value: model.name });
  return persistent as unknown as PersistentModelClass<T>;
}
