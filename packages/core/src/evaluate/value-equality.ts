import type { StoredValue } from '../persist/stored-value.js';
import { compareBytes, compareNumbers } from '../persist/value-order.js';
import { isBytes, isSet } from '../schema/builtin-values.js';

// Past this depth two values are compared in a loop (`equalInLoop`), not by recursion.
const maxRecursiveDepth = 64;

/**
 * DynamoDB equality: same type and value; lists and maps compared deeply; sets as sets,
 * whatever the order of their members; 1 equals 1n. Lists and maps of any depth (an item
 * another client stored, an operand given to a backend directly) are compared without
 * overflowing the stack.
 */
export function valuesEqual(
  left: StoredValue | undefined,
  right: StoredValue | undefined,
): boolean {
  return equalAt(left, right, 0);
}

/** Two lists, two maps or two sets: equal when their members are. */
type Containers = 'list' | 'map' | 'set';

/**
 * What two values show without looking inside them: equal, unequal, or two containers of one
 * kind (and, for lists and sets, one size) whose members decide.
 */
function shallowEquality(
  left: StoredValue | undefined,
  right: StoredValue | undefined,
): boolean | Containers {
  if (left === undefined || right === undefined) return false;
  if (left === right) return true;
  const leftNumber = typeof left === 'number' || typeof left === 'bigint';
  const rightNumber = typeof right === 'number' || typeof right === 'bigint';
  if (leftNumber || rightNumber)
    return leftNumber && rightNumber && compareNumbers(left, right) === 0;
  if (isBytes(left) || isBytes(right)) {
    return isBytes(left) && isBytes(right) && compareBytes(left, right) === 0;
  }
  if (isSet(left) || isSet(right))
    return isSet(left) && isSet(right) && left.size === right.size && 'set';
  if (Array.isArray(left) || Array.isArray(right))
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length && 'list';
  if (typeof left === 'object' && typeof right === 'object' && left !== null && right !== null)
    return 'map';
  return false;
}

function equalAt(
  left: StoredValue | undefined,
  right: StoredValue | undefined,
  depth: number,
): boolean {
  const shallow = shallowEquality(left, right);
  if (typeof shallow === 'boolean') return shallow;
  if (depth > maxRecursiveDepth) return equalInLoop(left!, right!);
  if (shallow === 'set') return setsEqual(left as Set<StoredValue>, right as Set<StoredValue>);
  if (shallow === 'list') {
    const leftList = left as readonly StoredValue[];
    const rightList = right as readonly StoredValue[];
    for (let index = 0; index < leftList.length; index++)
      if (!equalAt(leftList[index], rightList[index], depth + 1)) return false;
    return true;
  }
  const leftMap = left as Record<string, StoredValue>;
  const rightMap = right as Record<string, StoredValue>;
  const names = Object.keys(leftMap);
  if (names.length !== Object.keys(rightMap).length) return false;
  // Own properties only: a key named `constructor` is not the prototype's constructor.
  for (const name of names)
    if (!Object.hasOwn(rightMap, name) || !equalAt(leftMap[name], rightMap[name], depth + 1))
      return false;
  return true;
}

// Members of one set are distinct, so each member finding its equal makes the sets equal.
// (Stored sets hold strings, numbers or bytes: comparing members recurses no deeper.)
function setsEqual(left: ReadonlySet<StoredValue>, right: ReadonlySet<StoredValue>): boolean {
  const others = [...right];
  for (const member of left) if (!others.some((other) => valuesEqual(member, other))) return false;
  return true;
}

/**
 * What `equalAt` decides, at any depth, with a stack of its own instead of the call stack.
 * A pair of containers met again is taken as equal (it is being compared already), so values
 * that hold themselves end too.
 */
function equalInLoop(left: StoredValue, right: StoredValue): boolean {
  const lefts: (StoredValue | undefined)[] = [left];
  const rights: (StoredValue | undefined)[] = [right];
  const compared = new Map<object, Set<object>>();
  while (lefts.length > 0) {
    const leftValue = lefts.pop();
    const rightValue = rights.pop();
    const shallow = shallowEquality(leftValue, rightValue);
    if (shallow === true) continue;
    if (shallow === false) return false;
    const leftObject = leftValue as object;
    const rightObject = rightValue as object;
    let partners = compared.get(leftObject);
    if (partners?.has(rightObject)) continue;
    if (!partners) compared.set(leftObject, (partners = new Set()));
    partners.add(rightObject);
    if (shallow === 'set') {
      if (!setsEqual(leftObject as Set<StoredValue>, rightObject as Set<StoredValue>)) return false;
    } else if (shallow === 'list') {
      const leftList = leftObject as readonly StoredValue[];
      const rightList = rightObject as readonly StoredValue[];
      for (let index = 0; index < leftList.length; index++) {
        lefts.push(leftList[index]);
        rights.push(rightList[index]);
      }
    } else {
      const leftMap = leftObject as Record<string, StoredValue>;
      const rightMap = rightObject as Record<string, StoredValue>;
      const names = Object.keys(leftMap);
      if (names.length !== Object.keys(rightMap).length) return false;
      for (const name of names) {
        if (!Object.hasOwn(rightMap, name)) return false;
        lefts.push(leftMap[name]);
        rights.push(rightMap[name]);
      }
    }
  }
  return true;
}
