// The generic part of the types `macaron generate` writes: the persistent classes typed by a
// generated map. It ships with core, so a fix reaches every generated file with the package,
// and a project that only persists (no fastify) compiles its generated file.
import type {
  Comparison as MacaronComparison,
  Model as MacaronModel,
  ModelDirections as MacaronModelDirections,
  ModelValues as MacaronModelValues,
  PersistentModelClass as MacaronPersistentModelClass,
  QueryOptions as MacaronQueryOptions,
  ReadOptions as MacaronReadOptions,
  ResultPage as MacaronResultPage,
  ScanOptions as MacaronScanOptions,
  StoredValue as MacaronStoredValue,
  UpdateChanges as MacaronUpdateChanges,
  WriteOptions as MacaronWriteOptions,
} from '../index.js';

/** What the generated map says of one persistent model. */
export interface PersistentModelTypes {
  /** The model's type. */
  model: object;
  /** Its key, as load(), get(), exists(), delete() and update() take it. */
  key: unknown;
  /** The types of the table's partition and sort keys (never: no sort key). */
  table: { partition: unknown; sort: unknown };
  /** Its indexes by name, with the types of their keys. */
  indexes: { [index: string]: { partition: unknown; sort: unknown } };
  /** Properties update() cannot change: keys, version, discriminator. */
  fixed: string;
  /**
   * Its values as a request and a response carry them, as `fromJSON` reads them with a
   * direction. Files generated before it was written have none: any property may be missing.
   */
  directions?: MacaronModelDirections;
  /**
   * Properties a write sets when the values leave them out: the version (P-23), the attribute
   * that marks the model where models share a table (P-76). Files generated before it was
   * written have none.
   */
  filled?: string;
}

// The values by direction of P (any property missing, for a map without `directions`).
export type MacaronDirectionsOf<P extends PersistentModelTypes> = P extends {
  directions: infer D extends MacaronModelDirections;
}
  ? D
  : { request: MacaronModelValues<P['model']>; response: MacaronModelValues<P['model']> };

// The properties of P a write sets itself (none for a map without `filled`).
export type MacaronFilled<P extends PersistentModelTypes> = P extends {
  filled: infer F extends string;
}
  ? F
  : never;

/** The values `create()` and `saveMany()` take: the model's, less what a write sets itself. */
export type MacaronCreateValues<P extends PersistentModelTypes> = [MacaronFilled<P>] extends [never]
  ? P['model']
  : P['model'] extends infer T
    ? T extends unknown
      ? MacaronOmit<T, MacaronFilled<P>> & MacaronModelValues<Pick<T, MacaronFilled<P> & keyof T>>
      : never
    : never;

export type MacaronConstructor<M> = new (...args: never[]) => M;
// The properties of every member of a union (a oneOf model), not only those they share.
export type MacaronKeys<T> = T extends unknown ? keyof T & string : never;
export type MacaronAttribute<T> =
  | MacaronKeys<T>
  | readonly [MacaronKeys<T>, ...(string | number)[]];
export type MacaronOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
// An update valid for one member of a union model is valid for the model.
export type MacaronMemberChanges<T> = T extends object ? MacaronUpdateChanges<T> : never;

// The type of property K in any member of T (a oneOf model's members each give theirs). A
// property named like a member of Object is typed with the inherited member too (`toString?:
// string | typeof Object.prototype.toString`, as `macaron generate` writes it), which no item
// holds: functions are left out, as core's Condition, which takes stored values only, leaves them.
export type MacaronPropertyValue<T, K extends PropertyKey> = T extends unknown
  ? K extends keyof T
    ? Exclude<T[K], undefined | Function>
    : never
  : never;
// A value a comparison may hold against a property of type V: numbers are exact whichever way
// they are written (a bigint, a number), lists may be readonly; a property of unknown type takes
// any stored value.
export type MacaronComparedValue<V> = unknown extends V
  ? MacaronStoredValue
  : V extends number | bigint
    ? number | bigint
    : V extends readonly (infer E)[]
      ? // A set another client stored loads as a Set, and compares with one (P-90).
        MacaronPlainValue<V> | MacaronSetOf<E>
      : MacaronPlainValue<V>;
