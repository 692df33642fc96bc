import { InvalidRequestError } from '../errors/persistence-errors.js';
import { shownName } from '../errors/shown-name.js';
import { ValidationError, type ValidationProblem } from '../errors/validation-error.js';
import { allOfParts } from '../schema/all-of-parts.js';
import { isObjectPrototype } from '../schema/builtin-values.js';
import { isAdditional } from '../schema/closed-names.js';
import { copyValue, memberItems, propertySchema } from '../schema/copy-value.js';
import { neverEvaluated } from '../schema/evaluation-plan.js';
import { integerRanges } from '../schema/formats.js';
import { appendPointer } from '../schema/json-pointer.js';
import { type Pointer, pointerText } from '../schema/lazy-pointer.js';
import { maxProblems } from '../schema/max-problems.js';
import {
  allowsNull,
  isRequired,
  primaryType,
  type SchemaNode,
  unconstrained,
} from '../schema/schema-node.js';
import { numberProblem } from '../schema/storable-number.js';
import { validateAt } from '../schema/validate-value.js';
import { boundBrokenByDelta, numberBounds } from './add-bounds.js';
import { inexactInteger } from './condition-operand.js';
import {
  checkExpressionLimits,
  checkUpdateCounts,
  updateCountProblem,
} from './expression-limits.js';
import { keyValueProblems } from './index-key-values.js';
import type { StoredValue } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';
import { maxItemsOf } from './update-guards.js';
import type { UpdateOperation } from './update-operation.js';
import { keepAddOnly, repeatedAddOnly } from './update-shape-cache.js';

// A property named like a member of Object is typed with the inherited member too (`valueOf?:
// number | typeof Object.prototype.valueOf`, as `macaron generate` writes it), which no item
// holds: the kinds below are read from the property's other types, functions left out.
/** Property names of T whose values are numbers. */
export type NumberKeys<T> = {
  [K in StringKeys<T>]-?: [Exclude<NonNullable<PropertyOf<T, K>>, Function>] extends [never]
    ? never
    : Exclude<NonNullable<PropertyOf<T, K>>, Function> extends number | bigint
      ? K
      : never;
}[StringKeys<T>];
/** Property names of T whose values are lists. */
export type ListKeys<T> = {
  [K in StringKeys<T>]-?: [Exclude<NonNullable<PropertyOf<T, K>>, Function>] extends [never]
    ? never
    : Exclude<NonNullable<PropertyOf<T, K>>, Function> extends readonly unknown[]
      ? K
      : never;
}[StringKeys<T>];
/** Property names of T that may be absent. */
export type OptionalKeys<T> = {
  [K in StringKeys<T>]-?: undefined extends PropertyOf<T, K> ? K : never;
}[StringKeys<T>];
/**
 * Property names of T, as stored: a model open to any name (`[name: string]: unknown`) has
 * `number` among its keys too once mapped (`Omit` of it), and no attribute is named by a number.
 * A property declared with a numeric name (`2?: number`) is a key `2` to TypeScript but
 * attribute `'2'`: named so here, as the run time takes it.
 */
export type StringKeys<T> = Extract<keyof T, string> | NumericNames<keyof T>;
/** The numeric names among keys `K`, as strings (not `number`, a string index signature's). */
export type NumericNames<K> = K extends number ? (number extends K ? never : `${K}`) : never;
/** The type of T's property named `K` (a numeric name as its string too: see `StringKeys`). */
export type PropertyOf<T, K> = K extends keyof T
  ? T[K]
  : K extends `${infer N extends number}`
    ? N extends keyof T
      ? T[N]
      : never
    : never;

