/**
 * A stored value as text that tells apart what `valuesEqual` (DynamoDB's equality) takes as
 * one: a number from a bigint, `-0` from `0`, a set from a list, bytes from a string. Map
 * members are sorted by name, as no engine keeps attribute order (P-21); set members too.
 */
export function exactText(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  // JSON.stringify writes a lone surrogate as its escape: it stays told apart.
  if (typeof value === 'string') return `S${JSON.stringify(value)}`;
  if (typeof value === 'number') return Object.is(value, -0) ? 'N-0' : `N${String(value)}`;
  if (typeof value === 'bigint') return `I${value}`;
  if (value instanceof Uint8Array) return `B${Buffer.from(value).toString('hex')}`;
  if (value instanceof Set) return `set(${[...value].map(exactText).sort().join(',')})`;
  if (Array.isArray(value)) return `[${value.map(exactText).join(',')}]`;
  if (typeof value === 'object') {
    const names = Object.keys(value).sort();
    const members = names.map(
      (name) => `${JSON.stringify(name)}:${exactText((value as Record<string, unknown>)[name])}`,
    );
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`not a stored value: ${typeof value}`);
}
