import { ConditionFailedError, type StoredItem } from '@macaron/core';
import type { BatchGetEntry, BatchWriteEntry, TransactionAction } from '@macaron/core/backend';
import { describe, expect, it } from 'vitest';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/**
 * A copy of `base` whose field `name` answers `first` on its first read and `later` on every
 * read after it: a request (or key, condition, entry) that a backend reading it twice would
 * check as one thing and run as another.
 */
// Typed as whatever it is given as: it stands for a key, a condition or a request alike.
function shifting(base: object, name: string, first: unknown, later: unknown): never {
  let reads = 0;
  return Object.defineProperty({ ...base }, name, {
    enumerable: true,
    configurable: true,
    get: () => (reads++ === 0 ? first : later),
  }) as never;
}

/** A list whose entry `position` answers `first` on its first read and `later` after. */
function shiftingList<T>(list: T[], position: number, first: T, later: T): T[] {
  let reads = 0;
  return Object.defineProperty([...list], position, {
    enumerable: true,
    configurable: true,
    get: () => (reads++ === 0 ? first : later),
  });
}

/**
 * Requests given straight to a backend are read once: what the backend checks is what it runs.
 * A key, condition, filter, sort condition, partition, limit, batch entry, transaction action
 * or request field that answers one valid value on its first read and another on later reads
 * is run as first read: the item stored, read or deleted under the first key, the condition
 * evaluated as first read, nothing done under the second.
 */
