import { InvalidRequestError } from '../errors/persistence-errors.js';
import { shownName } from '../errors/shown-name.js';
import { ValidationError, type ValidationProblem } from '../errors/validation-error.js';
import { adoptStoredValue, copyValue, type SetAside } from '../schema/copy-value.js';
import { assignOwnProperties } from '../schema/own-property.js';
import { isPlainObject } from '../schema/same-value.js';
import type { SchemaNode } from '../schema/schema-node.js';
import { copyStoredProperties } from '../schema/store-copy.js';
import { type ValidateOptions, validateValue } from '../schema/validate-value.js';
import type { ValueDirection } from '../schema/value-direction.js';

/** Methods every model object has, beside its schema's properties. */
export interface ModelMethods {
  /** The object as JSON (PyMacaron's rules: null left out unless the schema allows it; bytes as base64; int64 bigints as decimal strings). */
  toJSON(): Record<string, unknown>;
  /** Every problem that keeps the object from matching its schema (empty when valid). */
  validate(): ValidationProblem[];
}

/**
 * The values a model's constructor takes: any of `T`'s properties. One named like a member of
 * `Object` (`constructor`, `toString`, `hasOwnProperty`…) or `__proto__` takes that member too:
 * an object that leaves the property out still has it, inherited (`{ name: 'x' }`'s
 * `constructor` is `Object`), which copies no property (P-88). `Partial<T>` would refuse such an
 * object where `T` requires the property (`constructor: string`).
 */
export type ModelValues<T> = {
  // What a plain object has under a name it does not hold: Object's member, or its prototype.
  [K in keyof T]?:
    | T[K]
    | (K extends '__proto__'
        ? typeof Object.prototype
        : K extends keyof typeof Object.prototype
          ? (typeof Object.prototype)[K]
          : never);
};

/** A model object: the schema's properties plus the model methods. */
export type Model<T extends object> = T & ModelMethods;

/**
 * A model's values as a request and as a response carry them: without its required
 * `readOnly` properties (request) or `writeOnly` ones (response), which validation then
 * lets a value leave out. `macaron generate` gives each model's; core, which cannot tell
 * from `T` which properties those are, takes any property as possibly missing.
 */
export interface ModelDirections {
  request: object;
  response: object;
}

/**
 * An object `fromJSON` built in a direction: `M` (the class's objects, the model methods and a
 * subclass's members) with the model's named properties as that direction's values `V` have
 * them. An index signature of the model stays (its names may be absent already), and with it
 * the model methods, which `Omit` would take away with it.
 */
export type DirectedModel<M, T, V> = {
  [K in keyof M as K extends (
    T extends unknown
      ? keyof { [P in keyof T as string extends P ? never : number extends P ? never : P]: 0 }
      : never
  )
    ? never
    : K]: M[K];
} & V;

/** A model class made from a schema (`D`: its values by direction, see `ModelDirections`). */
export interface ModelClass<
  T extends object,
  D extends ModelDirections = { request: ModelValues<T>; response: ModelValues<T> },
> {
  /** Builds an object from model values (not validated until `validate()` or `save()`). */
  new (data?: ModelValues<T>): Model<T>;
  /** The schema's name in the spec. */
  readonly modelName: string;
  /** The model's normalised schema. */
  readonly schema: SchemaNode;
  /** Builds a validated object from parsed JSON; throws `ValidationError` listing every problem. */
  fromJSON<M>(
    this: new (
      data?: never,
    ) => M,
    json: unknown,
    options?: ValidateOptions & { direction?: undefined },
  ): M;
  /**
   * `direction: 'request'` reads a request body, whose required `readOnly` properties may be
   * left out, `'response'` a response, whose required `writeOnly` ones may be: the object is
   * typed so (`D`).
   */
  fromJSON<M, V extends ValueDirection>(
    this: new (
      data?: never,
    ) => M,
    json: unknown,
    options: ValidateOptions & { direction: V },
  ): DirectedModel<M, T, D[V]>;
  /** A direction known at run time only: the object is typed as read in either, or in none. */
  fromJSON<M>(
    this: new (
      data?: never,
    ) => M,
    json: unknown,
    options?: ValidateOptions,
  ): M | DirectedModel<M, T, D[ValueDirection]>;
  /** Validates a value against the model's schema. */
  validate(value: unknown): ValidationProblem[];
}