/** The changes of an atomic `update()`, applied in one write. */
export interface UpdateChanges<T extends object = Record<string, unknown>> {
  /**
   * Properties to set, each validated against its schema. A property named like a member of
   * Object (`toString`) also admits the inherited member, which every object literal has: a
   * `set` without it still compiles where the model requires it.
   */
  set?: { [K in keyof T]?: K extends keyof Object ? T[K] | Object[K] : T[K] };
  /** Optional properties to remove. */
  remove?: readonly OptionalKeys<T>[];
  /**
   * Numbers to add to (a missing property counts as 0). A bigint only to a property typed with
   * bigints (an int64): added to one typed `number` (a `type: number`, which core stores
   * bigints in too), it could leave a bigint there that the type does not announce.
   */
  add?: {
    [K in NumberKeys<T>]?: [
      Extract<Exclude<NonNullable<PropertyOf<T, K>>, Function>, bigint>,
    ] extends [never]
      ? number
      : number | bigint;
  };
  /** Items to append to lists (a missing property counts as an empty list); a readonly list too. */
  append?: Partial<{
    // Each list type of a union its own (`string[] | number[]` takes no mixed list).
    [K in ListKeys<T>]: Exclude<NonNullable<PropertyOf<T, K>>, Function> extends infer L
      ? L extends readonly (infer E)[]
        ? readonly E[]
        : never
      : never;
  }>;
}

const changeKinds = new Set(['set', 'remove', 'add', 'append']);

/**
 * Checks update changes against the model's schema and turns them into backend
 * operations. Keys cannot change; required properties cannot be removed; `add` takes
 * numeric properties, `append` list properties; every value is validated, index key values
 * too, and an `add` whose delta alone breaks the property's bounds is refused. Property
 * names are data: `constructor` or `__proto__` is a name like any other.
 */
