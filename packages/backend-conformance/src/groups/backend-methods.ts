import {
  type Condition,
  ConditionFailedError,
  InvalidRequestError,
  type ItemKey,
  MacaronError,
  type StoredItem,
  type StoredValue,
  type TableDescriptor,
  TableMismatchError,
  TransactionCanceledError,
  ValidationError,
} from '@macaron/core';
import type {
  ModelDescriptor,
  Page,
  SortKeyCondition,
  StorageBackend,
  UpdateOperation,
} from '@macaron/core/backend';
import { describe, expect, it } from 'vitest';
import { expectError } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import { readWhole, writeWhole } from '../fixtures/whole-batches.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** Items of the `messages` table (partition `channel`, sort `sent`, index `byAuthor`). */
function message(sent: string, author = 'ann', score = 1): StoredItem {
  return { channel: 'c1', sent, author, score, body: `body ${sent}` };
}

/** Lists in lists, the innermost (empty) `levels` below the outermost. Built in a loop. */
function nested(levels: number): StoredValue {
  return around(levels, []);
}

/** `levels` lists around `leaf`. Built in a loop. */
function around(levels: number, leaf: StoredValue): StoredValue {
  let value = leaf;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

/**
 * A comparison of `text` with 't' under `levels` of and / or / not, built in a loop: `not`s,
 * `and`s of one member, or `and`s of two (`text` exists, and the rest), which DynamoDB's
 * expression writes flat, without parentheses.
 */
function deepCondition(levels: number, shape: 'not' | 'and' | 'and of two'): Condition {
  let condition: Condition = { attr: 'text', eq: 't' };
  for (let level = 0; level < levels; level++)
    condition =
      shape === 'not'
        ? { not: condition }
        : shape === 'and'
          ? { and: [condition] }
          : { and: [{ attr: 'text', exists: true }, condition] };
  return condition;
}

/** What an operation threw (undefined when it succeeded), for checks that name the case. */
async function failureOf(operation: () => Promise<unknown>): Promise<unknown> {
  return operation().then(
    () => undefined,
    (caught: unknown) => caught,
  );
}

/** An InvalidRequestError with its stable code and status, the case named on failure. */
function expectInvalidRequest(error: unknown, label: string): void {
  expect(error, label).toBeInstanceOf(InvalidRequestError);
  expect(MacaronError.isInstance(error) && [error.code, error.status], label).toEqual([
    'INVALID_REQUEST',
    400,
  ]);
}

/** Every page of a query or scan, walked with the backend's own `lastKey`. */
async function walk(read: (startKey: ItemKey | undefined) => Promise<Page>): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let startKey: ItemKey | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await read(startKey);
    items.push(...result.items);
    if (!result.lastKey) return items;
    startKey = result.lastKey;
  }
  throw new Error('more than 100 pages');
}

/**
 * P-99 to P-101 and P-105: the contract through the backend's own methods, as core calls them
 * (and as a caller might, with anything), so a failure names the method (`backend.query`)
 * rather than the model operation built on it.
 */
