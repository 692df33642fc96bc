import { type Condition, ConditionFailedError, InvalidRequestError } from '@macaron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectError } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { NoteShape } from '../fixtures/fixture-models.js';
import type { ConformanceFactory, ConformanceOptions, EngineDifference } from '../harness.js';

const conditionNote: NoteShape = {
  note_id: 'c1',
  text: 'hello world',
  count: 10,
  rating: 2.5,
  done: true,
  tags: ['red', 'green'],
  huge: 2n ** 60n,
  data: new Uint8Array([0x80, 0x01]),
  details: { title: 'T', inner: { depth: 3, labels: ['x'] } },
  lines: [
    { sku: 'A1', qty: 2 },
    { sku: 'B2', qty: 5, price: 9.5 },
  ],
  meta: { emoji: '😀', 'k.1': 'dot', 'k#2': 'hash', 'k:3': 'colon', 'k 4': 'space' },
  a: { b: 'nested' },
  'a.b': 'flat',
  'hash#name': 'hash',
  'colon:name': 'colon',
  'space name': 'space',
  empty: '',
  nothing: new Uint8Array(),
};

/** P-39 to P-46: the conditions of conditional writes, evaluated by the backend. */
export function describeConditions(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('conditions', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    beforeEach(async () => {
      await fixture().models.Note.create(conditionNote);
    });

    /**
     * Checks conditions through a conditional update: each must hold (the update applies)
     * or fail (ConditionFailedError, and the item is unchanged), as listed.
     */
    async function expectConditions(cases: readonly (readonly [Condition, boolean])[]) {
      const { models, stored } = fixture();
      for (const [condition, holds] of cases) {
        const before = await stored(models.Note, { note_id: 'c1' });
        const hits = (before?.hits as number | undefined) ?? 0;
        const update = models.Note.update('c1', { add: { hits: 1 } }, { condition });
        if (holds) {
          await update;
          expect(
            (await stored(models.Note, { note_id: 'c1' }))?.hits,
            JSON.stringify(condition, replacer),
          ).toBe(hits + 1);
        } else {
          await expectError(update, ConditionFailedError);
          expect(
            await stored(models.Note, { note_id: 'c1' }),
            JSON.stringify(condition, replacer),
          ).toEqual(before);
        }
      }
    }

    it('[P-39] eq compares strings, numbers, booleans, bigints and bytes exactly', async () => {
      await expectConditions([
        [{ attr: 'text', eq: 'hello world' }, true],
        [{ attr: 'text', eq: 'hello' }, false],
        [{ attr: 'rating', eq: 2.5 }, true],
        [{ attr: 'rating', eq: 2.50000001 }, false],
        [{ attr: 'done', eq: true }, true],
        [{ attr: 'done', eq: false }, false],
        [{ attr: 'huge', eq: 2n ** 60n }, true],
        [{ attr: 'huge', eq: 2n ** 60n + 1n }, false],
        [{ attr: 'data', eq: new Uint8Array([0x80, 0x01]) }, true],
        [{ attr: 'data', eq: new Uint8Array([0x80]) }, false],
      ]);
    });

    it('[P-39] eq never matches across types: the number 10 is not the string "10"', async () => {
      await expectConditions([
        [{ attr: 'count', eq: '10' }, false],
        [{ attr: 'done', eq: 'true' }, false],
        [{ attr: 'text', eq: null }, false],
      ]);
    });

    const differs = (difference: EngineDifference) =>
      options.engineDifferences?.includes(difference) === true;

    it.skipIf(differs('conditions-booleans-equal-numbers'))(
      '[P-39] eq, ne and in never take a boolean for a number: true is not 1 (skipped where the engine takes it so)',
      async () => {
        await expectConditions([
          [{ attr: 'done', eq: 1 }, false],
          [{ attr: 'done', ne: 1 }, true],
          [{ attr: 'done', in: [1, 0] }, false],
          [{ attr: 'done', eq: 0 }, false],
        ]);
      },
    );

    it.skipIf(differs('conditions-compare-lists-and-maps-by-reference'))(
      '[P-39] eq and ne compare lists and maps deeply (skipped where the engine compares them by reference)',
      async () => {
        await expectConditions([
          [{ attr: 'tags', eq: ['red', 'green'] }, true],
          [{ attr: 'tags', eq: ['green', 'red'] }, false],
          [{ attr: 'details', eq: { title: 'T', inner: { depth: 3, labels: ['x'] } } }, true],
          [{ attr: 'details', eq: { title: 'T', inner: { depth: 3, labels: [] } } }, false],
          // A map holding every stored entry and one more, and one lacking an entry, differ.
          [
            { attr: 'details', eq: { title: 'T', inner: { depth: 3, labels: ['x'] }, more: 1 } },
            false,
          ],
          [{ attr: 'details', eq: { title: 'T' } }, false],
          [
            { attr: 'details', ne: { title: 'T', inner: { depth: 3, labels: ['x'] }, more: 1 } },
            true,
          ],
          [{ attr: 'tags', ne: ['red', 'green'] }, false],
          [{ attr: 'tags', ne: ['green', 'red'] }, true],
        ]);
      },
    );

    it('[P-39] ne holds for a different value and fails for an equal one', async () => {
      await expectConditions([
        [{ attr: 'text', ne: 'bye' }, true],
        [{ attr: 'text', ne: 'hello world' }, false],
        [{ attr: 'count', ne: '10' }, true],
      ]);
    });

    it("[P-39] ne holds for a missing attribute, and on a missing item (DynamoDB's <>)", async () => {
      await expectConditions([
        [{ attr: 'absent', ne: 'locked' }, true],
        [{ attr: ['details', 'missing'], ne: 'T' }, true],
        [{ not: { attr: 'absent', ne: 'locked' } }, false],
      ]);
      const { models, stored } = fixture();
      await new models.Note({ note_id: 'c2', text: 'new' }).save({
        condition: { attr: 'text', ne: 'locked' },
      });
      expect(await stored(models.Note, { note_id: 'c2' })).toEqual({ note_id: 'c2', text: 'new' });
    });

    it('[P-40] lt, lte, gt and gte compare numbers numerically, bigints exactly', async () => {
      await expectConditions([
        [{ attr: 'count', lt: 11 }, true],
        [{ attr: 'count', lt: 9 }, false],
        [{ attr: 'rating', lte: 2.5 }, true],
        [{ attr: 'rating', lte: 2.4999 }, false],
        [{ attr: 'rating', gt: -3 }, true],
        [{ attr: 'rating', gt: 2.5 }, false],
        [{ attr: 'huge', gte: 2n ** 60n }, true],
        [{ attr: 'huge', gt: 2n ** 60n - 1n }, true],
        [{ attr: 'huge', gt: 2n ** 60n }, false],
        [{ attr: 'count', gt: 9.999 }, true],
      ]);
    });

    it.skipIf(differs('conditions-compare-strings-by-utf16'))(
      '[P-40] strings compare by UTF-8 bytes: U+1F600 sorts after U+FF61 (skipped where the engine compares UTF-16 units)',
      async () => {
        await expectConditions([
          [{ attr: ['meta', 'emoji'], gt: '\uFF61' }, true],
          [{ attr: ['meta', 'emoji'], lt: '\uFF61' }, false],
          [{ attr: 'text', gt: 'Z' }, true],
          [{ attr: 'text', lt: 'hello worlds' }, true],
          [{ attr: 'text', gte: 'é' }, false],
        ]);
      },
    );

    it('[P-40] bytes compare as unsigned: 0x80 sorts after 0x7f', async () => {
      await expectConditions([
        [{ attr: 'data', gt: new Uint8Array([0x7f, 0xff]) }, true],
        [{ attr: 'data', lt: new Uint8Array([0x80, 0x02]) }, true],
        [{ attr: 'data', lt: new Uint8Array([0x7f]) }, false],
      ]);
    });

    it('[P-40] between is inclusive at both ends', async () => {
      await expectConditions([
        [{ attr: 'count', between: [10, 20] }, true],
        [{ attr: 'count', between: [0, 10] }, true],
        [{ attr: 'count', between: [11, 20] }, false],
        [{ attr: 'text', between: ['hello', 'hello world'] }, true],
        [{ attr: 'text', between: ['a', 'hello'] }, false],
      ]);
    });

    it('[P-40] comparisons with a missing attribute are false', async () => {
      await expectConditions([
        [{ attr: 'absent', lt: 100 }, false],
        [{ attr: 'absent', gte: 0 }, false],
        [{ attr: 'absent', between: [0, 1] }, false],
        [{ attr: ['details', 'missing'], eq: 'T' }, false],
      ]);
    });

    it.skipIf(differs('conditions-missing-attribute-equals-null'))(
      '[P-40] a missing attribute is not equal to null (skipped where the engine takes a missing attribute as null)',
      async () => {
        await expectConditions([
          [{ attr: 'absent', eq: null }, false],
          [{ attr: ['details', 'missing'], eq: null }, false],
        ]);
      },
    );

    it('[P-41] beginsWith matches a prefix of a string', async () => {
      await expectConditions([
        [{ attr: 'text', beginsWith: 'hello ' }, true],
        [{ attr: 'text', beginsWith: 'world' }, false],
      ]);
    });

    it.skipIf(differs('conditions-begins-with-strings-only'))(
      '[P-41] beginsWith matches a prefix of bytes (skipped where the engine matches strings only)',
      async () => {
        await expectConditions([
          [{ attr: 'data', beginsWith: new Uint8Array([0x80]) }, true],
          [{ attr: 'data', beginsWith: new Uint8Array([0x01]) }, false],
        ]);
      },
    );

    it('[P-41] contains finds a substring of a string and an element of a list', async () => {
      await expectConditions([
        [{ attr: 'text', contains: 'lo wo' }, true],
        [{ attr: 'text', contains: 'World' }, false],
        [{ attr: 'tags', contains: 'green' }, true],
        [{ attr: 'tags', contains: 'gre' }, false],
      ]);
    });

    it.skipIf(differs('conditions-contains-finds-strings-numbers-bytes-only'))(
      '[P-41] contains finds a null or boolean element of a list, and a number element (skipped where the engine looks for strings, numbers and bytes only)',
      async () => {
        const { models } = fixture();
        await models.Note.update('c1', { set: { mixed: [null, true, 'red', 3] } as never });
        await expectConditions([
          [{ attr: 'mixed', contains: null }, true],
          [{ attr: 'mixed', contains: true }, true],
          [{ attr: 'mixed', contains: false }, false],
          [{ attr: 'mixed', contains: 3 }, true],
          [{ attr: 'mixed', contains: 'red' }, true],
          [{ attr: 'tags', contains: null }, false],
        ]);
      },
    );

    it.skipIf(differs('conditions-contains-no-bytes'))(
      '[P-41] contains finds a subsequence of bytes (skipped where the engine never looks in bytes)',
      async () => {
        await expectConditions([
          [{ attr: 'data', contains: new Uint8Array([0x01]) }, true],
          [{ attr: 'data', contains: new Uint8Array([0x80, 0x01]) }, true],
          [{ attr: 'data', contains: new Uint8Array([0x01, 0x80]) }, false],
          [{ attr: 'data', contains: 'a' }, false],
          [{ attr: 'text', contains: new Uint8Array([0x68]) }, false],
        ]);
      },
    );

    it.skipIf(differs('conditions-between-and-in-skip-empty-values'))(
      '[P-41] between and in match an empty string, empty bytes and false (skipped where the engine never matches an empty value there)',
      async () => {
        await expectConditions([
          [{ attr: 'empty', in: [''] }, true],
          [{ attr: 'empty', between: ['', 'a'] }, true],
          [{ attr: 'nothing', in: [new Uint8Array()] }, true],
          [{ attr: 'nothing', between: [new Uint8Array(), new Uint8Array([0])] }, true],
        ]);
        // A stored `false` is a value like any other (dynalite reads it as absent).
        await fixture().models.Note.update('c1', { set: { done: false } });
        await expectConditions([
          [{ attr: 'done', in: [false] }, true],
          [{ attr: 'done', in: [true, ''] }, false],
        ]);
      },
    );

    it.skipIf(differs('conditions-compare-bytes-as-utf8-text'))(
      '[P-41] beginsWith and contains compare bytes as bytes (skipped where the engine compares their UTF-8 decodings)',
      async () => {
        // 0x80, 0xff and 0xc8 alone are no UTF-8: decoded, each would be U+FFFD.
        await expectConditions([
          [{ attr: 'data', beginsWith: new Uint8Array([0xff]) }, false],
          [{ attr: 'data', contains: new Uint8Array([0xc8]) }, false],
        ]);
      },
    );

    it('[P-41] in holds when the value is one of the list', async () => {
      await expectConditions([
        [{ attr: 'count', in: [1, 10, 100] }, true],
        [{ attr: 'count', in: [1, 2] }, false],
        [{ attr: 'text', in: ['hello world'] }, true],
        [{ attr: 'count', in: ['10'] }, false],
      ]);
    });

    it('[P-42] exists tells present attributes from missing ones', async () => {
      await expectConditions([
        [{ attr: 'count', exists: true }, true],
        [{ attr: 'count', exists: false }, false],
        [{ attr: 'absent', exists: false }, true],
        [{ attr: 'absent', exists: true }, false],
      ]);
    });

    it('[P-43] and, or and not combine conditions', async () => {
      await expectConditions([
        [
          {
            and: [
              { attr: 'count', eq: 10 },
              { attr: 'done', eq: true },
            ],
          },
          true,
        ],
        [
          {
            and: [
              { attr: 'count', eq: 10 },
              { attr: 'done', eq: false },
            ],
          },
          false,
        ],
        [
          {
            or: [
              { attr: 'count', eq: 0 },
              { attr: 'done', eq: true },
            ],
          },
          true,
        ],
        [
          {
            or: [
              { attr: 'count', eq: 0 },
              { attr: 'done', eq: false },
            ],
          },
          false,
        ],
        [{ not: { attr: 'count', eq: 0 } }, true],
        [{ not: { attr: 'count', exists: true } }, false],
        [
          {
            and: [
              {
                or: [
                  { attr: 'absent', exists: true },
                  { attr: 'tags', contains: 'red' },
                ],
              },
              {
                not: {
                  and: [
                    { attr: 'rating', gt: 2 },
                    { attr: 'rating', lt: 2.2 },
                  ],
                },
              },
            ],
          },
          true,
        ],
      ]);
    });

    it('[P-43] an and or an or of one member is that member, however it nests', async () => {
      const between = { attr: 'count', between: [9, 11] } as const;
      const either = {
        or: [
          { attr: 'count', eq: 0 },
          { attr: 'done', eq: true },
        ],
      };
      await expectConditions([
        [{ and: [between] }, true],
        [{ or: [between] }, true],
        [{ not: { and: [between] } }, false],
        [{ not: { or: [{ and: [between] }] } }, false],
        [{ and: [{ or: [{ and: [between, { attr: 'done', eq: true }] }] }] }, true],
        [{ not: { and: [either] } }, false],
        [{ and: [{ or: [either] }, { not: { or: [{ attr: 'count', eq: 0 }] } }] }, true],
      ]);
    });

    it('[P-43] a combination means what its tree says: NOT before AND before OR, however it is written', async () => {
      const count10 = { attr: 'count', eq: 10 } as const;
      const count0 = { attr: 'count', eq: 0 } as const;
      const done = { attr: 'done', eq: true } as const;
      const notDone = { attr: 'done', eq: false } as const;
      // Each answer differs from the one a wrong grouping of the same parts would give.
      await expectConditions([
        [{ or: [{ and: [count0, done] }, done] }, true],
        [{ and: [{ or: [count10, count0] }, notDone] }, false],
        [{ or: [{ not: count10 }, done] }, true],
        [{ and: [{ not: count0 }, notDone] }, false],
        [{ not: { or: [count0, done] } }, false],
        [{ not: { and: [count10, notDone] } }, true],
        [{ not: { attr: 'count', gt: 5 } }, false],
        [{ not: { not: count10 } }, true],
        [{ not: { attr: 'count', in: [1, 10] } }, false],
        [{ and: [{ attr: 'count', between: [5, 15] }, notDone] }, false],
        [{ or: [{ attr: 'count', between: [1, 2] }, done] }, true],
        [{ not: { attr: 'count', between: [1, 2] } }, true],
        [{ and: [done, { and: [count10, { or: [notDone, { not: count0 }] }] }] }, true],
      ]);
    });

    it('[P-44] a path array reaches nested map attributes and list positions', async () => {
      await expectConditions([
        [{ attr: ['details', 'inner', 'depth'], eq: 3 }, true],
        [{ attr: ['details', 'inner', 'depth'], gt: 3 }, false],
        [{ attr: ['details', 'inner', 'labels', 0], eq: 'x' }, true],
        [{ attr: ['lines', 1, 'qty'], eq: 5 }, true],
        [{ attr: ['lines', 0, 'qty'], eq: 5 }, false],
        [{ attr: ['lines', 5, 'qty'], exists: false }, true],
        [{ attr: ['lines', 1, 'price'], exists: true }, true],
      ]);
    });

    it('[P-45] a string attribute name is one name: "a.b" is not the path a → b', async () => {
      await expectConditions([
        [{ attr: 'a.b', eq: 'flat' }, true],
        [{ attr: 'a.b', eq: 'nested' }, false],
        [{ attr: ['a', 'b'], eq: 'nested' }, true],
        [{ attr: ['a.b'], eq: 'flat' }, true],
      ]);
    });

    it('[P-45] "#", ":" and spaces are plain characters of names, at the top and nested', async () => {
      await expectConditions([
        [{ attr: 'hash#name', eq: 'hash' }, true],
        [{ attr: 'colon:name', eq: 'colon' }, true],
        [{ attr: 'space name', eq: 'space' }, true],
        [{ attr: 'space name', eq: 'hash' }, false],
        [{ attr: ['meta', 'k.1'], eq: 'dot' }, true],
        [{ attr: ['meta', 'k#2'], eq: 'hash' }, true],
        [{ attr: ['meta', 'k:3'], eq: 'colon' }, true],
        [{ attr: ['meta', 'k 4'], eq: 'space' }, true],
        [{ attr: ['meta', 'k 4'], exists: false }, false],
      ]);
    });

    it('[P-46] a malformed condition is an InvalidRequestError and nothing is written', async () => {
      const { models, stored } = fixture();
      const before = await stored(models.Note, { note_id: 'c1' });
      const malformed = [
        { attr: 'count', eq: 1, gt: 0 },
        { attr: 'count', like: 1 },
        { attr: 'count' },
        { and: [] },
        { or: [{ attr: 'count', eq: 1 }], and: [{ attr: 'count', eq: 1 }] },
        { attr: 'count', eq: undefined },
        { attr: 'count', eq: Number.NaN },
        { attr: 'text', eq: '\uD800' },
        { attr: '', eq: 1 },
        { attr: [], eq: 1 },
        { attr: 'count', between: [1] },
        { attr: 'count', in: [] },
        { attr: 'count', exists: 'yes' },
      ] as unknown as Condition[];
      for (const condition of malformed) {
        await expectError(
          models.Note.update('c1', { add: { hits: 1 } }, { condition }),
          InvalidRequestError,
        );
        await expectError(models.Note.delete('c1', { condition }), InvalidRequestError);
      }
      expect(await stored(models.Note, { note_id: 'c1' })).toEqual(before);
    });

    it('[P-46] a condition and a filter are read once: a value that changes on a later read changes neither the check nor the outcome', async () => {
      const { models, stored } = fixture();
      // `count` is 10: the value reads 10 at first (it holds, and is checked), then NaN.
      const changing = (later: unknown) => {
        let reads = 0;
        return {
          attr: 'count',
          get eq() {
            reads += 1;
            return reads === 1 ? 10 : later;
          },
        } as unknown as Condition;
      };
      await new models.Note({ ...conditionNote, text: 'saved' }).save({ condition: changing(11) });
      await models.Note.update('c1', { add: { hits: 1 } }, { condition: changing(Number.NaN) });
      await models.Note.update('c1', { add: { hits: 1 } }, { condition: changing(11) });
      expect(await stored(models.Note, { note_id: 'c1' })).toMatchObject({
        hits: 2,
        text: 'saved',
      });
      // A filter that would read `eq: 11` for every item after the first.
      const { items } = await models.Note.scan({ filter: changing(11) });
      expect(items.map((note) => note.note_id)).toEqual(['c1']);
    });

    it('[P-46] between with a low bound above the high bound or bounds of two types is an InvalidRequestError', async () => {
      const { models, stored } = fixture();
      const before = await stored(models.Note, { note_id: 'c1' });
      for (const between of [
        [20, 10],
        ['b', 'a'],
        [1, 'z'],
      ] as const) {
        await expectError(
          models.Note.update('c1', { add: { hits: 1 } }, { condition: { attr: 'count', between } }),
          InvalidRequestError,
        );
      }
      expect(await stored(models.Note, { note_id: 'c1' })).toEqual(before);
    });
  });
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `<${[...value].join(',')}>`;
  return value;
}
