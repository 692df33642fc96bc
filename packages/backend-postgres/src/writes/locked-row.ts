import {
  BackendError,
  type Condition,
  ConditionFailedError,
  type ItemKey,
  type StoredItem,
  type TableDescriptor,
} from '@macaron/core';
import { evaluateCondition, pathSegments } from '@macaron/core/backend';

export function checkCondition(condition: Condition | undefined, row: LockedRow): void {
  if (condition && !row.holds(condition))
    throw new ConditionFailedError('The conditional request failed');
}

/**
 * A row locked by a transaction, or the key found free. Its item is read only when asked: a
 * write that needs no more than the row's presence (an unconditional put or delete, a create's
 * "not there yet", any condition on key attributes alone) succeeds, as on DynamoDB, over an
 * item another client wrote that cannot be read exactly.
 */
export class LockedRow {
  private decoded: StoredItem | undefined;

  constructor(
    private readonly key: ItemKey,
    private readonly table: TableDescriptor,
    private readonly decode: (() => StoredItem) | undefined,
    // What is exact of an item that cannot be read: its key and discriminator.
    private readonly readable: (() => StoredItem | undefined) | undefined,
  ) {}

  /** Whether a row is under the key. */
  get present(): boolean {
    return this.decode !== undefined;
  }

  /** The row's item, or undefined when the key is free. */
  item(): StoredItem | undefined {
    if (this.decode === undefined) return undefined;
    this.decoded ??= this.decode();
    return this.decoded;
  }

  /**
   * Whether `condition` holds; one on key attributes alone is evaluated on the key, and, for
   * an item that cannot be read, one that its key and discriminator settle (a model's own
   * check) on those.
   */
  holds(condition: Condition): boolean {
    const { partitionKey, sortKey, discriminatorAttribute } = this.table;
    const keyNames = [partitionKey.name, sortKey?.name];
    if (this.decoded === undefined && namesOnly(condition, keyNames))
      return evaluateCondition(condition, this.present ? { ...this.key } : undefined);
    try {
      return evaluateCondition(condition, this.item());
    } catch (error) {
      const known = error instanceof BackendError && this.readable?.();
      if (!known) throw error;
      // Decided by what is exact (a model's own check failing settles an `and`), or unknown.
      const decided = decidedOn(condition, known, [...keyNames, discriminatorAttribute]);
      if (decided === undefined) throw error;
      return decided;
    }
  }
}

/**
 * A condition's value on an item of which only the attributes `names` are known: true or
 * false where those settle it (three-valued: an `and` with a false part is false, an `or` with
 * a true part true), undefined where another attribute could change it.
 */
function decidedOn(
  condition: Condition,
  item: StoredItem,
  names: readonly (string | undefined)[],
): boolean | undefined {
  if ('and' in condition || 'or' in condition) {
    // The value one part settles the whole on: false for an `and`, true for an `or`.
    const settling = !('and' in condition);
    let unknown = false;
    for (const part of 'and' in condition ? condition.and : condition.or) {
      const value = decidedOn(part, item, names);
      if (value === settling) return settling;
      if (value === undefined) unknown = true;
    }
    return unknown ? undefined : !settling;
  }
  if ('not' in condition) {
    const value = decidedOn(condition.not, item, names);
    return value === undefined ? undefined : !value;
  }
  return namesOnly(condition, names) ? evaluateCondition(condition, item) : undefined;
}

// Whether every comparison of `condition` is on one of these top-level attributes.
function namesOnly(condition: Condition, names: readonly (string | undefined)[]): boolean {
  if ('and' in condition) return condition.and.every((part) => namesOnly(part, names));
  if ('or' in condition) return condition.or.every((part) => namesOnly(part, names));
  if ('not' in condition) return namesOnly(condition.not, names);
  const first = pathSegments(condition.attr)[0];
  return typeof first === 'string' && names.includes(first);
}
