import type { UpdateOperation } from '@macaron/core';
import type { ExpressionAttributes } from './expression-attributes.js';

/**
 * Translates update operations into one UpdateExpression. `add` and `append` are SET
 * clauses with `if_not_exists`, so a missing attribute counts as 0 or an empty list and
 * nested paths work as well as top-level ones.
 */
export function updateExpression(
  operations: readonly UpdateOperation[],
  attributes: ExpressionAttributes,
): string {
  const sets: string[] = [];
  const removes: string[] = [];
  for (const operation of operations) {
    const path = attributes.path(operation.path);
    switch (operation.action) {
      case 'set':
        sets.push(`${path} = ${attributes.value(operation.value)}`);
        break;
      case 'remove':
        removes.push(path);
        break;
      case 'add':
        sets.push(
          `${path} = if_not_exists(${path}, ${attributes.value(0)}) + ${attributes.value(operation.value)}`,
        );
        break;
      case 'append':
        sets.push(
          `${path} = list_append(if_not_exists(${path}, ${attributes.value([])}), ${attributes.value(operation.value)})`,
        );
        break;
    }
  }
  return [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
