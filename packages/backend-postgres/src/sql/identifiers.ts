import { InvalidRequestError } from '@macaron/core';

// PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes (63): two names could meet.
const maxIdentifierBytes = 63;

/** A quoted SQL identifier; refuses names PostgreSQL would truncate or cannot hold. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\u0000'))
    throw new InvalidRequestError(`A PostgreSQL name cannot hold U+0000: ${JSON.stringify(name)}`);
  if (Buffer.byteLength(name) > maxIdentifierBytes)
    throw new InvalidRequestError(
      `${JSON.stringify(name)} is longer than PostgreSQL's ${maxIdentifierBytes}-byte names`,
    );
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A name the backend derives (an index's, the primary key's), shortened with a hash when it
 * would be too long. The hash's `~` is not in Macaron's table and index names either.
 */
export function derivedIdentifier(name: string): string {
  if (Buffer.byteLength(name) <= maxIdentifierBytes) return name;
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  const suffix = `~${hash.toString(36)}`;
  let prefix = name;
  while (Buffer.byteLength(prefix) + suffix.length > maxIdentifierBytes)
    prefix = prefix.slice(0, -1);
  return `${prefix}${suffix}`;
}
