import { checkItemSize, type StoredItem, ValidationError } from '@macaron/core/backend';

/**
 * DynamoDB's refusal of a batch or a transaction for an item past the size limit names no
 * item: the same `ValidationError` the memory and PostgreSQL backends give, naming the entry
 * whose item it was (`where` and its position), its size counted as DynamoDB counts it, the
 * engine's refusal its cause. Any other error, or one no item given is past the limit by that
 * count (an update that would grow an item), is returned as it is.
 */
export function namingOversizedEntry(
  error: unknown,
  items: readonly (StoredItem | undefined)[],
  where: string,
  maxBytes: number,
): unknown {
  if (!ValidationError.isInstance(error) || error.problems[0]?.keyword !== 'maxItemBytes')
    return error;
  try {
    for (const [position, item] of items.entries())
      if (item !== undefined)
        checkItemSize(item, maxBytes, `${where} ${position}`, { cause: error.cause });
  } catch (named) {
    return named;
  }
  return error;
}
