import { InvalidRequestError } from '../errors/persistence-errors.js';
import { shownName, shownText } from '../errors/shown-name.js';
import { checkItemNesting } from '../evaluate/item-nesting.js';
import { isBytes, isObjectPrototype, isSet } from '../schema/builtin-values.js';
import { appendPointer } from '../schema/json-pointer.js';
import { ownProperty } from '../schema/own-property.js';
import { isPlainObject } from '../schema/same-value.js';
import { unconstrained } from '../schema/schema-node.js';
import { repeatedSetMember } from '../schema/set-members.js';
import { numberProblem } from '../schema/storable-number.js';
import { validateValue } from '../schema/validate-value.js';
import { maxNestingDepth } from './condition-operand.js';
import { keyAttributeRoleList } from './index-key-values.js';
import { keyValueProblem } from './item-key.js';
import { checkItemSize } from './item-size.js';
import type { StoredItem } from './stored-value.js';
import type { TableDescriptor } from './table-descriptor.js';

/**
 * Refuses, with `InvalidRequestError`, an item given to `putItem`, `batchWrite` or a
 * `transactWrite` put that DynamoDB would refuse, so that every backend refuses it alike and
 * before anything is written: an attribute nested deeper than 32 levels (`checkItemNesting`),
 * a value no engine stores (not finite, `-0`, more than 38 digits, an integer beyond 2^53 held
 * in a number, an empty, mixed or repeating set, a lone surrogate, `undefined` or a hole in a
 * list, a function or a symbol), and a key attribute of the table missing, or one of the table
 * or of an index empty, too long or of another type than declared. With `maxItemBytes` (the
 * backend's `capabilities.maxItemBytes`), an item above it is a `ValidationError`, as
 * DynamoDB refuses it. Every item is walked, a save's too: a wrapper around the backend may
 * have changed it in place since core validated it.
 */
export function checkItemToWrite(
  item: StoredItem,
  table: TableDescriptor,
  where: string,
  maxItemBytes?: number,
): void {
  checkIsItem(item, where);
  if (unstorable(item, 0)) refuseItem(item, where);
  checkItemKeys(item, table, where);
  if (maxItemBytes !== undefined) checkItemSize(item, maxItemBytes, where);
}

/** Refuses an item that is not an object (of attributes), before anything looks into it. */
export function checkIsItem(item: StoredItem, where: string): void {
  if (!isPlainObject(item)) throw new InvalidRequestError(`${where}: the item must be an object`);
}

/** The key checks of `checkItemToWrite` alone, for a backend that walks the values itself. */
export function checkItemKeys(item: StoredItem, table: TableDescriptor, where: string): void {
  const { partitionKey, sortKey } = table;
  // A key attribute holding undefined is missing: undefined is left out of an item (P-105).
  if (ownProperty(item, partitionKey.name) === undefined) missingKey(partitionKey.name, where);
  if (sortKey && ownProperty(item, sortKey.name) === undefined) missingKey(sortKey.name, where);
  // Per attribute, without building a list of problems: this runs on every put.
  for (const { attribute, role } of keyAttributeRoleList(table)) {
    const name = attribute.name;
    const value = Object.hasOwn(item, name) ? item[name] : undefined;
    if (value === undefined) continue;
    const problem = keyValueProblem(attribute, value, role);
    if (problem)
      throw new InvalidRequestError(`${where}: the key attribute ${shownName(name)} ${problem}`);
  }
}

function missingKey(name: string, where: string): never {
  throw new InvalidRequestError(`${where}: the item has no key attribute ${shownName(name)}`);
}

/**
 * Throws the reason an item `unstorable` flagged is refused: its nesting, else its first
 * value validation refuses. Returns when there is none (the walk is quick, not exact).
 */
export function refuseItem(item: StoredItem, where: string): void {
  checkItemNesting(item, where);
  const [problem] = validateValue(unconstrained, item);
  if (problem)
    throw new InvalidRequestError(
      `${where}: the item's ${shownText(problem.pointer) || 'value'} ${problem.message}`,
    );
  const refused = refusedNameIn(item, '', 0);
  if (refused !== undefined)
    throw new InvalidRequestError(
      `${where}: the item's ${shownText(refused.pointer)} ${refused.problem}`,
    );
}

