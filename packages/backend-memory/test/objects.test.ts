import { ConflictError, InvalidRequestError, loadApi, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend, type MemoryBackend } from '../src/index.js';

// A versioned model, as application code holds its objects: frozen, proxied, deleted, and
// given to another API's transaction.
const spec = {
  openapi: '3.0.3',
  info: { title: 'objects', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id', version: 'revision' },
        properties: {
          id: { type: 'string' },
          text: { type: 'string' },
          revision: { type: 'integer' },
        },
      },
      Closed: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        'x-persist': { table: 'closed', key: 'id' },
        properties: { id: { type: 'string' }, n: { type: 'integer' } },
      },
      // A version the schema requires (every response carries it): the write sets it.
      Counted: {
        type: 'object',
        required: ['id', 'rev', 'name'],
        'x-persist': { table: 'counted', key: 'id', version: 'rev' },
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          rev: { type: 'integer', readOnly: true },
        },
      },
      // Two models of one table, one declaring the discriminator with its one value.
      Fish: {
        type: 'object',
        required: ['id', 'kind'],
        'x-persist': { table: 'pets', key: 'id', discriminator: 'kind' },
        properties: { id: { type: 'string' }, kind: { type: 'string', enum: ['fish'] } },
      },
      Cat: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'pets', key: 'id', discriminator: 'kind' },
        properties: { id: { type: 'string' } },
      },
    },
  },
};

type Note = { id: string; text?: string; revision?: number };

async function open(backend: MemoryBackend = createMemoryBackend(), tablePrefix?: string) {
  const api = await loadApi(spec, { backend, ...(tablePrefix ? { tablePrefix } : {}) });
  const Note = api.persistent<Note>('Note');
  const stored = async (id: string) => (await Note.get(id))?.toJSON();
  return { api, Note, stored, backend };
}

