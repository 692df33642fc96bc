import type { AttributePath, UpdateOperation } from '@macaron/core';
import type { ExpressionAttributes } from './expression-attributes.js';

/**
 * Translates update operations into one UpdateExpression.
 *
 * `add` on a top-level attribute is DynamoDB's `ADD`: it counts a missing attribute as 0,
 * as the SET form does, and engines apply it atomically (moto 5 applies concurrent
 * `SET n = if_not_exists(n, :0) + :1` non-atomically and loses increments; DynamoDB makes
 * both atomic). `ADD` only takes top-level attributes, so a nested `add` stays a SET clause
 * with `if_not_exists`, and so does `append` (`ADD` on a list is not an append).
 */
export function updateExpression(
  operations: readonly UpdateOperation[],
  attributes: ExpressionAttributes,
): string {
  const sets: string[] = [];
  const removes: string[] = [];
  const adds: string[] = [];
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
        if (isTopLevel(operation.path)) adds.push(`${path} ${attributes.value(operation.value)}`);
        else
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
    adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function isTopLevel(path: AttributePath): boolean {
  return typeof path === 'string' || (path.length === 1 && typeof path[0] === 'string');
}
