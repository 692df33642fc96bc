import { ValidationError, type ValidationProblem } from '../errors/validation-error.js';
import {
  createModelClass,
  type Model,
  type ModelClass,
  type ModelDirections,
  type ModelValues,
} from '../model/model-class.js';
import type { KeyInput } from './item-key.js';
import { LoadableObject, markDeleted } from './loaded-objects.js';
import { recordModelContext } from './model-context.js';
import { keyOfObject, prepareObjectDelete } from './object-delete.js';
import { updateObject } from './operations/atomic-update.js';
import { getObject, loadObject, objectExists } from './operations/item-reads.js';
import {
  deleteObject,
  noOptionNames,
  type WriteOptions,
  writeObject,
} from './operations/item-writes.js';
import { deleteObjects, getObjects, loadObjects, saveObjects } from './operations/many-items.js';
import { type Constructor, ModelRuntime, type ReadOptions } from './operations/model-runtime.js';
import { readObjectPage, walkObjects } from './operations/page-reads.js';
import type { PersistenceContext } from './persistence-context.js';
import type { QueryOptions, ResultPage, ScanOptions } from './query-pages.js';
import { callOptions } from './read-request.js';
import { toStoredItem } from './stored-form.js';
import type { ItemKey } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';
import type { UpdateChanges } from './update-changes.js';

export type { WriteOptions } from './operations/item-writes.js';
export type { ReadOptions } from './operations/model-runtime.js';

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

/**
 * A persistent model class: the model class plus load / save / query and the rest (`D`: its
 * values by direction, as `fromJSON` reads them: see `ModelDirections`).
 */
export interface PersistentModelClass<
  T extends object,
  D extends ModelDirections = { request: ModelValues<T>; response: ModelValues<T> },
> extends Omit<ModelClass<T, D>, never> {
  /** Builds an object from model values (validated when saved). */
  new (data?: ModelValues<T>): Persistent<T>;
  /** Where and how the model is stored. */
  readonly descriptor: ModelDescriptor;
  /** The object under a key; `ItemNotFoundError` when there is none. */
  load<M>(this: Constructor<M>, key: KeyInput, options?: ReadOptions): Promise<M>;
  /** The object under a key, or undefined. */
  get<M>(this: Constructor<M>, key: KeyInput, options?: ReadOptions): Promise<M | undefined>;
  /** True when an item has the key; reads only the key attributes. */
  exists(key: KeyInput, options?: ReadOptions): Promise<boolean>;
  /** Validates and writes a new object; `AlreadyExistsError` when the key is taken. */
  create<M>(this: Constructor<M>, data: ModelValues<T>): Promise<M>;
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
  /**
   * Every object of a partition, one page held at a time: pages of `limit` items, or without
   * one, as the backend bounds them (P-57).
   */
  queryAll<M>(this: Constructor<M>, query: Omit<QueryOptions, 'cursor'>): AsyncIterable<M>;
  /** One page of the whole table (or an index). */
  scan<M>(this: Constructor<M>, options?: ScanOptions): Promise<ResultPage<M>>;
  /**
   * Every object of the table, one page held at a time: pages of `limit` items, or without
   * one, as the backend bounds them (P-57).
   */
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
  saveMany(objects: readonly (ModelValues<T> | object)[]): Promise<void>;
  /** Deletes the items under the keys in chunks; `BatchIncompleteError` lists what could not be deleted. */
  deleteMany(keys: readonly KeyInput[]): Promise<void>;
}

/**
 * Creates the persistent class of a model: the model class plus one static method or
 * instance method per operation, each implemented in `operations/`.
 */
