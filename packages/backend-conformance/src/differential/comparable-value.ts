/** A result as plain data: models as their JSON, `undefined` as `null`. */
export function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && 'toJSON' in value)
    return (value as { toJSON(): unknown }).toJSON();
  return value;
}

/**
 * Orders values by their JSON, bigints included, with names sorted: engines need not keep an
 * item's attribute order (PostgreSQL's jsonb orders names its own way), only its attributes.
 */
export function byJson(left: unknown, right: unknown): number {
  const a = JSON.stringify(left, canonical);
  const b = JSON.stringify(right, canonical);
  return a < b ? -1 : a > b ? 1 : 0;
}

function canonical(_name: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return Object.fromEntries(
      Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  return value;
}

/** JSON with bigints spelled `7n`, for messages. */
export function describeValue(value: unknown): string {
  return JSON.stringify(value, (_name, inner: unknown) =>
    typeof inner === 'bigint' ? `${inner}n` : inner,
  );
}

/** DynamoDB stores numbers, not JavaScript types: a bigint within 2^53 reads back as a number. */
export function sameNumbers(value: unknown): unknown {
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  if (Array.isArray(value)) return value.map(sameNumbers);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array))
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [name, sameNumbers(inner)]),
    );
  return value;
}
