import { isBytes, isSet } from './builtin-values.js';
import { primitiveIdentity } from './primitive-identity.js';

/**
 * Deep equality of model values: JSON values, bigint (equal to an equal number), bytes and
 * sets. `levels`: how many levels of nesting to compare (1: the two values, not what they
 * hold); below that, values are equal only where they are the very same.
 */
export function sameValue(
  left: unknown,
  right: unknown,
  levels = Number.POSITIVE_INFINITY,
): boolean {
  if (left === right) return true;
  if (levels < 1) return false;
  if (
    (typeof left === 'bigint' || typeof left === 'number') &&
    (typeof right === 'bigint' || typeof right === 'number')
  ) {
    // biome-ignore lint/suspicious/noDoubleEquals: loose equality compares bigint and number exactly
    return left == right;
  }
  if (isBytes(left) && isBytes(right)) {
    return left.length === right.length && left.every((byte, index) => byte === right[index]);
  }
  if (isSet(left) && isSet(right))
    return left.size === right.size && hasMembersOf(left, right, levels - 1);
  if (Array.isArray(left) && Array.isArray(right)) {
    return (
      left.length === right.length &&
      left.every((item, index) => sameValue(item, right[index], levels - 1))
    );
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const leftKeys = Object.keys(left).filter((key) => left[key] !== undefined);
    const rightKeys = Object.keys(right).filter((key) => right[key] !== undefined);
    return (
      leftKeys.length === rightKeys.length &&
      // Own properties only: a key `__proto__` of one side is never the other's prototype.
      leftKeys.every(
        (key) => Object.hasOwn(right, key) && sameValue(left[key], right[key], levels - 1),
      )
    );
  }
  return false;
}

/** A plain object: not null, not an array, not bytes, not a set. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !isBytes(value) &&
    !isSet(value)
  );
}

// Whether each member of `left` equals one of `right`: looked up where members are strings,
// numbers or bytes (what a set holds), each compared with each otherwise.
function hasMembersOf(
  left: ReadonlySet<unknown>,
  right: ReadonlySet<unknown>,
  levels: number,
): boolean {
  // Below the levels compared, members are equal where they are the very same.
  if (levels < 1) return [...left].every((member) => right.has(member));
  const plain = new Set<unknown>();
  const bytes = new Set<string>();
  const rest: unknown[] = [];
  for (const member of right) {
    const identity = primitiveIdentity(member);
    if (identity !== undefined) plain.add(identity);
    else if (isBytes(member)) bytes.add(Buffer.from(member).toString('hex'));
    else rest.push(member);
  }
  for (const member of left) {
    // Nothing else equals a string, a number or bytes (nor NaN, which has no identity).
    const identity = primitiveIdentity(member);
    if (identity !== undefined) {
      if (!plain.has(identity)) return false;
    } else if (isBytes(member)) {
      if (!bytes.has(Buffer.from(member).toString('hex'))) return false;
    } else if (Number.isNaN(member) || !rest.some((other) => sameValue(member, other, levels)))
      return false;
  }
  return true;
}