export function describeRequestsReadOnce(
  factory: ConformanceFactory,
  options: ConformanceOptions,
): void {
  describe('requests given straight to a backend, read once', suiteOptions(options), () => {
    const fixture = useFixture(factory);
    const notes = () => fixture().models.Note.descriptor;
    const messages = () => fixture().models.Message.descriptor;
    const stored = (id: string) =>
      fixture().backend.getItem({ model: notes(), key: { note_id: id }, consistent: true });
    const seed = async (...ids: string[]) => {
      for (const id of ids)
        await fixture().backend.putItem({
          model: notes(),
          item: { note_id: id, text: id, count: 1 },
        });
    };

    it('[P-99] getItem: a key, or the request key, that reads otherwise later is read as first read', async () => {
      const { backend } = fixture();
      const model = notes();
      await seed('a', 'b');
      const key = shifting({}, 'note_id', 'a', 'b');
      expect((await backend.getItem({ model, key }))?.note_id, 'key value').toBe('a');
      const request = shifting({ model }, 'key', { note_id: 'a' }, { note_id: 'b' });
      expect((await backend.getItem(request))?.note_id, 'request key').toBe('a');
      const projected = shifting(
        { model, key: { note_id: 'a' } },
        'attributes',
        ['text'],
        ['count'],
      );
      expect(await backend.getItem(projected), 'attributes').toEqual({ text: 'a' });
    });

    it("[P-99] a request whose fields it inherits (a class's getters, a prototype) is run with them: an inherited condition still guards the write", async () => {
      const { backend } = fixture();
      const model = notes();
      await seed('a');
      class Guarded {
        constructor(readonly item: StoredItem) {}
        get model() {
          return model;
        }
        get condition() {
          return { attr: 'note_id', exists: false };
        }
      }
      await expect(
        backend.putItem(new Guarded({ note_id: 'a', text: 'over', count: 2 })),
        'class getters',
      ).rejects.toBeInstanceOf(ConditionFailedError);
      const inherited = Object.assign(
        Object.create({ condition: { attr: 'count', eq: 7 } }) as Record<string, unknown>,
        { model, key: { note_id: 'a' } },
      );
      await expect(backend.deleteItem(inherited as never), 'a prototype').rejects.toBeInstanceOf(
        ConditionFailedError,
      );
      expect(await stored('a'), 'nothing written or deleted').toEqual({
        note_id: 'a',
        text: 'a',
        count: 1,
      });
      class Read {
        get model() {
          return model;
        }
        get key() {
          return { note_id: 'a' };
        }
      }
      expect((await backend.getItem(new Read() as never))?.note_id, 'a class read').toBe('a');
    });

    it('[P-99] putItem: its condition, its item and the request fields are read once; the item stored is the one checked', async () => {
      const { backend } = fixture();
      const model = notes();
      await seed('a');
      // Checked as `count = 1` (it holds), then read as `count = 7` (it would not).
      const holds = shifting({ attr: 'count' }, 'eq', 1, 7);
      await backend.putItem({
        model,
        item: { note_id: 'a', text: 'a2', count: 2 },
        condition: holds,
      });
      expect((await stored('a'))?.text, 'condition as first read holds').toBe('a2');
      const fails = shifting({ attr: 'count' }, 'eq', 7, 2);
      await expect(
        backend.putItem({ model, item: { note_id: 'a', text: 'a3', count: 3 }, condition: fails }),
        'condition as first read fails',
      ).rejects.toBeInstanceOf(ConditionFailedError);
      expect((await stored('a'))?.text).toBe('a2');
      const request = shifting(
        { model, item: { note_id: 'a', text: 'a4', count: 4 } },
        'condition',
        { attr: 'count', eq: 2 },
        { attr: 'count', eq: 9 },
      );
      await backend.putItem(request);
      expect((await stored('a'))?.text, 'request condition').toBe('a4');
      const item = shifting({ note_id: 'p', count: 1 }, 'text', 'first', 'later');
      await backend.putItem({ model, item });
      expect((await stored('p'))?.text, 'item value').toBe('first');
      const itemRequest = shifting(
        { model },
        'item',
        { note_id: 'q', text: 'first' },
        { note_id: 'r', text: 'later' },
      );
      await backend.putItem(itemRequest);
      expect((await stored('q'))?.text, 'request item').toBe('first');
      expect(await stored('r'), 'request item read again').toBeUndefined();
    });

    it('[P-99] deleteItem: a key, a condition and the request fields that read otherwise later are read as first read', async () => {
      const { backend } = fixture();
      const model = notes();
      await seed('a', 'b', 'c', 'd');
      const key = shifting({}, 'note_id', 'a', 'b');
      expect((await backend.deleteItem({ model, key }))?.note_id, 'answer').toBe('a');
      expect(await stored('a'), 'deleted under the first key').toBeUndefined();
      expect(await stored('b'), 'nothing deleted under the second').toBeDefined();
      const condition = shifting({ attr: 'count' }, 'eq', 1, 7);
      await backend.deleteItem({ model, key: { note_id: 'b' }, condition });
      expect(await stored('b'), 'condition as first read holds').toBeUndefined();
      const request = shifting({ model }, 'key', { note_id: 'c' }, { note_id: 'd' });
      await backend.deleteItem(request);
      expect(await stored('c'), 'request key').toBeUndefined();
      expect(await stored('d'), 'request key read again').toBeDefined();
    });

    it('[P-99] updateItem: a key, a condition and the request fields that read otherwise later are read as first read', async () => {
      const { backend } = fixture();
      const model = notes();
      await seed('a', 'b');
      const operations = [{ action: 'add' as const, path: 'count', value: 1 }];
      const key = shifting({}, 'note_id', 'a', 'b');
      const condition = shifting({ attr: 'count' }, 'eq', 1, 7);
      const updated = await backend.updateItem({ model, key, operations, condition });
      expect(updated.note_id, 'answer').toBe('a');
      expect((await stored('a'))?.count, 'updated under the first key').toBe(2);
      expect((await stored('b'))?.count, 'nothing updated under the second').toBe(1);
      const request = shifting({ model, operations }, 'key', { note_id: 'b' }, { note_id: 'a' });
      await backend.updateItem(request);
      expect((await stored('b'))?.count, 'request key').toBe(2);
      expect((await stored('a'))?.count, 'request key read again').toBe(2);
    });

    it('[P-99] query and scan: a partition, sort condition, filter, limit or index that reads otherwise later is read as first read', async () => {
      const { backend } = fixture();
      const model = messages();
      for (const [channel, sent, author] of [
        ['c1', '001', 'ann'],
        ['c1', '002', 'ann'],
        ['c1', '003', 'bob'],
        ['c2', '001', 'bob'],
      ] as const)
        await backend.putItem({
          model,
          item: { channel, sent, author, score: 1, body: `${channel}${sent}` },
        });
      const sentOf = (items: StoredItem[]) => items.map((item) => `${item.channel}/${item.sent}`);
      const byPartition = await backend.query(
        shifting({ model, consistent: true }, 'partition', 'c1', 'c2'),
      );
      expect(sentOf(byPartition.items), 'partition').toEqual(['c1/001', 'c1/002', 'c1/003']);
      const bySort = await backend.query({
        model,
        partition: 'c1',
        consistent: true,
        sort: shifting({}, 'gte', '003', '001'),
      });
      expect(sentOf(bySort.items), 'sort condition').toEqual(['c1/003']);
      const filtered = await backend.query({
        model,
        partition: 'c1',
        consistent: true,
        filter: shifting({ attr: 'author' }, 'eq', 'bob', 'ann'),
      });
      expect(sentOf(filtered.items), 'query filter').toEqual(['c1/003']);
      const limited = await backend.query(
        shifting({ model, partition: 'c1', consistent: true }, 'limit', 1, 3),
      );
      expect(sentOf(limited.items), 'query limit').toEqual(['c1/001']);
      // The index, read first, is read: its partition is an author, not a channel.
      const indexed = await backend.query(
        shifting({ model, partition: 'bob' }, 'index', 'byAuthor', undefined),
      );
      expect(sentOf(indexed.items).sort(), 'query index').toEqual(['c1/003', 'c2/001']);
      const scanned = await backend.scan({
        model,
        consistent: true,
        filter: shifting({ attr: 'author' }, 'eq', 'bob', 'ann'),
      });
      expect(sentOf(scanned.items).sort(), 'scan filter').toEqual(['c1/003', 'c2/001']);
      const scanRequest = shifting(
        { model, consistent: true },
        'filter',
        { attr: 'sent', eq: '002' },
        {
          attr: 'sent',
          eq: '001',
        },
      );
      expect(sentOf((await backend.scan(scanRequest)).items), 'scan request filter').toEqual([
        'c1/002',
      ]);
    });

    it('[P-101] batchGet and batchWrite: an entry, its key or its put / delete choice that reads otherwise later is read as first read; the answer names the entries given', async () => {
      const { backend } = fixture();
      const model = notes();
      await seed('a', 'b', 'c', 'd');
      const keyed: BatchGetEntry = { model, key: shifting({}, 'note_id', 'a', 'b') };
      const second: BatchGetEntry = { model, key: { note_id: 'c' } };
      const entries = shiftingList<BatchGetEntry>([keyed, keyed], 1, second, {
        model,
        key: { note_id: 'd' },
      });
      const read = await backend.batchGet(entries);
      expect(read.unprocessed).toEqual([]);
      expect(read.found.map(({ item }) => item.note_id).sort(), 'keys').toEqual(['a', 'c']);
      // The entries answered are the caller's own objects, each the one whose key was read.
      const answered = (id: string) => read.found.find(({ item }) => item.note_id === id)?.entry;
      expect(answered('a'), 'entry a').toBe(keyed);
      expect(answered('c'), 'the entry as first read').toBe(second);
      // The list given is read at the call: one the caller changes while the batch is in
      // flight is answered with the entries it held then.
      const first: BatchGetEntry = { model, key: { note_id: 'c' } };
      const list = [first];
      const reading = backend.batchGet(list);
      list[0] = { model, key: { note_id: 'c' } };
      const later = await reading;
      expect(later.found.length, 'entry c found').toBe(1);
      expect(later.found[0]?.entry, 'the entry given at the call').toBe(first);
      const writes = shiftingList<BatchWriteEntry>(
        [
          { model, delete: shifting({}, 'note_id', 'a', 'b') },
          { model, delete: { note_id: 'x' } },
        ],
        1,
        { model, delete: { note_id: 'c' } },
        { model, put: { note_id: 'c', text: 'put', count: 9 } },
      );
      expect((await backend.batchWrite(writes)).unprocessed).toEqual([]);
      expect(await stored('a'), 'deleted under the first key').toBeUndefined();
      expect(await stored('b'), 'nothing deleted under the second').toBeDefined();
      expect(await stored('c'), 'a delete as first read, no put').toBeUndefined();
    });

    it.skipIf(!options.capabilities.transactions)(
      '[P-99] transactWrite: an action, its kind, key or condition that reads otherwise later is read as first read (needs capabilities.transactions)',
      async () => {
        const { backend } = fixture();
        const model = notes();
        await seed('a', 'b', 'c', 'd', 'e');
        const operations = [{ action: 'add' as const, path: 'count', value: 1 }];
        const actions = shiftingList<TransactionAction>(
          [
            {
              kind: 'update',
              model,
              key: shifting({}, 'note_id', 'a', 'b'),
              operations,
              condition: shifting({ attr: 'count' }, 'eq', 1, 7),
            },
            shifting({ model, key: { note_id: 'c' } }, 'kind', 'delete', 'check'),
            {
              kind: 'check',
              model,
              key: { note_id: 'x' },
              condition: { attr: 'count', exists: false },
            },
          ],
          2,
          { kind: 'delete', model, key: { note_id: 'd' } },
          { kind: 'delete', model, key: { note_id: 'e' } },
        );
        await backend.transactWrite(actions);
        expect((await stored('a'))?.count, 'updated under the first key').toBe(2);
        expect((await stored('b'))?.count, 'nothing updated under the second').toBe(1);
        expect(await stored('c'), 'a delete as first read').toBeUndefined();
        expect(await stored('d'), 'the action as first read').toBeUndefined();
        expect(await stored('e'), 'the action read again').toBeDefined();
      },
    );
  });
}
