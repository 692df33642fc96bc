import {
  InvalidCursorError,
  InvalidRequestError,
  type QueryOptions,
  type StorageBackend,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createCountingBackend } from '../fixtures/counting-backend.js';
import { expectError } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { MessageShape } from '../fixtures/fixture-models.js';
import { openWithCursorKeys } from '../fixtures/keyed-fixture-api.js';
import { byteOrder, numericOrder, shuffled } from '../fixtures/sort-orders.js';
import { collect, walkPages } from '../fixtures/walk-pages.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** `m00`, `m01`, … in sort-key order. */
function sentKeys(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `m${String(index).padStart(2, '0')}`);
}

/** Cursors show nothing of the table or the keys. */
const opaqueRule = 'P-95';
/** Cursor keys: shared by instances, rotated with previousCursorKeys. */
const keysRule = 'P-96';

/** Key material of the APIs that share or rotate cursor keys (at least 32 characters). */
const cursorKey = 'conformance-cursor-key-0123456789abcdef';
const nextCursorKey = 'conformance-cursor-key-fedcba9876543210';

/**
 * Every text a client can get from a cursor: as it is, and decoded as base64 or base64url
 * from each of the four alignments, read as UTF-8 or as bytes.
 */
function readingsOf(cursor: string): string[] {
  const readings = [cursor];
  for (let offset = 0; offset < 4; offset += 1) {
    for (const encoding of ['base64', 'base64url'] as const) {
      const bytes = Buffer.from(cursor.slice(offset), encoding);
      readings.push(bytes.toString('utf8'), bytes.toString('latin1'));
    }
  }
  return readings;
}

/**
 * P-53 to P-57 and the cursor-key rules: pagination with opaque cursors bound to their
 * query, keys shared and rotated, and iteration over every page.
 */