/** Why an attribute or map key named `""` is refused, wherever it is. */
export const emptyNameProblem = 'is an empty name, which DynamoDB refuses at any depth';

/** DynamoDB's longest attribute or map key name, in UTF-8 bytes ("less than 64 KB"). */
export const maxNameBytes = 65_535;

/** Why a name past DynamoDB's limit is refused, wherever it is. */
export const longNameProblem = `is a name longer than ${maxNameBytes} bytes, which DynamoDB refuses`;

/** Whether a name is one DynamoDB refuses: empty, or past its length (counted only when long). */
export function refusedName(name: string): boolean {
  return name === '' || (name.length > maxNameBytes / 3 && Buffer.byteLength(name) > maxNameBytes);
}

/**
 * The first attribute or map key name DynamoDB refuses in a value (JSON allows them; DynamoDB
 * refuses them at the top of an item and in its maps alike), at most 33 levels down: its
 * pointer, and why.
 */
export function refusedNameIn(
  value: unknown,
  pointer: string,
  level: number,
): { pointer: string; problem: string } | undefined {
  // Most values hold none: found without building a pointer for every value on the way.
  if (!holdsRefusedName(value, level)) return undefined;
  return pointerOfRefusedName(value, pointer, level);
}

function holdsRefusedName(value: unknown, level: number): boolean {
  if (value === null || typeof value !== 'object' || level > maxNestingDepth) return false;
  if (isBytes(value) || isSet(value)) return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++)
      if (holdsRefusedName(value[index], level + 1)) return true;
    return false;
  }
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    if (refusedName(name) || holdsRefusedName((value as Record<string, unknown>)[name], level + 1))
      return true;
  }
  return false;
}

function pointerOfRefusedName(
  value: unknown,
  pointer: string,
  level: number,
): { pointer: string; problem: string } | undefined {
  if (value === null || typeof value !== 'object' || level > maxNestingDepth) return undefined;
  if (isBytes(value) || isSet(value)) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = pointerOfRefusedName(value[index], `${pointer}/${index}`, level + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (refusedName(name))
      return {
        pointer: appendPointer(pointer, name),
        problem: name === '' ? emptyNameProblem : longNameProblem,
      };
    const found = pointerOfRefusedName(record[name], appendPointer(pointer, name), level + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * True when a value at `level` (an attribute's is 1) may hold something `checkItemToWrite`
 * refuses: a quick walk, at most 33 levels deep, of what stored values are; validation then
 * says what, if anything.
 */
export function unstorable(value: unknown, level: number): boolean {
  if (level > maxNestingDepth) return true;
  switch (typeof value) {
    case 'string':
      return !value.isWellFormed();
    case 'number':
      return (
        numberProblem(value) !== undefined ||
        (Number.isInteger(value) && !Number.isSafeInteger(value))
      );
    case 'bigint':
      return numberProblem(value) !== undefined;
    case 'boolean':
      return false;
    case 'object':
      break;
    default:
      return true;
  }
  if (value === null || isBytes(value)) return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const member = value[index];
      if (member === undefined || unstorable(member, level + 1)) return true;
    }
    return false;
  }
  if (isSet(value)) {
    if (value.size === 0) return true;
    let kind: string | undefined;
    for (const member of value) {
      const memberKind =
        typeof member === 'bigint' ? 'number' : isBytes(member) ? 'bytes' : typeof member;
      if (kind !== undefined && memberKind !== kind) return true;
      // Sets hold strings, numbers or bytes only: no booleans, nulls, lists or maps.
      if (memberKind !== 'string' && memberKind !== 'number' && memberKind !== 'bytes') return true;
      kind = memberKind;
      // Members at the set's own level: a set is one value, as deep as a string (see checkSet).
      if (unstorable(member, level)) return true;
    }
    return kind !== 'string' && repeatedSetMember(value) !== undefined;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== null && !isObjectPrototype(prototype)) return true;
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (refusedName(name) || !name.isWellFormed()) return true;
    const member = record[name];
    if (member !== undefined && unstorable(member, level + 1)) return true;
  }
  return false;
}
