import { InvalidRequestError } from '../errors/persistence-errors.js';
import { shownName } from '../errors/shown-name.js';
import { inexactInteger, maxNestingDepth } from '../persist/condition-operand.js';
import {
  checkedByCore,
  checkOperationCount,
  checkOperationLimits,
} from '../persist/expression-limits.js';
import { keyAttributeRoles } from '../persist/index-key-values.js';
import { keyValueProblem } from '../persist/item-key.js';
import {
  emptyNameProblem,
  maxNameBytes,
  refusedName,
  refusedNameIn,
  unstorable,
} from '../persist/item-to-write.js';
import type { ItemKey, StoredValue } from '../persist/stored-value.js';
import type { TableDescriptor } from '../persist/table-descriptor.js';
import type { UpdateOperation } from '../persist/update-operation.js';
import { checkUpdatedItemSize } from '../persist/updated-item-size.js';
import { unconstrained } from '../schema/schema-node.js';
import { numberProblem } from '../schema/storable-number.js';
import { validateAt } from '../schema/validate-value.js';
import { pathSegments } from './attribute-path.js';
import { cloneValue } from './clone-value.js';
import { nestedTooDeep } from './item-nesting.js';
import { listLength, operationsTakenNow } from './operations-taken-now.js';

/**
 * Refuses, with `InvalidRequestError`, the update operations DynamoDB refuses, so that every
 * backend refuses them alike: a path through an empty name or one that is not Unicode, a list
 * position that is not a whole number from 0, a key attribute (the key of an item is
 * fixed), a path inside a key attribute of one of the table's indexes (a key is a scalar), two
 * paths that overlap (the same path twice, or one inside the other) or that conflict (a map
 * entry and a list position at the same step, `m.k` and `m[0]`), and a path or
 * a value reaching deeper than DynamoDB's 32 levels, the attribute counting as the first (as
 * `save()` validates an item). With the request's `table`, also a value set on a key attribute
 * of one of its indexes that the index refuses (`keyValueProblem`: of another type, empty, too
 * long). More operations than one update expression holds, or an expression past DynamoDB's
 * limits, is refused too, the count first (`checkOperationCount`), before paths are compared.
 * With `maxItemBytes`, an update whose own values (with their names and the key) pass it is a
 * `ValidationError`, as the item it leaves would be (`checkUpdatedItemSize`). Core's `update()`
 * never builds these; a backend's `updateItem` may be called with anything: the list and each
 * operation are read once (a Proxy or a getter answers once), and that snapshot is what is
 * checked and returned, frozen, for the backend to run instead of what it was given.
 */
