import { test } from 'vitest';
import type { UpdateOperation } from './update-operation.js';

// A backend reads an update's operations; it never writes into them (core may freeze them and
// hand them to the next request of the same shape, where a write throws).
test('update operations are read-only to a backend', () => {
  const read = (operations: readonly UpdateOperation[]) => {
    for (const operation of operations) {
      // @ts-expect-error: read-only
      operation.path = 'other';
      if (operation.action === 'add') {
        // @ts-expect-error: read-only
        operation.value = 2;
      }
    }
    return operations.map((operation) => operation.action);
  };
  read([{ action: 'add', path: 'n', value: 1 }]);
});
