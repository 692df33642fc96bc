import {
  AlreadyExistsError,
  ConditionFailedError,
  ItemNotFoundError,
  TransactionCanceledError,
  ValidationError,
} from '@macaron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectError } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import { collect, walkPages } from '../fixtures/walk-pages.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** P-76 to P-78: models that share one table, told apart by a discriminator. */
export function describeSharing(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('models sharing a table', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    beforeEach(async () => {
      const { Cat, Dog } = fixture().models;
      await Promise.all([
        Cat.create({ owner: 'ann', name: 'a-felix', lives: 9 }),
        Dog.create({ owner: 'ann', name: 'b-rex', breed: 'collie' }),
        Cat.create({ owner: 'ann', name: 'c-tom', lives: 3 }),
        Dog.create({ owner: 'ann', name: 'd-fido' }),
        Dog.create({ owner: 'bob', name: 'e-spot' }),
      ]);
    });

    it('[P-76] each item stores the discriminator with its model name; objects do not show it', async () => {
      const { models, stored } = fixture();
      expect(await stored(models.Cat, { owner: 'ann', name: 'a-felix' })).toEqual({
        owner: 'ann',
        name: 'a-felix',
        lives: 9,
        kind: 'Cat',
      });
      expect(await stored(models.Dog, { owner: 'ann', name: 'b-rex' })).toEqual({
        owner: 'ann',
        name: 'b-rex',
        breed: 'collie',
        kind: 'Dog',
      });
      const cat = await models.Cat.load({ owner: 'ann', name: 'a-felix' });
      expect(cat.toJSON()).toEqual({ owner: 'ann', name: 'a-felix', lives: 9 });
      await models.Cat.saveMany([{ owner: 'bob', name: 'f-kit' }]);
      expect((await stored(models.Cat, { owner: 'bob', name: 'f-kit' }))?.kind).toBe('Cat');
    });

    it('[P-76] a model whose schema forbids additional properties can share a table', async () => {
      const { models, stored } = fixture();
      await models.Bird.create({ owner: 'ann', name: 'g-tweety', wingspan: 0.2 });
      expect(await stored(models.Bird, { owner: 'ann', name: 'g-tweety' })).toEqual({
        owner: 'ann',
        name: 'g-tweety',
        wingspan: 0.2,
        kind: 'Bird',
      });
      const bird = await models.Bird.load({ owner: 'ann', name: 'g-tweety' });
      expect(bird.toJSON()).toEqual({ owner: 'ann', name: 'g-tweety', wingspan: 0.2 });
      bird.wingspan = 0.3;
      await bird.save();
      expect((await stored(models.Bird, { owner: 'ann', name: 'g-tweety' }))?.wingspan).toBe(0.3);
    });

    it('[P-76] a discriminator the schema declares with one value is stored as that value, and shown', async () => {
      const { models, stored } = fixture();
      // Shown by the object written too, not only by the objects read after (create and save).
      const created = await models.Fish.create({ owner: 'ann', name: 'h-nemo' });
      expect(created.kind).toBe('fish');
      expect(created.validate()).toEqual([]);
      const saved = await new models.Fish({ owner: 'ann', name: 'i-dory' }).save();
      expect(saved.toJSON()).toEqual({ owner: 'ann', name: 'i-dory', kind: 'fish' });
      expect(await stored(models.Fish, { owner: 'ann', name: 'h-nemo' })).toEqual({
        owner: 'ann',
        name: 'h-nemo',
        kind: 'fish',
      });
      expect((await models.Fish.load({ owner: 'ann', name: 'h-nemo' })).toJSON()).toEqual({
        owner: 'ann',
        name: 'h-nemo',
        kind: 'fish',
      });
      expect(await models.Cat.get({ owner: 'ann', name: 'h-nemo' })).toBeUndefined();
      const fishes = await collect(models.Fish.queryAll({ partition: 'ann' }), 10);
      expect(fishes.map((item) => item.name)).toEqual(['h-nemo', 'i-dory']);
    });

    it('[P-76] a discriminator an OpenAPI discriminator maps is stored as the mapped value, and items another client wrote with it load', async () => {
      const { models, stored, seed } = fixture();
      const { Snake, Frog } = models;
      // Reptile's mapping, which Snake inherits through allOf, gives it `snake`.
      expect((await Snake.create({ owner: 'ann', name: 'k-sid', venomous: true })).kind).toBe(
        'snake',
      );
      await new Snake({ owner: 'bob', name: 'l-kaa', kind: 'snake' }).save();
      expect(await stored(Snake, { owner: 'ann', name: 'k-sid' })).toEqual({
        owner: 'ann',
        name: 'k-sid',
        venomous: true,
        kind: 'snake',
      });
      // The oneOf parent Amphibian's mapping checks Amphibian's values, not Frog's objects:
      // Frog keeps its name, under which its items were saved before mappings counted.
      await Frog.create({ owner: 'ann', name: 'm-kermit', legs: 4 });
      expect((await stored(Frog, { owner: 'ann', name: 'm-kermit' }))?.kind).toBe('Frog');
      expect((await Frog.load({ owner: 'ann', name: 'm-kermit' })).toJSON()).toEqual({
        owner: 'ann',
        name: 'm-kermit',
        kind: 'Frog',
        legs: 4,
      });
      // Written by another client with the OpenAPI value: the model's own item.
      await seed(Snake, { owner: 'ann', name: 'n-nagini', kind: 'snake', venomous: false });
      expect((await Snake.get({ owner: 'ann', name: 'n-nagini' }))?.toJSON()).toEqual({
        owner: 'ann',
        name: 'n-nagini',
        kind: 'snake',
        venomous: false,
      });
      const snakes = await collect(Snake.queryAll({ partition: 'ann' }), 10);
      expect(snakes.map((item) => item.name)).toEqual(['k-sid', 'n-nagini']);
      expect(await Frog.get({ owner: 'ann', name: 'n-nagini' })).toBeUndefined();
      // Another model's value is refused, saying which one the object must hold.
      const error = await expectError(
        Snake.create({ owner: 'ann', name: 'o-toad', kind: 'frog' }),
        ValidationError,
      );
      expect(error.problems).toEqual([
        {
          pointer: '/kind',
          keyword: 'discriminator',
          message: expect.stringMatching(/^must be "snake"/),
        },
      ]);
      expect(await stored(Snake, { owner: 'ann', name: 'o-toad' })).toBeUndefined();
    });

    it("[P-77] load, get and exists of another model's key find nothing", async () => {
      const { Cat } = fixture().models;
      const dogKey = { owner: 'ann', name: 'b-rex' };
      await expectError(Cat.load(dogKey), ItemNotFoundError);
      expect(await Cat.get(dogKey)).toBeUndefined();
      expect(await Cat.exists(dogKey)).toBe(false);
      expect(await Cat.exists({ owner: 'ann', name: 'a-felix' })).toBe(true);
    });

    it("[P-77] update of another model's key is an ItemNotFoundError and changes nothing", async () => {
      const { models, stored } = fixture();
      const dogKey = { owner: 'ann', name: 'b-rex' };
      const before = await stored(models.Dog, dogKey);
      await expectError(models.Cat.update(dogKey, { set: { lives: 1 } }), ItemNotFoundError);
      expect(await stored(models.Dog, dogKey)).toEqual(before);
    });

    it("[P-77] create on another model's key is an AlreadyExistsError and changes nothing", async () => {
      const { models, stored } = fixture();
      const dogKey = { owner: 'ann', name: 'b-rex' };
      const before = await stored(models.Dog, dogKey);
      await expectError(models.Cat.create({ ...dogKey, lives: 1 }), AlreadyExistsError);
      expect(await stored(models.Dog, dogKey)).toEqual(before);
    });

    it("[P-77] delete of another model's key leaves the item and reports there was none", async () => {
      const { models, stored } = fixture();
      const dogKey = { owner: 'ann', name: 'b-rex' };
      const before = await stored(models.Dog, dogKey);
      expect(await models.Cat.delete(dogKey)).toBe(false);
      expect(await models.Cat.delete(dogKey, { condition: { attr: 'lives', eq: 9 } })).toBe(false);
      expect(await stored(models.Dog, dogKey)).toEqual(before);
    });

    it('[P-8] on a shared table, a conditional delete of a missing key is a ConditionFailedError, as on a table of one model', async () => {
      const { models } = fixture();
      const condition = { attr: 'lives', eq: 9 };
      await expectError(
        models.Cat.delete({ owner: 'ann', name: 'z-none' }, { condition }),
        ConditionFailedError,
      );
      await expectError(
        new models.Cat({ owner: 'ann', name: 'z-none' }).delete({ condition }),
        ConditionFailedError,
      );
      // Where it holds, the own item is deleted.
      expect(await models.Cat.delete({ owner: 'ann', name: 'a-felix' }, { condition })).toBe(true);
    });

    it.skipIf(!options.capabilities.transactions)(
      '[P-76] an object a transaction saves shows the discriminator its schema declares, once committed (needs capabilities.transactions)',
      async () => {
        const { api, models, stored } = fixture();
        const fish = new models.Fish({ owner: 'bob', name: 'j-wanda' });
        await api.transaction((transaction) => {
          transaction.save(fish);
        });
        expect(fish.kind).toBe('fish');
        expect((await stored(models.Fish, { owner: 'bob', name: 'j-wanda' }))?.kind).toBe('fish');
      },
    );

    it.skipIf(!options.capabilities.transactions)(
      "[P-77] in a transaction, update or delete through one model never changes another model's item (needs capabilities.transactions)",
      async () => {
        const { api, models, stored } = fixture();
        const dogKey = { owner: 'ann', name: 'b-rex' };
        const before = await stored(models.Dog, dogKey);
        const updated = await api
          .transaction((transaction) => {
            transaction.update(models.Cat, dogKey, { set: { lives: 1 } });
          })
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(updated).toBeInstanceOf(TransactionCanceledError);
        expect(await stored(models.Dog, dogKey)).toEqual(before);
        const deleted = await api
          .transaction((transaction) => {
            transaction.delete(models.Cat, dogKey);
          })
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        // Deleting what is not a Cat may be a no-op or cancel the transaction, never delete the Dog.
        if (deleted !== undefined) expect(deleted).toBeInstanceOf(TransactionCanceledError);
        expect(await stored(models.Dog, dogKey)).toEqual(before);
      },
    );

    it("[P-78] query returns only the own model's items, in sort-key order, across pages", async () => {
      const { Cat, Dog } = fixture().models;
      const cats = await Cat.query({ partition: 'ann' });
      expect(cats.items.map((cat) => cat.name)).toEqual(['a-felix', 'c-tom']);
      expect(cats.items.every((cat) => cat instanceof Cat)).toBe(true);
      const dogs = await Dog.query({ partition: 'ann' });
      expect(dogs.items.map((dog) => dog.name)).toEqual(['b-rex', 'd-fido']);
      const pages = await walkPages(
        (cursor) => Cat.query({ partition: 'ann', limit: 1, ...(cursor ? { cursor } : {}) }),
        6,
      );
      expect(pages.flat().map((cat) => cat.name)).toEqual(['a-felix', 'c-tom']);
    });

    it("[P-78] scan and getMany return only the own model's items", async () => {
      const { Cat, Dog } = fixture().models;
      const cats = await collect(Cat.scanAll({ limit: 2 }), 10);
      expect(cats.map((cat) => cat.name).sort()).toEqual(['a-felix', 'c-tom']);
      const dogs = await collect(Dog.scanAll(), 10);
      expect(dogs.map((dog) => dog.name).sort()).toEqual(['b-rex', 'd-fido', 'e-spot']);
      const mixed = await Cat.getMany([
        { owner: 'ann', name: 'b-rex' },
        { owner: 'ann', name: 'c-tom' },
      ]);
      expect(mixed.map((cat) => cat?.name)).toEqual([undefined, 'c-tom']);
    });
  });
}