export function checkUpdatePaths(
  given: readonly UpdateOperation[],
  key: ItemKey,
  table?: TableDescriptor,
  maxItemBytes?: number,
): readonly UpdateOperation[] {
  if (!Array.isArray(given))
    throw new InvalidRequestError('An update needs at least one operation');
  // The length read once: a Proxy's cannot grow between the count checked and the walk.
  const count = listLength(given);
  if (count === 0) throw new InvalidRequestError('An update needs at least one operation');
  // Before the paths are compared pairwise: their number bounds that work.
  checkOperationCount(count, 'An update');
  const operations = operationsTakenNow(given, count);
  const seen: (readonly (string | number)[])[] = [];
  for (const operation of operations) {
    if (!updateActions.has(operation?.action))
      throw new InvalidRequestError(
        `An update operation is set, remove, add or append, not ${String(operation?.action)}`,
      );
    const segments = pathSegments(operation.path);
    if (segments.length === 0) throw new InvalidRequestError('An update path is empty');
    // The value a path of n steps writes lies at level n (the attribute's is 1).
    if (segments.length > maxNestingDepth)
      throw new InvalidRequestError(
        `An update path of ${segments.length} steps reaches deeper than the ${maxNestingDepth} levels DynamoDB nests`,
      );
    for (const segment of segments) {
      if (typeof segment === 'number') {
        if (!Number.isSafeInteger(segment) || segment < 0)
          throw new InvalidRequestError(
            `A list position in an update path must be a whole number from 0, not ${segment}`,
          );
      } else if (segment === '')
        throw new InvalidRequestError('An update path holds an empty attribute name');
      else if (refusedName(segment))
        throw new InvalidRequestError(
          `An update path holds a name longer than ${maxNameBytes} bytes, which DynamoDB refuses`,
        );
      else if (!segment.isWellFormed())
        throw new InvalidRequestError('An update path holds a name with a lone surrogate');
    }
    const first = segments[0]!;
    if (typeof first === 'string' && Object.hasOwn(key, first))
      throw new InvalidRequestError(`An update cannot change the key attribute ${first}`);
    // A key is a scalar: DynamoDB refuses a path into an index's key attribute ("Key
    // attributes must be scalars") before it reads the item, whatever the condition says.
    if (table && segments.length > 1 && keyAttributeRoles(table).has(String(first)))
      throw new InvalidRequestError(
        `An update path cannot reach inside ${shownName(String(first))}, a key of an index of table ${table.specName}: a key is a string, a number or bytes`,
      );
    // Values are measured where they land, as `save()` validates them: a set value at its
    // path's level, each appended item one below (core's update() validates them so).
    const tooDeep =
      operation.action === 'set'
        ? nestedTooDeep(operation.value, segments.length)
        : operation.action === 'append' &&
          Array.isArray(operation.value) &&
          operation.value.some((item: StoredValue) => nestedTooDeep(item, segments.length + 1));
    if (tooDeep)
      throw new InvalidRequestError(
        `The value ${operation.action === 'set' ? 'set at' : 'appended to'} ${describe(segments)} is nested deeper than the ${maxNestingDepth} levels DynamoDB nests`,
      );
    const problem =
      valueProblem(operation, segments.length) ??
      (table && segments.length === 1
        ? indexKeyProblem(table, String(first), operation)
        : undefined);
    if (problem)
      throw new InvalidRequestError(
        `The value of ${operation.action} ${describe(segments)} ${problem}`,
      );
    for (const earlier of seen) {
      const relation = pathRelation(earlier, segments);
      if (relation !== 'apart')
        throw new InvalidRequestError(
          relation === 'overlap'
            ? `Two document paths of one update overlap (${describe(earlier)} and ${describe(segments)})`
            : `Two document paths of one update conflict: one reads a value as a map, the other as a list (${describe(earlier)} and ${describe(segments)})`,
        );
    }
    seen.push(segments);
  }
  checkOperationLimits(operations, 'An update');
  if (maxItemBytes !== undefined) checkUpdatedItemSize(operations, key, maxItemBytes, 'Update');
  markChecked(operations);
  return operations;
}

/**
 * True for operations `checkUpdatePaths` returned (a frozen snapshot it checked, marked so that
 * no other list can pass for one), or that core made, froze and checked: `updatedItem` applies
 * them without a second check.
 */
export function isCheckedSnapshot(operations: readonly UpdateOperation[]): boolean {
  return CheckedMark.has(operations) || checkedByCore(operations);
}

/**
 * Operations `checkUpdatePaths` returned, for a backend that runs them after a round trip,
 * whatever the caller does with its values meanwhile: checked as they were, not checked again.
 * Its snapshot holds copies of the values already (frozen, but for sets and bytes, which the
 * caller never held): it is given back as it is. Core's own frozen operations are copied with
 * their values (`cloneValue`).
 */
export function copyCheckedOperations(
  operations: readonly UpdateOperation[],
): readonly UpdateOperation[] {
  if (CheckedMark.has(operations)) return operations;
  return operations.map((operation) =>
    operation.action === 'remove'
      ? operation
      : { ...operation, value: cloneValue(operation.value as StoredValue) },
  ) as readonly UpdateOperation[];
}

// A class whose constructor gives back the object it is handed: constructing a subclass of it
// then adds the subclass's private field to that object.
class Stamp {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the object stamped is the point.
    return target;
  }
}