export function describeBackendMethods(
  factory: ConformanceFactory,
  options: ConformanceOptions,
): void {
  describe('the backend methods, called directly', suiteOptions(options), () => {
    const fixture = useFixture(factory);
    const messages = () => fixture().models.Message.descriptor;
    const notes = () => fixture().models.Note.descriptor;
    // Each way of putting `item` beside `other`: alone, in a batch, in a transaction.
    const putsOf = (item: StoredItem, other: StoredItem): [string, () => Promise<unknown>][] => {
      const { backend } = fixture();
      const model = notes();
      const attempts: [string, () => Promise<unknown>][] = [
        ['putItem', () => backend.putItem({ model, item })],
        [
          'batchWrite',
          () =>
            writeWhole(backend, [
              { model, put: other },
              { model, put: item },
            ]),
        ],
      ];
      if (options.capabilities.transactions)
        attempts.push([
          'transactWrite',
          () =>
            backend.transactWrite([
              { kind: 'put', model, item: other },
              { kind: 'put', model, item },
            ]),
        ]);
      return attempts;
    };

    it('[P-99] backend.putItem stores an item that backend.getItem returns as a copy, attributes projected on request', async () => {
      const { backend } = fixture();
      const item = message('001');
      await backend.putItem({ model: messages(), item });
      const key = { channel: 'c1', sent: '001' };
      const read = await backend.getItem({ model: messages(), key, consistent: true });
      expect(read).toEqual(item);
      (read as { body: string }).body = 'changed';
      expect(await backend.getItem({ model: messages(), key })).toEqual(item);
      expect(
        await backend.getItem({
          model: messages(),
          key,
          attributes: ['channel', 'sent', 'author'],
        }),
      ).toEqual({
        channel: 'c1',
        sent: '001',
        author: 'ann',
      });
      expect(
        await backend.getItem({ model: messages(), key: { channel: 'c1', sent: '999' } }),
      ).toBeUndefined();
    });

    it('[P-99] backend.putItem and backend.deleteItem honour their condition; deleteItem returns the old item', async () => {
      const { backend } = fixture();
      const model = notes();
      await backend.putItem({ model, item: { note_id: 'n1', text: 'one' } });
      await expectError(
        backend.putItem({
          model,
          item: { note_id: 'n1', text: 'two' },
          condition: { attr: 'note_id', exists: false },
        }),
        ConditionFailedError,
      );
      await expectError(
        backend.deleteItem({ model, key: { note_id: 'n1' }, condition: { attr: 'text', eq: 'x' } }),
        ConditionFailedError,
      );
      expect(await fixture().stored(fixture().models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 'one',
      });
      expect(await backend.deleteItem({ model, key: { note_id: 'n1' } })).toEqual({
        note_id: 'n1',
        text: 'one',
      });
      expect(await backend.deleteItem({ model, key: { note_id: 'n1' } })).toBeUndefined();
    });

    it("[P-99] backend.deleteItem with answer 'presence' says whether there was an item, and deletes it", async () => {
      const { backend } = fixture();
      const model = notes();
      await backend.putItem({ model, item: { note_id: 'n2', text: 'two' } });
      const answer = await backend.deleteItem({
        model,
        key: { note_id: 'n2' },
        answer: 'presence',
      });
      // The key at least (a backend may answer the whole item).
      expect(answer).toMatchObject({ note_id: 'n2' });
      expect(await fixture().stored(fixture().models.Note, { note_id: 'n2' })).toBeUndefined();
      expect(
        await backend.deleteItem({ model, key: { note_id: 'n2' }, answer: 'presence' }),
      ).toBeUndefined();
      await backend.putItem({ model, item: { note_id: 'n2', text: 'two' } });
      await expectError(
        backend.deleteItem({
          model,
          key: { note_id: 'n2' },
          condition: { attr: 'text', eq: 'x' },
          answer: 'presence',
        }),
        ConditionFailedError,
      );
      expect(await fixture().stored(fixture().models.Note, { note_id: 'n2' })).toEqual({
        note_id: 'n2',
        text: 'two',
      });
    });

    it('[P-99] backend.updateItem applies set, remove, add and append in one write and returns the item after it', async () => {
      const { backend } = fixture();
      const model = notes();
      await backend.putItem({
        model,
        item: { note_id: 'n1', text: 't', count: 1, tags: ['a'], rating: 2 },
      });
      const after = await backend.updateItem({
        model,
        key: { note_id: 'n1' },
        operations: [
          { action: 'set', path: 'text', value: 'u' },
          { action: 'remove', path: 'rating' },
          { action: 'add', path: 'count', value: 2 },
          { action: 'append', path: 'tags', value: ['b'] },
        ],
        condition: { attr: 'note_id', exists: true },
      });
      const expected = { note_id: 'n1', text: 'u', count: 3, tags: ['a', 'b'] };
      expect(after).toMatchObject(expected);
      expect(Object.hasOwn(after, 'rating')).toBe(false);
      await expectError(
        backend.updateItem({
          model,
          key: { note_id: 'n1' },
          operations: [{ action: 'set', path: 'text', value: 'v' }],
          condition: { attr: 'text', eq: 'nope' },
        }),
        ConditionFailedError,
      );
      expect(await fixture().stored(fixture().models.Note, { note_id: 'n1' })).toMatchObject(
        expected,
      );
    });

    it('[P-105] backend.updateItem of more operations than one update expression holds is an InvalidRequestError, nothing written', async () => {
      const { backend } = fixture();
      const model = notes();
      await backend.putItem({ model, item: { note_id: 'n1', text: 't' } });
      const removes = (count: number): UpdateOperation[] =>
        Array.from({ length: count }, (_, index) => ({ action: 'remove', path: `p${index}` }));
      const sets = (count: number): UpdateOperation[] => [
        { action: 'set', path: 'text', value: 'u' },
        ...removes(count),
      ];
      // Past 4 KB as the DynamoDB backend writes it (585 names), and past any count that fits:
      // paths compared each with each, 100,000 took minutes.
      for (const operations of [sets(585), sets(100_000)])
        await expectError(
          backend.updateItem({ model, key: { note_id: 'n1' }, operations }),
          InvalidRequestError,
        );
      expect(await fixture().stored(fixture().models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 't',
      });
      const fits = options.engineDifferences?.includes('updates-of-200-clauses-fail') ? 100 : 500;
      await backend.updateItem({ model, key: { note_id: 'n1' }, operations: sets(fits) });
      expect(await fixture().stored(fixture().models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 'u',
      });
    });

    it.skipIf(options.engineDifferences?.includes('update-list-positions-applied-in-turn'))(
      "[P-99] backend.updateItem reads every list position in the item before the update, as DynamoDB's REMOVE example (skipped where the engine applies them in turn)",
      async () => {
        const { backend } = fixture();
        const model = notes();
        const tools = ['Chisel', 'Hammer', 'Nails', 'Screwdriver', 'Hacksaw'];
        await backend.putItem({
          model,
          item: { note_id: 'n1', text: 't', tags: tools, meta: { list: ['a', 'b', 'c'] } },
        });
        const after = await backend.updateItem({
          model,
          key: { note_id: 'n1' },
          operations: [
            { action: 'remove', path: ['tags', 1] },
            { action: 'remove', path: ['tags', 2] },
            { action: 'remove', path: ['meta', 'list', 0] },
            { action: 'set', path: ['meta', 'list', 1], value: 'w' },
          ],
        });
        expect(after.tags).toEqual(['Chisel', 'Screwdriver', 'Hacksaw']);
        expect((after.meta as { list: unknown }).list).toEqual(['w', 'c']);
        const stored = await fixture().stored(fixture().models.Note, { note_id: 'n1' });
        expect(stored?.tags).toEqual(['Chisel', 'Screwdriver', 'Hacksaw']);
      },
    );

    it('[P-99] backend.updateItem refuses what DynamoDB refuses with an InvalidRequestError, and changes nothing', async () => {
      const { backend } = fixture();
      const model = notes();
      const item = {
        note_id: 'n1',
        text: 't',
        count: 1,
        tags: ['a', 'b'],
        details: { title: 'x' },
      };
      await backend.putItem({ model, item });
      const refused: [string, UpdateOperation[]][] = [
        [
          'one path twice',
          [
            { action: 'set', path: 'text', value: 'u' },
            { action: 'set', path: 'text', value: 'v' },
          ],
        ],
        [
          'a path inside another',
          [
            { action: 'set', path: ['details', 'title'], value: 'y' },
            { action: 'remove', path: 'details' },
          ],
        ],
        // A map entry and a list position at one step: no value is both, and DynamoDB refuses
        // the pair ("Two document paths conflict") before it reads the item, on a missing
        // attribute too.
        [
          'a map entry and a list position at one step',
          [
            { action: 'set', path: ['details', 'title'], value: 'y' },
            { action: 'remove', path: ['details', 0] },
          ],
        ],
        [
          'a list position and a map entry below a missing attribute',
          [
            { action: 'remove', path: ['gone', 0, 'a'] },
            { action: 'remove', path: ['gone', 'b', 'a'] },
          ],
        ],
        ['a negative list position', [{ action: 'set', path: ['tags', -1], value: 'c' }]],
        ['a fractional list position', [{ action: 'set', path: ['tags', 1.5], value: 'c' }]],
        ['an empty name', [{ action: 'set', path: ['details', ''], value: 'c' }]],
        ['a lone surrogate in a name', [{ action: 'set', path: ['details', 'a\uD800'], value: 1 }]],
        ['the key set', [{ action: 'set', path: 'note_id', value: 'n2' }]],
        ['the key removed', [{ action: 'remove', path: 'note_id' }]],
        // DynamoDB nests 32 levels, the attribute counting as the first: a deeper path or
        // value is refused, however deep (a walk that recursed through it would overflow the
        // stack first).
        [
          'a path of 33 steps',
          [
            {
              action: 'set',
              path: ['details', ...Array.from({ length: 32 }, () => 'a')],
              value: 1,
            },
          ],
        ],
        ['a value reaching level 33', [{ action: 'set', path: 'details', value: nested(32) }]],
        [
          'a value nested 100,000 levels',
          [{ action: 'set', path: 'details', value: nested(100_000) }],
        ],
        [
          'an appended item reaching level 33',
          [{ action: 'append', path: 'tags', value: [nested(31)] }],
        ],
        // What DynamoDB cannot store or apply, as an item to put (P-105).
        ['no operation', []],
        ['an unknown action', [{ action: 'multiply', path: 'count', value: 2 } as never]],
        ['a string added', [{ action: 'add', path: 'count', value: '1' as never }]],
        ['NaN added', [{ action: 'add', path: 'count', value: Number.NaN }]],
        ['2 ** 60 held in a number added', [{ action: 'add', path: 'count', value: 2 ** 60 }]],
        ['a set added', [{ action: 'add', path: 'count', value: new Set([1]) as never }]],
        ['a number appended', [{ action: 'append', path: 'tags', value: 5 as never }]],
        ['undefined appended', [{ action: 'append', path: 'tags', value: [undefined] as never }]],
        ['undefined set', [{ action: 'set', path: 'text', value: undefined as never }]],
        ['an empty set set', [{ action: 'set', path: 'text', value: new Set<string>() }]],
        ['-0 set', [{ action: 'set', path: 'count', value: -0 }]],
        ['2 ** 60 held in a number set', [{ action: 'set', path: 'count', value: 2 ** 60 }]],
      ];
      for (const [label, operations] of refused) {
        const error = await backend.updateItem({ model, key: { note_id: 'n1' }, operations }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error, label).toBeInstanceOf(InvalidRequestError);
        // Refused before any condition is evaluated, as DynamoDB checks the expression first:
        // on an item that fails the condition, and on a missing one.
        for (const key of ['n1', 'missing']) {
          const conditioned = await backend
            .updateItem({
              model,
              key: { note_id: key },
              operations,
              condition: { attr: 'text', eq: 'not the text' },
            })
            .then(
              () => undefined,
              (caught: unknown) => caught,
            );
          expect(conditioned, `${label}, with a failing condition`).toBeInstanceOf(
            InvalidRequestError,
          );
        }
        // In a transaction too: before the condition of another action, which fails, is.
        if (options.capabilities.transactions) {
          const transaction = await failureOf(() =>
            backend.transactWrite([
              {
                kind: 'check',
                model,
                key: { note_id: 'missing' },
                condition: { attr: 'text', eq: 'not the text' },
              },
              { kind: 'update', model, key: { note_id: 'n1' }, operations },
            ]),
          );
          expect(transaction, `${label}, in a transaction`).toBeInstanceOf(InvalidRequestError);
        }
      }
      expect(await fixture().stored(fixture().models.Note, { note_id: 'n1' })).toEqual(item);
      expect(await fixture().stored(fixture().models.Note, { note_id: 'n2' })).toBeUndefined();
      // At the limit (level 32), the same writes apply.
      await backend.updateItem({
        model,
        key: { note_id: 'n1' },
        operations: [
          { action: 'set', path: 'details', value: nested(31) },
          { action: 'append', path: 'tags', value: [nested(30)] },
        ],
      });
      expect(await fixture().stored(fixture().models.Note, { note_id: 'n1' })).toEqual({
        ...item,
        details: nested(31),
        tags: ['a', 'b', nested(30)],
      });
    });

    /**
     * Every method that takes a condition or filter, given `condition` directly: each must be
     * an InvalidRequestError, decided before anything is read or written (on an existing item,
     * a missing one, an empty page), never a stack overflow.
     */
    async function expectConditionRefused(condition: Condition, label: string): Promise<void> {
      const { backend } = fixture();
      const model = notes();
      const key = { note_id: 'n1' };
      const attempts: [string, () => Promise<unknown>][] = [
        ['putItem', () => backend.putItem({ model, item: { ...key, text: 'new' }, condition })],
        [
          'putItem of a new key',
          () => backend.putItem({ model, item: { note_id: 'n2', text: 'new' }, condition }),
        ],
        ['deleteItem', () => backend.deleteItem({ model, key, condition })],
        [
          'deleteItem of a missing key',
          () => backend.deleteItem({ model, key: { note_id: 'n2' }, condition }),
        ],
        [
          'updateItem',
          () =>
            backend.updateItem({
              model,
              key,
              operations: [{ action: 'set', path: 'text', value: 'new' }],
              condition,
            }),
        ],
        ['query', () => backend.query({ model, partition: 'n1', filter: condition })],
        [
          'query of an empty partition',
          () => backend.query({ model, partition: 'n2', filter: condition }),
        ],
        ['scan', () => backend.scan({ model, filter: condition })],
        ['scan of an empty table', () => backend.scan({ model: messages(), filter: condition })],
      ];
      if (options.capabilities.transactions)
        attempts.push([
          'transactWrite',
          () =>
            backend.transactWrite([
              { kind: 'put', model, item: { note_id: 'n2', text: 'new' } },
              { kind: 'check', model, key, condition },
            ]),
        ]);
      for (const [method, attempt] of attempts)
        expectInvalidRequest(await failureOf(attempt), `backend.${method}, ${label}`);
    }

    it('[P-105] a condition or filter nested deeper than a request takes is an InvalidRequestError on every method, however deep; nothing is written', async () => {
      const { backend, models, stored } = fixture();
      const model = notes();
      const item = { note_id: 'n1', text: 't' };
      await backend.putItem({ model, item });
      const refused: [string, Condition][] = [
        ['34 levels of not', deepCondition(34, 'not')],
        ['34 levels of and', deepCondition(34, 'and of two')],
        ['100,000 levels of not', deepCondition(100_000, 'not')],
        ['100,000 levels of and of one member', deepCondition(100_000, 'and')],
        // Decided by the first member where conditions are evaluated lazily: refused all the same.
        [
          'an or whose first member holds',
          { or: [{ attr: 'text', exists: true }, deepCondition(100_000, 'not')] },
        ],
        [
          'an and whose first member fails',
          { and: [{ attr: 'text', exists: false }, deepCondition(100_000, 'not')] },
        ],
      ];
      for (const [label, condition] of refused) await expectConditionRefused(condition, label);
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual(item);
      expect(await stored(models.Note, { note_id: 'n2' })).toBeUndefined();
      // What core sends applies: a caller's condition of 32 levels within the `and` that joins
      // it to the operation's own, 33 levels.
      const within = deepCondition(32, 'and of two');
      await backend.updateItem({
        model,
        key: { note_id: 'n1' },
        operations: [{ action: 'set', path: 'count', value: 1 }],
        condition: { and: [{ attr: 'note_id', exists: true }, within] },
      });
      expect(
        (await models.Note.update('n1', { add: { count: 1 } }, { condition: within })).count,
      ).toBe(2);
      const page = await backend.scan({ model, filter: deepCondition(33, 'and of two') });
      expect(page.items.map((found) => found.note_id)).toEqual(['n1']);
    });

    it('[P-105] a condition operand nested deeper than 32 levels is an InvalidRequestError on every method, however deep; nothing is written', async () => {
      const { backend, models, stored } = fixture();
      // 32 levels counting the attribute, as a save validates them.
      const item = { note_id: 'n1', text: 't', free: nested(31), tags: [nested(30)] };
      await backend.putItem({ model: notes(), item });
      const refused: [string, Condition][] = [
        ['eq of a value nested 33 levels', { attr: 'free', eq: nested(33) }],
        ['ne of a value nested 100,000 levels', { attr: 'free', ne: nested(100_000) }],
        ['contains of a value nested 100,000 levels', { attr: 'tags', contains: nested(100_000) }],
        ['in of a value nested 100,000 levels', { attr: 'free', in: ['x', nested(100_000)] }],
        [
          'eq of a map nested 100,000 levels, under not',
          { not: { attr: 'free', eq: { down: nested(100_000) } } },
        ],
      ];
      for (const [label, condition] of refused) await expectConditionRefused(condition, label);
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual(item);
      expect(await stored(models.Note, { note_id: 'n2' })).toBeUndefined();
      // Values as deep as the item's compare deeply (where the engine compares lists by value).
      if (options.engineDifferences?.includes('conditions-compare-lists-and-maps-by-reference'))
        return;
      await backend.deleteItem({
        model: notes(),
        key: { note_id: 'n1' },
        condition: {
          and: [
            { attr: 'free', eq: nested(31) },
            { attr: 'tags', contains: nested(30) },
          ],
        },
      });
      expect(await stored(models.Note, { note_id: 'n1' })).toBeUndefined();
    });

    it('[P-15] an item one byte past capabilities.maxItemBytes is a ValidationError on putItem, batchWrite and transactWrite; nothing is written', async () => {
      const { backend, models, stored } = fixture();
      const model = notes();
      // note_id, s1, text: 13 bytes beside the text.
      const limit = backend.capabilities.maxItemBytes;
      const item = { note_id: 's1', text: 'x'.repeat(limit + 1 - 13) };
      const other = { note_id: 's2', text: 'alongside' };
      const attempts: [string, () => Promise<unknown>][] = [
        ...putsOf(item, other),
        [
          'putItem with a condition',
          () => backend.putItem({ model, item, condition: { attr: 'note_id', exists: false } }),
        ],
      ];
      const writesBefore = options.engineDifferences?.includes(
        'batch-write-applies-entries-before-an-oversized-one',
      );
      // Of a batch or a transaction, the refusal says which item it was (the second).
      const named: Record<string, RegExp> = {
        batchWrite: /\bentry 1\b/,
        transactWrite: /\baction 1\b/,
      };
      for (const [method, attempt] of attempts) {
        const failure = await failureOf(attempt);
        expect(failure, `backend.${method}`).toBeInstanceOf(ValidationError);
        if (named[method]) expect((failure as Error).message, method).toMatch(named[method]);
        expect(await stored(models.Note, { note_id: 's1' }), method).toBeUndefined();
        if (method === 'batchWrite' && writesBefore)
          await backend.deleteItem({ model, key: { note_id: 's2' } });
        expect(await stored(models.Note, { note_id: 's2' }), method).toBeUndefined();
      }
    });

    it('[P-105] an item with an attribute nested deeper than 32 levels (the attribute the first) is an InvalidRequestError on putItem, batchWrite and transactWrite, however deep; nothing is written', async () => {
      const { backend, models, stored } = fixture();
      const model = notes();
      const refused: [string, StoredItem][] = [
        ['a list reaching level 33', { note_id: 'd1', text: 't', free: nested(32) }],
        ['a set at level 33', { note_id: 'd1', text: 't', free: around(32, new Set(['s'])) }],
        [
          'a map nested 100,000 levels, in a list',
          { note_id: 'd1', text: 't', free: [1, { down: nested(100_000) }] },
        ],
      ];
      const other = { note_id: 'd2', text: 'alongside' };
      for (const [label, item] of refused) {
        const attempts: [string, () => Promise<unknown>][] = [
          ...putsOf(item, other),
          [
            'putItem with a condition',
            () => backend.putItem({ model, item, condition: { attr: 'note_id', exists: false } }),
          ],
        ];
        for (const [method, attempt] of attempts)
          expectInvalidRequest(await failureOf(attempt), `backend.${method}, ${label}`);
      }
      expect(await stored(models.Note, { note_id: 'd1' })).toBeUndefined();
      expect(await stored(models.Note, { note_id: 'd2' })).toBeUndefined();
      // Within the limit (32 levels counting the attribute, as DynamoDB counts and a save
      // validates), it is stored; a set is one value, its members at its own level (another
      // client's set under 31 maps or lists is stored as a string there is).
      const deepest = {
        note_id: 'd3',
        text: 't',
        free: nested(31),
        more: { list: nested(30) },
        sets: around(31, new Set(['s'])),
        numbers: around(31, new Set([1, 2n ** 70n])),
      };
      await backend.putItem({ model, item: deepest });
      expect(await backend.getItem({ model, key: { note_id: 'd3' }, consistent: true })).toEqual(
        deepest,
      );
    });

    it('[P-105] a set at the deepest level DynamoDB nests (31 lists around it, as around a string) is saved, loaded, saved back and set by update() through the model API; one level deeper is a ValidationError', async () => {
      const { Note } = fixture().models;
      const deep = around(31, new Set(['s', 't']));
      await new Note({ note_id: 'd4', text: 't', free: deep } as never).save();
      const loaded = (await Note.load('d4')) as unknown as { free: StoredValue };
      expect(loaded.free).toEqual(deep);
      await (loaded as unknown as { save(): Promise<void> }).save();
      await Note.update('d4', { set: { copy: loaded.free } } as never);
      expect(await fixture().stored(Note, { note_id: 'd4' })).toEqual({
        note_id: 'd4',
        text: 't',
        free: deep,
        copy: deep,
      });
      const deeper = around(32, new Set(['s']));
      await expectError(
        new Note({ note_id: 'd5', text: 't', free: deeper } as never).save(),
        ValidationError,
      );
      await expectError(Note.update('d4', { set: { copy: deeper } } as never), ValidationError);
      expect(await fixture().stored(Note, { note_id: 'd5' })).toBeUndefined();
      expect((await fixture().stored(Note, { note_id: 'd4' }))?.copy).toEqual(deep);
    });

    it('[P-105] an item holding a value no engine stores, or a key attribute missing or of another type, is an InvalidRequestError on putItem, batchWrite and transactWrite; nothing is written', async () => {
      const { backend, models, stored } = fixture();
      const model = notes();
      const hole: StoredValue[] = [1];
      hole[2] = 3;
      const refused: [string, Record<string, unknown>][] = [
        ['NaN', { note_id: 'v1', text: 't', free: Number.NaN }],
        ['Infinity in a list', { note_id: 'v1', text: 't', free: [Number.POSITIVE_INFINITY] }],
        ['-0', { note_id: 'v1', text: 't', free: -0 }],
        ['an integer beyond 2^53 held in a number', { note_id: 'v1', text: 't', free: 2 ** 60 }],
        ['a bigint of 40 digits', { note_id: 'v1', text: 't', free: 10n ** 40n + 1n }],
        ['an empty set', { note_id: 'v1', text: 't', free: new Set() }],
        ['a set of strings and numbers', { note_id: 'v1', text: 't', free: new Set(['a', 1]) }],
        ['a set holding 1 and 1n', { note_id: 'v1', text: 't', free: new Set([1, 1n]) }],
        ['a set of booleans', { note_id: 'v1', text: 't', free: new Set([true]) }],
        ['a set holding null', { note_id: 'v1', text: 't', free: new Set([null]) }],
        ['a set of lists', { note_id: 'v1', text: 't', free: new Set([[1]]) }],
        ['a set of maps', { note_id: 'v1', text: 't', free: new Set([{ a: 1 }]) }],
        ['undefined in a list', { note_id: 'v1', text: 't', free: [1, undefined] }],
        ['a hole in a list', { note_id: 'v1', text: 't', free: hole }],
        ['a lone surrogate', { note_id: 'v1', text: 'a\uD800b' }],
        ['a function', { note_id: 'v1', text: 't', free: () => 1 }],
        // It passes `instanceof Uint8Array`, but holds no bytes: every typed-array method throws.
        [
          'a Proxy around bytes',
          { note_id: 'v1', text: 't', free: new Proxy(new Uint8Array(1), {}) },
        ],
        [
          'a set of Proxies around bytes',
          { note_id: 'v1', text: 't', free: new Set([new Proxy(new Uint8Array(1), {})]) },
        ],
        ['a Proxy around a set', { note_id: 'v1', text: 't', free: new Proxy(new Set(['a']), {}) }],
        ['no key attribute', { text: 't' }],
        ['a key attribute of another type', { note_id: 7, text: 't' }],
        ['an empty key attribute', { note_id: '', text: 't' }],
      ];
      const other = { note_id: 'v2', text: 'alongside' };
      for (const [label, value] of refused) {
        for (const [method, attempt] of putsOf(value as StoredItem, other))
          expectInvalidRequest(await failureOf(attempt), `backend.${method}, ${label}`);
      }
      expect(await stored(models.Note, { note_id: 'v1' })).toBeUndefined();
      expect(await stored(models.Note, { note_id: 'v2' })).toBeUndefined();
      // What every engine stores is stored: sets of one kind, 38 digits, bytes, nulls.
      const kept = {
        note_id: 'v3',
        text: 'é😀',
        free: [new Set(['a']), new Set([1, 2n ** 70n]), new Uint8Array([0]), null, true, 1.5e-130],
      };
      await backend.putItem({ model, item: kept as StoredItem });
      expect(await backend.getItem({ model, key: { note_id: 'v3' }, consistent: true })).toEqual(
        kept,
      );
    });

    it('[P-105] updateItem refuses a value set on an index key attribute that the index refuses (another type, empty, too long) and a path inside one, alone or in a transaction, whatever the condition; nothing is written', async () => {
      const { backend } = fixture();
      const model = messages();
      await backend.putItem({ model, item: message('001') });
      const key = { channel: 'c1', sent: '001' };
      const refused: [string, unknown][] = [
        ['author', 5],
        ['author', ''],
        ['author', 'a'.repeat(2049)],
        ['score', 'high'],
        ['score', new Uint8Array([1])],
      ];
      const refusedChanges: [string, UpdateOperation[]][] = [
        ...refused.map(([name, value]): [string, UpdateOperation[]] => [
          `${name} = ${String(value).slice(0, 20)}`,
          [{ action: 'set', path: name, value: value as string }],
        ]),
        // A number added to a string key; a list appended to any key.
        ['add author 1', [{ action: 'add', path: 'author', value: 1 }]],
        ['append score [1]', [{ action: 'append', path: 'score', value: [1] }]],
        ['append author [a]', [{ action: 'append', path: ['author'], value: ['a'] }]],
        // A path inside a key is refused ("Key attributes must be scalars"), before the
        // condition below is evaluated: whatever the item holds there, absent included.
        ['set author.first', [{ action: 'set', path: ['author', 'first'], value: 'a' }]],
        ['remove score[0]', [{ action: 'remove', path: ['score', 0] }]],
        ['append author.list', [{ action: 'append', path: ['author', 'list'], value: ['a'] }]],
      ];
      for (const [label, operations] of refusedChanges) {
        expectInvalidRequest(
          await failureOf(() => backend.updateItem({ model, key, operations })),
          `updateItem ${label}`,
        );
        expectInvalidRequest(
          await failureOf(() =>
            backend.updateItem({
              model,
              key,
              operations,
              condition: { attr: 'body', eq: 'not the body' },
            }),
          ),
          `updateItem ${label}, with a failing condition`,
        );
        if (options.capabilities.transactions)
          expectInvalidRequest(
            await failureOf(() =>
              backend.transactWrite([
                { kind: 'put', model: notes(), item: { note_id: 'beside', text: 't' } },
                { kind: 'update', model, key, operations },
              ]),
            ),
            `transactWrite ${label}`,
          );
      }
      expect(await backend.getItem({ model, key, consistent: true })).toEqual(message('001'));
      // A number added to a number key is an update like any other.
      const added = await backend.updateItem({
        model,
        key,
        operations: [{ action: 'add', path: 'score', value: 2 }],
      });
      expect(added.score).toBe(3);
      expect(await backend.getItem({ model: notes(), key: { note_id: 'beside' } })).toBeUndefined();
      // What the index takes is set; removing the attribute leaves the item out of the index.
      const set = [{ action: 'set' as const, path: 'author', value: 'bob' }];
      expect((await backend.updateItem({ model, key, operations: set })).author).toBe('bob');
      await backend.updateItem({ model, key, operations: [{ action: 'remove', path: 'author' }] });
      expect((await backend.query({ model, index: 'byAuthor', partition: 'bob' })).items).toEqual(
        [],
      );
    });

    it('[P-105] an attribute or map entry holding undefined is left out on putItem, batchWrite and transactWrite, conditional or not; a key attribute holding it is missing (InvalidRequestError)', async () => {
      const { backend } = fixture();
      const model = notes();
      const other = { note_id: 'u0', text: 'alongside' };
      const stored = (note_id: string) =>
        backend.getItem({ model, key: { note_id }, consistent: true });
      for (const [method, attempt] of putsOf(
        { note_id: 'u1', text: 't', free: undefined, details: { a: 1, b: undefined } } as never,
        other,
      )) {
        await attempt();
        expect(await stored('u1'), method).toEqual({ note_id: 'u1', text: 't', details: { a: 1 } });
        await backend.deleteItem({ model, key: { note_id: 'u1' } });
      }
      await backend.putItem({
        model,
        item: { note_id: 'u2', text: 't', free: undefined } as never,
        condition: { attr: 'note_id', exists: false },
      });
      expect(await stored('u2')).toEqual({ note_id: 'u2', text: 't' });
      for (const [method, attempt] of putsOf({ note_id: undefined, text: 't' } as never, {
        note_id: 'u3',
        text: 'alongside',
      }))
        expectInvalidRequest(await failureOf(attempt), `backend.${method}`);
      expect(await stored('u3')).toBeUndefined();
    });

    it('[P-105] a batch or transaction is counted whole, across tables: one entry past the limit is an InvalidRequestError; nothing is written', async () => {
      const { backend } = fixture();
      const { maxBatchWrite, maxBatchGet, maxTransactionActions } = backend.capabilities;
      // Half the entries on each of two tables: each table's share is within the limit.
      const across = (count: number) =>
        Array.from({ length: count }, (_, position) => {
          if (position % 2 === 0) {
            const key = { note_id: `x${position}` };
            return { model: notes(), key, put: { ...key, text: 't' } as StoredItem };
          }
          const sent = `${1000 + position}`;
          return { model: messages(), key: { channel: 'c1', sent }, put: message(sent) };
        });
      const writes = (count: number) => across(count).map(({ model, put }) => ({ model, put }));
      expectInvalidRequest(
        await failureOf(() => backend.batchWrite(writes(maxBatchWrite + 1))),
        'batchWrite',
      );
      expect((await backend.scan({ model: notes() })).items).toEqual([]);
      expect((await backend.scan({ model: messages() })).items).toEqual([]);
      expectInvalidRequest(
        await failureOf(() =>
          backend.batchGet(across(maxBatchGet + 1).map(({ model, key }) => ({ model, key }))),
        ),
        'batchGet',
      );
      if (options.capabilities.transactions) {
        expectInvalidRequest(
          await failureOf(() =>
            backend.transactWrite(
              across(maxTransactionActions + 1).map(({ model, put }) => ({
                kind: 'put' as const,
                model,
                item: put,
              })),
            ),
          ),
          'transactWrite',
        );
        expect((await backend.scan({ model: notes() })).items).toEqual([]);
      }
      // At the limit, across tables, the batch is written.
      await writeWhole(backend, writes(maxBatchWrite));
      expect((await backend.scan({ model: notes() })).items).toHaveLength(
        Math.ceil(maxBatchWrite / 2),
      );
    });

    it('[P-100] backend.query reads one partition in sort-key order, page by page with lastKey, on the table and an index', async () => {
      const { backend } = fixture();
      const model = messages();
      const sent = ['005', '001', '004', '002', '003'];
      for (const [index, key] of sent.entries())
        await backend.putItem({ model, item: message(key, index % 2 ? 'bob' : 'ann', index) });
      await backend.putItem({ model, item: { ...message('001'), channel: 'c2' } });
      const table = await walk((startKey) =>
        backend.query({
          model,
          partition: 'c1',
          limit: 2,
          consistent: true,
          ...(startKey ? { startKey } : {}),
        }),
      );
      expect(table.map((item) => item.sent)).toEqual(['001', '002', '003', '004', '005']);
      const reversed = await walk((startKey) =>
        backend.query({
          model,
          partition: 'c1',
          limit: 2,
          reverse: true,
          sort: { gte: '002' },
          ...(startKey ? { startKey } : {}),
        }),
      );
      expect(reversed.map((item) => item.sent)).toEqual(['005', '004', '003', '002']);
      const byAuthor = await walk((startKey) =>
        backend.query({
          model,
          index: 'byAuthor',
          partition: 'ann',
          limit: 1,
          ...(startKey ? { startKey } : {}),
        }),
      );
      // The index spans partitions: c2's message by ann (score 1) is in it too.
      expect(byAuthor.map((item) => item.score)).toEqual([0, 1, 2, 4]);
    });

    it('[P-100] backend.query and backend.scan refuse a startKey no page of that read ends with (InvalidRequestError)', async () => {
      const { backend } = fixture();
      const model = messages();
      await backend.putItem({ model, item: message('001') });
      const refused: [string, ItemKey, string?, SortKeyCondition?][] = [
        ['no key at all', {}],
        ['the sort key missing', { channel: 'c1' }],
        ['a key of another type', { channel: 'c1', sent: 1 }],
        ['another attribute', { channel: 'c1', sent: '001', text: 'x' }],
        ['another partition', { channel: 'c2', sent: '001' }],
        ['a table key for an index read', { channel: 'c1', sent: '001' }, 'byAuthor'],
        // Values no stored key holds: engines would each order them their own way.
        ['a sort key holding a lone surrogate', { channel: 'c1', sent: '0\ud800' }],
        [
          'an index sort key that is NaN',
          { channel: 'c1', sent: '001', author: 'ann', score: Number.NaN },
          'byAuthor',
        ],
        [
          'an index sort key that is infinite',
          { channel: 'c1', sent: '001', author: 'ann', score: Number.POSITIVE_INFINITY },
          'byAuthor',
        ],
        [
          'a sort key below the sort condition',
          { channel: 'c1', sent: '000' },
          undefined,
          { gte: '001' },
        ],
        [
          'a sort key past the sort condition',
          { channel: 'c1', sent: '005' },
          undefined,
          { lte: '002' },
        ],
        [
          'a sort key outside the prefix',
          { channel: 'c1', sent: '100' },
          undefined,
          { beginsWith: '0' },
        ],
      ];
      for (const [label, startKey, index, sort] of refused) {
        const query = await backend
          .query({
            model,
            partition: index ? 'ann' : 'c1',
            startKey,
            ...(index ? { index } : {}),
            ...(sort ? { sort } : {}),
          })
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        expect(query, `query, ${label}`).toBeInstanceOf(InvalidRequestError);
      }
      const scan = await backend.scan({ model, startKey: { channel: 'c1' } }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(scan, 'scan, the sort key missing').toBeInstanceOf(InvalidRequestError);
      // A key of the read, whether or not an item holds it, starts the page after it.
      const after = await backend.query({
        model,
        partition: 'c1',
        startKey: { channel: 'c1', sent: '000' },
      });
      expect(after.items.map((item) => item.sent)).toEqual(['001']);
      const within = await backend.query({
        model,
        partition: 'c1',
        sort: { between: ['000', '009'] },
        reverse: true,
        startKey: { channel: 'c1', sent: '009' },
      });
      expect(within.items.map((item) => item.sent)).toEqual(['001']);
    });

    it('[P-105] backend.query refuses a filter naming the partition or sort key of the table or index it reads (InvalidRequestError); a scan and other attributes may', async () => {
      const { backend } = fixture();
      const model = messages();
      await backend.putItem({ model, item: message('001', 'ann', 1) });
      await backend.putItem({ model, item: message('002', 'bob', 2) });
      const refused: [string, Condition, string?][] = [
        ['the partition key', { attr: 'channel', eq: 'c1' }],
        ['the sort key', { attr: 'sent', exists: true }],
        [
          'the sort key, deep in and / not',
          { and: [{ attr: 'body', exists: true }, { not: { attr: 'sent', eq: '001' } }] },
        ],
        ["the index's partition key", { attr: 'author', eq: 'ann' }, 'byAuthor'],
        ["the index's sort key", { or: [{ attr: 'score', gt: 1 }] }, 'byAuthor'],
      ];
      for (const [label, filter, index] of refused)
        expectInvalidRequest(
          await failureOf(() =>
            backend.query({
              model,
              partition: index ? 'ann' : 'c1',
              filter,
              ...(index ? { index } : {}),
            }),
          ),
          `query filtered on ${label}`,
        );
      // The table's keys are not the index's, nor the index's the table's.
      const byAuthor = await backend.query({
        model,
        index: 'byAuthor',
        partition: 'bob',
        filter: { attr: 'sent', eq: '002' },
      });
      expect(byAuthor.items.map((item) => item.sent)).toEqual(['002']);
      const onTable = await backend.query({
        model,
        partition: 'c1',
        filter: { attr: 'author', eq: 'ann' },
      });
      expect(onTable.items.map((item) => item.sent)).toEqual(['001']);
      const scanned = await backend.scan({ model, filter: { attr: 'sent', eq: '002' } });
      expect(scanned.items.map((item) => item.sent)).toEqual(['002']);
    });

    it("[P-105] a key that is not its table's is an InvalidRequestError on every method that takes one, as DynamoDB refuses it; nothing is read as absent, created or deleted", async () => {
      const { backend, stored, models } = fixture();
      const model = notes();
      await backend.putItem({ model, item: { note_id: 'k1', text: 'kept' } });
      const operations: UpdateOperation[] = [{ action: 'set', path: 'text', value: 'new' }];
      const refused: [string, unknown][] = [
        ['not an object', 'k1'],
        ['no key attribute', {}],
        ['another attribute beside the key', { note_id: 'k1', text: 'kept' }],
        ['a key attribute of another type', { note_id: 7 }],
        ['an empty key attribute', { note_id: '' }],
        ['a key attribute longer than 2048 bytes', { note_id: 'k'.repeat(2049) }],
      ];
      for (const [label, value] of refused) {
        const key = value as ItemKey;
        const attempts: [string, () => Promise<unknown>][] = [
          ['getItem', () => backend.getItem({ model, key })],
          ['deleteItem', () => backend.deleteItem({ model, key })],
          ['updateItem', () => backend.updateItem({ model, key, operations })],
          ['batchGet', () => backend.batchGet([{ model, key }])],
          ['batchWrite delete', () => backend.batchWrite([{ model, delete: key }])],
        ];
        if (options.capabilities.transactions)
          attempts.push(
            ['transactWrite delete', () => backend.transactWrite([{ kind: 'delete', model, key }])],
            [
              'transactWrite update',
              () => backend.transactWrite([{ kind: 'update', model, key, operations }]),
            ],
            [
              'transactWrite check',
              () =>
                backend.transactWrite([
                  { kind: 'check', model, key, condition: { attr: 'text', exists: true } },
                ]),
            ],
          );
        for (const [method, attempt] of attempts)
          expectInvalidRequest(await failureOf(attempt), `backend.${method}, ${label}`);
      }
      // A composite key needs both attributes.
      expectInvalidRequest(
        await failureOf(() => backend.getItem({ model: messages(), key: { channel: 'c1' } })),
        'backend.getItem, the sort key missing',
      );
      const wrongShapes: [string, () => Promise<unknown>][] = [
        [
          'getItem, an empty projection',
          () => backend.getItem({ model, key: { note_id: 'k1' }, attributes: [] }),
        ],
        [
          'getItem, a projection naming one attribute twice',
          () => backend.getItem({ model, key: { note_id: 'k1' }, attributes: ['text', 'text'] }),
        ],
        [
          'getItem, consistent not a boolean',
          () => backend.getItem({ model, key: { note_id: 'k1' }, consistent: 'yes' as never }),
        ],
        [
          'batchGet, consistent not a boolean',
          () => backend.batchGet([{ model, key: { note_id: 'k1' } }], { consistent: 1 as never }),
        ],
        [
          'deleteItem, an answer of neither item nor presence',
          () => backend.deleteItem({ model, key: { note_id: 'k1' }, answer: 'all' as never }),
        ],
        ['batchGet, entries not a list', () => backend.batchGet({ model } as never)],
        [
          'batchGet, options not an object',
          () => backend.batchGet([{ model, key: { note_id: 'k1' } }], null as never),
        ],
        ['putItem, no item', () => backend.putItem({ model } as never)],
        ['putItem, no model', () => backend.putItem({ item: { note_id: 'k2' } } as never)],
        [
          'updateItem, no model',
          () => backend.updateItem({ key: { note_id: 'k1' }, operations } as never),
        ],
        ['query, no model', () => backend.query({ partition: 'k1' } as never)],
        [
          'query, a model of a table without keys',
          () =>
            backend.query({
              model: { table: { name: model.table.name } },
              partition: 'k1',
            } as never),
        ],
        ['scan, no model', () => backend.scan({} as never)],
        ['batchWrite, entries not a list', () => backend.batchWrite({ model } as never)],
        [
          'batchWrite, a put of no item',
          () => backend.batchWrite([{ model, put: undefined } as never]),
        ],
        [
          'batchWrite, an entry of no model',
          () => backend.batchWrite([{ delete: { note_id: 'k1' } } as never]),
        ],
        [
          'batchWrite, an entry with both put and delete',
          () =>
            backend.batchWrite([
              { model, put: { note_id: 'k2', text: 't' }, delete: { note_id: 'k1' } } as never,
            ]),
        ],
      ];
      if (options.capabilities.transactions)
        wrongShapes.push(
          [
            'transactWrite, an action of no known kind',
            () =>
              backend.transactWrite([{ kind: 'erase', model, key: { note_id: 'k1' } } as never]),
          ],
          ['transactWrite, actions not a list', () => backend.transactWrite({ model } as never)],
          [
            'transactWrite, a put of no item',
            () => backend.transactWrite([{ kind: 'put', model } as never]),
          ],
          [
            'transactWrite, a check without a condition',
            () =>
              backend.transactWrite([{ kind: 'check', model, key: { note_id: 'k1' } } as never]),
          ],
        );
      for (const [label, attempt] of wrongShapes)
        expectInvalidRequest(await failureOf(attempt), `backend.${label}`);
      expect(await stored(models.Note, { note_id: 'k1' })).toEqual({ note_id: 'k1', text: 'kept' });
      expect(await stored(models.Note, { note_id: 'k2' })).toBeUndefined();
      expect((await backend.scan({ model })).items).toEqual([{ note_id: 'k1', text: 'kept' }]);
    });

    it('[P-105] backend.query and backend.scan refuse what DynamoDB refuses (InvalidRequestError): a partition value not of the key, a sort condition the key cannot take, a limit that is not a whole number of at least 1, a consistent read of an index, flags that are not booleans', async () => {
      const { backend } = fixture();
      const model = messages();
      await backend.putItem({ model, item: message('001') });
      const query = (request: Record<string, unknown>) => () =>
        backend.query({ model, partition: 'c1', ...request } as never);
      const scan = (request: Record<string, unknown>) => () =>
        backend.scan({ model, ...request } as never);
      const refused: [string, () => Promise<unknown>][] = [
        ['query, no partition', query({ partition: undefined })],
        ['query, a partition of another type', query({ partition: 1 })],
        ['query, an empty partition', query({ partition: '' })],
        [
          'query, a sort condition on a table without sort key',
          () => backend.query({ model: notes(), partition: 'n', sort: { eq: 'x' } }),
        ],
        ['query, a sort condition of two operators', query({ sort: { gt: '0', lt: '9' } })],
        ['query, a sort condition of no sort operator', query({ sort: { ne: '001' } })],
        ['query, a sort condition not an object', query({ sort: '001' })],
        ['query, a sort value of another type', query({ sort: { gt: 1 } })],
        ['query, an empty sort value', query({ sort: { eq: '' } })],
        ['query, between with its bounds reversed', query({ sort: { between: ['9', '0'] } })],
        ['query, between of a string and a number', query({ sort: { between: ['0', 9] } })],
        [
          'query, beginsWith on a number sort key',
          query({ index: 'byAuthor', partition: 'ann', sort: { beginsWith: '1' } }),
        ],
        [
          'query, an index sort value of another type',
          query({ index: 'byAuthor', partition: 'ann', sort: { gt: '1' } }),
        ],
        [
          'query, a consistent read of an index',
          query({ index: 'byAuthor', partition: 'ann', consistent: true }),
        ],
        ['query, reverse not a boolean', query({ reverse: 'yes' })],
        ['query, consistent not a boolean', query({ consistent: 1 })],
        ['scan, a consistent read of an index', scan({ index: 'byAuthor', consistent: true })],
        ['query, an unknown index', query({ index: 'nope' })],
        ['scan, an unknown index', scan({ index: 'nope' })],
        ['query, an index named by a symbol', query({ index: Symbol('byAuthor') })],
        ['scan, an index named by an object', scan({ index: new String('byAuthor') })],
      ];
      for (const limit of [0, -1, 1.5, Number.NaN, 2n, '5', 2 ** 53])
        refused.push(
          [`query, limit ${String(limit)}`, query({ limit })],
          [`scan, limit ${String(limit)}`, scan({ limit })],
        );
      for (const [label, attempt] of refused)
        expectInvalidRequest(await failureOf(attempt), `backend.${label}`);
      // What DynamoDB takes is read alike: an empty prefix (of either type) is the whole
      // partition, a large limit a whole page.
      const sorts = [
        { beginsWith: '' },
        { beginsWith: new Uint8Array(0) },
        { between: ['001', '001'] },
        { lte: '001' },
      ];
      for (const sort of sorts)
        expect(
          (await query({ sort, limit: 2 ** 31 })()).items,
          `sort ${Object.keys(sort)}`,
        ).toEqual([message('001')]);
      const { models } = fixture();
      await models.Tile.create({ layer: 'l1', code: new Uint8Array([7]) });
      for (const beginsWith of ['', new Uint8Array(0)])
        expect(
          (
            await backend.query({
              model: models.Tile.descriptor,
              partition: 'l1',
              sort: { beginsWith },
            })
          ).items.length,
          `an empty ${typeof beginsWith} prefix on a binary sort key`,
        ).toBe(1);
      // A model's reads refuse such flags alike.
      const flags: [string, () => Promise<unknown>][] = [
        [
          'query() reverse',
          () => models.Message.query({ partition: 'c1', reverse: 'yes' as never }),
        ],
        ['scan() consistent', () => models.Message.scan({ consistent: 1 as never })],
        ['get() consistent', () => models.Note.get('n1', { consistent: 'yes' as never })],
        ['getMany() consistent', () => models.Note.getMany(['n1'], { consistent: 'yes' as never })],
      ];
      for (const [label, attempt] of flags) expectInvalidRequest(await failureOf(attempt), label);
    });

    it("[P-99] bytes given or returned are copies, a Buffer included: changing them later changes nothing stored, a page's lastKey included", async () => {
      const { backend, models } = fixture();
      const model = models.Tile.descriptor;
      const code = Buffer.from([2]);
      const data = Buffer.from('abc');
      await backend.putItem({ model, item: { layer: 'l1', code, data } as StoredItem });
      code[0] = 9;
      data[0] = 0x7a;
      const key = { layer: 'l1', code: new Uint8Array([2]) };
      const read = await backend.getItem({ model, key, consistent: true });
      expect(read).toEqual({
        layer: 'l1',
        code: new Uint8Array([2]),
        data: new Uint8Array(Buffer.from('abc')),
      });
      (read!.data as Uint8Array)[0] = 0x7a;
      // A second item, so that a page of one ends with a lastKey on every engine.
      await backend.putItem({ model, item: { layer: 'l1', code: new Uint8Array([3]) } });
      const page = await backend.query({ model, partition: 'l1', limit: 1, consistent: true });
      (page.lastKey!.code as Uint8Array)[0] = 5;
      (page.items[0]!.code as Uint8Array)[0] = 6;
      expect(await backend.getItem({ model, key, consistent: true })).toEqual({
        layer: 'l1',
        code: new Uint8Array([2]),
        data: new Uint8Array(Buffer.from('abc')),
      });
      // An item changed by its caller right after the call, before the write is done, is
      // written as it was given: plain, conditional, in a batch, in a transaction.
      const writes: [string, (item: StoredItem) => Promise<unknown>][] = [
        ['putItem', (item) => backend.putItem({ model, item })],
        [
          'a conditional putItem',
          (item) => backend.putItem({ model, item, condition: { attr: 'layer', exists: false } }),
        ],
        ['batchWrite', (item) => backend.batchWrite([{ model, put: item }])],
      ];
      if (options.capabilities.transactions)
        writes.push([
          'transactWrite',
          (item) => backend.transactWrite([{ kind: 'put', model, item }]),
        ]);
      for (const [index, [label, write]] of writes.entries()) {
        const item = { layer: 'l2', code: Buffer.from([index]), data: Buffer.from('abc') };
        const pending = write(item as StoredItem);
        item.data[0] = 0x7a;
        (item as Record<string, unknown>).label = 'late';
        await pending;
        expect(
          await backend.getItem({
            model,
            key: { layer: 'l2', code: new Uint8Array([index]) },
            consistent: true,
          }),
          label,
        ).toEqual({
          layer: 'l2',
          code: new Uint8Array([index]),
          data: new Uint8Array(Buffer.from('abc')),
        });
      }
    });

    it('[P-99] a request is taken as it is at the call: its key, condition, operations or filter changed right after the call change nothing', async () => {
      const { backend } = fixture();
      const model = notes();
      const stored = (id: string) =>
        backend.getItem({ model, key: { note_id: id }, consistent: true });
      for (const id of ['a', 'b', 'c', 'd', 'e'])
        await backend.putItem({ model, item: { note_id: id, text: id, count: 1 } });

      const key = { note_id: 'a' };
      const reading = backend.getItem({ model, key, consistent: true });
      key.note_id = 'b';
      expect((await reading)?.note_id, 'getItem key').toBe('a');

      const keys = [{ note_id: 'a' }, { note_id: 'b' }];
      // Keys of a second table too, read after the first table's.
      const tile = fixture().models.Tile.descriptor;
      await backend.putItem({ model: tile, item: { layer: 'l', code: new Uint8Array([1]) } });
      await backend.putItem({ model: tile, item: { layer: 'l', code: new Uint8Array([2]) } });
      const tileKey = { layer: 'l', code: new Uint8Array([1]) };
      const reads = backend.batchGet([
        ...keys.map((entryKey) => ({ model, key: entryKey })),
        { model: tile, key: tileKey },
      ]);
      keys[0]!.note_id = 'c';
      tileKey.code[0] = 2;
      const { found, unprocessed } = await reads;
      const names = found.map(({ item }) =>
        typeof item.note_id === 'string' ? item.note_id : `tile ${(item.code as Uint8Array)[0]}`,
      );
      // An entry left unprocessed (P-65) is the caller's to send again, as it is by then.
      expect(names.length + unprocessed.length, 'batchGet keys').toBe(3);
      for (const name of names) expect(['a', 'b', 'tile 1'], 'batchGet keys').toContain(name);

      const filter = { attr: 'text', eq: 'c' };
      const scanning = backend.scan({ model, filter, consistent: true });
      filter.eq = 'd';
      expect(
        (await scanning).items.map((item) => item.note_id),
        'scan filter',
      ).toEqual(['c']);

      const operation = { action: 'add' as const, path: 'count', value: 1 };
      const condition = { attr: 'count', eq: 1 };
      const updating = backend.updateItem({
        model,
        key: { note_id: 'a' },
        operations: [operation],
        condition,
      });
      operation.value = 10;
      condition.eq = 7;
      await updating;
      expect((await stored('a'))?.count, 'updateItem operations and condition').toBe(2);

      const putCondition = { attr: 'count', eq: 1 };
      const putting = backend.putItem({
        model,
        item: { note_id: 'b', text: 'b', count: 5 },
        condition: putCondition,
      });
      putCondition.eq = 7;
      await putting;
      expect((await stored('b'))?.count, 'putItem condition').toBe(5);

      const deleteKey = { note_id: 'c' };
      const deleteCondition = { attr: 'count', eq: 1 };
      const deleting = backend.deleteItem({ model, key: deleteKey, condition: deleteCondition });
      deleteKey.note_id = 'd';
      deleteCondition.eq = 7;
      expect(await deleting, 'deleteItem answer').toMatchObject({ note_id: 'c' });
      expect(await stored('c'), 'deleteItem key and condition').toBeUndefined();
      expect(await stored('d'), 'deleteItem key').toBeDefined();

      if (options.capabilities.transactions) {
        const transactionKey = { note_id: 'd' };
        const check = { attr: 'count', eq: 1 };
        const add = { action: 'add' as const, path: 'count', value: 1 };
        const transaction = backend.transactWrite([
          { kind: 'update', model, key: transactionKey, operations: [add], condition: check },
        ]);
        transactionKey.note_id = 'e';
        check.eq = 7;
        add.value = 10;
        await transaction;
        expect((await stored('d'))?.count, 'transactWrite update').toBe(2);
        expect((await stored('e'))?.count, 'transactWrite key').toBe(1);
      }
    });

    it('[P-100] backend.scan reads the whole table page by page; limit counts items before the filter', async () => {
      const { backend } = fixture();
      const model = notes();
      for (let index = 0; index < 7; index++)
        await backend.putItem({
          model,
          item: { note_id: `n${index}`, text: 't', count: index },
        });
      const all = await walk((startKey) =>
        backend.scan({ model, limit: 3, consistent: true, ...(startKey ? { startKey } : {}) }),
      );
      expect(all.map((item) => item.note_id).sort()).toEqual(
        ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6'].sort(),
      );
      const first = await backend.scan({ model, limit: 3, filter: { attr: 'count', gte: 100 } });
      expect(first.items).toEqual([]);
      expect(first.lastKey).toBeDefined();
    });

    it('[P-101] backend.batchWrite and backend.batchGet write and read what they are given, leaving nothing silently out', async () => {
      const { backend } = fixture();
      const model = notes();
      const puts = Array.from(
        { length: Math.min(5, backend.capabilities.maxBatchWrite) },
        (_, i) => ({
          model,
          put: { note_id: `b${i}`, text: `t${i}` },
        }),
      );
      await writeWhole(backend, puts);
      const entries = [...puts.map(({ put }) => ({ model, key: { note_id: put.note_id } }))];
      entries.push({ model, key: { note_id: 'missing' } });
      const found = new Map<string, StoredItem>();
      for (const { entry, item } of await readWhole(backend, entries, { consistent: true })) {
        expect(entries).toContain(entry);
        found.set(entry.key.note_id as string, item);
      }
      expect([...found.keys()].sort()).toEqual(puts.map(({ put }) => put.note_id).sort());
      expect(found.get('b0')).toEqual({ note_id: 'b0', text: 't0' });
    });

    it('[P-101] empty batches do nothing; one item named twice in a batch, written or read, is an InvalidRequestError that writes nothing', async () => {
      const { backend } = fixture();
      const model = notes();
      expect(await backend.batchWrite([])).toEqual({ unprocessed: [] });
      expect(await backend.batchGet([])).toEqual({ found: [], unprocessed: [] });
      if (options.capabilities.transactions) await backend.transactWrite([]);
      await backend.putItem({ model, item: { note_id: 'd1', text: 'kept' } });
      for (const entries of [
        [
          { model, put: { note_id: 'd1', text: 'new' } },
          { model, delete: { note_id: 'd1' } },
        ],
        [
          { model, put: { note_id: 'd2', text: 'a' } },
          { model, put: { note_id: 'd2', text: 'b' } },
        ],
      ])
        await expectError(backend.batchWrite(entries), InvalidRequestError);
      // A read naming one key twice too (DynamoDB refuses it), not the item given twice.
      const twice = await expectError(
        backend.batchGet([
          { model, key: { note_id: 'd1' } },
          { model, key: { note_id: 'd1' } },
        ]),
        InvalidRequestError,
      );
      expect(twice.status).toBe(400);
      expect(await fixture().stored(fixture().models.Note, { note_id: 'd1' })).toEqual({
        note_id: 'd1',
        text: 'kept',
      });
      expect(await fixture().stored(fixture().models.Note, { note_id: 'd2' })).toBeUndefined();
    });

    it.skipIf(!options.capabilities.transactions)(
      '[P-101] backend.transactWrite applies every action or none, with the failing action’s index (needs capabilities.transactions)',
      async () => {
        const { backend } = fixture();
        const model = notes();
        await backend.putItem({ model, item: { note_id: 'x', text: 'kept' } });
        const error = await expectError(
          backend.transactWrite([
            { kind: 'put', model, item: { note_id: 'y', text: 'new' } },
            { kind: 'check', model, key: { note_id: 'x' }, condition: { attr: 'text', eq: 'no' } },
          ]),
          TransactionCanceledError,
        );
        expect(error.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [1, 'CONDITION_FAILED'],
        ]);
        expect(await fixture().stored(fixture().models.Note, { note_id: 'y' })).toBeUndefined();
        await backend.transactWrite([
          { kind: 'put', model, item: { note_id: 'y', text: 'new' } },
          { kind: 'delete', model, key: { note_id: 'x' } },
        ]);
        expect(await fixture().stored(fixture().models.Note, { note_id: 'x' })).toBeUndefined();
        expect(await fixture().stored(fixture().models.Note, { note_id: 'y' })).toEqual({
          note_id: 'y',
          text: 'new',
        });
      },
    );

    it.skipIf(
      options.engineDifferences?.includes('update-failing-on-item-size-applies-earlier-clauses') ===
        true ||
        options.engineDifferences?.includes('updates-held-to-the-engine-item-limit') === true,
    )(
      '[P-15] an update that grows an item past capabilities.maxItemBytes is a ValidationError and changes nothing, through the model and through backend.updateItem (skipped where the engine applies part of a failing update, or updates are held to the engine’s own limit)',
      async () => {
        const { backend } = fixture();
        const { Note } = fixture().models;
        const half = 'x'.repeat(Math.floor(backend.capabilities.maxItemBytes / 2) + 1024);
        await Note.create({ note_id: 'big', text: half });
        await expectError(Note.update('big', { set: { meta: { more: half } } }), ValidationError);
        await expectError(
          backend.updateItem({
            model: notes(),
            key: { note_id: 'big' },
            operations: [
              { action: 'set', path: 'rating', value: 1 },
              { action: 'set', path: 'a.b', value: half },
            ],
            condition: { attr: 'note_id', exists: true },
          }),
          ValidationError,
        );
        expect(await fixture().stored(Note, { note_id: 'big' })).toEqual({
          note_id: 'big',
          text: half,
        });
      },
    );

    it.skipIf(
      options.engineDifferences?.includes('items-limited-to-405000-bytes') === true ||
        options.engineDifferences?.includes('updates-held-to-the-engine-item-limit') === true,
    )(
      '[P-15] an add that makes an attribute of an item at capabilities.maxItemBytes is a ValidationError and changes nothing (skipped where the engine refuses items from 405,000 bytes, or updates are held to the engine’s own limit)',
      async () => {
        const { backend } = fixture();
        const { Note } = fixture().models;
        // "note_id", "full" and "text" are 15 bytes: the item is maxItemBytes exactly.
        const text = 'x'.repeat(backend.capabilities.maxItemBytes - 15);
        await Note.create({ note_id: 'full', text });
        await expectError(Note.update('full', { add: { rating: 1 } }), ValidationError);
        expect(await fixture().stored(Note, { note_id: 'full' })).toEqual({
          note_id: 'full',
          text,
        });
      },
    );

    it('[P-99] backend.updateItem without a condition creates a missing item from its key, with the operations applied', async () => {
      const { backend, models, stored } = fixture();
      const model = notes();
      // DynamoDB's UpdateItem creates the item; only core adds an "item exists" condition.
      const after = await backend.updateItem({
        model,
        key: { note_id: 'u1' },
        operations: [
          { action: 'set', path: 'text', value: 'made' },
          { action: 'add', path: 'count', value: 2 },
          { action: 'append', path: 'tags', value: ['a'] },
        ],
      });
      const made = { note_id: 'u1', text: 'made', count: 2, tags: ['a'] };
      expect(after).toEqual(made);
      expect(await stored(models.Note, { note_id: 'u1' })).toEqual(made);
      expect(await backend.getItem({ model, key: { note_id: 'u1' }, consistent: true })).toEqual(
        made,
      );
    });

    it('[P-99] sets, their binary members and values deeper than three levels are copies out and in: getItem (projected too), query, scan, batchGet and updateItem', async () => {
      const { backend } = fixture();
      const model = notes();
      const key = { note_id: 's1' };
      const original = (): StoredItem => ({
        note_id: 's1',
        text: 't',
        names: new Set(['a', 'b']),
        numbers: new Set([1, 2n ** 70n]),
        blobs: new Set([new Uint8Array([1, 2]), new Uint8Array([3])]),
        deep: { a: { b: { c: { d: { e: ['x', { f: 'g' }] } } } } },
      });
      // Changes every set, every binary member and the deepest values in place.
      const mutate = (item: StoredItem | undefined): void => {
        if (!item) return;
        if (item.names instanceof Set) item.names.add('injected');
        if (item.numbers instanceof Set) item.numbers.delete(1);
        if (item.blobs instanceof Set) {
          for (const member of item.blobs as Set<Uint8Array>) member[0] = 99;
          item.blobs.add(new Uint8Array([9]));
        }
        const deepest = (item.deep as { a?: { b?: { c?: { d?: { e?: unknown[] } } } } })?.a?.b?.c?.d
          ?.e;
        if (deepest) {
          (deepest[1] as { f: string }).f = 'changed';
          deepest.push('y');
        }
      };
      const given = original();
      await backend.putItem({ model, item: given });
      mutate(given);
      const current = () => backend.getItem({ model, key, consistent: true });
      expect(await current(), 'putItem').toEqual(original());
      const reads = readsOfOneItem(backend, model, key, ['names', 'numbers', 'blobs', 'deep'], 't');
      for (const [label, read] of reads) {
        const items = await read();
        expect(items.length, label).toBe(1);
        for (const item of items) mutate(item);
        expect(await current(), label).toEqual(original());
      }
    });

    it('[P-99] values backend.updateItem sets or appends are copies: changing them once the update is done changes nothing stored', async () => {
      const { backend } = fixture();
      const model = notes();
      const key = { note_id: 'v1' };
      await backend.putItem({ model, item: { note_id: 'v1', lines: [{ sku: 'A1', qty: 1 }] } });
      const details = { title: 'T', inner: { labels: ['x'] } };
      const line = { sku: 'B2', qty: 2, code: new Uint8Array([1]) };
      await backend.updateItem({
        model,
        key,
        operations: [
          { action: 'set', path: 'details', value: details },
          { action: 'append', path: 'lines', value: [line] },
        ],
      });
      details.inner.labels.push('injected');
      line.qty = 9;
      line.code[0] = 9;
      expect(await backend.getItem({ model, key, consistent: true })).toEqual({
        note_id: 'v1',
        details: { title: 'T', inner: { labels: ['x'] } },
        lines: [
          { sku: 'A1', qty: 1 },
          { sku: 'B2', qty: 2, code: new Uint8Array([1]) },
        ],
      });
    });

    it('[P-90][P-99] binary members of a set come back as plain Uint8Array, never a Buffer, as top-level bytes do', async () => {
      const { backend } = fixture();
      const model = notes();
      const key = { note_id: 'b1' };
      // Given as a Buffer and as plain bytes: either way the caller gets plain Uint8Arrays.
      await backend.putItem({
        model,
        item: { ...key, text: 't', blobs: new Set([Buffer.from([1, 2]), new Uint8Array([3])]) },
      });
      const reads = readsOfOneItem(backend, model, key, ['blobs'], 'u');
      for (const [label, read] of reads) {
        const [item] = await read();
        expect(item?.blobs, label).toBeInstanceOf(Set);
        const members = [...(item!.blobs as Set<Uint8Array>)];
        expect(
          members.map((member) => Object.getPrototypeOf(member) === Uint8Array.prototype),
          label,
        ).toEqual([true, true]);
        expect(members.map((member) => [...member]).sort(), label).toEqual([[1, 2], [3]]);
      }
    });

    it('[P-88][P-99] updateItem creates an item by adding to or appending to attributes named like Object.prototype members, none of them read as the inherited member', async () => {
      const { backend } = fixture();
      const model = notes();
      for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
        const counted = { note_id: `add-${name}` };
        const added = await backend.updateItem({
          model,
          key: counted,
          operations: [{ action: 'add', path: [name], value: 2 }],
        });
        expect(Object.getOwnPropertyDescriptor(added, name)?.value, name).toBe(2);
        const listed = { note_id: `append-${name}` };
        const appended = await backend.updateItem({
          model,
          key: listed,
          operations: [{ action: 'append', path: [name], value: ['x'] }],
        });
        expect(Object.getOwnPropertyDescriptor(appended, name)?.value, name).toEqual(['x']);
        for (const key of [counted, listed]) {
          const stored = await backend.getItem({ model, key, consistent: true });
          expect(Object.keys(stored ?? {}).sort(), name).toEqual(['note_id', name].sort());
        }
      }
    });

    it("[P-88][P-99] a projection of attributes named __proto__, constructor or toString returns them as own data properties, and never Object.prototype's for an item that lacks them", async () => {
      const { backend } = fixture();
      const model = notes();
      // dynalite drops attributes named __proto__ (a declared engine difference).
      const dropsProto = options.engineDifferences?.includes('attributes-named-proto-dropped');
      const names = dropsProto
        ? ['constructor', 'toString']
        : ['__proto__', 'constructor', 'toString'];
      const item: StoredItem = { note_id: 'p1', text: 't' };
      for (const [index, name] of names.entries())
        Object.defineProperty(item, name, {
          value: { nested: index },
          enumerable: true,
          writable: true,
          configurable: true,
        });
      await backend.putItem({ model, item });
      const read = (await backend.getItem({
        model,
        key: { note_id: 'p1' },
        attributes: ['note_id', ...names],
        consistent: true,
      }))!;
      expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
      expect(Object.keys(read).sort()).toEqual(['note_id', ...names].sort());
      for (const [index, name] of names.entries())
        expect(Object.getOwnPropertyDescriptor(read, name)?.value, name).toEqual({ nested: index });
      // An item without them: nothing inherited is taken for an attribute (dynalite answers a
      // projection of __proto__ with a value of no type: the declared difference).
      await backend.putItem({ model, item: { note_id: 'p2', text: 't' } });
      const bare = (await backend.getItem({
        model,
        key: { note_id: 'p2' },
        attributes: [
          'note_id',
          ...(dropsProto ? [] : ['__proto__']),
          'constructor',
          'toString',
          'valueOf',
          'hasOwnProperty',
        ],
        consistent: true,
      }))!;
      expect(Object.getPrototypeOf(bare)).toBe(Object.prototype);
      expect(Object.keys(bare)).toEqual(['note_id']);
      expect(
        ['__proto__', 'constructor', 'toString'].filter((name) => Object.hasOwn(bare, name)),
      ).toEqual([]);
    });

    it.skipIf(!options.capabilities.transactions)(
      '[P-101] backend.transactWrite naming one item twice is an InvalidRequestError that writes nothing (needs capabilities.transactions)',
      async () => {
        const { backend, models, stored } = fixture();
        const model = notes();
        const kept = { note_id: 't1', text: 'kept' };
        await backend.putItem({ model, item: kept });
        const twice: [string, Parameters<typeof backend.transactWrite>[0]][] = [
          [
            'two puts of a new item',
            [
              { kind: 'put', model, item: { note_id: 't2', text: 'a' } },
              { kind: 'put', model, item: { note_id: 't2', text: 'b' } },
            ],
          ],
          [
            'a put and a delete',
            [
              { kind: 'put', model, item: { note_id: 't1', text: 'new' } },
              { kind: 'delete', model, key: { note_id: 't1' } },
            ],
          ],
          [
            'an update and a check, beside a put of another item',
            [
              { kind: 'put', model, item: { note_id: 't2', text: 'a' } },
              {
                kind: 'update',
                model,
                key: { note_id: 't1' },
                operations: [{ action: 'set', path: 'text', value: 'new' }],
              },
              {
                kind: 'check',
                model,
                key: { note_id: 't1' },
                condition: { attr: 'text', exists: true },
              },
            ],
          ],
        ];
        for (const [label, actions] of twice)
          expectInvalidRequest(await failureOf(() => backend.transactWrite(actions)), label);
        expect(await stored(models.Note, { note_id: 't1' })).toEqual(kept);
        expect(await stored(models.Note, { note_id: 't2' })).toBeUndefined();
      },
    );

    it.skipIf(!options.capabilities.transactions)(
      '[P-15][P-101] a transaction whose update grows an item past capabilities.maxItemBytes writes nothing: not its other actions, not the update (needs capabilities.transactions)',
      async () => {
        const { backend, models, stored } = fixture();
        const model = notes();
        const half = 'x'.repeat(Math.floor(backend.capabilities.maxItemBytes / 2) + 1024);
        const big = { note_id: 'big', text: half };
        await backend.putItem({ model, item: big });
        // As an update alone is (P-15), and as memory, PostgreSQL and DynamoDB (moto) refuse it.
        await expectError(
          backend.transactWrite([
            { kind: 'put', model, item: { note_id: 'x1', text: 'new' } },
            {
              kind: 'update',
              model,
              key: { note_id: 'big' },
              operations: [
                { action: 'set', path: 'rating', value: 1 },
                { action: 'set', path: 'meta', value: { more: half } },
              ],
            },
          ]),
          ValidationError,
        );
        expect(await stored(models.Note, { note_id: 'x1' })).toBeUndefined();
        expect(await stored(models.Note, { note_id: 'big' })).toEqual(big);
      },
    );

    it.skipIf(!options.capabilities.transactions)(
      '[P-69][P-101] backend.transactWrite with two failing conditions lists CONDITION_FAILED at the index of each, and writes nothing (needs capabilities.transactions)',
      async () => {
        const { backend, models, stored } = fixture();
        const model = notes();
        await backend.putItem({ model, item: { note_id: 'k1', text: 'a' } });
        const error = await expectError(
          backend.transactWrite([
            { kind: 'check', model, key: { note_id: 'k1' }, condition: { attr: 'text', eq: 'no' } },
            { kind: 'put', model, item: { note_id: 'k2', text: 'b' } },
            {
              kind: 'check',
              model,
              key: { note_id: 'k3' },
              condition: { attr: 'note_id', exists: true },
            },
          ]),
          TransactionCanceledError,
        );
        // Every failing action, not only the first one met.
        expect(error.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [0, 'CONDITION_FAILED'],
          [2, 'CONDITION_FAILED'],
        ]);
        expect(await stored(models.Note, { note_id: 'k2' })).toBeUndefined();
      },
    );

    it('[P-106] backend.ensureTables of a table already made with other keys is a TableMismatchError and changes nothing', async () => {
      const { backend, models, stored } = fixture();
      if (!backend.ensureTables) return;
      const model = messages();
      const item = message('001');
      await backend.putItem({ model, item });
      const table = model.table;
      const mismatched: [string, TableDescriptor][] = [
        [
          'a partition key of another type',
          { ...table, partitionKey: { name: 'channel', type: 'number' } },
        ],
        [
          'a partition key of another name',
          { ...table, partitionKey: { name: 'room', type: 'string' } },
        ],
        ['the sort key dropped', { ...table, sortKey: undefined }],
      ];
      for (const [label, descriptor] of mismatched) {
        const error = await failureOf(() => backend.ensureTables!([descriptor]));
        expect(error, label).toBeInstanceOf(TableMismatchError);
        expect((error as TableMismatchError).code, label).toBe('TABLE_MISMATCH');
      }
      // The table is as it was: its item read and written through its own keys.
      expect(await stored(models.Message, { channel: 'c1', sent: '001' })).toEqual(item);
      await backend.putItem({ model, item: message('002') });
      expect(
        (await backend.query({ model, partition: 'c1', consistent: true })).items.map(
          (found) => found.sent,
        ),
      ).toEqual(['001', '002']);
      await backend.ensureTables([table]);
    });

    it('[P-106] backend.ensureTables refused makes none of the tables of its call: two listings of one table with other keys, or a table of the call made for another spec', async () => {
      const { backend } = fixture();
      if (!backend.ensureTables) return;
      const table = messages().table;
      const fresh: TableDescriptor = { ...table, name: `${table.name}-fresh` };
      const freshOtherKey: TableDescriptor = {
        ...fresh,
        partitionKey: { name: 'room', type: 'string' },
      };
      const mismatched: TableDescriptor = {
        ...table,
        partitionKey: { name: 'room', type: 'string' },
      };
      for (const call of [
        [fresh, freshOtherKey],
        [fresh, mismatched],
      ]) {
        const error = await failureOf(() => backend.ensureTables!(call));
        expect(error, call.map((listed) => listed.partitionKey.name).join(', ')).toBeInstanceOf(
          TableMismatchError,
        );
      }
      // The fresh table was not made with the first listing's key: it is made with another.
      await backend.ensureTables([freshOtherKey]);
    });

    it('[P-106] backend.ensureTables run again on the tables it made changes nothing: every item stays, in the table and its indexes', async () => {
      const { api, backend, models, stored } = fixture();
      if (!backend.ensureTables) return;
      const model = messages();
      await backend.putItem({ model, item: message('001', 'ann', 1) });
      await backend.putItem({ model, item: message('002', 'ann', 2) });
      await backend.putItem({ model: notes(), item: { note_id: 'n1', text: 'kept' } });
      // Idempotent: a service calls it at every start, on tables holding its data.
      await backend.ensureTables(api.tables());
      await backend.ensureTables([model.table]);
      expect(await stored(models.Message, { channel: 'c1', sent: '001' })).toEqual(
        message('001', 'ann', 1),
      );
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({ note_id: 'n1', text: 'kept' });
      const page = await backend.query({ model, index: 'byAuthor', partition: 'ann' });
      expect(page.items.map((found) => found.sent)).toEqual(['001', '002']);
    });
  });
}

/**
 * Every backend method that gives back the item under `key` (its partition read by `query`),
 * each as a list of the items it returned: `getItem`, a `getItem` projected to `attributes`,
 * `query`, `scan`, `batchGet`, and an `updateItem` that sets `text` to `text`.
 */
function readsOfOneItem(
  backend: StorageBackend,
  model: ModelDescriptor,
  key: { note_id: string },
  attributes: string[],
  text: string,
): [string, () => Promise<StoredItem[]>][] {
  return [
    ['getItem', async () => [(await backend.getItem({ model, key, consistent: true }))!]],
    [
      'a projected getItem',
      async () => [(await backend.getItem({ model, key, attributes, consistent: true }))!],
    ],
    [
      'query',
      async () => (await backend.query({ model, partition: key.note_id, consistent: true })).items,
    ],
    ['scan', async () => (await backend.scan({ model, consistent: true })).items],
    [
      'batchGet',
      async () =>
        (await backend.batchGet([{ model, key }], { consistent: true })).found.map(
          ({ item }) => item,
        ),
    ],
    [
      'updateItem',
      async () => [
        await backend.updateItem({
          model,
          key,
          operations: [{ action: 'set', path: 'text', value: text }],
        }),
      ],
    ],
  ];
}