// V with every object type in it (an interface, as `macaron generate` writes a schema) copied
// into an object type literal: the same values, and one TypeScript takes for a stored map, so
// that a typed condition is one of core's (an interface is not, having no index signature). A
// function (the inherited member a property named like one of Object's is typed with) stays
// itself: copied, it would be `{}`, which takes any value. A value of unknown type (a list
// without `items`, a free-form map's) takes any stored value, null included, as at the top.
export type MacaronPlainValue<V> = V extends
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Uint8Array
  | ReadonlySet<unknown>
  | ((...args: never) => unknown)
  ? V
  : V extends readonly (infer E)[]
    ? readonly MacaronPlainValue<E>[]
    : // Asked last: only what is no value of a known kind is asked (fewer types to check).
      unknown extends V
      ? MacaronStoredValue
      : { [K in keyof V]: MacaronPlainValue<V[K]> };
// A Set of elements E, where a set can hold them: strings, numbers or bytes alone (P-90); no
// set of booleans, objects or lists is stored, and a comparison with one is refused. Each kind
// E holds gives its own Set: a list of items of any type, or of strings and numbers, may be a
// set of either (another client's), though of one kind only. Items of one kind, the common
// case, take the first branches, which build fewer types.
export type MacaronSetOf<E> = [E] extends [string]
  ? ReadonlySet<E>
  : [E] extends [number | bigint]
    ? ReadonlySet<E>
    : [E] extends [Uint8Array]
      ? ReadonlySet<E>
      : unknown extends E
        ? ReadonlySet<string> | ReadonlySet<number | bigint> | ReadonlySet<Uint8Array>
        :
            | ([Extract<E, string>] extends [never] ? never : ReadonlySet<Extract<E, string>>)
            | ([Extract<E, number | bigint>] extends [never]
                ? never
                : ReadonlySet<Extract<E, number | bigint>>)
            | ([Extract<E, Uint8Array>] extends [never]
                ? never
                : ReadonlySet<Extract<E, Uint8Array>>);
// What lt, lte, gt, gte and between compare a property of type V with: a string, a number or
// bytes, as the property holds (any string for an enum: an order holds between any two).
export type MacaronOrderedValue<V> = unknown extends V
  ? string | number | bigint | Uint8Array
  : V extends string
    ? string
    : V extends number | bigint
      ? number | bigint
      : V extends Uint8Array
        ? Uint8Array
        : never;
// What `contains` looks for in a property of type V: a part of a string, an element of a list
// or a set, bytes within bytes; nothing in a number, a boolean or an object.
export type MacaronContainedValue<V> = unknown extends V
  ? MacaronStoredValue
  : V extends string
    ? string
    : V extends Uint8Array
      ? Uint8Array
      : V extends readonly (infer E)[]
        ? MacaronComparedValue<E>
        : V extends ReadonlySet<infer E>
          ? MacaronComparedValue<E>
          : never;
// What `beginsWith` takes for a property of type V: a prefix of a string or of bytes.
export type MacaronPrefixValue<V> = unknown extends V
  ? string | Uint8Array
  : V extends string
    ? string
    : V extends Uint8Array
      ? Uint8Array
      : never;
// The comparisons of one attribute A holding values of type V, one operator each (a second is
// refused at run time: `{ attr, gte: 1, lte: 9 }` is a `between`).
export type MacaronComparisonOf<A, V> =
  | MacaronOneOperator<A, 'eq', MacaronComparedValue<V>>
  | MacaronOneOperator<A, 'ne', MacaronComparedValue<V>>
  | MacaronOneOperator<A, 'lt', MacaronOrderedValue<V>>
  | MacaronOneOperator<A, 'lte', MacaronOrderedValue<V>>
  | MacaronOneOperator<A, 'gt', MacaronOrderedValue<V>>
  | MacaronOneOperator<A, 'gte', MacaronOrderedValue<V>>
  | MacaronOneOperator<A, 'between', readonly [MacaronOrderedValue<V>, MacaronOrderedValue<V>]>
  | MacaronOneOperator<A, 'beginsWith', MacaronPrefixValue<V>>
  | MacaronOneOperator<A, 'contains', MacaronContainedValue<V>>
  | MacaronOneOperator<A, 'in', readonly MacaronComparedValue<V>[]>
  | MacaronOneOperator<A, 'exists', boolean>;
// A comparison of attribute A with operator O, every other operator absent.
export type MacaronOneOperator<A, O extends MacaronOperator, V> = { attr: A } & {
  [K in O]: V;
} & { [K in Exclude<MacaronOperator, O>]?: never };
export type MacaronOperator =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'between'
  | 'beginsWith'
  | 'contains'
  | 'in'
  | 'exists';

