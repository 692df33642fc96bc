import { InvalidRequestError } from '../errors/persistence-errors.js';
import { shownName } from '../errors/shown-name.js';
import { ValidationError, type ValidationProblem } from '../errors/validation-error.js';
import { adoptStoredValue, copyValue, type SetAside } from '../schema/copy-value.js';
import { assignOwnProperties } from '../schema/own-property.js';
import { isPlainObject } from '../schema/same-value.js';
import type { SchemaNode } from '../schema/schema-node.js';
import { copyStoredProperties } from '../schema/store-copy.js';
import { type ValidateOptions, validateValue } from '../schema/validate-value.js';

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

/** A model class made from a schema. */
export interface ModelClass<T extends object> {
  /** Builds an object from model values (not validated until `validate()` or `save()`). */
  new (data?: ModelValues<T>): Model<T>;
  /** The schema's name in the spec. */
  readonly modelName: string;
  /** The model's normalised schema. */
  readonly schema: SchemaNode;
  /**
   * Builds a validated object from parsed JSON; throws `ValidationError` listing every problem.
   * `direction: 'request'` reads a request body (required `readOnly` properties may be left
   * out), `'response'` a response (required `writeOnly` ones may be).
   */
  fromJSON<M>(this: new (data?: never) => M, json: unknown, options?: ValidateOptions): M;
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