// The one value the constructor running now may take over instead of copying, and what its
// adoption set aside.
let adoptable: object | undefined;
let adoptedSetAside: SetAside[] | undefined;

/**
 * Builds an object of `type` from values nothing else holds (an item a backend has just
 * built for this read), taking them over instead of copying them again. Only `data` itself
 * is adopted: any other object a subclass constructor builds on the way is copied as usual.
 * What the stored values held that the object leaves out is then `takeAdoptedSetAside()`'s
 * (no pair to allocate for each object of a page).
 */
export function constructAdopting<M>(type: new (data?: never) => M, data: object): M {
  adoptable = data;
  adoptedSetAside = undefined;
  try {
    return new type(data as never);
  } finally {
    adoptable = undefined;
  }
}

/** What the last `constructAdopting` set aside of its values (see `adoptStoredValue`), once. */
export function takeAdoptedSetAside(): SetAside[] | undefined {
  const setAside = adoptedSetAside;
  adoptedSetAside = undefined;
  return setAside;
}

/** Creates the class of a named schema (extending `base`, an empty class unless given). */
export function createModelClass<T extends object>(
  name: string,
  schema: SchemaNode,
  base: new () => object = class {},
): ModelClass<T> {
  const model = class extends base {
    static readonly modelName = name;
    static readonly schema = schema;

    constructor(data?: ModelValues<T>) {
      super();
      if (data !== undefined && !isPlainObject(data)) {
        throw new ValidationError(`Cannot build an object of model ${shownName(name)}`, [
          { pointer: '', keyword: 'type', message: 'must be an object' },
        ]);
      }
      if (data === undefined) return;
      try {
        if (data === adoptable) {
          adoptable = undefined;
          adoptedSetAside = adoptStoredValue(schema, data);
          // Both are plain records with string keys: Object.assign sets the same own properties
          // as the loop, faster, except that it would make `__proto__` a prototype.
          if (Object.hasOwn(data, '__proto__')) assignOwnProperties(this, data);
          else Object.assign(this, data);
        } else copyStoredProperties(schema, data, this);
      } catch (error) {
        // A subclass's getter without a setter (or a read-only property) named like a property.
        if (!(error instanceof TypeError)) throw error;
        throw new InvalidRequestError(
          `Cannot build an object of model ${shownName(name)}: ${error.message} (a subclass's getter or read-only property is named like a property of the model)`,
          { cause: error },
        );
      }
    }

    static fromJSON(json: unknown, options?: ValidateOptions) {
      if (!isPlainObject(json)) {
        throw new ValidationError(`Invalid ${shownName(name)}`, [
          { pointer: '', keyword: 'type', message: 'must be an object' },
        ]);
      }
      const values = copyValue(schema, json, 'model');
      const problems = validateValue(schema, values, '', options);
      if (problems.length > 0) throw new ValidationError(`Invalid ${shownName(name)}`, problems);
      // `this` is the class fromJSON was called on, so subclasses get instances of their own.
      return new this(values as ModelValues<T>);
    }

    static validate(value: unknown): ValidationProblem[] {
      return validateValue(schema, copyValue(schema, value, 'store'));
    }

    toJSON(): Record<string, unknown> {
      return copyValue(schema, this, 'json') as Record<string, unknown>;
    }

    validate(): ValidationProblem[] {
      return validateValue(schema, copyValue(schema, this, 'store'));
    }
  };
  Object.defineProperty(model, 'name', { value: name });
  return model as unknown as ModelClass<T>;
}