export function describeCursors(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('pagination and cursors', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    /** Creates `count` messages in `channel`, written in shuffled order. */
    async function createChannel(
      channel: string,
      count: number,
      extra: Partial<MessageShape> = {},
    ) {
      const { Message } = fixture().models;
      await Promise.all(
        shuffled(sentKeys(count)).map((sent) => Message.create({ channel, sent, ...extra })),
      );
    }

    /** The first page's cursor of a query that has more than one page. */
    async function firstCursor(channel = 'general'): Promise<string> {
      const page = await fixture().models.Message.query({ partition: channel, limit: 2 });
      expect(page.cursor).toBeDefined();
      return page.cursor as string;
    }

    it('[P-53] walking pages of limit n over k*n items yields every item once, in order, and ends', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 12);
      const pages = await walkPages(
        (cursor) =>
          Message.query({ partition: 'general', limit: 4, ...(cursor ? { cursor } : {}) }),
        5,
      );
      expect(pages.slice(0, 3).map((page) => page.length)).toEqual([4, 4, 4]);
      expect(pages.flat().map((item) => item.sent)).toEqual(sentKeys(12));
    });

    it('[P-53] walking pages of limit 1 yields one item per page', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 5);
      const pages = await walkPages(
        (cursor) =>
          Message.query({ partition: 'general', limit: 1, ...(cursor ? { cursor } : {}) }),
        7,
      );
      expect(pages.every((page) => page.length <= 1)).toBe(true);
      expect(pages.flat().map((item) => item.sent)).toEqual(sentKeys(5));
    });

    it('[P-53] a limit above the partition size gives one page without cursor', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 3);
      const page = await Message.query({ partition: 'general', limit: 10 });
      expect(page.items.map((item) => item.sent)).toEqual(sentKeys(3));
      expect(page.cursor).toBeUndefined();
    });

    it('[P-53] reverse pages walk the partition backwards, each item once', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 7);
      const pages = await walkPages(
        (cursor) =>
          Message.query({
            partition: 'general',
            limit: 3,
            reverse: true,
            ...(cursor ? { cursor } : {}),
          }),
        5,
      );
      expect(pages.flat().map((item) => item.sent)).toEqual(sentKeys(7).reverse());
    });

    it('[P-53] index pages with equal index sort values yield every item once', async () => {
      const { Message } = fixture().models;
      await Promise.all(
        shuffled(sentKeys(10)).map((sent, index) =>
          Message.create({
            channel: `c${index % 3}`,
            sent,
            author: 'ann',
            score: index < 7 ? 1 : 2,
          }),
        ),
      );
      const pages = await walkPages(
        (cursor) =>
          Message.query({
            index: 'byAuthor',
            partition: 'ann',
            limit: 3,
            ...(cursor ? { cursor } : {}),
          }),
        6,
      );
      const items = pages.flat();
      expect(items.map((item) => item.score)).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 2, 2]);
      expect(items.map((item) => `${item.channel}/${item.sent}`).sort()).toEqual(
        (await collect(Message.queryAll({ index: 'byAuthor', partition: 'ann' }), 20))
          .map((item) => `${item.channel}/${item.sent}`)
          .sort(),
      );
      expect(new Set(items.map((item) => item.sent)).size).toBe(10);
    });

    it('[P-53] pages of a sort-key range stay within the range', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 10);
      const pages = await walkPages(
        (cursor) =>
          Message.query({
            partition: 'general',
            sort: { between: ['m02', 'm08'] },
            limit: 2,
            ...(cursor ? { cursor } : {}),
          }),
        6,
      );
      expect(pages.flat().map((item) => item.sent)).toEqual(sentKeys(9).slice(2));
    });

    it('[P-53] pages over number (bigint too) and binary sort keys yield every item once, in order', async () => {
      const { Reading, Tile } = fixture().models;
      await Promise.all(
        shuffled(numericOrder).map((at) => Reading.create({ sensor: 's1', at, value: 1 })),
      );
      const readings = await walkPages(
        (cursor) => Reading.query({ partition: 's1', limit: 2, ...(cursor ? { cursor } : {}) }),
        numericOrder.length,
      );
      expect(readings.flat().map((item) => item.at)).toEqual([...numericOrder]);
      await Promise.all(
        shuffled(byteOrder).map((code) =>
          Tile.create({ layer: 'base', code: Uint8Array.from(code) }),
        ),
      );
      const tiles = await walkPages(
        (cursor) =>
          Tile.query({ partition: 'base', limit: 4, reverse: true, ...(cursor ? { cursor } : {}) }),
        4,
      );
      expect(tiles.flat().map((item) => [...item.code])).toEqual(
        [...byteOrder].reverse().map((code) => [...code]),
      );
    });

    it('[P-54] an empty partition gives an empty page without cursor', async () => {
      const { Message } = fixture().models;
      await createChannel('other', 3);
      for (const limit of [undefined, 1, 5]) {
        const page = await Message.query({
          partition: 'general',
          ...(limit ? { limit } : {}),
        });
        expect(page.items).toEqual([]);
        expect(page.cursor).toBeUndefined();
      }
    });

    it('[P-55] reusing a cursor gives the same page again', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 6);
      const cursor = await firstCursor();
      const once = await Message.query({ partition: 'general', limit: 2, cursor });
      const twice = await Message.query({ partition: 'general', limit: 2, cursor });
      expect(once.items.map((item) => item.sent)).toEqual(['m02', 'm03']);
      expect(twice.items.map((item) => item.sent)).toEqual(['m02', 'm03']);
    });

    it('[P-56] a page cursor is bound to the query as it was at the call, even if its options change while the page is read', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 6, { author: 'ann' });
      const sort = { gte: 'm00' };
      const filter = { attr: 'author', eq: 'ann' };
      const reading = Message.query({ partition: 'general', sort, filter, limit: 2 });
      sort.gte = 'm04';
      filter.eq = 'bob';
      const page = await reading;
      expect(page.items.map((item) => item.sent)).toEqual(['m00', 'm01']);
      const { cursor } = page;
      const next = await Message.query({
        partition: 'general',
        sort: { gte: 'm00' },
        filter: { attr: 'author', eq: 'ann' },
        limit: 2,
        cursor,
      });
      expect(next.items.map((item) => item.sent)).toEqual(['m02', 'm03']);
    });

    it('[P-56] a cursor from another partition is an InvalidCursorError', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 4);
      await createChannel('random', 4);
      const cursor = await firstCursor('general');
      await expectError(Message.query({ partition: 'random', cursor }), InvalidCursorError);
    });

    it('[P-56] a cursor from the table used on an index, or the reverse, is an InvalidCursorError', async () => {
      const { Message } = fixture().models;
      await createChannel('ann', 4, { author: 'ann', score: 1 });
      const tableCursor = await firstCursor('ann');
      await expectError(
        Message.query({ index: 'byAuthor', partition: 'ann', cursor: tableCursor }),
        InvalidCursorError,
      );
      const indexPage = await Message.query({ index: 'byAuthor', partition: 'ann', limit: 2 });
      expect(indexPage.cursor).toBeDefined();
      await expectError(
        Message.query({ partition: 'ann', cursor: indexPage.cursor as string }),
        InvalidCursorError,
      );
    });

    it('[P-56] a cursor from another table, or from a scan, is an InvalidCursorError', async () => {
      const { Message, Reading } = fixture().models;
      await createChannel('general', 4);
      await Promise.all(
        [1, 2, 3, 4].map((at) => Reading.create({ sensor: 'general', at, value: at })),
      );
      const readingCursor = (await Reading.query({ partition: 'general', limit: 2 })).cursor;
      expect(readingCursor).toBeDefined();
      await expectError(
        Message.query({ partition: 'general', cursor: readingCursor as string }),
        InvalidCursorError,
      );
      const scanCursor = (await Message.scan({ limit: 2 })).cursor;
      expect(scanCursor).toBeDefined();
      await expectError(
        Message.query({ partition: 'general', cursor: scanCursor as string }),
        InvalidCursorError,
      );
      await expectError(Message.scan({ cursor: await firstCursor() }), InvalidCursorError);
    });

    it('[P-56] an altered or malformed cursor is an InvalidCursorError', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 4);
      const cursor = await firstCursor();
      const flipped = `${cursor[0] === 'A' ? 'B' : 'A'}${cursor.slice(1)}`;
      for (const bad of [flipped, cursor.slice(0, -2), `${cursor}A`, 'garbage', '']) {
        await expectError(Message.query({ partition: 'general', cursor: bad }), InvalidCursorError);
      }
    });

    it('[P-56] a cursor with one byte changed, wherever it is, is an InvalidCursorError, and no request is sent', async () => {
      const counting = createCountingBackend(fixture().backend);
      const { Message } = await openWithCursorKeys(fixture(), { cursorKey }, counting.backend);
      await createChannel('general', 4);
      const page = await Message.query({ partition: 'general', limit: 2 });
      const bytes = Buffer.from(page.cursor as string, 'base64url');
      counting.reset();
      for (let index = 0; index < bytes.length; index += 1) {
        for (const mask of [0x01, 0x80]) {
          const altered = Buffer.from(bytes);
          altered[index] = (altered[index] as number) ^ mask;
          await expectError(
            Message.query({
              partition: 'general',
              limit: 2,
              cursor: altered.toString('base64url'),
            }),
            InvalidCursorError,
          );
        }
      }
      expect(counting.calls()).toBe(0);
    });

    it('[P-56] a cursor reused with another sort condition, filter, direction, index or partition is an InvalidCursorError, and no request is sent', async () => {
      const counting = createCountingBackend(fixture().backend);
      const { Message } = await openWithCursorKeys(fixture(), { cursorKey }, counting.backend);
      await createChannel('general', 6, { author: 'ann', score: 1 });
      const made = { partition: 'general', sort: { gte: 'm00' }, limit: 2 } as const;
      const page = await Message.query(made);
      expect(page.items.map((item) => item.sent)).toEqual(['m00', 'm01']);
      const cursor = page.cursor as string;
      const others: QueryOptions[] = [
        // A range that excludes the cursor's key: some engines read on, DynamoDB refuses.
        { partition: 'general', sort: { gte: 'm03' } },
        { partition: 'general', sort: { lt: 'm05' } },
        { partition: 'general', sort: { between: ['m00', 'm05'] } },
        { partition: 'general' },
        { partition: 'general', sort: { gte: 'm00' }, filter: { attr: 'pinned', exists: false } },
        { partition: 'general', sort: { gte: 'm00' }, reverse: true },
        { partition: 'random', sort: { gte: 'm00' } },
        { index: 'byAuthor', partition: 'ann' },
      ];
      counting.reset();
      for (const other of others) {
        await expectError(Message.query({ ...other, limit: 2, cursor }), InvalidCursorError);
      }
      await expectError(Message.scan({ limit: 2, cursor }), InvalidCursorError);
      expect(counting.calls()).toBe(0);
      // The same query goes on, whatever its page size.
      const next = await Message.query({ ...made, limit: 3, cursor });
      expect(next.items.map((item) => item.sent)).toEqual(['m02', 'm03', 'm04']);
    });

    it('[P-56] a scan cursor reused with another filter or on an index is an InvalidCursorError', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 6, { author: 'ann', score: 1 });
      const cursor = (await Message.scan({ limit: 2, filter: { attr: 'score', eq: 1 } })).cursor;
      expect(cursor).toBeDefined();
      for (const other of [
        {},
        { filter: { attr: 'score', eq: 2 } },
        { filter: { attr: 'score', eq: '1' } },
        { index: 'byAuthor', filter: { attr: 'score', eq: 1 } },
      ]) {
        await expectError(
          Message.scan({ ...other, limit: 2, cursor: cursor as string }),
          InvalidCursorError,
        );
      }
    });

    it("[P-56] a scan cursor's filter binds its values' types: bytes are not their base64, false is not null", async () => {
      const { Message } = fixture().models;
      await createChannel('general', 6, { author: 'ann', score: 1 });
      for (const [made, other] of [
        [new Uint8Array([1, 2, 3]), 'AQID'],
        [false, null],
        [0, false],
        ['', null],
      ] as const) {
        const cursor = (await Message.scan({ limit: 2, filter: { attr: 'flag', eq: made } }))
          .cursor;
        // Nothing matches: the page is empty, and its cursor goes on through the table.
        expect(cursor, String(made)).toBeDefined();
        await expectError(
          Message.scan({ limit: 2, cursor: cursor as string, filter: { attr: 'flag', eq: other } }),
          InvalidCursorError,
        );
      }
    });

    it(`[${opaqueRule}] a cursor holds neither the table name nor a key value, as text or base64(url)-decoded`, async () => {
      const { Message } = fixture().models;
      const channel = 'opaque-channel-name';
      const sent = ['opaque-sent-value-1', 'opaque-sent-value-2', 'opaque-sent-value-3'];
      await Promise.all(
        sent.map((value) =>
          Message.create({ channel, sent: value, author: 'opaque-author-name', score: 1 }),
        ),
      );
      const table = Message.descriptor.table;
      const cursors = [
        (await Message.query({ partition: channel, limit: 1 })).cursor,
        (await Message.query({ index: 'byAuthor', partition: 'opaque-author-name', limit: 1 }))
          .cursor,
        (await Message.scan({ limit: 1 })).cursor,
      ];
      const hidden = [table.name, table.specName, channel, ...sent, 'opaque-author-name'];
      for (const cursor of cursors) {
        expect(cursor).toBeDefined();
        for (const reading of readingsOf(cursor as string)) {
          for (const value of hidden) expect(reading).not.toContain(value);
        }
      }
    });

    it(`[${keysRule}] cursors open on another API with the same cursorKey, not on one with another key or none`, async () => {
      await createChannel('general', 4);
      const first = await openWithCursorKeys(fixture(), { cursorKey });
      const cursor = (await first.Message.query({ partition: 'general', limit: 2 }))
        .cursor as string;
      const instance = await openWithCursorKeys(fixture(), { cursorKey });
      const page = await instance.Message.query({ partition: 'general', limit: 2, cursor });
      expect(page.items.map((item) => item.sent)).toEqual(['m02', 'm03']);
      const other = await openWithCursorKeys(fixture(), { cursorKey: nextCursorKey });
      await expectError(other.Message.query({ partition: 'general', cursor }), InvalidCursorError);
      // Without a key, every API has a random one of its own.
      const keyless = await fixture().reopen(fixture().backend);
      await expectError(
        keyless.Message.query({ partition: 'general', cursor }),
        InvalidCursorError,
      );
      await expectError(
        instance.Message.query({ partition: 'general', cursor: await firstCursor() }),
        InvalidCursorError,
      );
    });

    it(`[${keysRule}] a cursor does not open on a backend of another name, whatever the cursorKey: engines order index and scan pages their own way`, async () => {
      await createChannel('general', 4);
      const first = await openWithCursorKeys(fixture(), { cursorKey });
      const queried = await first.Message.query({ partition: 'general', limit: 2 });
      const scanned = await first.Message.scan({ limit: 2 });
      // The same store under another backend's name: only the name differs.
      const renamed = new Proxy(fixture().backend, {
        get(target, property) {
          if (property === 'name') return `${target.name}-other`;
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const other = await openWithCursorKeys(fixture(), { cursorKey }, renamed);
      await expectError(
        other.Message.query({ partition: 'general', limit: 2, cursor: queried.cursor }),
        InvalidCursorError,
      );
      await expectError(
        other.Message.scan({ limit: 2, cursor: scanned.cursor }),
        InvalidCursorError,
      );
    });

    it(`[${keysRule}] after rotation, a cursor of the former key opens while it is in previousCursorKeys, and fails once dropped`, async () => {
      await createChannel('general', 6);
      const before = await openWithCursorKeys(fixture(), { cursorKey });
      const cursor = (await before.Message.query({ partition: 'general', limit: 2 }))
        .cursor as string;
      const rotating = await openWithCursorKeys(fixture(), {
        cursorKey: nextCursorKey,
        previousCursorKeys: [cursorKey],
      });
      const page = await rotating.Message.query({ partition: 'general', limit: 2, cursor });
      expect(page.items.map((item) => item.sent)).toEqual(['m02', 'm03']);
      const rotated = await openWithCursorKeys(fixture(), { cursorKey: nextCursorKey });
      await expectError(
        rotated.Message.query({ partition: 'general', cursor }),
        InvalidCursorError,
      );
      // The rotating API's own cursors are made under the new key: they outlive the old one.
      const next = await rotated.Message.query({
        partition: 'general',
        limit: 2,
        cursor: page.cursor as string,
      });
      expect(next.items.map((item) => item.sent)).toEqual(['m04', 'm05']);
      await expectError(
        before.Message.query({ partition: 'general', cursor: page.cursor as string }),
        InvalidCursorError,
      );
    });

    it('[P-57] queryAll iterates every item of the partition across pages', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 11);
      await createChannel('other', 2);
      const all = await collect(Message.queryAll({ partition: 'general', limit: 3 }), 20);
      expect(all.map((item) => item.sent)).toEqual(sentKeys(11));
      expect(all.every((item) => item instanceof Message)).toBe(true);
    });

    it('[P-57] a walk without a limit reads pages of capabilities.walkPageLimit items where the backend declares one (none where the engine bounds its pages itself), and yields every item once', async () => {
      const inner = fixture().backend;
      const limits: (number | undefined)[] = [];
      // Every query and scan request's limit, and capabilities as given (`walkPageLimit`).
      const recording = (walkPageLimit: number | undefined): StorageBackend =>
        new Proxy(inner, {
          get(target, property) {
            if (property === 'capabilities')
              return walkPageLimit === undefined
                ? target.capabilities
                : { ...target.capabilities, walkPageLimit };
            const value: unknown = Reflect.get(target, property);
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              if (property === 'query' || property === 'scan')
                limits.push((args[0] as { limit?: number }).limit);
              return (value as (...args: unknown[]) => unknown).apply(target, args);
            };
          },
        });
      await createChannel('general', 5, { author: 'ann' });
      await fixture().models.Message.update(
        { channel: 'general', sent: 'm02' },
        { set: { author: 'bob' } },
      );
      const declared = inner.capabilities.walkPageLimit;
      const { Message } = await openWithCursorKeys(fixture(), { cursorKey }, recording(undefined));
      expect((await collect(Message.queryAll({ partition: 'general' }), 20)).length).toBe(5);
      expect(limits[0]).toBe(declared);
      limits.length = 0;
      // A limit given is the walk's, whatever the backend declares.
      await collect(Message.queryAll({ partition: 'general', limit: 4 }), 20);
      expect(limits).toEqual([4, 4]);
      // Pages of 2 items: three pages each way, every item once, in order.
      const bounded = await openWithCursorKeys(fixture(), { cursorKey }, recording(2));
      limits.length = 0;
      const walked = await collect(bounded.Message.queryAll({ partition: 'general' }), 20);
      expect(walked.map((item) => item.sent)).toEqual(sentKeys(5));
      const reversed = await collect(
        bounded.Message.queryAll({ partition: 'general', reverse: true }),
        20,
      );
      expect(reversed.map((item) => item.sent)).toEqual(sentKeys(5).reverse());
      const filtered = await collect(
        bounded.Message.queryAll({ partition: 'general', filter: { attr: 'author', eq: 'ann' } }),
        20,
      );
      expect(filtered.map((item) => item.sent)).toEqual(['m00', 'm01', 'm03', 'm04']);
      const scanned = await collect(bounded.Message.scanAll(), 20);
      expect(scanned.map((item) => item.sent).sort()).toEqual(sentKeys(5));
      expect(limits.length).toBeGreaterThanOrEqual(12);
      expect(limits.every((limit) => limit === 2)).toBe(true);
    });

    it('[P-57] queryAll with a filter yields only matching items, across empty pages', async () => {
      const { Message } = fixture().models;
      await Promise.all(
        sentKeys(9).map((sent, index) =>
          Message.create({ channel: 'general', sent, pinned: index === 1 || index === 8 }),
        ),
      );
      const pinned = await collect(
        Message.queryAll({ partition: 'general', limit: 2, filter: { attr: 'pinned', eq: true } }),
        20,
      );
      expect(pinned.map((item) => item.sent)).toEqual(['m01', 'm08']);
    });

    it('[P-57] queryAll on an index and scanAll on a table iterate everything', async () => {
      const { Message } = fixture().models;
      await Promise.all(
        sentKeys(7).map((sent, index) =>
          Message.create({ channel: `c${index % 2}`, sent, author: 'ann', score: 7 - index }),
        ),
      );
      const byScore = await collect(
        Message.queryAll({ index: 'byAuthor', partition: 'ann', limit: 2 }),
        20,
      );
      expect(byScore.map((item) => item.score)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const scanned = await collect(Message.scanAll({ limit: 2 }), 20);
      expect(scanned.map((item) => item.sent).sort()).toEqual(sentKeys(7));
    });

    it('[P-57] queryAll and scanAll walk the query as it was at the call, whatever its options object answers later', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 7, { author: 'ann' });
      await createChannel('other', 3, { author: 'bob' });
      const sort = { gte: 'm01' };
      const filter = { attr: 'author', eq: 'ann' };
      const options: Record<string, unknown> = { partition: 'general', sort, filter, limit: 2 };
      const walk = Message.queryAll(options as never);
      // Changed between the call and the walk, and again during it.
      options.partition = 'other';
      const seen: string[] = [];
      for await (const message of walk) {
        seen.push(message.sent);
        sort.gte = 'm05';
        filter.eq = 'bob';
        options.reverse = true;
        options.limit = 0;
        options.unknown = 1;
      }
      expect(seen).toEqual(sentKeys(7).slice(1));
      // A getter is read once, at the call.
      let reads = 0;
      const answering = {
        get partition() {
          reads += 1;
          return reads === 1 ? 'general' : 'other';
        },
        limit: 3,
      };
      const fromGetter = await collect(Message.queryAll(answering), 20);
      expect(fromGetter.map((item) => item.sent)).toEqual(sentKeys(7));
      expect(reads).toBe(1);
      const scanOptions: Record<string, unknown> = {
        limit: 2,
        filter: { attr: 'author', eq: 'bob' },
      };
      const scanned: string[] = [];
      for await (const message of Message.scanAll(scanOptions as never)) {
        scanned.push(message.sent);
        scanOptions.filter = { attr: 'author', eq: 'ann' };
        scanOptions.index = 'byAuthor';
      }
      expect(scanned.sort()).toEqual(sentKeys(3));
      // Conditions with symbol keys (a MobX observable's hidden one) are taken as well.
      const hidden = Symbol('hidden');
      const marked = { gte: 'm02' };
      Object.defineProperty(marked, hidden, { value: 1, enumerable: false });
      const markedWalk: string[] = [];
      for await (const message of Message.queryAll({
        partition: 'general',
        sort: marked,
        limit: 2,
      })) {
        markedWalk.push(message.sent);
        marked.gte = 'm06';
      }
      expect(markedWalk).toEqual(sentKeys(7).slice(2));
    });

    it('[P-57] an option that cannot be read at the call fails the walk when it starts, and nothing is read', async () => {
      const counting = createCountingBackend(fixture().backend);
      const { Message } = await openWithCursorKeys(fixture(), { cursorKey }, counting.backend);
      await createChannel('general', 3);
      counting.reset();
      let reads = 0;
      const failing = {
        get partition(): string {
          reads += 1;
          if (reads === 1) throw new Error('not ready');
          return 'general';
        },
      };
      const walk = Message.queryAll(failing);
      await expect(collect(walk, 5)).rejects.toThrow('not ready');
      expect(reads).toBe(1);
      expect(counting.calls()).toBe(0);
    });

    it('[P-56] a page cursor is bound to the query as it was at the call, for sort conditions and filters with symbol keys too', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 6, { author: 'ann' });
      const hidden = Symbol('hidden');
      const sort = { gte: 'm00' };
      const filter = { attr: 'author', eq: 'ann' };
      for (const condition of [sort, filter])
        Object.defineProperty(condition, hidden, { value: 1, enumerable: false });
      const reading = Message.query({ partition: 'general', sort, filter, limit: 2 });
      sort.gte = 'm04';
      filter.eq = 'bob';
      const page = await reading;
      expect(page.items.map((item) => item.sent)).toEqual(['m00', 'm01']);
      const next = await Message.query({
        partition: 'general',
        sort: { gte: 'm00' },
        filter: { attr: 'author', eq: 'ann' },
        limit: 2,
        cursor: page.cursor,
      });
      expect(next.items.map((item) => item.sent)).toEqual(['m02', 'm03']);
    });

    it('[P-110] queryAll and scanAll still refuse bad options when the walk starts, and read nothing', async () => {
      const counting = createCountingBackend(fixture().backend);
      const { Message } = await openWithCursorKeys(fixture(), { cursorKey }, counting.backend);
      await createChannel('general', 3);
      counting.reset();
      const walk = Message.queryAll({ partition: 'general', limt: 2 } as never);
      const misspelt = await expectError(collect(walk, 5), InvalidRequestError);
      expect(misspelt.message).toMatch(/no option "limt"/);
      await expectError(collect(Message.scanAll(5 as never), 5), InvalidRequestError);
      await expectError(
        collect(Message.queryAll({ partition: 'general', limit: 0 }), 5),
        InvalidRequestError,
      );
      expect(counting.calls()).toBe(0);
    });
  });
}
