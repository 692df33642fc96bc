import {
  ConditionFailedError,
  ConflictError,
  InvalidRequestError,
  ValidationError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { expectError } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** P-23 to P-28: optimistic locking with a `version` property. */
export function describeVersioning(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('optimistic locking', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    it('[P-23] create stores version 1 and sets it on the object', async () => {
      const { models, stored } = fixture();
      const account = await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 0 });
      expect(account.revision).toBe(1);
      expect(await stored(models.Account, { account_id: 'a1' })).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: 0,
        revision: 1,
      });
    });

    it('[P-23] each save stores the next version and updates the object', async () => {
      const { models, stored } = fixture();
      const account = new models.Account({ account_id: 'a1', owner: 'ann', balance: 0 });
      await account.save();
      expect(account.revision).toBe(1);
      account.balance = 10;
      await account.save();
      expect(account.revision).toBe(2);
      const loaded = await models.Account.load('a1');
      expect(loaded.revision).toBe(2);
      loaded.balance = 20;
      await loaded.save();
      expect(loaded.revision).toBe(3);
      expect(await stored(models.Account, { account_id: 'a1' })).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: 20,
        revision: 3,
      });
    });

    it('[P-24] save with a stale version throws ConflictError and leaves the item unchanged', async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 0 });
      const first = await models.Account.load('a1');
      const second = await models.Account.load('a1');
      first.balance = 100;
      await first.save();
      second.balance = 999;
      const error = await expectError(second.save(), ConflictError);
      expect(error.expectedVersion).toBe(1);
      expect(second.revision).toBe(1);
      expect(await stored(models.Account, { account_id: 'a1' })).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: 100,
        revision: 2,
      });
    });

    it('[P-24] an object’s delete() deletes only the version it holds; Model.delete(key) any', async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 0 });
      const stale = await models.Account.load('a1');
      const fresh = await models.Account.load('a1');
      fresh.balance = 5;
      await fresh.save();
      const error = await expectError(stale.delete(), ConflictError);
      expect(error.expectedVersion).toBe(1);
      expect(await stored(models.Account, { account_id: 'a1' })).toMatchObject({ revision: 2 });
      // A caller's condition that fails at the right version is the caller's.
      await expectError(
        fresh.delete({ condition: { attr: 'owner', eq: 'bob' } }),
        ConditionFailedError,
      );
      expect(await fresh.delete()).toBe(true);
      expect(await stored(models.Account, { account_id: 'a1' })).toBeUndefined();
      // Deleted meanwhile: there was none.
      expect(await stale.delete()).toBe(false);
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 0 });
      await models.Account.update('a1', { add: { balance: 1 } });
      expect(await models.Account.delete('a1')).toBe(true);
    });

    it("[P-26] an object whose own delete() removed its item deletes nothing more: false, and another writer's item made since at its version stays", async () => {
      const { models, stored, seed } = fixture();
      const mine = await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 0 });
      expect(await mine.delete()).toBe(true);
      // Another writer creates the key anew: version 1, the version the object still holds.
      await models.Account.create({ account_id: 'a1', owner: 'bob', balance: 7 });
      const theirs = { account_id: 'a1', owner: 'bob', balance: 7, revision: 1 };
      expect(await mine.delete()).toBe(false);
      expect(await stored(models.Account, { account_id: 'a1' })).toEqual(theirs);
      // Nor with a condition the other item meets.
      expect(await mine.delete({ condition: { attr: 'owner', eq: 'bob' } })).toBe(false);
      expect(await stored(models.Account, { account_id: 'a1' })).toEqual(theirs);
      // Nor with none there: still false.
      await models.Account.delete('a1');
      expect(await mine.delete()).toBe(false);
      // Saved again (created where no item has its key), it stands for its item once more.
      await mine.save();
      expect(await mine.delete()).toBe(true);
      expect(await stored(models.Account, { account_id: 'a1' })).toBeUndefined();
      // So does one read from an item another client stored without a version.
      await seed(models.Account, { account_id: 'a2', owner: 'ann', balance: 1 });
      const foreign = await models.Account.load('a2');
      expect(await foreign.delete()).toBe(true);
      await models.Account.create({ account_id: 'a2', owner: 'bob', balance: 7 });
      expect(await foreign.delete()).toBe(false);
      expect(await stored(models.Account, { account_id: 'a2' })).toEqual({
        ...theirs,
        account_id: 'a2',
      });
    });

    it('[P-24] save() or delete() of a versioned object whose key changed since it was read or saved is an InvalidRequestError', async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 0 });
      await models.Account.create({ account_id: 'a3', owner: 'bob', balance: 7 });
      const loaded = await models.Account.load('a1');
      loaded.account_id = 'a2';
      await expectError(loaded.save(), InvalidRequestError);
      // Also at the version another item holds: bob's a3 (version 1) is not deleted.
      loaded.account_id = 'a3';
      await expectError(loaded.delete(), InvalidRequestError);
      expect(await stored(models.Account, { account_id: 'a3' })).toMatchObject({ owner: 'bob' });
      loaded.account_id = 'a2';
      const created = await models.Account.create({ account_id: 'b1', owner: 'bob', balance: 0 });
      created.account_id = 'b2';
      await expectError(created.save(), InvalidRequestError);
      expect(await stored(models.Account, { account_id: 'a2' })).toBeUndefined();
      expect(await stored(models.Account, { account_id: 'b2' })).toBeUndefined();
      // Back under its own key, it saves.
      loaded.account_id = 'a1';
      await loaded.save();
      expect(loaded.revision).toBe(2);
    });

    it('[P-24] a stored version that is no whole number from 0 (another client\'s 2.5, -1, "3", true, a map) is neither saved over nor deleted: a typed error, nothing written', async () => {
      const { models, stored, seed } = fixture();
      const foreign: unknown[] = [2.5, -1, '3', 'abc', '', true, { n: 1 }, [4]];
      for (const version of foreign) {
        const item = { account_id: 'v1', owner: 'ann', balance: 0, revision: version } as never;
        await seed(models.Account, item);
        // Read as stored, never retyped: "3" stays a string.
        const loaded = await models.Account.load('v1');
        expect(loaded.revision).toEqual(version);
        const refused = await expectError(loaded.delete(), InvalidRequestError);
        expect(refused.message).toContain('holds no version (a whole number)');
        expect(refused.message).toContain('Account.delete(key) deletes the item');
        const invalid = await expectError(loaded.save(), ValidationError);
        expect(invalid.problems).toContainEqual(expect.objectContaining({ pointer: '/revision' }));
        expect(loaded.revision).toEqual(version);
        expect(await stored(models.Account, { account_id: 'v1' })).toEqual(item);
      }
      // Model.delete(key) deletes whatever version is stored.
      expect(await models.Account.delete('v1')).toBe(true);
    });

    it('[P-24] update() of an item whose version holds no number (another client\'s "3") is an InvalidRequestError naming the version, nothing written; update() adds 1 to any number stored', async () => {
      const { models, stored, seed } = fixture();
      const keepsEarlierClauses =
        options.engineDifferences?.includes(
          'update-refused-for-operand-type-applies-earlier-clauses',
        ) === true;
      for (const version of ['3', 'abc', true, { n: 1 }] as unknown[]) {
        const item = { account_id: 'v2', owner: 'ann', balance: 0, revision: version } as never;
        await seed(models.Account, item);
        const refused = await expectError(
          models.Account.update('v2', { set: { balance: 5 } }),
          InvalidRequestError,
        );
        expect(refused.message).toContain(
          `its version property revision holds ${JSON.stringify(version)}, not a number`,
        );
        expect(refused.message).toContain('Account.delete(key) deletes the item');
        // The caller's change comes before the version's increment in the update.
        if (!keepsEarlierClauses) {
          expect(await stored(models.Account, { account_id: 'v2' })).toEqual(item);
        }
      }
      await seed(models.Account, { account_id: 'v2', owner: 'ann', balance: 0, revision: 2.5 });
      expect((await models.Account.update('v2', { set: { balance: 5 } })).revision).toBe(3.5);
    });

    it.skipIf(!options.capabilities.transactions)(
      "[P-24] a transaction's update() of an item whose version holds no number is refused naming the version, nothing written (needs capabilities.transactions)",
      async () => {
        const { api, models, stored, seed } = fixture();
        const item = { account_id: 'v5', owner: 'ann', balance: 0, revision: '3' } as never;
        await seed(models.Account, item);
        await models.Account.create({ account_id: 'v6', owner: 'bob', balance: 0 });
        const refused = await expectError(
          api.transaction((transaction) => {
            transaction.update(models.Account, 'v6', { set: { balance: 1 } });
            transaction.update(models.Account, 'v5', { set: { balance: 5 } });
          }),
          InvalidRequestError,
        );
        expect(refused.message).toContain(
          'Account {account_id="v5"}: its version property revision holds "3", not a number',
        );
        expect(await stored(models.Account, { account_id: 'v5' })).toEqual(item);
        expect((await models.Account.load('v6')).revision).toBe(1);
      },
    );

    it('[P-24] an item whose version holds no number is mended by deleting it at what it holds and creating it anew', async () => {
      const { models, stored, seed } = fixture();
      await seed(models.Account, {
        account_id: 'v4',
        owner: 'ann',
        balance: 7,
        revision: '3',
      } as never);
      const loaded = await models.Account.load('v4');
      // Deleted only if no one changed it since: the condition holds on the value read.
      const held = loaded.revision as unknown as string;
      expect(await models.Account.delete('v4', { condition: { attr: 'revision', eq: held } })).toBe(
        true,
      );
      const { revision: _, ...data } = loaded.toJSON();
      const mended = await models.Account.create(data as never);
      expect(mended.revision).toBe(1);
      expect(await stored(models.Account, { account_id: 'v4' })).toEqual({
        account_id: 'v4',
        owner: 'ann',
        balance: 7,
        revision: 1,
      });
    });

    it('[P-25] two objects loaded at one version both save: exactly one wins', async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 0 });
      const [left, right] = await Promise.all([
        models.Account.load('a1'),
        models.Account.load('a1'),
      ]);
      left.balance = 1;
      right.balance = 2;
      const results = await Promise.allSettled([left.save(), right.save()]);
      const won = results.filter((result) => result.status === 'fulfilled');
      const lost = results.filter(
        (result): result is PromiseRejectedResult => result.status === 'rejected',
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      await expectError(Promise.reject(lost[0]?.reason), ConflictError);
      const winner = results[0]?.status === 'fulfilled' ? left : right;
      expect(await stored(models.Account, { account_id: 'a1' })).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: winner.balance,
        revision: 2,
      });
    });

    it('[P-26] save of an object without a version over a stored item throws ConflictError', async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 5 });
      const stranger = new models.Account({ account_id: 'a1', owner: 'bob', balance: 0 });
      const error = await expectError(stranger.save(), ConflictError);
      expect(error.expectedVersion).toBeUndefined();
      expect(await stored(models.Account, { account_id: 'a1' })).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: 5,
        revision: 1,
      });
    });

    it('[P-26] save after the item was deleted throws ConflictError and writes nothing', async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 5 });
      const account = await models.Account.load('a1');
      await models.Account.delete('a1');
      await expectError(account.save(), ConflictError);
      expect(await stored(models.Account, { account_id: 'a1' })).toBeUndefined();
    });

    it('[P-26] save with a version ahead of the stored one throws ConflictError', async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 5 });
      const account = await models.Account.load('a1');
      account.revision = 7;
      await expectError(account.save(), ConflictError);
      expect((await stored(models.Account, { account_id: 'a1' }))?.revision).toBe(1);
    });

    it('[P-27] update increments the version; an object loaded before it then conflicts', async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 5 });
      const before = await models.Account.load('a1');
      const updated = await models.Account.update('a1', { add: { balance: 10 } });
      expect(updated.revision).toBe(2);
      expect(updated.balance).toBe(15);
      expect(await stored(models.Account, { account_id: 'a1' })).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: 15,
        revision: 2,
      });
      await expectError(before.save(), ConflictError);
    });

    it('[P-27] update of the version attribute and saveMany of a versioned model are InvalidRequestErrors', async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 5 });
      await expectError(models.Account.update('a1', { set: { revision: 9 } }), InvalidRequestError);
      await expectError(
        models.Account.saveMany([{ account_id: 'a2', owner: 'bob', balance: 1 }]),
        InvalidRequestError,
      );
      expect((await stored(models.Account, { account_id: 'a1' }))?.revision).toBe(1);
      expect(await stored(models.Account, { account_id: 'a2' })).toBeUndefined();
    });

    it('[P-28] a failing caller condition at the right version is ConditionFailedError, not ConflictError', async () => {
      const { models, stored } = fixture();
      await models.Account.create({ account_id: 'a1', owner: 'ann', balance: 5 });
      const account = await models.Account.load('a1');
      account.balance = 50;
      await expectError(
        account.save({ condition: { attr: 'owner', eq: 'bob' } }),
        ConditionFailedError,
      );
      expect(account.revision).toBe(1);
      expect(await stored(models.Account, { account_id: 'a1' })).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: 5,
        revision: 1,
      });
      await account.save({ condition: { attr: 'owner', eq: 'ann' } });
      expect(account.revision).toBe(2);
    });
  });
}