export function toUpdateOperations(
  model: ModelDescriptor,
  changes: UpdateChanges,
  { checkLimits = true }: { checkLimits?: boolean } = {},
): readonly UpdateOperation[] {
  if (!isRecord(changes))
    throw new InvalidRequestError('update() takes { set, remove, add, append }');
  const kinds = Object.keys(changes);
  const unknown = kinds.filter((kind) => !changeKinds.has(kind));
  if (unknown.length > 0)
    throw new InvalidRequestError(
      `update() takes set, remove, add and append, not ${unknown.map(shownName).join(', ')}`,
    );
  const record = (kind: 'set' | 'add' | 'append') => {
    const entries = Object.hasOwn(changes, kind) ? changes[kind] : undefined;
    if (entries === undefined) return undefined;
    if (!isRecord(entries))
      throw new InvalidRequestError(`update() takes ${kind} as an object of properties`);
    return entries;
  };
  // Each kind's names are listed once and each value read once: what is counted and checked
  // is what becomes the operations, whatever a getter or Proxy answers on a later read.
  const namesOf = (entries: Record<string, unknown> | undefined) =>
    entries === undefined ? [] : Object.keys(entries);
  const entriesOf = (
    entries: Record<string, unknown> | undefined,
    names: readonly string[],
    values: readonly unknown[] | undefined = names.map((name) => entries![name]),
  ) => names.map((name, index): [string, unknown] => [name, values[index]]);
  // Adds alone (a counter's update): read here, once, and the same change as this model's
  // last one is answered with its operations, checked then. Changes of other kinds are read
  // even where they are not enumerable: so is a change that holds one beside its adds.
  const addOnly =
    kinds.length === 1 &&
    kinds[0] === 'add' &&
    !Object.hasOwn(changes, 'set') &&
    !Object.hasOwn(changes, 'remove') &&
    !Object.hasOwn(changes, 'append');
  // Counted by their names first, as every change is below.
  const addOnlyRecord = addOnly ? record('add') : undefined;
  const addOnlyNames = namesOf(addOnlyRecord);
  if (addOnly) checkChangeCounts(model, undefined, [], 0, addOnlyNames.length, 0);
  const addsAlone = addOnly ? entriesOf(addOnlyRecord, addOnlyNames) : undefined;
  if (addsAlone) {
    const repeated = repeatedAddOnly(model, addsAlone);
    if (repeated) {
      if (checkLimits && !repeated.limitsChecked) {
        checkExpressionLimits({ operations: repeated.operations }, 'update()');
        repeated.limitsChecked = true;
      }
      return repeated.operations;
    }
  }
  // An add-only change is the change as read above: a getter or Proxy that brings another
  // kind in meanwhile must not reach the operations kept for the next plain `{ add }`.
  const removed = !addsAlone && Object.hasOwn(changes, 'remove') ? changes.remove : undefined;
  if (removed !== undefined && !Array.isArray(removed))
    throw new InvalidRequestError('update() takes remove as a list of property names');
  const removeCount = removed === undefined ? 0 : removed.length;
  // Counted by their names before any change is looked at: a 1 MB change holds a hundred
  // thousand (their names alone take a third of the time their entries take).
  const setRecord = addsAlone ? undefined : record('set');
  const addRecord = addsAlone ? undefined : record('add');
  const appendRecord = addsAlone ? undefined : record('append');
  const setNames = namesOf(setRecord);
  const addNames = namesOf(addRecord);
  const appendNames = namesOf(appendRecord);
  const setValuesRead = addsAlone
    ? undefined
    : checkChangeCounts(
        model,
        setRecord,
        setNames,
        removeCount,
        addNames.length,
        appendNames.length,
      );
  const sets = entriesOf(setRecord, setNames, setValuesRead);
  const adds = addsAlone ?? entriesOf(addRecord, addNames);
  const appends = entriesOf(appendRecord, appendNames);
  // Holes included: a hole is no name.
  const removes: string[] = [];
  for (let index = 0; index < removeCount; index++) {
    const name: unknown = removed![index];
    if (typeof name !== 'string')
      throw new InvalidRequestError('update() takes remove as a list of property names');
    removes.push(name);
  }
  const { partitionKey, sortKey } = model.table;
  const touched = new Set<string>();
  const problems: ValidationProblem[] = [];
  // Past `maxProblems`, as validation has it: a 1 MB body of wrong values or refused names
  // would otherwise be a ValidationError of half a million problems. Names are still all
  // looked at (a key attribute named is an InvalidRequestError, whatever came before it).
  const full = () => problems.length >= maxProblems;
  const report = (found: ValidationProblem): void => {
    if (!full()) problems.push(found);
  };
  const operations: UpdateOperation[] = [];
  const schema = model.schema;

  const target = (name: string, kind: string) => {
    if (name === partitionKey.name || name === sortKey?.name)
      throw new InvalidRequestError(
        `update() cannot ${kind} the key attribute ${shownName(name)}; save a new item instead`,
      );
    if (name === model.versionAttribute)
      throw new InvalidRequestError(
        `update() manages the version attribute ${shownName(name)} itself`,
      );
    if (name === model.table.discriminatorAttribute)
      throw new InvalidRequestError(`update() cannot change the discriminator ${shownName(name)}`);
    if (touched.has(name))
      throw new InvalidRequestError(`update() changes ${shownName(name)} twice`);
    // No expression can name it on DynamoDB; conditions refuse it too (P-46).
    if (name === '') throw new InvalidRequestError('update() cannot change an attribute named ""');
    touched.add(name);
    if (!name.isWellFormed()) {
      report({
        pointer: appendPointer('', name),
        keyword: 'propertyNames',
        message: 'is a name holding a lone surrogate, which is not valid Unicode',
      });
    }
    // A name set or added must be one the schema takes (3.1 `propertyNames`).
    if (schema.propertyNames && kind !== 'remove') {
      const found = validateAt(schema.propertyNames, name, { parent: '', token: name });
      if (found.length > 0)
        report({
          pointer: appendPointer('', name),
          keyword: 'propertyNames',
          message: `is a name that does not match the schema of names (${found[0]!.message})`,
        });
    }
    const node = propertySchema(schema, name);
    // Taking a name away cannot make an object hold one its schema refuses: a remove names what
    // an earlier spec or another client stored, which a closed schema sets aside and every save
    // writes back (P-91), so it is the way to clear it.
    if (kind === 'remove') return node;
    if (schema.additionalProperties === false && isAdditional(schema, name)) {
      report({
        pointer: appendPointer('', name),
        keyword: 'additionalProperties',
        message: 'is not a property of this schema',
      });
    } else if (!node && schema.unevaluatedProperties === false && neverEvaluated(schema, name)) {
      // 3.1: no subschema could evaluate the name, whatever the rest of the object. One that
      // an anyOf/oneOf member or a condition may evaluate depends on the object: save() checks it.
      report({
        pointer: appendPointer('', name),
        keyword: 'unevaluatedProperties',
        message: 'is not a property of this schema nor of a subschema that applies here',
      });
    }
    return node;
  };

  const setValues: Record<string, unknown> = Object.create(null);
  for (const [name, value] of sets) {
    const node = target(name, 'set');
    if (value === undefined || full()) continue;
    if (value === null && node && !allowsNull(node)) {
      report({
        pointer: appendPointer('', name),
        keyword: 'type',
        message: 'must not be null; use remove to clear it',
      });
      continue;
    }
    const copy = copyValue(node, value, 'store') as StoredValue;
    // At the attribute's level: a value nested as deep as save() refuses is refused here too.
    const found = validateAt(node ?? unconstrained, copy, { parent: '', token: name }, 1);
    for (const problem of found) report(problem);
    setValues[name] = copy;
    operations.push({ action: 'set', path: name, value: copy });
  }
  // Index keys are set like any attribute: each must still be a usable key of its index.
  if (operations.length > 0) {
    const keyProblems = keyValueProblems(model.table, setValues, problems);
    for (const problem of keyProblems) report(problem);
  }
  for (const name of removes) {
    target(name, 'remove');
    if (isRequired(schema, name)) {
      report({
        pointer: appendPointer('', name),
        keyword: 'required',
        message: 'is required and cannot be removed',
      });
    }
    operations.push({ action: 'remove', path: name });
  }
  for (const [name, value] of adds) {
    const node = target(name, 'add to');
    if (full()) continue;
    const type = node ? primaryType(node) : undefined;
    // The pointer is spelt out only for a problem.
    const pointer = () => appendPointer('', name);
    if (
      node &&
      type !== 'integer' &&
      type !== 'number' &&
      !takesEvery(node, 'number') &&
      !allowsNumbersByValue(node)
    )
      report({
        pointer: pointer(),
        keyword: 'type',
        message: 'add() needs a number property',
      });
    else if (typeof value !== 'number' && typeof value !== 'bigint')
      report({ pointer: pointer(), keyword: 'type', message: 'add() needs a number' });
    else {
      const problem =
        numberProblem(value) ??
        inexactInteger(value) ??
        (typeof value === 'number' && !Number.isInteger(value) && takesIntegersOnly(node, type)
          ? 'must be an integer'
          : undefined);
      const broken = problem ? undefined : boundBrokenByDelta(value, numberBounds(node));
      if (problem) report({ pointer: pointer(), keyword: 'type', message: problem });
      else if (broken) {
        report({
          pointer: pointer(),
          keyword: broken.keyword,
          message: `adding ${String(value)} cannot keep ${broken.description}`,
        });
      } else operations.push({ action: 'add', path: name, value });
    }
  }
  for (const [name, value] of appends) {
    const node = target(name, 'append to');
    if (full()) continue;
    const at: Pointer = { parent: '', token: name };
    if (node && primaryType(node) !== 'array' && !takesEvery(node, 'list'))
      report({
        pointer: pointerText(at),
        keyword: 'type',
        message: 'append() needs a list property',
      });
    else if (!Array.isArray(value))
      report({
        pointer: pointerText(at),
        keyword: 'type',
        message: 'append() needs a list of items',
      });
    else {
      const copy = copyValue(node, value, 'store') as StoredValue[];
      const maxItems = node && maxItemsOf(node);
      if (maxItems !== undefined && copy.length > maxItems) {
        // A missing list counts as empty: the list would hold at least these items.
        report({
          pointer: pointerText(at),
          keyword: 'maxItems',
          message: `appends ${copy.length} items, above the ${maxItems} the list may hold`,
        });
      }
      // Without an item schema (an undeclared property, a list without `items`) each item is
      // still checked as every stored value is (numbers, strings, sets, depth).
      const items = node?.items ?? memberItems(node) ?? unconstrained;
      for (let index = 0; index < copy.length && !full(); index++) {
        const itemAt: Pointer = { parent: at, token: index };
        // The first hole only, as validation reports them: a list of holes costs nothing to make.
        if (!(index in copy)) {
          report({ pointer: pointerText(itemAt), keyword: 'type', message: 'is a hole' });
          break;
        }
        for (const problem of validateAt(items, copy[index], itemAt, 2)) report(problem);
      }
      operations.push({ action: 'append', path: name, value: copy });
    }
  }
  if (problems.length > 0)
    throw new ValidationError(`Invalid update of ${shownName(model.name)}`, problems);
  if (operations.length === 0) throw new InvalidRequestError('update() needs at least one change');
  if (model.versionAttribute)
    operations.push({ action: 'add', path: model.versionAttribute, value: 1 });
  // DynamoDB's expression limits; a caller that checks them with its condition says so.
  if (checkLimits) checkExpressionLimits({ operations }, 'update()');
  return addsAlone ? keepAddOnly(model, addsAlone, operations, checkLimits) : operations;
}

