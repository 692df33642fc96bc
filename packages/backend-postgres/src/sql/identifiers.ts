import { InvalidRequestError } from '@macaron/core';
import { quotedName } from '@macaron/core/backend';

// PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes (63): two names could meet.
const maxIdentifierBytes = 63;

/** Why PostgreSQL cannot hold `name` as it is, or undefined when it can. */
export function identifierProblem(name: string): string | undefined {
  if (name.includes('\u0000')) return 'a PostgreSQL name cannot hold U+0000';
  // PostgreSQL would store U+FFFD instead, so the table's name would no longer be the spec's.
  if (!name.isWellFormed()) return 'it holds a lone surrogate, which a PostgreSQL name cannot';
  if (Buffer.byteLength(name) > maxIdentifierBytes)
    return `it is longer than PostgreSQL's ${maxIdentifierBytes}-byte names`;
  return undefined;
}

/** A quoted SQL identifier; refuses names PostgreSQL would truncate or cannot hold. */
export function quoteIdentifier(name: string): string {
  const problem = identifierProblem(name);
  if (problem !== undefined)
    throw new InvalidRequestError(`${quotedName(name)} cannot be used: ${problem}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A name the backend derives (an index's, the primary key's), shortened with a hash when it
 * would be too long. The hash's `~` is not in Macaron's table and index names either.
 *
 * The hash is 32 bits, so two long names that share their first 55 bytes can still meet (about
 * 1 in 4 billion per pair): provisioning refuses such a pair (`checkDistinctNames`, and the
 * catalog for tables made earlier), never merges it. The derivation must not change: it names
 * the indexes of existing deployments.
 */
export function derivedIdentifier(name: string): string {
  if (Buffer.byteLength(name) <= maxIdentifierBytes) return name;
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  const suffix = `~${hash.toString(36)}`;
  // Cut by code point: a UTF-16 unit at a time would leave half of a surrogate pair (an emoji),
  // a name PostgreSQL cannot hold. (Elsewhere the two cut alike: the names given stay.)
  const characters = Array.from(name);
  while (Buffer.byteLength(characters.join('')) + suffix.length > maxIdentifierBytes)
    characters.pop();
  return `${characters.join('')}${suffix}`;
}
