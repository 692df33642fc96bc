import { InvalidRequestError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { expectError } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import { collect, walkPages } from '../fixtures/walk-pages.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** P-58 to P-60: scans of a whole table or index. */
export function describeScans(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('scans', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    /** Creates ten messages over three channels; even ones are pinned, some have an author. */
    async function createMessages() {
      const { Message } = fixture().models;
      await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          Message.create({
            channel: `c${index % 3}`,
            sent: `m${index}`,
            pinned: index % 2 === 0,
            ...(index < 4 ? { author: 'ann', score: index } : {}),
          }),
        ),
      );
    }

    const keyOf = (item: { channel: string; sent: string }) => `${item.channel}/${item.sent}`;
    const allKeys = Array.from({ length: 10 }, (_, index) => `c${index % 3}/m${index}`).sort();

    it('[P-58] a scan reads every item of every partition, as model objects', async () => {
      const { Message, Note } = fixture().models;
      await createMessages();
      await Note.create({ note_id: 'n1', text: 'another table' });
      const page = await Message.scan();
      expect(page.items.map(keyOf).sort()).toEqual(allKeys);
      expect(page.items.every((item) => item instanceof Message)).toBe(true);
      expect(page.cursor).toBeUndefined();
    });

    it('[P-58] scan pages of a limit yield every item exactly once and end', async () => {
      const { Message } = fixture().models;
      await createMessages();
      const pages = await walkPages(
        (cursor) => Message.scan({ limit: 3, ...(cursor ? { cursor } : {}) }),
        6,
      );
      expect(pages.every((page) => page.length <= 3)).toBe(true);
      expect(pages.flat().map(keyOf).sort()).toEqual(allKeys);
    });

    it('[P-58] a scan of an empty table gives an empty page without cursor', async () => {
      const { Message } = fixture().models;
      const page = await Message.scan({ limit: 5 });
      expect(page.items).toEqual([]);
      expect(page.cursor).toBeUndefined();
    });

    it('[P-59] a scan filter applies after the limit: pages hold at most limit matching items', async () => {
      const { Message } = fixture().models;
      await createMessages();
      const filter = { attr: 'pinned', eq: true } as const;
      const pages = await walkPages(
        (cursor) => Message.scan({ limit: 3, filter, ...(cursor ? { cursor } : {}) }),
        6,
      );
      expect(pages.length).toBeGreaterThanOrEqual(4);
      expect(pages.flat().map(keyOf).sort()).toEqual(
        ['c0/m0', 'c2/m2', 'c1/m4', 'c0/m6', 'c2/m8'].sort(),
      );
      const all = await collect(Message.scanAll({ filter }), 20);
      expect(all.map(keyOf).sort()).toEqual(pages.flat().map(keyOf).sort());
    });

    it('[P-59] a scan of an index applies its filter after the limit too: pages hold at most limit items read', async () => {
      const { Message } = fixture().models;
      await createMessages();
      // The index holds four items (scores 0 to 3), two of them pinned: a limit of 1 counted
      // before the filter takes at least four pages; counted after it, two or three.
      const filter = { attr: 'pinned', eq: true } as const;
      const pages = await walkPages(
        (cursor) =>
          Message.scan({ index: 'byAuthor', limit: 1, filter, ...(cursor ? { cursor } : {}) }),
        8,
      );
      expect(pages.length).toBeGreaterThanOrEqual(4);
      expect(pages.flat().map(keyOf).sort()).toEqual(['c0/m0', 'c2/m2']);
    });

    it('[P-60] a scan of an index reads only items that have the index key attributes', async () => {
      const { Message } = fixture().models;
      await createMessages();
      const page = await Message.scan({ index: 'byAuthor' });
      expect(page.items.map((item) => item.score).sort()).toEqual([0, 1, 2, 3]);
      const pages = await walkPages(
        (cursor) => Message.scan({ index: 'byAuthor', limit: 1, ...(cursor ? { cursor } : {}) }),
        6,
      );
      expect(pages.flat().map(keyOf).sort()).toEqual(page.items.map(keyOf).sort());
    });

    it('[P-52] a scan of an unknown index, with a limit below 1 or consistent on an index is an InvalidRequestError', async () => {
      const { Message } = fixture().models;
      await expectError(Message.scan({ index: 'byNothing' }), InvalidRequestError);
      await expectError(Message.scan({ index: Symbol('byAuthor') as never }), InvalidRequestError);
      await expectError(Message.scan({ limit: 0 }), InvalidRequestError);
      await expectError(Message.scan({ index: 'byAuthor', consistent: true }), InvalidRequestError);
    });
  });
}
