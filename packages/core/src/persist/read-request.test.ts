import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { unconstrained } from '../schema/schema-node.js';
import { checkItemKey } from './item-key.js';
import {
  checkBatchGetRequest,
  checkGetRequest,
  checkQueryRequest,
  checkScanRequest,
} from './read-request.js';
import type { ItemKey } from './stored-value.js';
import type { IndexDescriptor, ModelDescriptor, TableDescriptor } from './table-descriptor.js';
import {
  checkBatchWriteRequest,
  checkDeleteRequest,
  checkTransactionRequest,
} from './write-request.js';

const byScore: IndexDescriptor = {
  name: 'byScore',
  partitionKey: { name: 'author', type: 'string' },
  sortKey: { name: 'score', type: 'number' },
};
const table: TableDescriptor = {
  name: 'messages',
  specName: 'messages',
  partitionKey: { name: 'channel', type: 'string' },
  sortKey: { name: 'sent', type: 'binary' },
  indexes: [byScore],
};
const model: ModelDescriptor = { name: 'Message', schema: unconstrained, table };
const key = { channel: 'c', sent: new Uint8Array([1]) };

function refusal(check: () => void): string {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('checkItemKey', () => {
  it('takes exactly the table key, each attribute of its type', () => {
    expect(() => checkItemKey(table, key, 'getItem')).not.toThrow();
    const cases: [unknown, string][] = [
      ['c', 'getItem: the key must be an object'],
      [[key], 'getItem: the key must be an object'],
      [{ channel: 'c' }, 'getItem: the key has no sent'],
      [{ sent: key.sent }, 'getItem: the key has no channel'],
      [{ ...key, channel: 1 }, 'getItem: the key attribute channel must be a string'],
      [{ ...key, channel: '' }, 'getItem: the key attribute channel must not be empty'],
      [{ ...key, sent: 'x' }, 'getItem: the key attribute sent must be a Uint8Array'],
      [{ ...key, sent: new Uint8Array(1025) }, 'is longer than 1024 bytes'],
      [{ ...key, channel: 'é'.repeat(1025) }, 'is longer than 2048 bytes'],
      [{ ...key, body: 'b' }, 'getItem: "body" is not a key attribute of table messages'],
      [{ ...key, author: undefined }, '"author" is not a key attribute'],
      [
        Object.defineProperty({ sent: key.sent }, 'channel', { value: 'c' }),
        'the key attributes must be enumerable own properties of the key',
      ],
    ];
    for (const [value, message] of cases)
      expect(refusal(() => checkItemKey(table, value as ItemKey, 'getItem'))).toContain(message);
  });
});

describe('checkGetRequest and checkBatchGetRequest', () => {
  it('refuse a projection that is not a list of distinct names, and flags that are not booleans', () => {
    expect(() =>
      checkGetRequest({ model, key, attributes: ['body'], consistent: false }),
    ).not.toThrow();
    for (const attributes of [[], ['body', 'body'], [''], [1], 'body'])
      refusal(() => checkGetRequest({ model, key, attributes: attributes as string[] }));
    refusal(() => checkGetRequest({ model, key, consistent: 'true' as never }));
    refusal(() => checkGetRequest({ model, key: { channel: 'c' } }));
    expect(() => checkBatchGetRequest([{ model, key }], { consistent: true })).not.toThrow();
    expect(() => checkBatchGetRequest([], undefined)).not.toThrow();
    expect(
      refusal(() =>
        checkBatchGetRequest(
          [
            { model, key },
            { model, key: {} },
          ],
          {},
        ),
      ),
    ).toBe('batchGet entry 1: the key has no channel');
    refusal(() => checkBatchGetRequest([{ model, key }], { consistent: 1 as never }));
    refusal(() => checkBatchGetRequest([{ model, key }], null as never));
    refusal(() => checkBatchGetRequest({ model, key } as never, undefined));
    refusal(() => checkBatchGetRequest([null as never], undefined));
    refusal(() => checkGetRequest({ key } as never));
  });
});

describe('checkQueryRequest', () => {
  const query = (request: object, index?: IndexDescriptor) => () =>
    checkQueryRequest({ model, partition: 'c', ...request } as never, index);

  it('takes what DynamoDB takes', () => {
    for (const request of [
      {},
      { sort: { beginsWith: new Uint8Array() } },
      { sort: { between: [new Uint8Array([1]), new Uint8Array([2])] }, limit: 2 ** 40 },
      { reverse: false, consistent: true, filter: { attr: 'body', exists: true } },
      { startKey: key },
    ])
      expect(query(request)).not.toThrow();
    expect(query({ partition: 'ann', sort: { gte: 1n } }, byScore)).not.toThrow();
  });

  it('refuses the partition, sort condition and options DynamoDB refuses', () => {
    const cases: [object, string, IndexDescriptor?][] = [
      [{ partition: undefined }, 'query partition (channel) must be a string'],
      [{ partition: '' }, 'query partition (channel) must not be empty'],
      [{ partition: 1 }, 'must be a string', byScore],
      [{ sort: { eq: 'x' } }, 'query sort value for sent must be a Uint8Array'],
      [{ sort: { eq: new Uint8Array() } }, 'query sort value for sent must not be empty'],
      [{ sort: { gt: 1, lt: 2 } }, 'query sort takes exactly one of'],
      [{ sort: [] }, 'query sort must be a plain object'],
      [{ sort: { beginsWith: 'a' } }, 'beginsWith needs a string or binary sort key', byScore],
      [{ sort: { beginsWith: '' } }, 'beginsWith needs a string or binary sort key', byScore],
      [{ sort: { between: [2, 1] } }, 'the low bound of between is above the high bound', byScore],
      [{ limit: 0 }, 'query limit must be a whole number of at least 1'],
      [{ limit: 2n }, 'query limit must be a whole number of at least 1'],
      [{ limit: 2 ** 53 }, 'query limit must be a whole number of at least 1'],
      [{ limit: 2 ** 53 }, 'and at most 2^53 − 1, not 9007199254740992'],
      [{ limit: 2n }, 'and at most 2^53 − 1, not the bigint 2'],
      [{ limit: '5' }, 'and at most 2^53 − 1, not a string'],
      [{ limit: {} }, 'and at most 2^53 − 1, not an object'],
      [{ limit: [5] }, 'and at most 2^53 − 1, not an array'],
      [{ reverse: 1 }, 'query reverse takes true or false'],
      [{ consistent: 'yes' }, 'query consistent takes true or false'],
      [{ consistent: true }, 'Consistent reads are not available on secondary indexes', byScore],
      [{ filter: { attr: 'sent', exists: true } }, 'cannot name the key attribute sent'],
      [{ startKey: { channel: 'd', sent: key.sent } }, 'is not the partition read'],
      [
        { sort: { gt: new Uint8Array([1]) }, startKey: key },
        'its sent does not meet the sort condition read',
      ],
      [
        { partition: 'ann', sort: { lt: 1 }, startKey: { author: 'ann', score: 1n, ...key } },
        'its score does not meet the sort condition read',
        byScore,
      ],
    ];
    for (const [request, message, index] of cases)
      expect(refusal(query(request, index)), message).toContain(message);
    const noSort: TableDescriptor = { ...table, name: 'notes', indexes: [] };
    delete (noSort as { sortKey?: unknown }).sortKey;
    expect(
      refusal(() =>
        checkQueryRequest(
          { model: { ...model, table: noSort }, partition: 'c', sort: { eq: 'x' } },
          undefined,
        ),
      ),
    ).toBe('query sort condition given, but notes has no sort key');
  });
});

describe('checkScanRequest', () => {
  it('refuses a limit, a flag, a filter or a start key DynamoDB refuses', () => {
    expect(() => checkScanRequest({ model, limit: 1, consistent: true }, undefined)).not.toThrow();
    expect(() =>
      checkScanRequest({ model, filter: { attr: 'sent', exists: true } }, undefined),
    ).not.toThrow();
    for (const [request, index] of [
      [{ limit: 1.5 }],
      [{ consistent: 0 }],
      [{ consistent: true }, byScore],
      [{ filter: { attr: 'body' } }],
      [{ startKey: { channel: 'c' } }],
    ] as [object, IndexDescriptor?][])
      refusal(() => checkScanRequest({ model, ...request } as never, index));
  });
});

describe('checkDeleteRequest, checkBatchWriteRequest and checkTransactionRequest', () => {
  it('refuse requests of no known shape and keys that are not the table key', () => {
    expect(() => checkDeleteRequest({ model, key, answer: 'presence' })).not.toThrow();
    refusal(() => checkDeleteRequest({ model, key, answer: 'bogus' as never }));
    refusal(() => checkDeleteRequest({ model, key: { channel: 'c' } }));
    refusal(() => checkDeleteRequest(undefined as never));
    expect(() =>
      checkBatchWriteRequest([
        { model, put: { ...key } },
        { model, delete: key },
      ]),
    ).not.toThrow();
    refusal(() => checkBatchWriteRequest({ length: 0 } as never));
    for (const entry of [
      { model },
      { model, put: key, delete: key },
      { model, delete: { channel: 'c' } },
      { put: key },
      null,
    ])
      expect(
        refusal(() => checkBatchWriteRequest([{ model, delete: key }, entry as never])),
      ).toMatch(/^batchWrite entry 1/);
    const condition = { attr: 'body', exists: true } as const;
    expect(() =>
      checkTransactionRequest([
        { kind: 'put', model, item: key },
        { kind: 'delete', model, key },
        { kind: 'update', model, key, operations: [] },
        { kind: 'check', model, key, condition },
      ]),
    ).not.toThrow();
    refusal(() => checkTransactionRequest('actions' as never));
    for (const action of [
      { kind: 'erase', model, key },
      { kind: 'check', model, key },
      { kind: 'delete', model, key: { ...key, body: 'b' } },
      { kind: 'update', model, key: { channel: 'c' }, operations: [] },
      { kind: 'delete', model: {}, key },
    ])
      expect(refusal(() => checkTransactionRequest([action as never]))).toMatch(
        /^transactWrite action 0/,
      );
  });
});