// Refuses a change of more attributes than one update expression holds. A set to `undefined`
// changes nothing: such sets are read only where they could make the difference, and only
// until the defined ones are too many. The values read so are returned, each read once, for
// the operations to be made of them.
function checkChangeCounts(
  model: ModelDescriptor,
  set: Record<string, unknown> | undefined,
  setNames: readonly string[],
  remove: number,
  add: number,
  append: number,
): unknown[] | undefined {
  const counts = {
    set: setNames.length,
    remove,
    // The version attribute's add is one more.
    add: add + (model.versionAttribute ? 1 : 0),
    append,
  };
  if (updateCountProblem(counts, 'update()') === undefined) return undefined;
  const values: unknown[] = [];
  let defined = 0;
  for (const name of setNames) {
    const value = set![name];
    values.push(value);
    if (value === undefined) continue;
    defined++;
    const problem = updateCountProblem({ ...counts, set: defined }, 'update()');
    if (problem !== undefined) throw new InvalidRequestError(problem);
  }
  checkUpdateCounts({ ...counts, set: defined }, 'update()');
  return values;
}

// Keywords that may refuse a number, or a list, however typed the node is; `maxItems` and
// `items` are kept by `append` itself.
const anyTypeKeywords = [
  'enum',
  'const',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'conditional',
  'format',
];
const refusing = {
  number: [
    ...anyTypeKeywords,
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'multipleOf',
  ],
  list: [
    ...anyTypeKeywords,
    'prefixItems',
    'contains',
    'minContains',
    'maxContains',
    'minItems',
    'uniqueItems',
    'unevaluatedItems',
  ],
} as const;