describe('objects as application code holds them', () => {
  it('[P-23] a frozen, sealed or non-extensible object cannot take its new version: InvalidRequestError, nothing written', async () => {
    const { api, Note, stored } = await open();
    await Note.create({ id: 'a', text: 'first' });
    const loaded = await Note.load('a');
    loaded.text = 'changed';
    for (const attempt of [
      () => Object.freeze(loaded).save(),
      () => Object.seal(new Note({ id: 'b' })).create(),
      () => Object.preventExtensions(new Note({ id: 'c' })).save(),
      () => api.transaction((tx) => tx.save(Object.freeze(new Note({ id: 'd' })))),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error, String(error)).toBeInstanceOf(InvalidRequestError);
    }
    expect(await stored('a')).toEqual({ id: 'a', text: 'first', revision: 1 });
    for (const id of ['b', 'c', 'd']) expect(await stored(id)).toBeUndefined();
    // A sealed object that holds its version already takes the next one.
    const sealed = Object.seal(await Note.load('a'));
    await sealed.save();
    expect(sealed.revision).toBe(2);
  });

  it('[P-76] an object written shows the discriminator its schema declares (validate() agrees with save()); a frozen one is written and left as it is', async () => {
    const { api } = await open();
    const Fish = api.persistent<{ id: string; kind?: string }>('Fish');
    const created = await Fish.create({ id: 'a' });
    expect([created.kind, created.validate()]).toEqual(['fish', []]);
    const frozen = Object.freeze(new Fish({ id: 'b' }));
    await frozen.save();
    expect(Object.hasOwn(frozen, 'kind')).toBe(false);
    expect((await Fish.load('b')).kind).toBe('fish');
    // saveMany too, for the model's objects; plain values given to it are left as they are.
    const many = new Fish({ id: 'm' });
    const plain = { id: 'p' };
    await Fish.saveMany([many, plain]);
    expect([many.kind, many.validate(), plain]).toEqual(['fish', [], { id: 'p' }]);
    // A subclass whose setter refuses it: the object is written all the same.
    class Stubborn extends Fish {}
    Object.defineProperty(Stubborn.prototype, 'kind', {
      set() {
        throw new Error('no');
      },
    });
    await new Stubborn({ id: 's' }).save();
    expect((await Fish.load('s')).kind).toBe('fish');
    // A model that does not declare it stores it without showing it.
    const Cat = api.persistent<{ id: string }>('Cat');
    expect((await Cat.create({ id: 'c' })).toJSON()).toEqual({ id: 'c' });
  });

  it('[P-23] a version the schema requires is set by the write: create(), a first save() and a transaction store 1; other required properties are still required', async () => {
    const { api } = await open();
    const Counted = api.persistent<{ id: string; name?: string; rev?: number }>('Counted');
    expect((await Counted.create({ id: 'a', name: 'A' })).rev).toBe(1);
    const saved = await new Counted({ id: 'b', name: 'B' }).save();
    expect([saved.rev, saved.validate()]).toEqual([1, []]);
    const inTransaction = new Counted({ id: 'c', name: 'C' });
    await api.transaction((tx) => tx.save(inTransaction));
    expect(inTransaction.rev).toBe(1);
    const error = await Counted.create({ id: 'd' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((problem) => problem.pointer)).toEqual([
      '/name',
    ]);
    expect(await Counted.exists('d')).toBe(false);
  });

  it('[P-24] a Proxy of a loaded object (Vue, MobX) is refused: InvalidRequestError, nothing written or deleted', async () => {
    const { api, Note, stored } = await open();
    await Note.create({ id: 'a', text: 'first' });
    await Note.create({ id: 'b', text: 'other' });
    const proxied = new Proxy(await Note.load('a'), {});
    proxied.id = 'b';
    // Not proxied, its key changed since it was read: its version is the other item's.
    const moved = await Note.load('a');
    moved.id = 'b';
    for (const attempt of [
      () => proxied.save(),
      () => proxied.delete(),
      () => Note.saveMany([proxied]),
      () => api.transaction((transaction) => transaction.delete(proxied)),
      () => api.transaction((transaction) => transaction.delete(moved)),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error, String(error)).toBeInstanceOf(InvalidRequestError);
    }
    expect(await stored('a')).toEqual({ id: 'a', text: 'first', revision: 1 });
    expect(await stored('b')).toEqual({ id: 'b', text: 'other', revision: 1 });
  });

  it("[P-24] a versioned object that lost its version since it was read or saved is not deleted unconditionally: InvalidRequestError, another writer's newer item stays", async () => {
    const { api, Note, stored, backend } = await open();
    await Note.create({ id: 'a', text: 'first' });
    const removed = await Note.load('a');
    const corrupted = await Note.load('a');
    const saved = new Note({ id: 'b', text: 'mine' });
    await saved.save();
    await (await Note.load('a')).save(); // another writer: revision 2
    delete removed.revision;
    (corrupted as unknown as Record<string, unknown>).revision = 'x';
    delete saved.revision;
    for (const object of [removed, corrupted, saved]) {
      for (const attempt of [
        () => object.delete(),
        () => api.transaction((transaction) => transaction.delete(object)),
      ]) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error, String(error)).toBeInstanceOf(InvalidRequestError);
      }
    }
    expect(await stored('a')).toEqual({ id: 'a', text: 'first', revision: 2 });
    expect(await stored('b')).toEqual({ id: 'b', text: 'mine', revision: 1 });

    // Read from an item another client wrote without a version, or never read: it has none to
    // lose, and deletes whatever is stored, as before.
    backend.writeItem('notes', { id: 'c', text: 'theirs' });
    expect(await (await Note.load('c')).delete()).toBe(true);
    expect(await new Note({ id: 'a' }).delete()).toBe(true);
    expect(await stored('a')).toBeUndefined();
  });

  it("[P-24] an object's delete without a condition answers false when its item was deleted, and another made at the same version, before the read that explains the refusal", async () => {
    const backend = createMemoryBackend();
    let recreate: (() => Promise<unknown>) | undefined;
    // Another writer's create lands between the refused delete and core's read after it.
    const racing = new Proxy(backend, {
      get(target, name) {
        const value = Reflect.get(target, name, target);
        if (name !== 'deleteItem') return typeof value === 'function' ? value.bind(target) : value;
        return async (request: Parameters<MemoryBackend['deleteItem']>[0]) => {
          try {
            return await target.deleteItem(request);
          } catch (error) {
            const landing = recreate;
            recreate = undefined;
            await landing?.();
            throw error;
          }
        };
      },
    });
    const { Note } = await open(racing);
    const { Note: Theirs, stored } = await open(backend);
    await Note.create({ id: 'a', text: 'first' });
    const stale = await Note.load('a');
    await Theirs.delete('a');
    recreate = () => Theirs.create({ id: 'a', text: 'theirs' });
    expect(await stale.delete()).toBe(false);
    expect(recreate).toBeUndefined();
    expect(await stored('a')).toEqual({ id: 'a', text: 'theirs', revision: 1 });
    // With a condition the other item meets: it held then too, so the item was gone.
    const again = await Note.load('a');
    await Theirs.delete('a');
    recreate = () => Theirs.create({ id: 'a', text: 'theirs' });
    expect(await again.delete({ condition: { attr: 'text', eq: 'theirs' } })).toBe(false);
    expect(await stored('a')).toEqual({ id: 'a', text: 'theirs', revision: 1 });
  });

  it('[P-26] an object whose own delete() removed its item does not save over one another writer made since; saved alone, it is created again', async () => {
    const { Note, stored } = await open();
    await Note.create({ id: 'a', text: 'first' });
    const mine = await Note.load('a');
    expect(await mine.delete()).toBe(true);
    await Note.create({ id: 'a', text: 'theirs' });
    mine.text = 'stale';
    await expect(mine.save()).rejects.toBeInstanceOf(ConflictError);
    expect(await stored('a')).toEqual({ id: 'a', text: 'theirs', revision: 1 });
    const again = await Note.load('a');
    expect(await again.delete()).toBe(true);
    await again.save();
    expect(await stored('a')).toEqual({ id: 'a', text: 'theirs', revision: 1 });
  });

  it('a subclass whose getter without a setter is named like a property: load() is an InvalidRequestError, not a TypeError', async () => {
    const { Note } = await open();
    await Note.create({ id: 'a', text: 'first' });
    class Shouting extends Note {
      // @ts-expect-error TypeScript refuses an accessor over a property (TS2611); JavaScript does not.
      get text() {
        return 'LOUD';
      }
    }
    const error = await Shouting.load('a').catch((caught: unknown) => caught);
    expect(error, String(error)).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain('named like a property');
  });

  it("[P-91] what another client stored beside a closed schema goes back to its own item only, not into another API's table", async () => {
    const tenantA = await open(createMemoryBackend(), 'tenantA_');
    const tenantB = await open(createMemoryBackend(), 'tenantB_');
    const ClosedA = tenantA.api.persistent<{ id: string; n?: number }>('Closed');
    const ClosedB = tenantB.api.persistent<{ id: string; n?: number }>('Closed');
    await tenantA.backend.putItem({
      model: ClosedA.descriptor,
      item: { id: 'k', n: 1, legacy: 'A-secret' },
    });
    const loaded = await ClosedA.load('k');
    await ClosedB.saveMany([loaded]);
    expect(await tenantB.backend.getItem({ model: ClosedB.descriptor, key: { id: 'k' } })).toEqual({
      id: 'k',
      n: 1,
    });
    // Saved through its own class, it keeps the attribute.
    loaded.n = 2;
    await loaded.save();
    expect(await tenantA.backend.getItem({ model: ClosedA.descriptor, key: { id: 'k' } })).toEqual({
      id: 'k',
      n: 2,
      legacy: 'A-secret',
    });
  });

  it('[P-91] an object loaded by one API and given to saveMany of another API of the same model, backend and table (a hot reload) keeps what another client stored', async () => {
    const backend = createMemoryBackend();
    const before = await open(backend);
    const reloaded = await open(backend);
    const ClosedBefore = before.api.persistent<{ id: string; n?: number }>('Closed');
    const ClosedReloaded = reloaded.api.persistent<{ id: string; n?: number }>('Closed');
    await backend.putItem({
      model: ClosedBefore.descriptor,
      item: { id: 'k', n: 1, legacy: 'kept' },
    });
    const loaded = await ClosedBefore.load('k');
    loaded.n = 2;
    await ClosedReloaded.saveMany([loaded]);
    expect(await backend.getItem({ model: ClosedReloaded.descriptor, key: { id: 'k' } })).toEqual({
      id: 'k',
      n: 2,
      legacy: 'kept',
    });
    // Its declared discriminator shows once written, as through its own class (P-76).
    const Fish = before.api.persistent<{ id: string; kind?: string }>('Fish');
    const fish = new Fish({ id: 'f' });
    await reloaded.api.persistent('Fish').saveMany([fish]);
    expect(fish.kind).toBe('fish');
    // The same backend under another table prefix is another table: the object's values alone.
    const prefixed = await open(backend, 'other_');
    const ClosedPrefixed = prefixed.api.persistent<{ id: string; n?: number }>('Closed');
    await ClosedPrefixed.saveMany([loaded]);
    expect(await backend.getItem({ model: ClosedPrefixed.descriptor, key: { id: 'k' } })).toEqual({
      id: 'k',
      n: 2,
    });
    // Another backend, its table of the same name: the object's values alone too.
    const elsewhere = await open(createMemoryBackend());
    const ClosedElsewhere = elsewhere.api.persistent<{ id: string; n?: number }>('Closed');
    await ClosedElsewhere.saveMany([loaded]);
    expect(
      await elsewhere.backend.getItem({ model: ClosedElsewhere.descriptor, key: { id: 'k' } }),
    ).toEqual({ id: 'k', n: 2 });
  });

  it("[P-68] a transaction takes only the objects and classes of APIs on its backend: another backend's is InvalidRequestError, nothing written", async () => {
    const backend = createMemoryBackend();
    const tenantA = await open(backend, 'tenantA_');
    const tenantB = await open(createMemoryBackend(), 'tenantB_');
    const fromA = await tenantA.Note.create({ id: 'x', text: 'A' });
    for (const attempt of [
      () => tenantB.api.transaction((tx) => tx.save(fromA)),
      () => tenantB.api.transaction((tx) => tx.update(tenantA.Note, 'x', { set: { text: 'B' } })),
      () => tenantB.api.transaction((tx) => tx.delete(tenantA.Note, 'x')),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error, String(error)).toBeInstanceOf(InvalidRequestError);
    }
    expect(await tenantA.stored('x')).toEqual({ id: 'x', text: 'A', revision: 1 });
    expect(await tenantB.stored('x')).toBeUndefined();
    // Its own, as before; and an API on the same backend, whose classes name their own tables.
    await tenantA.api.transaction((tx) => tx.save(fromA));
    expect(fromA.revision).toBe(2);
    const sameBackend = await open(backend, 'tenantC_');
    await sameBackend.api.transaction((tx) => tx.save(fromA));
    expect(await tenantA.stored('x')).toEqual({ id: 'x', text: 'A', revision: 3 });
  });
});
