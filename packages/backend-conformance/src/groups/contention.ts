import { AlreadyExistsError, ConflictError, TransactionCanceledError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** P-85 to P-87: concurrent writers lose nothing. */
export function describeContention(factory: ConformanceFactory, options: ConformanceOptions): void {
  const writers = options.contention?.writers ?? 16;
  const cycles = options.contention?.cycles ?? 50;
  // Transactions that conflict retry many times over: fewer cycles prove the same.
  const transactionCycles = Math.min(cycles, 10);

  describe('contention', suiteOptions(options), () => {
    const fixture = useFixture(factory);
    const everyWriter = <T>(work: (writer: number) => Promise<T>) =>
      Promise.all(Array.from({ length: writers }, (_, writer) => work(writer)));

    it(`[P-85] ${writers} writers doing ${cycles} load-modify-save cycles each, retrying on ConflictError, lose no increment`, async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'shared', owner: 'all', balance: 0 });
      let conflicts = 0;
      await everyWriter(async () => {
        for (let cycle = 0; cycle < cycles; cycle++) {
          for (;;) {
            const account = await models.Account.load('shared', { consistent: true });
            account.balance = (account.balance as number) + 1;
            try {
              await account.save();
              break;
            } catch (error) {
              if (!(error instanceof ConflictError)) throw error;
              conflicts++;
            }
          }
        }
      });
      expect(await stored(models.Account, { account_id: 'shared' })).toEqual({
        account_id: 'shared',
        owner: 'all',
        balance: writers * cycles,
        revision: writers * cycles + 1,
      });
      // With several writers at once, some saves must have met a newer version.
      if (writers > 1) expect(conflicts).toBeGreaterThan(0);
    });

    it(`[P-86] ${writers} writers doing ${cycles} atomic adds each end at exactly ${writers * cycles}`, async () => {
      const { models, stored } = fixture();
      await models.Note.create({ note_id: 'counter', text: 'counts', count: 0 });
      await everyWriter(async () => {
        for (let cycle = 0; cycle < cycles; cycle++)
          await models.Note.update('counter', { add: { count: 1 } });
      });
      expect((await stored(models.Note, { note_id: 'counter' }))?.count).toBe(writers * cycles);
    });

    it.skipIf(!options.capabilities.transactions)(
      `[P-85] ${writers} writers doing ${transactionCycles} load-modify-save cycles each through transactions, retrying on CONFLICT, lose no increment (needs capabilities.transactions)`,
      async () => {
        const { api, models, stored } = fixture();
        await models.Account.create({ account_id: 'shared', owner: 'all', balance: 0 });
        await models.Account.create({ account_id: 'other', owner: 'all', balance: 0 });
        await everyWriter(async () => {
          for (let cycle = 0; cycle < transactionCycles; cycle++) {
            for (;;) {
              const account = await models.Account.load('shared', { consistent: true });
              account.balance = (account.balance as number) + 1;
              try {
                // A transaction checks every version and writes every item as one step: a
                // write landing between its checks and its writes would be lost.
                await api.transaction((transaction) => {
                  transaction.save(account);
                  transaction.update(models.Account, 'other', { add: { balance: 1 } });
                });
                break;
              } catch (error) {
                if (!(error instanceof TransactionCanceledError)) throw error;
                // Another writer's version (CONFLICT), or its transaction in the way at that
                // moment (TRANSACTION_CONFLICT: DynamoDB's, PostgreSQL's deadlocks): try again.
                for (const reason of error.reasons)
                  expect(['CONFLICT', 'TRANSACTION_CONFLICT']).toContain(reason.code);
              }
            }
          }
        });
        expect(await stored(models.Account, { account_id: 'shared' })).toEqual({
          account_id: 'shared',
          owner: 'all',
          balance: writers * transactionCycles,
          revision: writers * transactionCycles + 1,
        });
        expect(await stored(models.Account, { account_id: 'other' })).toMatchObject({
          balance: writers * transactionCycles,
        });
      },
    );

    it(`[P-87] a save and a delete racing on one object loaded at one version, ${cycles} times: exactly one wins each time`, async () => {
      const { models, stored } = fixture();
      for (let round = 0; round < cycles; round++) {
        const account_id = `race-${round}`;
        await models.Account.create({ account_id, owner: 'ann', balance: 0 });
        const [saved, deleted] = await Promise.all([
          models.Account.load(account_id, { consistent: true }),
          models.Account.load(account_id, { consistent: true }),
        ]);
        saved.balance = 1;
        // Either may reach the engine first: the delete conditions its write on the version
        // it holds, so it never removes the item a save at that version has just replaced.
        let save: Promise<unknown>;
        let removal: Promise<boolean>;
        if (round % 2 === 0) {
          save = saved.save();
          removal = deleted.delete();
        } else {
          removal = deleted.delete();
          save = saved.save();
        }
        const [saveOutcome, removalOutcome] = await Promise.allSettled([save, removal]);
        const item = await stored(models.Account, { account_id });
        if (saveOutcome.status === 'fulfilled') {
          // The save won: the delete met a newer version (ConflictError), the item stays.
          expect(removalOutcome.status).toBe('rejected');
          expect((removalOutcome as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
          expect(item).toEqual({ account_id, owner: 'ann', balance: 1, revision: 2 });
        } else {
          // The delete won: the save met no item at its version.
          expect((saveOutcome as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
          expect(removalOutcome).toEqual({ status: 'fulfilled', value: true });
          expect(item).toBeUndefined();
        }
      }
    });

    it('[P-87] two writers racing create on one key: exactly one wins, the other gets AlreadyExistsError', async () => {
      const { models, stored } = fixture();
      const outcomes = await Promise.allSettled(
        ['first', 'second'].map((owner) =>
          models.Account.create({ account_id: 'race', owner, balance: 0 }),
        ),
      );
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter(
        (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(AlreadyExistsError);
      const winner = (won[0] as PromiseFulfilledResult<{ owner: unknown }>).value.owner;
      expect((await stored(models.Account, { account_id: 'race' }))?.owner).toBe(winner);
    });
  });
}
