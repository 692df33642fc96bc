import { InvalidCursorError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { expectError } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { MessageShape } from '../fixtures/fixture-models.js';
import { byteOrder, numericOrder, shuffled } from '../fixtures/sort-orders.js';
import { collect, walkPages } from '../fixtures/walk-pages.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** `m00`, `m01`, … in sort-key order. */
function sentKeys(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `m${String(index).padStart(2, '0')}`);
}

/** P-53 to P-57: pagination with opaque cursors, and iteration over every page. */
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
      const [body, signature] = cursor.split('.');
      const forged = Buffer.from(
        Buffer.from(body as string, 'base64url')
          .toString('utf8')
          .replace('m01', 'm00'),
      ).toString('base64url');
      for (const bad of [flipped, cursor.slice(0, -2), `${forged}.${signature}`, 'garbage', '']) {
        await expectError(Message.query({ partition: 'general', cursor: bad }), InvalidCursorError);
      }
    });

    it('[P-56] a cursor signed with another cursorSecret is an InvalidCursorError', async () => {
      const { backend, reopen } = fixture();
      await createChannel('general', 4);
      const cursor = await firstCursor();
      const other = await reopen(backend, { cursorSecret: 'another secret' });
      await expectError(other.Message.query({ partition: 'general', cursor }), InvalidCursorError);
    });

    it('[P-57] queryAll iterates every item of the partition across pages', async () => {
      const { Message } = fixture().models;
      await createChannel('general', 11);
      await createChannel('other', 2);
      const all = await collect(Message.queryAll({ partition: 'general', limit: 3 }), 20);
      expect(all.map((item) => item.sent)).toEqual(sentKeys(11));
      expect(all.every((item) => item instanceof Message)).toBe(true);
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
  });
}