/**
 * A condition on the model's own properties: core's Condition, an attribute named by a property
 * compared with values of that property's type (`eq: 'lots'` on a number never holds); a path
 * into a property (`['address', 'city']`) takes any stored value.
 */
export type TypedCondition<T> =
  | { [K in MacaronKeys<T>]: MacaronComparisonOf<K, MacaronPropertyValue<T, K>> }[MacaronKeys<T>]
  | (MacaronComparison extends infer C
      ? C extends { attr: unknown }
        ? Omit<C, 'attr'> & { attr: readonly [MacaronKeys<T>, ...(string | number)[]] }
        : never
      : never)
  | { and: readonly TypedCondition<T>[] }
  | { or: readonly TypedCondition<T>[] }
  | { not: TypedCondition<T> };

/** Options of conditional writes, with a typed condition. */
export interface TypedWriteOptions<T> {
  /** The write happens only if this holds for the stored item. */
  condition?: TypedCondition<T> | undefined;
}

/** A condition on a sort key of type S; beginsWith only for string and binary keys. */
export type TypedSortCondition<S> = [S] extends [never]
  ? never
  :
      | { eq: S }
      | { lt: S }
      | { lte: S }
      | { gt: S }
      | { gte: S }
      | { between: readonly [S, S] }
      | ([S] extends [string]
          ? { beginsWith: string }
          : [S] extends [Uint8Array]
            ? { beginsWith: Uint8Array }
            : never);

export type TypedQueryCommon<T> = Omit<
  MacaronQueryOptions,
  'partition' | 'index' | 'sort' | 'filter'
> & {
  /** Filter on the model's properties, applied after limit. */
  filter?: TypedCondition<T> | undefined;
};

/** A query of the table or of one of the model's indexes, typed by that key. */
export type TypedQuery<P extends PersistentModelTypes> =
  | (TypedQueryCommon<P['model']> & {
      index?: undefined;
      partition: P['table']['partition'];
      sort?: TypedSortCondition<P['table']['sort']> | undefined;
    })
  | {
      [I in keyof P['indexes'] & string]: Omit<TypedQueryCommon<P['model']>, 'consistent'> & {
        index: I;
        partition: P['indexes'][I]['partition'];
        sort?: TypedSortCondition<P['indexes'][I]['sort']> | undefined;
        /** Indexes have no consistent reads: core refuses one on every backend. */
        consistent?: false | undefined;
      };
    }[keyof P['indexes'] & string];

/** A scan of the table or of one of the model's indexes (an index's not consistent). */
export type TypedScan<P extends PersistentModelTypes> = Omit<
  MacaronScanOptions,
  'index' | 'filter' | 'consistent'
> & {
  filter?: TypedCondition<P['model']> | undefined;
} & (
    | { index?: undefined; consistent?: boolean | undefined }
    // `undefined` too: an index a helper may be given (generic, or chosen at run time) compiles
    // without a consistent read, as it did; TypeScript splits no generic union between the two.
    | { index?: (keyof P['indexes'] & string) | undefined; consistent?: false | undefined }
  );

export type MacaronChanges<U> = {
  // An empty map of properties (no number property to add to) takes nothing, not any object.
  [K in keyof U]?: K extends 'set' | 'add' | 'append'
    ? [keyof NonNullable<U[K]>] extends [never]
      ? never
      : U[K]
    : U[K];
};

/** The changes of update(): add on number properties, append on lists, never on keys. */
export type TypedUpdateChanges<P extends PersistentModelTypes> = MacaronChanges<
  MacaronMemberChanges<MacaronOmit<P['model'], P['fixed']>>
>;

/**
 * A key as the typed calls take it: the model's key in either form, with no other property of
 * the model. An object of the model given as its key (`Model.delete(object)`) would otherwise
 * compile, and is refused at run time (P-7): give `object.key()`, or call `object.delete()`.
 * A model open to any name (an index signature) leaves nothing to refuse. A property named like
 * a member of `Object` (`toString`, `hasOwnProperty`) is not refused by name: every object has
 * the inherited member, which a refusal would find in the key `{ id: 'a' }`, and core's untyped
 * `KeyInput` takes no function, so the typed class would not stand where it is taken. An object
 * literal naming one is still refused (an unknown property), as is an object of the model that
 * has another property.
 */
