import {
  InvalidRequestError,
  type Transaction,
  TransactionCanceledError,
  UnsupportedOperationError,
  ValidationError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { expectError } from '../fixtures/expect-error.js';
import { type Fixture, suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { NoteShape } from '../fixtures/fixture-models.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** P-68 to P-72: transactions apply all of their writes or none. */
export function describeTransactions(
  factory: ConformanceFactory,
  options: ConformanceOptions,
): void {
  const missing = !options.capabilities.transactions;
  const needs = ' (needs capabilities.transactions)';
  describe('transactions', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    /** Seeds an account and three notes, and returns a snapshot of them read raw. */
    async function seed(current: Fixture) {
      const { Account, Note } = current.models;
      await Account.create({ account_id: 'a1', owner: 'ann', balance: 10 });
      await Promise.all(
        ['t1', 't2', 't3'].map((note_id) => Note.create({ note_id, text: note_id, count: 1 })),
      );
      return snapshot(current);
    }

    /** Every item the transaction tests touch, read raw. */
    async function snapshot(current: Fixture) {
      const { models, stored } = current;
      return {
        a1: await stored(models.Account, { account_id: 'a1' }),
        a2: await stored(models.Account, { account_id: 'a2' }),
        t1: await stored(models.Note, { note_id: 't1' }),
        t2: await stored(models.Note, { note_id: 't2' }),
        t3: await stored(models.Note, { note_id: 't3' }),
        t4: await stored(models.Note, { note_id: 't4' }),
      };
    }

    it.skipIf(missing)(
      `[P-68] a transaction's key object may leave the model's other properties undefined: they are absent${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        await seed(current);
        await api.transaction((transaction) => {
          transaction.update(
            models.Note,
            { note_id: 't1', text: undefined },
            { add: { count: 1 } },
          );
          transaction.delete(models.Note, { note_id: 't2', count: undefined });
          transaction.check(
            models.Note,
            { note_id: 't3', other: undefined },
            { attr: 'count', eq: 1 },
          );
        });
        const after = await snapshot(current);
        expect([after.t1, after.t2, after.t3]).toEqual([
          { note_id: 't1', text: 't1', count: 2 },
          undefined,
          { note_id: 't3', text: 't3', count: 1 },
        ]);
      },
    );

    it.skipIf(missing)(
      `[P-68] a transaction applies every write together, across tables${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        await seed(current);
        const account = await models.Account.load('a1');
        account.balance = 5;
        const created = new models.Account({ account_id: 'a2', owner: 'bob', balance: 5 });
        const fresh = new models.Note({ note_id: 't4', text: 'new' });
        await api.transaction((transaction) => {
          transaction.save(account);
          transaction.create(created);
          transaction.update(models.Note, 't1', { add: { count: 1 }, set: { text: 'updated' } });
          transaction.delete(models.Note, 't2');
          transaction.check(models.Note, 't3', { attr: 'count', eq: 1 });
          transaction.save(fresh);
        });
        expect(account.revision).toBe(2);
        expect(created.revision).toBe(1);
        expect(await snapshot(current)).toEqual({
          a1: { account_id: 'a1', owner: 'ann', balance: 5, revision: 2 },
          a2: { account_id: 'a2', owner: 'bob', balance: 5, revision: 1 },
          t1: { note_id: 't1', text: 'updated', count: 2 },
          t2: undefined,
          t3: { note_id: 't3', text: 't3', count: 1 },
          t4: { note_id: 't4', text: 'new' },
        });
      },
    );

    it.skipIf(missing)(
      `[P-68][P-109] a transaction deleting a key that holds no item applies that delete as nothing, and its other actions${needs}`,
      async () => {
        const current = fixture();
        const { api, models, backend } = current;
        await seed(current);
        await api.transaction((transaction) => {
          transaction.delete(models.Note, 'missing');
          transaction.update(models.Note, 't1', { add: { count: 1 } });
        });
        // Through the backend's own method too, beside a put.
        await backend.transactWrite([
          { kind: 'delete', model: models.Note.descriptor, key: { note_id: 'also-missing' } },
          {
            kind: 'put',
            model: models.Note.descriptor,
            item: { note_id: 't4', text: 'put' },
          },
        ]);
        const after = await snapshot(current);
        expect([after.t1?.count, after.t4]).toEqual([2, { note_id: 't4', text: 'put' }]);
        expect(await current.stored(models.Note, { note_id: 'missing' })).toBeUndefined();
      },
    );

    it.skipIf(missing)(
      `[P-79] a transaction given no function, an action given no model class or options that are not an object: InvalidRequestError, nothing applied${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        const before = await seed(current);
        for (const build of [null, {}, 'save'])
          await expectError(api.transaction(build as never), InvalidRequestError);
        const attempts: ((transaction: Transaction) => void)[] = [
          (transaction) => transaction.delete({} as never, 't1'),
          (transaction) => transaction.update(Object as never, 't1', { set: { text: 'x' } }),
          (transaction) => transaction.check('Note' as never, 't1', { attr: 'count', eq: 1 }),
          (transaction) => transaction.delete(models.Note, 't1', null as never),
          (transaction) =>
            transaction.update(models.Note, 't1', { set: { text: 'x' } }, 'x' as never),
          (transaction) =>
            transaction.save(new models.Note({ note_id: 't1', text: 'x' }), [] as never),
        ];
        for (const attempt of attempts)
          await expectError(
            api.transaction((transaction) => {
              transaction.delete(models.Note, 't2');
              attempt(transaction);
            }),
            InvalidRequestError,
          );
        expect(await snapshot(current)).toEqual(before);
      },
    );

    it.skipIf(missing)(
      `[P-69] a create on a taken key cancels everything: reason ALREADY_EXISTS at its index${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        const before = await seed(current);
        const error = await expectError(
          api.transaction((transaction) => {
            transaction.update(models.Note, 't1', { set: { text: 'changed' } });
            transaction.delete(models.Note, 't2');
            transaction.create(new models.Note({ note_id: 't3', text: 'taken' }));
          }),
          TransactionCanceledError,
        );
        expect(error.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [2, 'ALREADY_EXISTS'],
        ]);
        // The message create() alone gives, not the engine's.
        expect(error.reasons[0]!.message).toBe('Note {note_id="t3"} exists already');
        expect(await snapshot(current)).toEqual(before);
      },
    );

    it.skipIf(missing)(
      `[P-69] a save at a stale version cancels everything: reason CONFLICT${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        await seed(current);
        const first = await models.Account.load('a1');
        const second = await models.Account.load('a1');
        first.balance = 1;
        await first.save();
        const before = await snapshot(current);
        second.balance = 2;
        const error = await expectError(
          api.transaction((transaction) => {
            transaction.create(new models.Note({ note_id: 't4', text: 'new' }));
            transaction.save(second);
          }),
          TransactionCanceledError,
        );
        expect(error.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [1, 'CONFLICT'],
        ]);
        // The message save() alone gives: with the caller's own cause (a version it moved).
        expect(error.reasons[0]!.message).toMatch(
          /^Account \{account_id="a1"\} was changed by someone else \(expected version 1\), or this object's version property was changed since it was read/,
        );
        expect(second.revision).toBe(1);
        expect(await snapshot(current)).toEqual(before);
      },
    );

    it.skipIf(missing)(
      `[P-69] a failing condition or check cancels everything: reason CONDITION_FAILED${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        const before = await seed(current);
        const checkError = await expectError(
          api.transaction((transaction) => {
            transaction.update(models.Note, 't1', { add: { count: 5 } });
            transaction.check(models.Note, 't3', { attr: 'count', gt: 1 });
          }),
          TransactionCanceledError,
        );
        expect(checkError.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [1, 'CONDITION_FAILED'],
        ]);
        const deleteError = await expectError(
          api.transaction((transaction) => {
            transaction.create(new models.Note({ note_id: 't4', text: 'new' }));
            transaction.delete(models.Note, 't2', { condition: { attr: 'text', eq: 'other' } });
          }),
          TransactionCanceledError,
        );
        expect(deleteError.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [1, 'CONDITION_FAILED'],
        ]);
        expect(await snapshot(current)).toEqual(before);
      },
    );

    it.skipIf(missing)(
      `[P-69] a versioned save whose caller condition fails at the right version gives CONDITION_FAILED, not CONFLICT${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        const before = await seed(current);
        const account = await models.Account.load('a1');
        account.balance = 99;
        const error = await expectError(
          api.transaction((transaction) => {
            transaction.save(account, { condition: { attr: 'owner', eq: 'bob' } });
          }),
          TransactionCanceledError,
        );
        expect(error.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [0, 'CONDITION_FAILED'],
        ]);
        expect(account.revision).toBe(1);
        expect(await snapshot(current)).toEqual(before);
      },
    );

    it.skipIf(missing)(
      `[P-69] an update of a missing item cancels everything: reason CONDITION_FAILED${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        const before = await seed(current);
        const error = await expectError(
          api.transaction((transaction) => {
            transaction.delete(models.Note, 't1');
            transaction.update(models.Note, 'missing', { set: { text: 'x' } });
          }),
          TransactionCanceledError,
        );
        expect(error.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [1, 'CONDITION_FAILED'],
        ]);
        expect(await snapshot(current)).toEqual(before);
        expect(await current.stored(models.Note, { note_id: 'missing' })).toBeUndefined();
      },
    );

    it.skipIf(missing)(
      `[P-109] an object's delete in a transaction deletes its item at the version it holds, with the other writes${needs}`,
      async () => {
        const current = fixture();
        const { api, models, stored } = current;
        await seed(current);
        const account = await models.Account.load('a1');
        // An int64 version beyond 2^53 (another client's), compared exactly by every engine.
        await current.seed(models.Ledger, { ledger_id: 'l1', revision: 2n ** 60n + 1n });
        const ledger = await models.Ledger.load('l1');
        await api.transaction((transaction) => {
          transaction.delete(account);
          transaction.delete(ledger);
          transaction.update(models.Note, 't1', { set: { text: 'with it' } });
        });
        expect(await stored(models.Account, { account_id: 'a1' })).toBeUndefined();
        expect(await stored(models.Ledger, { ledger_id: 'l1' })).toBeUndefined();
        expect((await stored(models.Note, { note_id: 't1' }))?.text).toBe('with it');
        // As after its own delete(): saved again, it is created where no item has its key.
        await account.save();
        expect(await stored(models.Account, { account_id: 'a1' })).toMatchObject({
          owner: 'ann',
          revision: 1,
        });
      },
    );

    it.skipIf(missing)(
      `[P-109] an object's delete in a transaction at a stale version, or of an item deleted since, cancels everything: reason CONFLICT, the item stays${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        await seed(current);
        const stale = await models.Account.load('a1');
        const fresh = await models.Account.load('a1');
        fresh.balance = 20;
        await fresh.save();
        const before = await snapshot(current);
        const error = await expectError(
          api.transaction((transaction) => {
            transaction.delete(models.Note, 't1');
            transaction.delete(stale);
          }),
          TransactionCanceledError,
        );
        expect(error.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [1, 'CONFLICT'],
        ]);
        expect(await snapshot(current)).toEqual(before);
        // Its item deleted since it was loaded: a conflict too, not a silent no-op.
        await models.Account.delete('a1');
        const gone = await expectError(
          api.transaction((transaction) => {
            transaction.delete(models.Note, 't1');
            transaction.delete(fresh);
          }),
          TransactionCanceledError,
        );
        expect(gone.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [1, 'CONFLICT'],
        ]);
        expect(await current.stored(models.Note, { note_id: 't1' })).toEqual(before.t1);
      },
    );

    it.skipIf(missing)(
      `[P-109] an object whose own delete removed its item cancels a transaction deleting it again: reason CONFLICT, another writer's item made since at its version stays${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        await seed(current);
        const mine = await models.Account.load('a1');
        await api.transaction((transaction) => transaction.delete(mine));
        await models.Account.create({ account_id: 'a1', owner: 'bob', balance: 7 });
        const before = await snapshot(current);
        for (const options of [undefined, { condition: { attr: 'owner', eq: 'bob' } }]) {
          const error = await expectError(
            api.transaction((transaction) => {
              transaction.delete(models.Note, 't1');
              transaction.delete(mine, options);
            }),
            TransactionCanceledError,
          );
          expect(error.reasons.map((reason) => [reason.index, reason.code])).toEqual([
            [1, 'CONFLICT'],
          ]);
          // Not "changed by someone else": the object's own delete removed its item.
          expect(error.reasons[0]!.message).toBe(
            `Account {account_id="a1"} was deleted by this object's own delete() already: the object stands for no stored item`,
          );
          expect(await snapshot(current)).toEqual(before);
        }
      },
    );

    it.skipIf(missing)(
      `[P-109] an object's delete in a transaction whose caller condition fails at the right version gives CONDITION_FAILED; an object without a version deletes whatever is stored${needs}`,
      async () => {
        const current = fixture();
        const { api, models, stored } = current;
        const before = await seed(current);
        const account = await models.Account.load('a1');
        const error = await expectError(
          api.transaction((transaction) => {
            transaction.delete(account, { condition: { attr: 'owner', eq: 'bob' } });
          }),
          TransactionCanceledError,
        );
        expect(error.reasons.map((reason) => [reason.index, reason.code])).toEqual([
          [0, 'CONDITION_FAILED'],
        ]);
        expect(await snapshot(current)).toEqual(before);
        // Note has no version: its object's delete is the key's, over what another writer stored.
        const note = await models.Note.load('t2');
        await models.Note.update('t2', { set: { text: 'changed since' } });
        await api.transaction((transaction) => {
          transaction.delete(note);
          transaction.delete(account, { condition: { attr: 'owner', eq: 'ann' } });
        });
        expect(await stored(models.Note, { note_id: 't2' })).toBeUndefined();
        expect(await stored(models.Account, { account_id: 'a1' })).toBeUndefined();
      },
    );

    it.skipIf(missing)(
      `[P-70] a cancelled transaction leaves the objects' versions as they were${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        await seed(current);
        const account = await models.Account.load('a1');
        account.balance = 0;
        await expectError(
          api.transaction((transaction) => {
            transaction.save(account);
            transaction.create(new models.Note({ note_id: 't1', text: 'taken' }));
          }),
          TransactionCanceledError,
        );
        expect(account.revision).toBe(1);
        await account.save();
        expect(account.revision).toBe(2);
      },
    );

    it.skipIf(missing)(
      `[P-71] items put holding more than 4 MB together are an InvalidRequestError, as DynamoDB refuses them; nothing applied${needs}`,
      async () => {
        const { api, models, backend, stored } = fixture();
        // Items of about 400,000 bytes, 11 of them: past 4 MB (4,194,304 bytes) together.
        const text = 'x'.repeat(400_000);
        const ids = Array.from({ length: 11 }, (_, index) => `big${index}`);
        const attempt = (count: number) =>
          api.transaction((transaction) => {
            for (const note_id of ids.slice(0, count))
              transaction.create(new models.Note({ note_id, text }));
          });
        await expectError(attempt(11), InvalidRequestError);
        await expectError(
          backend.transactWrite(
            ids.map((note_id) => ({
              kind: 'put' as const,
              model: models.Note.descriptor,
              item: { note_id, text },
            })),
          ),
          InvalidRequestError,
        );
        for (const note_id of ids) expect(await stored(models.Note, { note_id })).toBeUndefined();
        // Ten of them (about 4,000,000 bytes) commit.
        await attempt(10);
        expect(await stored(models.Note, { note_id: 'big9' })).toBeDefined();
      },
    );

    it.skipIf(missing)(
      `[P-71] updates whose values hold more than 4 MB together are an InvalidRequestError, as DynamoDB refuses them; nothing applied${needs}`,
      async () => {
        const { api, models, backend, stored } = fixture();
        // DynamoDB counts every item of a transaction, not only those put: 11 updates each
        // setting (or appending) about 400,000 bytes are past 4 MB together, whatever else
        // their items hold.
        const text = 'x'.repeat(400_000);
        const ids = Array.from({ length: 11 }, (_, index) => `grown${index}`);
        for (const note_id of ids)
          await backend.putItem({
            model: models.Note.descriptor,
            item: { note_id, text: 'small' },
          });
        const attempt = (count: number) =>
          api.transaction((transaction) => {
            for (const note_id of ids.slice(0, count))
              transaction.update(models.Note, note_id, { set: { text } });
          });
        await expectError(attempt(11), InvalidRequestError);
        await expectError(
          backend.transactWrite(
            ids.map((note_id, index) => ({
              kind: 'update' as const,
              model: models.Note.descriptor,
              key: { note_id },
              operations: [
                index % 2 === 0
                  ? { action: 'set' as const, path: 'text', value: text }
                  : { action: 'append' as const, path: 'tags', value: [text] },
              ],
            })),
          ),
          InvalidRequestError,
        );
        // A put and ten updates: the put counts with them.
        await expectError(
          backend.transactWrite([
            { kind: 'put', model: models.Note.descriptor, item: { note_id: 'new', text } },
            ...ids.slice(0, 10).map((note_id) => ({
              kind: 'update' as const,
              model: models.Note.descriptor,
              key: { note_id },
              operations: [{ action: 'set' as const, path: 'text', value: text }],
            })),
          ]),
          InvalidRequestError,
        );
        for (const note_id of ids)
          expect(await stored(models.Note, { note_id })).toEqual({ note_id, text: 'small' });
        expect(await stored(models.Note, { note_id: 'new' })).toBeUndefined();
        // Ten of them (about 4,000,000 bytes) commit.
        await attempt(10);
        expect((await stored(models.Note, { note_id: 'grown9' }))?.text).toBe(text);
      },
    );

    it.skipIf(missing)(
      `[P-71] more than maxTransactionActions actions is an InvalidRequestError, nothing applied; exactly maxTransactionActions commit${needs}`,
      async () => {
        const current = fixture();
        const { api, models, backend, stored } = current;
        const count = backend.capabilities.maxTransactionActions + 1;
        const ids = Array.from({ length: count }, (_, index) => `x${index}`);
        const attempt = (creates: readonly string[]) =>
          api.transaction((transaction) => {
            for (const note_id of creates)
              transaction.create(new models.Note({ note_id, text: 'x' }));
          });
        await expectError(attempt(ids), InvalidRequestError);
        for (const note_id of [ids[0], ids[count - 1]] as string[])
          expect(await stored(models.Note, { note_id })).toBeUndefined();
        // The limit itself is allowed, as DynamoDB allows it.
        await attempt(ids.slice(0, count - 1));
        for (const note_id of [ids[0], ids[count - 2]] as string[])
          expect(await stored(models.Note, { note_id })).toEqual({ note_id, text: 'x' });
      },
    );

    it.skipIf(missing)(
      `[P-71] the same item twice is an InvalidRequestError; nothing applied${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        const before = await seed(current);
        await expectError(
          api.transaction((transaction) => {
            transaction.update(models.Note, 't1', { add: { count: 1 } });
            transaction.delete(models.Note, { note_id: 't1' });
          }),
          InvalidRequestError,
        );
        expect(await snapshot(current)).toEqual(before);
      },
    );

    it.skipIf(missing)(
      `[P-71] an invalid object is a ValidationError; nothing applied${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        const before = await seed(current);
        await expectError(
          api.transaction((transaction) => {
            transaction.delete(models.Note, 't1');
            transaction.save(
              new models.Note({ note_id: 't4', count: 'x' } as unknown as NoteShape),
            );
          }),
          ValidationError,
        );
        expect(await snapshot(current)).toEqual(before);
      },
    );

    it.skipIf(missing)(
      `[P-71] an empty transaction does nothing; an error thrown while building applies nothing${needs}`,
      async () => {
        const current = fixture();
        const { api, models } = current;
        const before = await seed(current);
        await api.transaction(() => {});
        const failure = new Error('changed my mind');
        await expect(
          api.transaction((transaction) => {
            transaction.delete(models.Note, 't1');
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await snapshot(current)).toEqual(before);
      },
    );

    it.skipIf(missing)(
      `[P-71] a write added once the callback has returned (a promise it did not await) is an InvalidRequestError, never accepted and lost${needs}`,
      async () => {
        const current = fixture();
        const { api, models, stored } = current;
        await seed(current);
        let late: Promise<unknown> | undefined;
        let kept: Transaction | undefined;
        await api.transaction((transaction) => {
          kept = transaction;
          transaction.update(models.Note, 't1', { set: { text: 'in time' } });
          // Its failure is taken at once: it comes while the transaction's write is in flight.
          late = new Promise((resolve) => setTimeout(resolve, 0))
            .then(() => transaction.create(new models.Note({ note_id: 't4', text: 'late' })))
            .then(
              () => undefined,
              (error: unknown) => error,
            );
        });
        expect(await late).toBeInstanceOf(InvalidRequestError);
        expect(() => kept!.update(models.Note, 't2', { set: { text: 'after' } })).toThrow(
          InvalidRequestError,
        );
        expect((await stored(models.Note, { note_id: 't1' }))?.text).toBe('in time');
        expect(await stored(models.Note, { note_id: 't4' })).toBeUndefined();
        expect((await stored(models.Note, { note_id: 't2' }))?.text).toBe('t2');
      },
    );

    it.skipIf(missing)(
      `[P-71] an object frozen while its write is in flight: the write lands, nothing is thrown, the other objects take their new versions, and the frozen one keeps its old one${needs}`,
      async () => {
        const current = fixture();
        const { api, models, stored } = current;
        await seed(current);
        await models.Account.create({ account_id: 'a2', owner: 'bob', balance: 1 });
        const [first, second] = await Promise.all([
          models.Account.load('a1'),
          models.Account.load('a2'),
        ]);
        const revision = first.revision;
        await api.transaction((transaction) => {
          transaction.save(first);
          transaction.save(second);
          Object.freeze(first);
        });
        expect(first.revision).toBe(revision);
        expect(second.revision).not.toBe(revision);
        expect((await stored(models.Account, { account_id: 'a1' }))?.revision).not.toBe(revision);
        // A single save the same.
        const third = await models.Account.load('a2');
        const pending = third.save();
        Object.freeze(third);
        await expect(pending).resolves.toBe(third);
        expect((await stored(models.Account, { account_id: 'a2' }))?.revision).not.toBe(
          second.revision,
        );
      },
    );

    it.skipIf(!missing)(
      '[P-72] without capabilities.transactions a transaction is an UnsupportedOperationError (only without transactions)',
      async () => {
        const current = fixture();
        const { api, models, stored } = current;
        await expectError(
          api.transaction((transaction) => {
            transaction.create(new models.Note({ note_id: 't1', text: 'x' }));
          }),
          UnsupportedOperationError,
        );
        expect(await stored(models.Note, { note_id: 't1' })).toBeUndefined();
      },
    );
  });
}
