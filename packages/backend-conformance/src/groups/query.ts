import { type Condition, InvalidRequestError, type QueryOptions } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { expectError } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { MessageShape } from '../fixtures/fixture-models.js';
import { byteOrder, numericOrder, shuffled, utf8Order } from '../fixtures/sort-orders.js';
import type { ConformanceFactory, ConformanceOptions, EngineDifference } from '../harness.js';

/** P-47 to P-52: queries of one partition of a table or an index. */
export function describeQueries(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('queries', suiteOptions(options), () => {
    const fixture = useFixture(factory);
    const differs = (difference: EngineDifference) =>
      options.engineDifferences?.includes(difference) === true;

    /** Creates messages in parallel. */
    async function createMessages(messages: readonly MessageShape[]) {
      const { Message } = fixture().models;
      await Promise.all(messages.map((message) => Message.create(message)));
    }

    /** The `sent` sort keys of one query page. */
    async function sentOf(query: QueryOptions): Promise<string[]> {
      const page = await fixture().models.Message.query(query);
      return page.items.map((message) => message.sent);
    }

    /** Creates readings at each of `numericOrder`, shuffled. */
    async function createReadings(sensor: string, values: readonly (number | bigint)[]) {
      const { Reading } = fixture().models;
      await Promise.all(shuffled(values).map((at) => Reading.create({ sensor, at, value: 1 })));
    }

    it('[P-47] a query reads one partition, as model objects, strings in UTF-8 byte order', async () => {
      const { Message } = fixture().models;
      await createMessages([
        ...shuffled(utf8Order).map((sent) => ({ channel: 'general', sent, body: sent })),
        { channel: 'other', sent: 'a' },
        { channel: 'generals', sent: 'b' },
      ]);
      const page = await Message.query({ partition: 'general' });
      expect(page.items.every((item) => item instanceof Message)).toBe(true);
      expect(page.items.map((item) => item.sent)).toEqual([...utf8Order]);
      expect(page.items.map((item) => item.body)).toEqual([...utf8Order]);
      expect(page.cursor).toBeUndefined();
    });

    it('[P-47] number sort keys are in numeric order: negatives, decimals and bigints', async () => {
      const { Reading } = fixture().models;
      await createReadings('s1', numericOrder);
      const page = await Reading.query({ partition: 's1' });
      expect(page.items.map((item) => item.at)).toEqual([...numericOrder]);
    });

    it('[P-47] binary sort keys are in unsigned byte order', async () => {
      const { Tile } = fixture().models;
      await Promise.all(
        shuffled(byteOrder).map((code) =>
          Tile.create({ layer: 'base', code: Uint8Array.from(code), label: code.join(',') }),
        ),
      );
      const page = await Tile.query({ partition: 'base' });
      expect(page.items.map((item) => [...item.code])).toEqual(byteOrder.map((code) => [...code]));
      expect(page.items.every((item) => item.code instanceof Uint8Array)).toBe(true);
    });

    it('[P-48] reverse reads the partition in descending sort-key order', async () => {
      const { Reading } = fixture().models;
      await createMessages(shuffled(utf8Order).map((sent) => ({ channel: 'general', sent })));
      expect(await sentOf({ partition: 'general', reverse: true })).toEqual(
        [...utf8Order].reverse(),
      );
      await createReadings('s1', numericOrder);
      const page = await Reading.query({ partition: 's1', reverse: true });
      expect(page.items.map((item) => item.at)).toEqual([...numericOrder].reverse());
    });

    it('[P-49] sort conditions eq, lt, lte, gt and gte select the range', async () => {
      const { Reading } = fixture().models;
      await createReadings('s1', [-3, -2, -1, 0, 1, 2, 3]);
      const at = async (sort: QueryOptions['sort']) =>
        (await Reading.query({ partition: 's1', ...(sort ? { sort } : {}) })).items.map(
          (item) => item.at,
        );
      expect(await at({ eq: 0 })).toEqual([0]);
      expect(await at({ eq: 0.5 })).toEqual([]);
      expect(await at({ lt: 0 })).toEqual([-3, -2, -1]);
      expect(await at({ lte: 0 })).toEqual([-3, -2, -1, 0]);
      expect(await at({ gt: 1 })).toEqual([2, 3]);
      expect(await at({ gte: 1 })).toEqual([1, 2, 3]);
      expect(await at({ gt: -1.5 })).toEqual([-1, 0, 1, 2, 3]);
    });

    it('[P-49] between selects an inclusive range', async () => {
      const { Reading } = fixture().models;
      await createReadings('s1', [-3, -2, -1, 0, 1, 2, 3]);
      const page = await Reading.query({ partition: 's1', sort: { between: [-1, 2] } });
      expect(page.items.map((item) => item.at)).toEqual([-1, 0, 1, 2]);
      await createMessages(shuffled(utf8Order).map((sent) => ({ channel: 'general', sent })));
      expect(await sentOf({ partition: 'general', sort: { between: ['a', '中'] } })).toEqual([
        'a',
        'ab',
        'é',
        '中',
      ]);
    });

    it.skipIf(differs('key-between-bounds-checked-by-utf16'))(
      '[P-49] between takes bounds in UTF-8 byte order: U+FF61 to U+1F600 (skipped where the engine checks the bounds by UTF-16 units)',
      async () => {
        await createMessages(shuffled(utf8Order).map((sent) => ({ channel: 'general', sent })));
        expect(await sentOf({ partition: 'general', sort: { between: ['\uFF61', '😀'] } })).toEqual(
          ['\uFF61', '😀'],
        );
        expect(await sentOf({ partition: 'general', sort: { between: ['中', '😀'] } })).toEqual([
          '中',
          '\uFF61',
          '😀',
        ]);
      },
    );

    it('[P-49] beginsWith selects a prefix of string and binary sort keys', async () => {
      await createMessages(
        ['2023-12-31', '2024-01-01', '2024-01-15', '2024-02-01', '2024-01'].map((sent) => ({
          channel: 'general',
          sent,
        })),
      );
      expect(await sentOf({ partition: 'general', sort: { beginsWith: '2024-01' } })).toEqual([
        '2024-01',
        '2024-01-01',
        '2024-01-15',
      ]);
      const { Tile } = fixture().models;
      await Promise.all(
        byteOrder.map((code) => Tile.create({ layer: 'base', code: Uint8Array.from(code) })),
      );
      const tiles = await Tile.query({
        partition: 'base',
        sort: { beginsWith: new Uint8Array([0x00]) },
      });
      expect(tiles.items.map((item) => [...item.code])).toEqual([[0x00], [0x00, 0x01]]);
      // Every key begins with an empty prefix, string or bytes: the whole partition.
      expect(await sentOf({ partition: 'general', sort: { beginsWith: '' } })).toHaveLength(5);
      expect(
        await sentOf({ partition: 'general', sort: { beginsWith: new Uint8Array() } as never }),
      ).toHaveLength(5);
      const all = await Tile.query({ partition: 'base', sort: { beginsWith: new Uint8Array() } });
      expect(all.items).toHaveLength(byteOrder.length);
      // `''` on a binary key is an empty prefix too, on every engine.
      const text = await Tile.query({ partition: 'base', sort: { beginsWith: '' } as never });
      expect(text.items).toHaveLength(byteOrder.length);
    });

    it('[P-49] sort conditions combine with reverse', async () => {
      const { Reading } = fixture().models;
      await createReadings('s1', [-3, -2, -1, 0, 1, 2, 3]);
      const page = await Reading.query({ partition: 's1', sort: { lt: 0 }, reverse: true });
      expect(page.items.map((item) => item.at)).toEqual([-1, -2, -3]);
    });

    it('[P-50] a filter keeps only matching items, in sort-key order', async () => {
      await createMessages(
        Array.from({ length: 6 }, (_, index) => ({
          channel: 'general',
          sent: `m${index}`,
          pinned: index % 2 === 0,
          body: index < 3 ? 'early' : 'late',
        })),
      );
      expect(await sentOf({ partition: 'general', filter: { attr: 'pinned', eq: true } })).toEqual([
        'm0',
        'm2',
        'm4',
      ]);
      expect(
        await sentOf({
          partition: 'general',
          filter: {
            and: [
              { attr: 'pinned', eq: true },
              { attr: 'body', eq: 'late' },
            ],
          },
        }),
      ).toEqual(['m4']);
    });

    it('[P-50] limit counts items read before the filter: a page holds fewer and has a cursor', async () => {
      const { Message } = fixture().models;
      await createMessages(
        Array.from({ length: 10 }, (_, index) => ({
          channel: 'general',
          sent: `m${index}`,
          pinned: index % 2 === 0,
        })),
      );
      const filter = { attr: 'pinned', eq: true } as const;
      const first = await Message.query({ partition: 'general', filter, limit: 4 });
      expect(first.items.map((item) => item.sent)).toEqual(['m0', 'm2']);
      expect(first.cursor).toBeDefined();
      const second = await Message.query({
        partition: 'general',
        filter,
        limit: 4,
        ...(first.cursor ? { cursor: first.cursor } : {}),
      });
      expect(second.items.map((item) => item.sent)).toEqual(['m4', 'm6']);
      expect(second.cursor).toBeDefined();
    });

    it('[P-50] on an index too, limit counts items read before the filter: a page holds fewer and has a cursor', async () => {
      const { Message } = fixture().models;
      await createMessages(
        Array.from({ length: 10 }, (_, index) => ({
          channel: `c${index % 3}`,
          sent: `m${index}`,
          author: 'ann',
          score: index,
          pinned: index % 2 === 0,
        })),
      );
      const read = (cursor?: string) =>
        Message.query({
          index: 'byAuthor',
          partition: 'ann',
          filter: { attr: 'pinned', eq: true },
          limit: 4,
          ...(cursor ? { cursor } : {}),
        });
      // Four index items read (scores 0 to 3), two of them pinned; a backend that counted the
      // limit after the filter would return four pinned items (0, 2, 4, 6).
      const first = await read();
      expect(first.items.map((item) => item.score)).toEqual([0, 2]);
      expect(first.cursor).toBeDefined();
      const second = await read(first.cursor);
      expect(second.items.map((item) => item.score)).toEqual([4, 6]);
      expect(second.cursor).toBeDefined();
    });

    it('[P-50] a page may be empty after the filter and still carry a cursor', async () => {
      const { Message } = fixture().models;
      await createMessages(
        Array.from({ length: 5 }, (_, index) => ({
          channel: 'general',
          sent: `m${index}`,
          pinned: index === 4,
        })),
      );
      const filter = { attr: 'pinned', eq: true } as const;
      const first = await Message.query({ partition: 'general', filter, limit: 2 });
      expect(first.items).toEqual([]);
      expect(first.cursor).toBeDefined();
      const rest: string[] = [];
      let cursor = first.cursor;
      for (let pages = 0; cursor && pages < 5; pages++) {
        const page = await Message.query({ partition: 'general', filter, limit: 2, cursor });
        rest.push(...page.items.map((item) => item.sent));
        cursor = page.cursor;
      }
      expect(cursor).toBeUndefined();
      expect(rest).toEqual(['m4']);
    });

    it('[P-51] an index query reads the index partition in index sort-key order', async () => {
      const { Message } = fixture().models;
      await createMessages([
        { channel: 'c1', sent: 'a', author: 'ann', score: 5, body: 'five' },
        { channel: 'c2', sent: 'b', author: 'ann', score: -1 },
        { channel: 'c1', sent: 'c', author: 'ann', score: 3.5 },
        { channel: 'c3', sent: 'd', author: 'ann', score: 10 },
        { channel: 'c1', sent: 'e', author: 'bob', score: 4 },
      ]);
      const page = await Message.query({ index: 'byAuthor', partition: 'ann' });
      expect(page.items.map((item) => item.score)).toEqual([-1, 3.5, 5, 10]);
      expect(page.items[2]?.toJSON()).toEqual({
        channel: 'c1',
        sent: 'a',
        author: 'ann',
        score: 5,
        body: 'five',
      });
      const reversed = await Message.query({ index: 'byAuthor', partition: 'ann', reverse: true });
      expect(reversed.items.map((item) => item.score)).toEqual([10, 5, 3.5, -1]);
      const high = await Message.query({ index: 'byAuthor', partition: 'ann', sort: { gt: 3 } });
      expect(high.items.map((item) => item.score)).toEqual([3.5, 5, 10]);
    });

    it('[P-51] items without the index key attributes are not in the index', async () => {
      const { Message } = fixture().models;
      await createMessages([
        { channel: 'c1', sent: 'a', author: 'ann', score: 1 },
        { channel: 'c1', sent: 'b', author: 'ann' },
        { channel: 'c1', sent: 'c', score: 2 },
        { channel: 'c1', sent: 'd' },
      ]);
      const page = await Message.query({ index: 'byAuthor', partition: 'ann' });
      expect(page.items.map((item) => item.sent)).toEqual(['a']);
    });

    it('[P-51] an index query takes a filter on attributes beside the index key', async () => {
      const { Message } = fixture().models;
      await createMessages([
        { channel: 'c1', sent: 'a', author: 'ann', score: 1, pinned: true },
        { channel: 'c2', sent: 'b', author: 'ann', score: 2, pinned: false },
        { channel: 'c3', sent: 'c', author: 'ann', score: 3, pinned: true },
      ]);
      const page = await Message.query({
        index: 'byAuthor',
        partition: 'ann',
        filter: { attr: 'pinned', eq: true },
      });
      expect(page.items.map((item) => item.channel)).toEqual(['c1', 'c3']);
    });

    it.skipIf(differs('conditions-compare-strings-by-utf16'))(
      '[P-50][P-59] query and scan filters compare strings by UTF-8 bytes: U+1F600 sorts after U+FF61 (skipped where the engine compares UTF-16 units)',
      async () => {
        const { Message } = fixture().models;
        // In UTF-16 units U+1F600 (a surrogate pair, 0xD83D…) sorts before U+FF61; in UTF-8 after.
        await createMessages([
          { channel: 'c1', sent: 'a', body: '\u{1F600}' },
          { channel: 'c1', sent: 'b', body: '\uFF61' },
          { channel: 'c1', sent: 'c', body: 'é' },
        ]);
        expect(await sentOf({ partition: 'c1', filter: { attr: 'body', gt: '\uFF61' } })).toEqual([
          'a',
        ]);
        expect(
          await sentOf({ partition: 'c1', filter: { attr: 'body', lt: '\u{1F600}' } }),
        ).toEqual(['b', 'c']);
        const scanned = async (filter: Condition) =>
          (await Message.scan({ filter, consistent: true })).items.map((item) => item.sent).sort();
        expect(await scanned({ attr: 'body', gt: '\uFF61' })).toEqual(['a']);
        expect(await scanned({ attr: 'body', between: ['\uFF61', '\u{1F600}'] })).toEqual([
          'a',
          'b',
        ]);
        // Called directly too, as a backend that translates filters to its engine reads them.
        const { backend } = fixture();
        const model = Message.descriptor;
        const filter = { attr: 'body', gte: '\u{1F600}' };
        expect(
          (await backend.query({ model, partition: 'c1', filter, consistent: true })).items.map(
            (item) => item.sent,
          ),
        ).toEqual(['a']);
        expect(
          (await backend.scan({ model, filter, consistent: true })).items.map((item) => item.sent),
        ).toEqual(['a']);
      },
    );

    it('[P-51][P-58] index queries and scans read after items were replaced (moving within the index or out of it) or deleted see exactly the current items', async () => {
      const { Message } = fixture().models;
      await createMessages([
        { channel: 'c1', sent: '1', author: 'ann', score: 1, body: 'one' },
        { channel: 'c1', sent: '2', author: 'ann', score: 2, body: 'two' },
        { channel: 'c1', sent: '3', author: 'ann', score: 3, body: 'three' },
        { channel: 'c2', sent: '4', author: 'bob', score: 4, body: 'four' },
        { channel: 'c2', sent: '5', author: 'ann', score: 5, body: 'five' },
      ]);
      const shown = (item: MessageShape) =>
        `${item.sent}:${item.author}:${item.score}:${item.body}`;
      const current = new Map<string, string>([
        ['1', '1:ann:1:one'],
        ['2', '2:ann:2:two'],
        ['3', '3:ann:3:three'],
        ['4', '4:bob:4:four'],
        ['5', '5:ann:5:five'],
      ]);
      const channelOf = (sent: string) => (sent < '4' ? 'c1' : 'c2');
      // Every read after every write: a backend that keeps what it read (an index, an order)
      // must not serve it after a replace or a delete. None of the writes inserts an item.
      async function expectCurrent(step: string) {
        const items = [...current.values()];
        const inIndex = items.filter((item) => !item.includes('undefined'));
        const byScore = (author: string) =>
          inIndex
            .filter((item) => item.split(':')[1] === author)
            .sort((left, right) => Number(left.split(':')[2]) - Number(right.split(':')[2]));
        const index = async (partition: string) =>
          (await Message.query({ index: 'byAuthor', partition })).items.map(shown);
        expect(await index('ann'), `${step}: ann's index partition`).toEqual(byScore('ann'));
        expect(await index('bob'), `${step}: bob's index partition`).toEqual(byScore('bob'));
        const c1 = await Message.query({ partition: 'c1', consistent: true });
        expect(c1.items.map(shown), `${step}: partition c1`).toEqual(
          [...current.keys()]
            .filter((sent) => channelOf(sent) === 'c1')
            .map((sent) => current.get(sent)),
        );
        const scanned = await Message.scan({ consistent: true });
        expect(scanned.items.map(shown).sort(), `${step}: scan`).toEqual([...items].sort());
        const scannedIndex = await Message.scan({ index: 'byAuthor' });
        expect(scannedIndex.items.map(shown).sort(), `${step}: index scan`).toEqual(
          [...inIndex].sort(),
        );
      }
      await expectCurrent('before');
      const replace = async (message: MessageShape) => {
        await new Message(message).save();
        current.set(message.sent, shown(message));
      };
      await replace({ channel: 'c1', sent: '1', author: 'bob', score: 1, body: 'one' });
      await expectCurrent('1 moved to bob');
      await replace({ channel: 'c1', sent: '2', author: 'ann', score: 6, body: 'two' });
      await expectCurrent('2 moved past 5 in ann');
      await replace({ channel: 'c1', sent: '3', body: 'three' });
      await expectCurrent('3 left the index');
      await replace({ channel: 'c2', sent: '5', author: 'ann', score: 5, body: 'V' });
      await expectCurrent('5 changed in place');
      expect(await Message.delete({ channel: 'c2', sent: '4' })).toBe(true);
      current.delete('4');
      await expectCurrent('4 deleted');
      expect(await Message.delete({ channel: 'c1', sent: '2' })).toBe(true);
      current.delete('2');
      await expectCurrent('2 deleted');
    });

    it('[P-52] unknown index, sort condition without sort key or filter on a key attribute is an InvalidRequestError', async () => {
      const { Message, Note } = fixture().models;
      await expectError(Message.query({ index: 'byNothing', partition: 'x' }), InvalidRequestError);
      await expectError(
        Message.query({ index: Symbol('byAuthor') as never, partition: 'x' }),
        InvalidRequestError,
      );
      await expectError(Note.query({ partition: 'n1', sort: { eq: 'a' } }), InvalidRequestError);
      await expectError(
        Message.query({ partition: 'general', filter: { attr: 'sent', eq: 'a' } }),
        InvalidRequestError,
      );
      await expectError(
        Message.query({ partition: 'general', filter: { attr: 'channel', eq: 'a' } }),
        InvalidRequestError,
      );
      await expectError(
        Message.query({ index: 'byAuthor', partition: 'ann', filter: { attr: 'score', eq: 1 } }),
        InvalidRequestError,
      );
    });

    it('[P-52] a limit below 1, a consistent index read or a partition of the wrong type is an InvalidRequestError', async () => {
      const { Message, Reading } = fixture().models;
      await expectError(Message.query({ partition: 'general', limit: 0 }), InvalidRequestError);
      await expectError(Message.query({ partition: 'general', limit: 1.5 }), InvalidRequestError);
      await expectError(
        Message.query({ index: 'byAuthor', partition: 'ann', consistent: true }),
        InvalidRequestError,
      );
      await expectError(Reading.query({ partition: 5 }), InvalidRequestError);
      await expectError(
        Reading.query({ partition: 's1', sort: { beginsWith: '1' } }),
        InvalidRequestError,
      );
      await expectError(
        Reading.query({ partition: 's1', sort: { eq: 'one' } }),
        InvalidRequestError,
      );
    });

    it('[P-52] a sort between with a low bound above the high bound is an InvalidRequestError', async () => {
      const { Reading, Message } = fixture().models;
      await expectError(
        Reading.query({ partition: 's1', sort: { between: [3, 1] } }),
        InvalidRequestError,
      );
      await expectError(
        Message.query({ partition: 'general', sort: { between: ['b', 'a'] } }),
        InvalidRequestError,
      );
    });
  });
}