export function createPersistentClass<T extends object>(
  model: ModelDescriptor,
  context: PersistenceContext,
): PersistentModelClass<T> {
  const base = createModelClass<T>(model.name, model.schema, LoadableObject) as unknown as new (
    data?: ModelValues<T>,
  ) => object;
  const runtime = new ModelRuntime(model, context);
  recordModelContext(model, context);

  const persistent = class extends base {
    static readonly descriptor = model;

    async save(options?: WriteOptions): Promise<this> {
      await writeObject(runtime, this, 'save', options);
      return this;
    }

    // No options in its type; one given from JavaScript is refused, not dropped.
    async create(unexpected?: object): Promise<this> {
      callOptions(unexpected, 'create()', noOptionNames);
      await writeObject(runtime, this, 'create');
      return this;
    }

    async delete(options?: WriteOptions): Promise<boolean> {
      const { key, expectedVersion, gone } = prepareObjectDelete(model, this);
      const deleted = await deleteObject(runtime, key, options, expectedVersion, gone);
      if (deleted) markDeleted(this, true);
      return deleted;
    }

    key(): ItemKey {
      return keyOfObject(model, this);
    }

    /**
     * What `save()` would refuse of the object, nothing written: the schema's problems and the
     * table's (key values, the value that marks the model where models share a table, the
     * backend's item size). The model class's own `validate()` knew the schema alone, so it
     * returned `[]` for an object `save()` then refused.
     */
    validate(): ValidationProblem[] {
      try {
        toStoredItem(model, this, context.backend?.capabilities.maxItemBytes ?? Infinity);
        return [];
      } catch (error) {
        if (ValidationError.isInstance(error)) return [...error.problems];
        throw error;
      }
    }

    static load<M>(this: Constructor<M>, key: KeyInput, options?: ReadOptions): Promise<M> {
      return loadObject(runtime, this, key, options);
    }

    static get<M>(this: Constructor<M>, key: KeyInput, options?: ReadOptions) {
      return getObject(runtime, this, key, options);
    }

    static exists(key: KeyInput, options?: ReadOptions): Promise<boolean> {
      return objectExists(runtime, key, options);
    }

    static async create<M>(
      this: Constructor<M>,
      data: ModelValues<T>,
      unexpected?: object,
    ): Promise<M> {
      callOptions(unexpected, 'create()', noOptionNames);
      const object = new this(data as never);
      await writeObject(runtime, object as object, 'create');
      return object;
    }

    static delete(key: KeyInput, options?: WriteOptions): Promise<boolean> {
      return deleteObject(runtime, key, options);
    }

    static update<M>(
      this: Constructor<M>,
      key: KeyInput,
      changes: UpdateChanges<T>,
      options?: WriteOptions,
    ): Promise<M> {
      return updateObject(runtime, this, key, changes as UpdateChanges, options);
    }

    static query<M>(this: Constructor<M>, query: QueryOptions): Promise<ResultPage<M>> {
      return readObjectPage(runtime, this, 'query', query);
    }

    static queryAll<M>(this: Constructor<M>, query: Omit<QueryOptions, 'cursor'>) {
      return walkObjects(runtime, this, 'query', query);
    }

    static scan<M>(this: Constructor<M>, options: ScanOptions = {}): Promise<ResultPage<M>> {
      return readObjectPage(runtime, this, 'scan', options);
    }

    static scanAll<M>(this: Constructor<M>, options: Omit<ScanOptions, 'cursor'> = {}) {
      return walkObjects(runtime, this, 'scan', options);
    }

    static getMany<M>(this: Constructor<M>, keys: readonly KeyInput[], options?: ReadOptions) {
      return getObjects(runtime, this, keys, options);
    }

    static loadMany<M>(this: Constructor<M>, keys: readonly KeyInput[], options?: ReadOptions) {
      return loadObjects(runtime, this, keys, options);
    }

    static async saveMany(objects: readonly object[], unexpected?: object): Promise<void> {
      callOptions(unexpected, 'saveMany()', noOptionNames);
      return saveObjects(runtime, objects);
    }

    static async deleteMany(keys: readonly KeyInput[], unexpected?: object): Promise<void> {
      callOptions(unexpected, 'deleteMany()', noOptionNames);
      return deleteObjects(runtime, keys);
    }
  };
  Object.defineProperty(persistent, 'name', { value: model.name });
  return persistent as unknown as PersistentModelClass<T>;
}