export type TypedKeyInput<P extends PersistentModelTypes> = P['key'] extends infer K
  ? K extends object
    ? K &
        (string extends MacaronKeys<P['model']>
          ? unknown
          : {
              readonly [N in Exclude<MacaronKeys<P['model']>, keyof K | keyof Object>]?: never;
            })
    : K
  : never;

/**
 * The key `key()` gives: the object form of the model's key, whatever forms `load()` takes (a
 * bare partition value too, where there is no sort key).
 */
export type TypedKeyObject<P extends PersistentModelTypes> = Exclude<
  Extract<P['key'], object>,
  Uint8Array
>;

/**
 * The key of the type-only member that carries a typed object's model types (no value exists
 * at run time): TypeScript infers them from it for an object of a subclass of the typed class,
 * or a list holding objects of several models, where it cannot from the resolved methods.
 */
export declare const persistentModelTypes: unique symbol;

/** The methods of a persistent object, typed: conditions on its own properties, its key. */
export interface TypedPersistentMethods<P extends PersistentModelTypes> {
  /** Type only, never set: the generated types of the object's model. */
  readonly [persistentModelTypes]?: P;
  /** Validates and writes the object (with a `version`, only over the version it was read at). */
  save(options?: TypedWriteOptions<P['model']>): Promise<this>;
  /** Validates and writes the object if no item has its key; else `AlreadyExistsError`. */
  create(): Promise<this>;
  /** Deletes the object's item; true when there was one. */
  delete(options?: TypedWriteOptions<P['model']>): Promise<boolean>;
  /** The object's key attributes, as `load()`, `delete()` and the rest take them. */
  key(): TypedKeyObject<P>;
}

/** A persistent object of a typed class. */
export type TypedPersistent<P extends PersistentModelTypes> = MacaronModel<P['model']> &
  TypedPersistentMethods<P>;

/** Core's persistent class, typed: keys, update operations, queries and conditions. */
export interface TypedPersistentClass<P extends PersistentModelTypes>
  extends Omit<
    MacaronPersistentModelClass<P['model'], MacaronDirectionsOf<P>>,
    | 'load'
    | 'get'
    | 'exists'
    | 'delete'
    | 'update'
    | 'query'
    | 'queryAll'
    | 'scan'
    | 'scanAll'
    | 'getMany'
    | 'loadMany'
    | 'create'
    | 'saveMany'
    | 'deleteMany'
  > {
  /** Builds an object from model values (validated when saved). */
  new (data?: MacaronModelValues<P['model']>): TypedPersistent<P>;
  /**
   * Builds an object from whole model values and writes it if no item has its key; else
   * `AlreadyExistsError`. Every required property is given (but the version and the attribute
   * that marks the model, which the write sets): a request body whose `readOnly` properties
   * the server sets is not yet one.
   */
  create<M>(this: MacaronConstructor<M>, data: MacaronCreateValues<P>): Promise<M>;
  /** The object under a key; ItemNotFoundError when there is none. */
  load<M>(
    this: MacaronConstructor<M>,
    key: TypedKeyInput<P>,
    options?: MacaronReadOptions,
  ): Promise<M>;
  /** The object under a key, or undefined. */
  get<M>(
    this: MacaronConstructor<M>,
    key: TypedKeyInput<P>,
    options?: MacaronReadOptions,
  ): Promise<M | undefined>;
  /** True when an item has the key. */
  exists(key: TypedKeyInput<P>, options?: MacaronReadOptions): Promise<boolean>;
  /** Deletes the item under a key; true when there was one. */
  delete(key: TypedKeyInput<P>, options?: TypedWriteOptions<P['model']>): Promise<boolean>;
  /** Applies changes atomically and returns the object as stored afterwards. */
  update<M>(
    this: MacaronConstructor<M>,
    key: TypedKeyInput<P>,
    changes: TypedUpdateChanges<P>,
    options?: TypedWriteOptions<P['model']>,
  ): Promise<M>;
  /** One page of a partition (of the table or an index), in sort-key order. */
  query<M>(this: MacaronConstructor<M>, query: TypedQuery<P>): Promise<MacaronResultPage<M>>;
  /**
   * Every object of a partition, one page held at a time (without a `limit`, memory and
   * PostgreSQL read it as one page).
   */
  queryAll<M>(
    this: MacaronConstructor<M>,
    query: MacaronOmit<TypedQuery<P>, 'cursor'>,
  ): AsyncIterable<M>;
  /** One page of the whole table (or an index). */
  scan<M>(this: MacaronConstructor<M>, options?: TypedScan<P>): Promise<MacaronResultPage<M>>;
  /**
   * Every object of the table, one page held at a time (without a `limit`, memory and
   * PostgreSQL read it as one page).
   */
  scanAll<M>(
    this: MacaronConstructor<M>,
    options?: MacaronOmit<TypedScan<P>, 'cursor'>,
  ): AsyncIterable<M>;
  /** The objects under the keys, in the caller's order, undefined where none. */
  getMany<M>(
    this: MacaronConstructor<M>,
    keys: readonly TypedKeyInput<P>[],
    options?: MacaronReadOptions,
  ): Promise<(M | undefined)[]>;
  /** The objects under the keys, in the caller's order; ItemNotFoundError for the first missing. */
  loadMany<M>(
    this: MacaronConstructor<M>,
    keys: readonly TypedKeyInput<P>[],
    options?: MacaronReadOptions,
  ): Promise<M[]>;
  /** Validates every object (this model's, or its whole values), then writes them in chunks. */
  saveMany(objects: readonly MacaronCreateValues<P>[]): Promise<void>;
  /** Deletes the items under the keys. */
  deleteMany(keys: readonly TypedKeyInput<P>[]): Promise<void>;
}

