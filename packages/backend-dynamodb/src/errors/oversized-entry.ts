import { itemSize, type StoredItem, ValidationError } from '@macaron/core/backend';

/**
 * DynamoDB's refusal of a batch or a transaction for an item past the size limit names no
 * item: the same `ValidationError` naming the entry whose item it was (`where` and its
 * position, as the memory and PostgreSQL backends name it), its size counted as DynamoDB
 * counts it. Any other error, or one no item given is past the limit by that count (an update
 * that would grow an item), is returned as it is.
 */
export function namingOversizedEntry(
  error: unknown,
  items: readonly (StoredItem | undefined)[],
  where: string,
  maxBytes: number,
): unknown {
  if (!ValidationError.isInstance(error) || error.problems[0]?.keyword !== 'maxItemBytes')
    return error;
  for (const [position, item] of items.entries()) {
    const size = item === undefined ? 0 : itemSize(item);
    if (size > maxBytes)
      return new ValidationError(
        `${where} ${position}: item too large`,
        [
          {
            pointer: '',
            keyword: 'maxItemBytes',
            message: `is ${size} bytes, above the ${maxBytes}-byte item limit`,
          },
        ],
        { cause: error.cause },
      );
  }
  return error;
}