// What marks a snapshot `checkUpdatePaths` checked: a private field, which no code outside this
// class can read, copy (structuredClone, a spread, getOwnPropertySymbols see nothing) or add,
// and a Proxy does not have (`#checked in` runs none of its traps). A WeakSet's entry costs
// more than the whole snapshot, on every update.
class CheckedMark extends Stamp {
  readonly #checked = true;

  static add(operations: readonly UpdateOperation[]): void {
    new CheckedMark(operations);
  }

  static has(operations: readonly UpdateOperation[]): boolean {
    return operations !== null && typeof operations === 'object' && #checked in operations;
  }
}

// The snapshot marked, then frozen (its operations, paths, and value lists and maps are
// already): a list `checkUpdatePaths` returned cannot be made another by writing to it.
function markChecked(operations: readonly UpdateOperation[]): void {
  // Core's own frozen operations (see `checkedByCore`) take no mark: they were checked as made.
  if (Object.isFrozen(operations)) return;
  CheckedMark.add(operations);
  Object.freeze(operations);
}

const updateActions = new Set<unknown>(['set', 'remove', 'add', 'append']);

// An index's key attribute given a value the index refuses, as DynamoDB refuses it: set to one
// of another type, empty or too long; added to where the key is no number; appended to (a
// list is no key).
function indexKeyProblem(
  table: TableDescriptor,
  name: string,
  operation: UpdateOperation,
): string | undefined {
  const role = keyAttributeRoles(table).get(name);
  if (!role) return undefined;
  const key = `${shownName(name)} is a key of an index of table ${table.specName}`;
  switch (operation.action) {
    case 'set': {
      const problem = keyValueProblem(role.attribute, operation.value, role.role);
      return problem && `${problem}, as a key of an index of table ${table.specName}`;
    }
    case 'add':
      return role.attribute.type === 'number'
        ? undefined
        : `is a number, and ${key} of type ${role.attribute.type}`;
    case 'append':
      return `is a list, and ${key}, which takes no list`;
    default:
      return undefined;
  }
}

// What DynamoDB refuses in a value: what it cannot store (as `checkItemToWrite`), a number to add
// that is none, a list to append that is none. Values set are measured where they land.
function valueProblem(operation: UpdateOperation, level: number): string | undefined {
  switch (operation.action) {
    case 'remove':
      return undefined;
    case 'add':
      if (typeof operation.value !== 'number' && typeof operation.value !== 'bigint')
        return 'is no number';
      return numberProblem(operation.value) ?? inexactInteger(operation.value);
    case 'append':
      if (!Array.isArray(operation.value)) return 'is no list';
      break;
    case 'set':
      if (operation.value === undefined) return 'is undefined';
      break;
  }
  // Most values hold nothing to refuse: validation only says what a quick walk flags.
  if (!unstorable(operation.value, level)) return undefined;
  const found = validateAt(unconstrained, operation.value, '', level)[0]?.message;
  if (found !== undefined) return found;
  const refused = refusedNameIn(operation.value, '', level);
  return refused === undefined
    ? undefined
    : refused.problem === emptyNameProblem
      ? `holds at ${refused.pointer || '/'} a name that is empty, which DynamoDB refuses`
      : `holds at ${refused.pointer} a name longer than ${maxNameBytes} bytes, which DynamoDB refuses`;
}

// How two paths of one update meet, as DynamoDB judges them: `overlap`, one is the other or
// inside it; `conflict`, at a step where they part one names a map entry and the other a list
// position (`m.k` and `m[0]`: no value is both), which DynamoDB refuses whatever the item holds.
function pathRelation(
  left: readonly (string | number)[],
  right: readonly (string | number)[],
): 'overlap' | 'conflict' | 'apart' {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    if (typeof left[index] !== typeof right[index]) return 'conflict';
    if (left[index] !== right[index]) return 'apart';
  }
  return 'overlap';
}

function describe(segments: readonly (string | number)[]): string {
  return segments
    .map((segment, index) =>
      typeof segment === 'number'
        ? `[${segment}]`
        : index === 0
          ? shownName(segment)
          : `.${shownName(segment)}`,
    )
    .join('');
}
