import { ConflictError, ItemNotFoundError, loadApi } from '@macaron/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// The README tells teams that fake timers (`vi.useFakeTimers()`, Jest's modern and legacy
// timers) are safe around every model call on this backend: nothing waits on a timer or reads
// the clock. A `setTimeout` on the way (a back-off, a yield) would hang such a test until the
// timers were advanced (here: the first test times out), and a clock read would make what is
// stored depend on `setSystemTime`.

const spec = {
  openapi: '3.0.3',
  info: { title: 'fake timers', version: '1' },
  paths: {},
  components: {
    schemas: {
      Account: {
        type: 'object',
        required: ['id', 'name'],
        'x-persist': {
          table: 'accounts',
          key: 'id',
          version: 'version',
          indexes: { byName: { key: 'name' } },
        },
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          balance: { type: 'integer' },
          version: { type: 'integer' },
        },
      },
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id' },
        properties: { id: { type: 'string' }, text: { type: 'string' } },
      },
    },
  },
};

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

// Every kind of model call, the explanation read of a failed condition and batches of several
// chunks (more than 25 writes, 100 reads) included.
async function everyCall(api: Awaited<ReturnType<typeof loadApi>>): Promise<unknown> {
  const Account = api.persistent('Account');
  const Note = api.persistent('Note');
  await Account.create({ id: 'ann', name: 'Ann', balance: 1 });
  const ann = await Account.load('ann');
  ann.balance = 2;
  await ann.save();
  await Account.update('ann', { add: { balance: 3 } });
  const stale = await Account.load('ann');
  await Account.update('ann', { set: { name: 'Annie' } });
  await expect(stale.save()).rejects.toThrow(ConflictError);
  await expect(Account.load('bob')).rejects.toThrow(ItemNotFoundError);
  const ids = Array.from({ length: 120 }, (_, index) => `n${index}`);
  await Note.saveMany(ids.map((id) => new Note({ id, text: id })));
  expect(await Note.getMany(ids)).toHaveLength(120);
  await api.transaction((transaction) => {
    transaction.create(new Note({ id: 'in-transaction' }));
    transaction.update(Account, 'ann', { add: { balance: 1 } });
  });
  expect((await Account.query({ index: 'byName', partition: 'Annie' })).items).toHaveLength(1);
  expect(await collect(Note.scanAll())).toHaveLength(121);
  await Note.deleteMany(ids);
  expect(await Account.exists('ann')).toBe(true);
  await (await Account.load('ann')).delete();
  return { ...(await Account.get('ann')), notes: await collect(Note.scanAll()) };
}

describe('fake timers around model calls (README: "In Jest", what a test file can count on)', () => {
  it('sets no timer: every call completes without advancing fake timers', async () => {
    const api = await loadApi(spec, { backend: createMemoryBackend() });
    vi.useFakeTimers({
      toFake: [
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'setImmediate',
        'clearImmediate',
        'Date',
        'performance',
      ],
    });
    await everyCall(api);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads no clock: what is stored is the same at any system time', async () => {
    const stored: unknown[] = [];
    for (const time of ['2000-01-01T00:00:00Z', '2099-12-31T23:59:59Z']) {
      const backend = createMemoryBackend();
      const api = await loadApi(spec, { backend });
      vi.useFakeTimers({ now: new Date(time), toFake: ['Date', 'performance'] });
      const now = vi.spyOn(Date, 'now');
      const high = vi.spyOn(performance, 'now');
      await everyCall(api);
      expect(now).not.toHaveBeenCalled();
      expect(high).not.toHaveBeenCalled();
      stored.push(backend.readItem('notes', { id: 'in-transaction' }));
      vi.useRealTimers();
      vi.restoreAllMocks();
    }
    expect(stored[0]).toEqual({ id: 'in-transaction' });
    expect(stored[1]).toEqual(stored[0]);
  });
});