/**
 * True when a property's schema takes every number (or every list): untyped, and without a
 * keyword that could refuse one (`{}`, say). `add` and `append` then work on it as on an
 * undeclared attribute, as a load-modify-save would.
 */
function takesEvery(node: SchemaNode, kind: 'number' | 'list'): boolean {
  if (node.types !== undefined) return false;
  return !refusing[kind].some((keyword) => node[keyword as keyof SchemaNode] !== undefined);
}

// An untyped property whose `enum` or `const` allows a number (`{ enum: [1, 2.5] }`), or whose
// format is an integer's, and that nothing else constrains: a number property, whose allowed
// values and range the store checks (P-98).
function allowsNumbersByValue(node: SchemaNode): boolean {
  if (node.types !== undefined) return false;
  const allowed = node.const ? [node.const.value] : node.enum;
  const numbers = allowed?.some((value) => typeof value === 'number' || typeof value === 'bigint');
  // An integer format alone (`{ format: int32 }`) takes integers of its range: a number property.
  const integers = node.format !== undefined && integerRanges[node.format] !== undefined;
  if (!numbers && !integers) return false;
  return !anyTypeKeywords.some(
    (keyword) =>
      keyword !== 'enum' &&
      keyword !== 'const' &&
      !(keyword === 'format' && integers) &&
      node[keyword as keyof SchemaNode] !== undefined,
  );
}

// An integer property, or a number property of an integer format (int32, int64), by the
// node itself or an allOf part: a fraction added to it could not validate.
function takesIntegersOnly(node: SchemaNode | undefined, type: string | undefined): boolean {
  if (type === 'integer') return true;
  if (!node) return false;
  return allOfParts(node).some(
    (part) =>
      (part.types?.includes('integer') === true && !part.types.includes('number')) ||
      (part.format !== undefined && integerRanges[part.format] !== undefined),
  );
}

// Changes are given as object literals, null-prototype maps or model objects: their own
// properties are the changes. A Map, Date or list is not a set of changes.
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  // The class from the prototype, never `value.constructor`: a model property may be named so.
  return (
    isObjectPrototype(prototype) ||
    prototype === null ||
    typeof (prototype.constructor as { modelName?: unknown } | undefined)?.modelName === 'string'
  );
}