/**
 * An object of a typed persistent class (or of a subclass): its model types, and a method
 * plain data has not, so that a plain object is refused where a persistent one is needed.
 */
export interface TypedObject {
  readonly [persistentModelTypes]?: PersistentModelTypes;
  key(): object;
}

/**
 * An object whose model types TypeScript reads from its member: one model (inside a subclass's
 * method, `this` too, where `ModelTypesOf<this>` is not worked out).
 */
export type OfModelTypes<P extends PersistentModelTypes> = {
  readonly [persistentModelTypes]?: P;
  key(): object;
};

/**
 * The options of a write of an object of a union of models: typed by their models; an object
 * without model types (core's `Persistent<T>`) takes core's conditions.
 */
export type ObjectWriteOptions<O> = [ModelTypesOf<O>] extends [never]
  ? MacaronWriteOptions
  : TypedWriteOptions<ModelTypesOf<O>['model']>;

/** The model types of a typed object, a union of them for a union of objects. */
export type ModelTypesOf<O> = O extends { readonly [persistentModelTypes]?: infer P }
  ? P extends PersistentModelTypes
    ? P
    : never
  : never;

/**
 * A transaction's actions, typed as the typed classes' own methods are: keys, changes and
 * conditions by the class or object given to each.
 */
export interface TypedTransaction {
  /** Saves an object (checking its version, if the model has one). */
  save<P extends PersistentModelTypes>(
    object: OfModelTypes<P>,
    options?: TypedWriteOptions<P['model']>,
  ): void;
  /** Saves an object of a union of models (an untyped one's condition is core's). */
  save<O extends TypedObject>(object: O, options?: ObjectWriteOptions<O>): void;
  /** Creates an object; cancels the transaction if its key is taken. */
  create(object: TypedObject): void;
  /** Deletes the item under a key, whatever version it holds. */
  delete<P extends PersistentModelTypes>(
    model: TypedPersistentClass<P>,
    key: TypedKeyInput<P>,
    options?: TypedWriteOptions<P['model']>,
  ): void;
  /** Deletes an object's item, as `object.delete()` does (at its version, if it has one). */
  delete<P extends PersistentModelTypes>(
    object: OfModelTypes<P>,
    options?: TypedWriteOptions<P['model']>,
  ): void;
  /** Deletes the item of an object of a union of models (an untyped one's condition is core's). */
  delete<O extends TypedObject>(object: O, options?: ObjectWriteOptions<O>): void;
  /** Updates an existing item atomically. */
  update<P extends PersistentModelTypes>(
    model: TypedPersistentClass<P>,
    key: TypedKeyInput<P>,
    changes: TypedUpdateChanges<P>,
    options?: TypedWriteOptions<P['model']>,
  ): void;
  /** Cancels the transaction unless the condition holds for the item under the key. */
  check<P extends PersistentModelTypes>(
    model: TypedPersistentClass<P>,
    key: TypedKeyInput<P>,
    condition: TypedCondition<P['model']>,
  ): void;
}
