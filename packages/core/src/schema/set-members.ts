import { isBytes } from './builtin-values.js';

/**
 * A member of a set equal to an earlier one, or undefined. JavaScript's `Set` keeps `1` and
 * `1n`, or two byte arrays of the same bytes, as two members; to DynamoDB (and so to every
 * backend) they are one, and a set holding both cannot be stored.
 */
export function repeatedSetMember(members: Iterable<unknown>): unknown {
  const seen = new Set<string>();
  for (const member of members) {
    const identity = memberIdentity(member);
    if (identity === undefined) continue;
    if (seen.has(identity)) return member;
    seen.add(identity);
  }
  return undefined;
}

// Equal numbers and equal bytes get one identity; strings are told apart by `Set` itself.
function memberIdentity(member: unknown): string | undefined {
  if (typeof member === 'bigint') return `n${member}`;
  if (typeof member === 'number') {
    // Integers by their exact digits, as a bigint's; other doubles by their unique shortest spelling.
    return Number.isInteger(member) ? `n${BigInt(member)}` : `n${member}`;
  }
  if (isBytes(member)) return `b${Buffer.from(member).toString('hex')}`;
  if (typeof member === 'string') return `s${member}`;
  return undefined;
}
