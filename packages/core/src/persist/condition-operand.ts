import { quotedName } from '../errors/shown-name.js';
import { shownNumber } from '../errors/shown-number.js';
import { isBytes, isObjectPrototype, isSet } from '../schema/builtin-values.js';
import { repeatedSetMember } from '../schema/set-members.js';
import { numberProblem } from '../schema/storable-number.js';

/**
 * DynamoDB supports nested attributes up to 32 levels deep ("Nested attribute depth",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html):
 * a deeper operand can match no stored value, and a cyclic one would never end.
 */
export const maxNestingDepth = 32;

/**
 * Why a value cannot be a condition operand, or undefined when it can. An operand is what a
 * store can hold: null, booleans, well-formed strings, storable numbers and bigints, bytes,
 * lists, plain objects (own string keys, `Object.prototype` or null prototype) and sets
 * (DynamoDB's SS, NS and BS: non-empty, one kind of member, no two members equal). A `Date`,
 * `Map`, function, symbol or class instance is refused: marshalled, it would be an empty map
 * and the condition would silently test something else.
 */
export function operandProblem(value: unknown, depth = 0): string | undefined {
  if (depth > maxNestingDepth) return `is nested deeper than ${maxNestingDepth} levels`;
  switch (typeof value) {
    case 'undefined':
      return 'is undefined';
    case 'boolean':
      return undefined;
    case 'string':
      return value.isWellFormed() ? undefined : 'is a string holding a lone surrogate';
    case 'number':
    case 'bigint': {
      const problem = numberProblem(value) ?? inexactInteger(value);
      return problem === undefined ? undefined : `is ${shownNumber(value)}, which ${problem}`;
    }
    case 'function':
      return 'is a function, which cannot be stored';
    case 'symbol':
      return 'is a symbol, which cannot be stored';
  }
  if (value === null || isBytes(value)) return undefined;
  if (Array.isArray(value)) {
    // `for` over indexes, so that holes of a sparse list are seen as the undefined they are.
    for (let index = 0; index < value.length; index++) {
      const problem = operandProblem(value[index], depth + 1);
      if (problem) return `at [${index}] ${problem}`;
    }
    return undefined;
  }
  if (isSet(value)) return setProblem(value);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== null && !isObjectPrototype(prototype)) {
    const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
    return `is ${typeof name === 'string' && name !== '' ? `a ${name}` : 'an object with a prototype'}, not a plain object, and cannot be stored`;
  }
  if (Object.getOwnPropertySymbols(value).length > 0)
    return 'has symbol keys, which cannot be stored';
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (!name.isWellFormed()) return 'has a map key holding a lone surrogate';
    const problem = operandProblem(record[name], depth + 1);
    if (problem) return `at ${quotedName(name)} ${problem}`;
  }
  return undefined;
}

// A set operand compares with a stored set: DynamoDB refuses empty sets, mixed members and
// duplicates, and JavaScript's set does not see 1 and 1n, or two equal byte arrays, as one.
function setProblem(set: ReadonlySet<unknown>): string | undefined {
  const members = [...set];
  if (members.length === 0) return 'is an empty set, which cannot be stored';
  const kind = setMemberKind(members[0]);
  if (kind === undefined || members.some((member) => setMemberKind(member) !== kind))
    return 'is a set that is not of strings, of numbers or of binaries alone';
  for (const member of members) {
    const problem = operandProblem(member);
    if (problem) return `holds a member that ${problem}`;
  }
  if (repeatedSetMember(members) !== undefined)
    return kind === 'number'
      ? 'is a set holding one number twice (as a number and a bigint)'
      : 'is a set holding equal bytes twice';
  return undefined;
}

/**
 * An integer-valued number beyond 2^53 stands for many integers (2 ** 60 + 1 is 2 ** 60): it
 * cannot be stored (P-13), and sent as text it would name yet another number.
 */
export function inexactInteger(value: number | bigint): string | undefined {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)
    ? 'is an integer beyond 2^53 that a number cannot hold exactly (use a bigint)'
    : undefined;
}

function setMemberKind(member: unknown): 'string' | 'number' | 'binary' | undefined {
  if (typeof member === 'string') return 'string';
  if (typeof member === 'number' || typeof member === 'bigint') return 'number';
  return isBytes(member) ? 'binary' : undefined;
}
