import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/support/specs.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { unconstrained } from '../schema/schema-node.js';
import { itemSize } from './item-size.js';
import type { TransactionAction } from './storage-backend.js';
import type { StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';
import { checkTransactionSize } from './write-request.js';

const model: ModelDescriptor = {
  name: 'Note',
  schema: unconstrained,
  table: {
    name: 'notes',
    specName: 'notes',
    partitionKey: { name: 'i', type: 'string' },
    indexes: [],
  },
};

// DynamoDB: "the aggregate size of the items in the transaction cannot exceed 4 MB".
const limit = 4 * 1024 * 1024;

// 16 items of 262,144 bytes each (`i` and `t` 1 byte each, the id 2, the text the rest) are
// 4,194,304 bytes together: the limit exactly. `extra` bytes more go into the last one.
function items(extra: number): StoredItem[] {
  return Array.from({ length: 16 }, (_, index) => ({
    i: index.toString(16).padStart(2, '0'),
    t: 'x'.repeat(limit / 16 - 4 + (index === 15 ? extra : 0)),
  }));
}

function puts(extra: number): TransactionAction[] {
  return items(extra).map((item) => ({ kind: 'put', model, item }));
}

describe('[P-71] checkTransactionSize: 4 MB of items together', () => {
  it('takes items of exactly 4,194,304 bytes together, and refuses one byte more', () => {
    const atLimit = puts(0);
    expect(items(0).reduce((sum, item) => sum + itemSize(item), 0)).toBe(limit);
    expect(() => checkTransactionSize(atLimit)).not.toThrow();
    expect(thrown(() => checkTransactionSize(puts(1)))).toBeInstanceOf(InvalidRequestError);
  });

  it('counts an update as its key and the values it sets, to the same limit', () => {
    // The key (3 bytes) and the text set make the last item's 262,144 bytes again.
    const update = (extra: number): TransactionAction[] => [
      ...puts(0).slice(0, 15),
      {
        kind: 'update',
        model,
        key: { i: '0f' },
        operations: [{ action: 'set', path: 't', value: 'x'.repeat(limit / 16 - 3 + extra) }],
      },
    ];
    expect(() => checkTransactionSize(update(0))).not.toThrow();
    expect(thrown(() => checkTransactionSize(update(1)))).toBeInstanceOf(InvalidRequestError);
  });
});
