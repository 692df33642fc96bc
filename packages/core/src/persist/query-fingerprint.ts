import { hash } from 'node:crypto';
import { isBytes, isSet } from '../schema/builtin-values.js';
import type { Condition, SortKeyCondition } from './condition.js';
import type { KeyValue } from './stored-value.js';

/**
 * Everything that decides which items a query or scan reads, in which order: a cursor is
 * bound to it, so that it only goes on with the query that made it. Page options that do
 * not change the result set (`limit`, `consistent`) are not part of it.
 */
export interface CursorQuery {
  /** Query (one partition) or scan (the whole table or index). */
  kind: 'query' | 'scan';
  /** The model's schema name (models sharing a table read different items). */
  model: string;
  /** Physical table name. */
  table: string;
  /** Index name, or `''` for the table. */
  index: string;
  /** The queried partition value; undefined for a scan. */
  partition?: KeyValue | undefined;
  /** The query's sort-key condition. */
  sort?: SortKeyCondition | undefined;
  /** The caller's filter. */
  filter?: Condition | undefined;
  /** Descending sort-key order. */
  reverse?: boolean | undefined;
  /**
   * The backend's `name`: engines order index and scan pages their own way, so a cursor goes
   * on only with the engine family that made it. Undefined: unbound (cursors of format 1).
   */
  backend?: string | undefined;
  /**
   * Reading an index: the attributes it is keyed on, partition then sort (absent without one).
   * An index keeps its name while its keys change (PostgreSQL's `ensureTables` rebuilds it,
   * another spec sharing the cursor key names its index alike), and then orders its items
   * otherwise: a cursor of the former keys would go on at another place. Bound in cursors of
   * formats 4 and 5; undefined for the table.
   */
  indexKeys?: readonly [partition: string, sort?: string] | undefined;
}

/**
 * The SHA-256 of a query's canonical form (`canonicalQuery`): equal for the same query with
 * values however spelt (`5`, `5.0` and `5n`; maps and sets in any order). Conditions are
 * compared as written: `attr: 'a'` and `attr: ['a']` make different cursors (P-56 allows it).
 */
export function queryFingerprint(query: CursorQuery): Buffer {
  return fingerprintOf(canonicalQuery(query));
}

/**
 * A query's canonical form: a JSON text, the query's values taken as they are now. Bound to
 * a backend, it is the unbound form with the backend's name added last.
 */
export function canonicalQuery(query: CursorQuery): string {
  const unbound = JSON.stringify([
    query.kind,
    query.model,
    query.table,
    query.index,
    canonicalValue(query.partition),
    canonicalValue(query.sort),
    canonicalValue(query.filter),
    query.reverse === true,
  ]);
  return query.backend === undefined ? unbound : boundTo(unbound, query.backend);
}

/** The canonical form of an unbound query (`canonicalQuery`), bound to a backend. */
export function boundTo(unbound: string, backend: string): string {
  return `${unbound.slice(0, -1)},${JSON.stringify(backend)}]`;
}

/** A canonical form (bound to its backend) with the keys of the index it reads added last. */
export function withIndexKeys(
  canonical: string,
  indexKeys: readonly [partition: string, sort?: string],
): string {
  return `${canonical.slice(0, -1)},${JSON.stringify(['keys', indexKeys[0], indexKeys[1] ?? null])}]`;
}

/** The SHA-256 of a canonical form. */
export function fingerprintOf(canonical: string): Buffer {
  // JSON.stringify escapes lone surrogates (`"\ud800"`), so the UTF-8 below loses nothing.
  return hash('sha256', canonical, 'buffer') as unknown as Buffer;
}

/**
 * A tagged JSON form that tells every stored value apart exactly: strings from numbers
 * from bytes, numbers by value (`5`, `5.0` and `5n` are one number, as in DynamoDB), maps
 * and sets whatever their order.
 */
function canonicalValue(value: unknown): unknown {
  if (value === undefined) return ['u'];
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return ['s', value];
  if (typeof value === 'bigint') return ['n', value.toString()];
  if (typeof value === 'number') {
    // Integers in full digits (1e21 is 1000…0n); other doubles by their shortest spelling.
    return ['n', Number.isInteger(value) ? BigInt(value).toString() : String(value)];
  }
  if (isBytes(value)) return ['b', Buffer.from(value).toString('base64')];
  if (Array.isArray(value)) return ['a', ...value.map(canonicalValue)];
  if (isSet(value)) {
    // A set has no order: its members sorted by their canonical spelling.
    return ['set', ...[...value].map((member) => JSON.stringify(canonicalValue(member))).sort()];
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([name, item]) => [name, canonicalValue(item)]);
    return ['o', ...entries];
  }
  // Options are checked before they are fingerprinted; anything else is told apart by type.
  return ['?', typeof value, String(value)];
}
