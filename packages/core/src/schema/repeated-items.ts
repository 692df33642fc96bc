import { isBytes, isSet } from './builtin-values.js';
import { primitiveIdentity } from './primitive-identity.js';
import { sameValue } from './same-value.js';
import { TextSet } from './text-set.js';

// Up to this many items, comparing each pair beats building keys.
const pairwiseLimit = 16;

/**
 * The indices of the items of a list equal (as `sameValue` has it: 1 and 1n are one value,
 * so are 0 and -0, objects are compared by their own properties) to an earlier item, in
 * linear expected time. `levels`: how many levels of nesting an item may have (1 for a
 * primitive); an item nested deeper is walked no further, and equal to itself alone: the
 * depth limit refuses it.
 */
export function repeatedItems(items: readonly unknown[], levels: number): number[] {
  const repeats: number[] = [];
  if (items.length < 2 || levels < 1) return repeats;
  // Not sets, which sameValue compares each member with each: quadratic in their size.
  if (items.length <= pairwiseLimit && !items.some((item) => isSet(item))) {
    for (let index = 1; index < items.length; index++)
      for (let earlier = 0; earlier < index; earlier++)
        if (sameValue(items[earlier], items[index], levels)) {
          repeats.push(index);
          break;
        }
    return repeats;
  }
  const keys = new ItemKeys();
  // Booleans, null, strings and numbers by their identity (see `primitiveIdentity`: a Set tells
  // their types apart), everything else by a key spelt so that it never collides with them.
  const primitives = new Set<unknown>();
  const composites = new TextSet();
  const walkedNot = new Set<unknown>();
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const direct = directKey(item);
    if (direct !== undefined) {
      if (primitives.has(direct)) repeats.push(index);
      else primitives.add(direct);
      continue;
    }
    const key = keys.of(item, levels);
    if (key === tooDeep) {
      // Not walked: only the very same value is known to repeat.
      if (walkedNot.has(item)) repeats.push(index);
      else walkedNot.add(item);
    } else if (key !== unequal) {
      if (!composites.add(key)) repeats.push(index);
    }
  }
  return repeats;
}

// The key of a primitive held in a Set as itself, or undefined for the others (NaN, equal to
// nothing, among them).
function directKey(item: unknown): unknown {
  return typeof item === 'boolean' || item === null ? item : primitiveIdentity(item);
}

// Returned by `ItemKeys.of` for a value nested deeper than allowed, and for one equal to
// nothing (NaN, or a list or object holding one).
const tooDeep: unique symbol = Symbol('too deep');
const unequal: unique symbol = Symbol('unequal');

/**
 * Keys of values, two values having one key exactly when `sameValue` holds them equal. A
 * value equal to nothing but itself (a function, a set holding one member twice, a value
 * holding NaN) is keyed by its identity.
 */
class ItemKeys {
  private readonly identities = new Map<unknown, number>();

  /** The key of `value`, which may nest `levels` levels. */
  of(value: unknown, levels: number): string | typeof tooDeep | typeof unequal {
    if (levels < 1) return tooDeep;
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'boolean':
        return value ? 't' : 'f';
      case 'undefined':
        return 'u';
      case 'bigint':
        return `n${value}`;
      case 'number':
        if (Number.isNaN(value)) return unequal;
        // Integers by their digits, as a bigint's (0 and -0 alike); other numbers by their
        // shortest spelling, which has a dot, an exponent or is Infinity: never digits alone.
        return Number.isInteger(value) ? `n${BigInt(value)}` : `n${value}`;
      case 'object': {
        if (value === null) return 'z';
        const key = this.composite(value, levels);
        // Equal to itself alone: sameValue compares identity first.
        return key === unequal ? this.identity(value) : key;
      }
      default:
        return this.identity(value);
    }
  }

  private composite(value: object, levels: number): string | typeof tooDeep | typeof unequal {
    if (isBytes(value)) return `b${Buffer.from(value).toString('hex')};`;
    if (isSet(value)) {
      const parts = this.keysOf(value, levels - 1);
      if (typeof parts !== 'object') return parts;
      parts.sort();
      // Equal members make `sameValue` lopsided (a set of 1 and 1n has the members of one
      // of 1 and 2); no set may hold both, so such a set is equal to itself alone.
      for (let index = 1; index < parts.length; index++)
        if (parts[index] === parts[index - 1]) return unequal;
      return `<${parts.join(',')}>`;
    }
    if (Array.isArray(value)) {
      // Holes as undefined, as sameValue has them.
      const parts = this.keysOf(Array.from(value), levels - 1);
      return typeof parts === 'object' ? `[${parts.join(',')}]` : parts;
    }
    // Own properties, undefined ones left out, in one order whatever the object's (an
    // object of another class too: sameValue compares its own properties).
    const record = value as Record<string, unknown>;
    const names = Object.keys(record)
      .filter((name) => record[name] !== undefined)
      .sort();
    const parts = this.keysOf(
      names.map((name) => record[name]),
      levels - 1,
    );
    if (typeof parts !== 'object') return parts;
    return `{${names.map((name, index) => `${JSON.stringify(name)}:${parts[index]}`).join(',')}}`;
  }

  // The keys of members, or why they have none: `tooDeep` before `unequal`.
  private keysOf(
    members: Iterable<unknown>,
    levels: number,
  ): string[] | typeof tooDeep | typeof unequal {
    const keys: string[] = [];
    let equalable = true;
    for (const member of members) {
      const key = this.of(member, levels);
      if (key === tooDeep) return tooDeep;
      if (key === unequal) equalable = false;
      else keys.push(key);
    }
    return equalable ? keys : unequal;
  }

  private identity(value: unknown): string {
    let id = this.identities.get(value);
    if (id === undefined) {
      id = this.identities.size;
      this.identities.set(value, id);
    }
    return `#${id};`;
  }
}
