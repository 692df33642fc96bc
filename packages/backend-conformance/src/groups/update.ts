import {
  ConditionFailedError,
  InvalidRequestError,
  ItemNotFoundError,
  type MacaronError,
  type UpdateChanges,
  ValidationError,
} from '@macaron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ErrorClass, expectError, pointersOf } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { NoteShape } from '../fixtures/fixture-models.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

const seedNote: NoteShape = {
  note_id: 'n1',
  text: 'hello',
  count: 5,
  done: true,
  tags: ['a'],
  details: { title: 'T', inner: { depth: 1 } },
};

/** P-29 to P-38: atomic updates. */
export function describeUpdates(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('atomic update', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    beforeEach(async () => {
      await fixture().models.Note.create(seedNote);
    });

    const storedNote = (id = 'n1') => fixture().stored(fixture().models.Note, { note_id: id });

    /** Runs an update that must fail with `type` and checks the item did not change. */
    async function expectRejectedUpdate<E extends MacaronError>(
      changes: UpdateChanges<NoteShape>,
      type: ErrorClass<E>,
    ): Promise<E> {
      const before = await storedNote();
      const error = await expectError(fixture().models.Note.update('n1', changes), type);
      expect(await storedNote()).toEqual(before);
      return error;
    }

    it('[P-29] set changes properties and returns the object as stored afterwards', async () => {
      const { Note } = fixture().models;
      const updated = await Note.update('n1', {
        set: { text: 'changed', details: { title: 'new' }, rating: 2.5 },
      });
      expect(updated).toBeInstanceOf(Note);
      const expected = { ...seedNote, text: 'changed', details: { title: 'new' }, rating: 2.5 };
      expect(updated.toJSON()).toEqual(expected);
      expect(await storedNote()).toEqual(expected);
    });

    it('[P-30] remove deletes optional attributes', async () => {
      const updated = await fixture().models.Note.update('n1', { remove: ['count', 'tags'] });
      expect(updated.count).toBeUndefined();
      expect(await storedNote()).toEqual({
        note_id: 'n1',
        text: 'hello',
        done: true,
        details: { title: 'T', inner: { depth: 1 } },
      });
    });

    it('[P-30] removing a required property is a ValidationError and changes nothing', async () => {
      const error = await expectRejectedUpdate(
        { remove: ['text'] as unknown as [] },
        ValidationError,
      );
      expect(error.problems.map((problem) => [problem.pointer, problem.keyword])).toEqual([
        ['/text', 'required'],
      ]);
    });

    it('[P-31] add adds to numbers; a missing attribute counts as 0', async () => {
      const { Note } = fixture().models;
      expect((await Note.update('n1', { add: { count: 3 } })).count).toBe(8);
      expect((await Note.update('n1', { add: { count: -10 } })).count).toBe(-2);
      expect((await Note.update('n1', { add: { rating: 1.5 } })).rating).toBe(1.5);
      expect(await storedNote()).toMatchObject({ count: -2, rating: 1.5 });
    });

    it('[P-31] add is exact beyond 2^53 with bigints', async () => {
      const { Note } = fixture().models;
      await Note.update('n1', { set: { huge: 2n ** 60n } });
      expect((await Note.update('n1', { add: { huge: 1 } })).huge).toBe(2n ** 60n + 1n);
      expect((await Note.update('n1', { add: { huge: -(2n ** 61n) } })).huge).toBe(
        -(2n ** 60n) + 1n,
      );
      expect((await storedNote())?.huge).toBe(-(2n ** 60n) + 1n);
    });

    it("[P-31] add is decimal arithmetic, as DynamoDB's: 0.1 + 0.2 stores 0.3", async () => {
      const { Note } = fixture().models;
      await Note.update('n1', { set: { rating: 0.1 } });
      expect((await Note.update('n1', { add: { rating: 0.2 } })).rating).toBe(0.3);
      expect((await storedNote())?.rating).toBe(0.3);
    });

    it.skipIf(options.engineDifferences?.includes('add-past-38-digits-stored') === true)(
      '[P-31] an add whose sum passes 38 significant digits is an InvalidRequestError and changes nothing (skipped where the engine stores it)',
      async () => {
        const { Note } = fixture().models;
        await Note.update('n1', { set: { rating: 10n ** 38n - 1n } as never });
        await expectRejectedUpdate({ add: { rating: 2n } as never }, InvalidRequestError);
      },
    );

    it.skipIf(options.engineDifferences?.includes('add-past-38-digits-stored') === true)(
      "[P-31] an add whose sum leaves DynamoDB's magnitudes (1e126 and above, below 1e-130) is an InvalidRequestError and changes nothing (skipped where the engine stores it)",
      async () => {
        const { Note } = fixture().models;
        await Note.update('n1', { set: { rating: 9n * 10n ** 125n } as never });
        await expectRejectedUpdate({ add: { rating: 10n ** 125n } as never }, InvalidRequestError);
        await Note.update('n1', { set: { rating: 1.5e-130 } });
        await expectRejectedUpdate({ add: { rating: -1e-130 } }, InvalidRequestError);
      },
    );

    it('[P-32] append appends to lists; a missing list counts as empty', async () => {
      const { Note } = fixture().models;
      expect((await Note.update('n1', { append: { tags: ['b', 'c'] } })).tags).toEqual([
        'a',
        'b',
        'c',
      ]);
      const lines = [{ sku: 'X', qty: 1 }];
      expect((await Note.update('n1', { append: { lines } })).lines).toEqual(lines);
      await Note.update('n1', { append: { lines: [{ sku: 'Y', qty: 2, price: 0.5 }] } });
      expect(await storedNote()).toMatchObject({
        tags: ['a', 'b', 'c'],
        lines: [
          { sku: 'X', qty: 1 },
          { sku: 'Y', qty: 2, price: 0.5 },
        ],
      });
    });

    it('[P-33] all changes of one update are applied together', async () => {
      const updated = await fixture().models.Note.update('n1', {
        set: { text: 'all at once' },
        remove: ['done'],
        add: { count: 1 },
        append: { tags: ['z'] },
      });
      const expected = {
        note_id: 'n1',
        text: 'all at once',
        count: 6,
        tags: ['a', 'z'],
        details: { title: 'T', inner: { depth: 1 } },
      };
      expect(updated.toJSON()).toEqual(expected);
      expect(await storedNote()).toEqual(expected);
    });

    it('[P-34] update of a missing key throws ItemNotFoundError and creates nothing', async () => {
      const { models, stored, table } = fixture();
      const error = await expectError(
        models.Note.update('missing', { set: { text: 'x' } }),
        ItemNotFoundError,
      );
      expect(error.location).toEqual({
        model: 'Note',
        table: table('notes'),
        key: { note_id: 'missing' },
      });
      expect(await stored(models.Note, { note_id: 'missing' })).toBeUndefined();
    });

    it('[P-35] update with a condition applies when it holds, else ConditionFailedError', async () => {
      const { Note } = fixture().models;
      await expectError(
        Note.update('n1', { add: { count: 1 } }, { condition: { attr: 'count', gt: 5 } }),
        ConditionFailedError,
      );
      expect((await storedNote())?.count).toBe(5);
      await Note.update('n1', { add: { count: 1 } }, { condition: { attr: 'count', eq: 5 } });
      expect((await storedNote())?.count).toBe(6);
    });

    it('[P-36] invalid values are a ValidationError with their pointers; nothing changes', async () => {
      const error = await expectRejectedUpdate(
        {
          set: {
            count: 'many',
            details: { inner: { depth: 'deep' } },
            rating: Number.NaN,
            tags: ['ok', '\uD800'],
          } as unknown as Partial<NoteShape>,
        },
        ValidationError,
      );
      expect(pointersOf(error)).toEqual(['/count', '/details/inner/depth', '/rating', '/tags/1']);
    });

    it('[P-36] add to a non-number, append to a non-list or of an invalid item are ValidationErrors', async () => {
      const addError = await expectRejectedUpdate(
        { add: { text: 1 } as unknown as Record<string, number> },
        ValidationError,
      );
      expect(pointersOf(addError)).toEqual(['/text']);
      const appendError = await expectRejectedUpdate(
        { append: { count: [1] } as unknown as Record<string, never> },
        ValidationError,
      );
      expect(pointersOf(appendError)).toEqual(['/count']);
      const nanError = await expectRejectedUpdate({ add: { count: Number.NaN } }, ValidationError);
      expect(pointersOf(nanError)).toEqual(['/count']);
      // 2 ** 60 + 1 is 2 ** 60 as a number: an integer beyond 2^53 must be a bigint (P-13).
      const inexactError = await expectRejectedUpdate(
        { add: { rating: 2 ** 60 } as never },
        ValidationError,
      );
      expect(pointersOf(inexactError)).toEqual(['/rating']);
      const itemError = await expectRejectedUpdate(
        {
          append: {
            lines: [
              { sku: 'ok', qty: 1 },
              { sku: 'bad', qty: 'x' },
            ],
          } as never,
        },
        ValidationError,
      );
      expect(itemError.problems.every((problem) => problem.pointer.startsWith('/lines/'))).toBe(
        true,
      );
    });

    it('[P-36] add to or append to an attribute another client stored as NULL is an InvalidRequestError, as DynamoDB answers', async () => {
      const { Note } = fixture().models;
      await fixture().seed(Note, { note_id: 'n1', text: 't', count: null, tags: null } as never);
      await expectRejectedUpdate({ add: { count: 1 } }, InvalidRequestError);
      await expectRejectedUpdate({ append: { tags: ['x'] } }, InvalidRequestError);
      // A missing one counts as 0.
      expect((await Note.update('n1', { add: { hits: 1 } })).hits).toBe(1);
    });

    it('[P-37] changing a key attribute is an InvalidRequestError', async () => {
      await expectRejectedUpdate({ set: { note_id: 'n2' } }, InvalidRequestError);
      const { models, stored } = fixture();
      await models.Message.create({ channel: 'general', sent: 'a' });
      await expectError(
        models.Message.update({ channel: 'general', sent: 'a' }, { set: { sent: 'b' } }),
        InvalidRequestError,
      );
      expect(await stored(models.Message, { channel: 'general', sent: 'a' })).toEqual({
        channel: 'general',
        sent: 'a',
      });
      expect(await stored(models.Message, { channel: 'general', sent: 'b' })).toBeUndefined();
    });

    it('[P-37] no change, an unknown kind of change or one attribute changed twice is an InvalidRequestError', async () => {
      await expectRejectedUpdate({}, InvalidRequestError);
      await expectRejectedUpdate(
        { rename: { text: 'body' } } as unknown as UpdateChanges<NoteShape>,
        InvalidRequestError,
      );
      await expectRejectedUpdate({ set: { count: 1 }, add: { count: 1 } }, InvalidRequestError);
      // No expression names an empty attribute name on DynamoDB: refused on every backend.
      await expectRejectedUpdate({ set: { '': 'v' } } as never, InvalidRequestError);
      await expectRejectedUpdate({ remove: [''] } as never, InvalidRequestError);
    });

    it('[P-31] the same add-only change again (core prepares it once) writes what the first did: each adds and bumps the version, keeps its bound, and fails as the first failed, one at a time, at once or in a transaction', async () => {
      const { api, models, stored, seed } = fixture();
      const { Account, Hostile } = models;
      const account = (id: string) => stored(Account, { account_id: id });
      await Account.create({ account_id: 'a1', owner: 'ann', balance: 0 });
      for (let call = 1; call <= 3; call++) {
        const updated = await Account.update('a1', { add: { balance: 1 } });
        expect([updated.balance, updated.revision], `call ${call}`).toEqual([call, call + 1]);
      }
      // A caller's condition beside it is checked every time; refused, nothing is written.
      await expectError(
        Account.update('a1', { add: { balance: 1 } }, { condition: { attr: 'owner', eq: 'bob' } }),
        ConditionFailedError,
      );
      expect(await Account.update('a1', { add: { balance: 1 } })).toMatchObject({
        balance: 4,
        revision: 5,
      });
      // Different deltas in flight at once: none answered with another's operations.
      await Promise.all(
        [1, 2, 1, 2].map((delta) => Account.update('a1', { add: { balance: delta } })),
      );
      expect(await account('a1')).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: 10,
        revision: 9,
      });
      // A missing item, each time alike.
      const missing = [];
      for (let call = 0; call < 2; call++)
        missing.push(
          (await expectError(Account.update('none', { add: { balance: 1 } }), ItemNotFoundError))
            .message,
        );
      expect(missing[1]).toBe(missing[0]);
      expect(await account('none')).toBeUndefined();
      // A version that holds no number, each time alike.
      const foreign = { account_id: 'v1', owner: 'ann', balance: 0, revision: 'x' } as never;
      await seed(Account, foreign);
      for (let call = 0; call < 2; call++) {
        const refused = await expectError(
          Account.update('v1', { add: { balance: 1 } }),
          InvalidRequestError,
        );
        expect(refused.message).toContain('its version property revision holds "x", not a number');
      }
      // A bound (0 to 10) under names Object has: kept by the repeated change's condition too,
      // which fails as the first failure of the same change made afresh does.
      await Hostile.create({ hostile_id: 'h1', constructor: {}, limit: 7, valueOf: 1 } as never);
      const change = { add: { limit: 1, valueOf: -1 } } as never;
      expect(await Hostile.update('h1', change)).toMatchObject({ limit: 8, valueOf: 0 });
      const broken = [];
      for (let call = 0; call < 2; call++) {
        broken.push(
          (await expectError(Hostile.update('h1', change), ConditionFailedError)).message,
        );
        // Another change between: the next same change is prepared afresh.
        await Hostile.update('h1', { add: { limit: 0 } } as never);
      }
      expect(broken[1]).toBe(broken[0]);
      expect(broken[0]).toContain('valueOf');
      expect(await stored(Hostile, { hostile_id: 'h1' })).toMatchObject({ limit: 8, valueOf: 0 });
      if (options.capabilities.transactions) {
        await Account.create({ account_id: 'a2', owner: 'bob', balance: 0 });
        for (let call = 0; call < 2; call++)
          await api.transaction((transaction) => {
            transaction.update(Account, 'a1', { add: { balance: 1 } });
            transaction.update(Account, 'a2', { add: { balance: 1 } });
          });
        expect(await account('a1')).toMatchObject({ balance: 12, revision: 11 });
        expect(await account('a2')).toMatchObject({ balance: 2, revision: 3 });
      }
    });

    it('[P-38] names with ".", "#", ":" and spaces are plain top-level attributes', async () => {
      const { Note } = fixture().models;
      await Note.update('n1', {
        set: { 'a.b': 'flat', 'hash#name': 'h', 'colon:name': 'c', 'space name': 's' },
      });
      let raw = await storedNote();
      expect(raw).toMatchObject({
        'a.b': 'flat',
        'hash#name': 'h',
        'colon:name': 'c',
        'space name': 's',
      });
      expect(raw?.a).toBeUndefined();
      await Note.update('n1', { set: { a: { b: 'nested' } }, remove: ['a.b', 'space name'] });
      raw = await storedNote();
      expect(raw?.a).toEqual({ b: 'nested' });
      expect(raw && 'a.b' in raw).toBe(false);
      expect(raw && 'space name' in raw).toBe(false);
      expect(raw?.['hash#name']).toBe('h');
    });
  });
}
