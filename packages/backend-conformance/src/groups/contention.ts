import { AlreadyExistsError, ConflictError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** P-85 to P-87: concurrent writers lose nothing. */
export function describeContention(factory: ConformanceFactory, options: ConformanceOptions): void {
  const writers = options.contention?.writers ?? 16;
  const cycles = options.contention?.cycles ?? 50;

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
