import { ConditionFailedError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { useLocalEngine } from '../local-engine.js';
import { createRawAccess } from '../raw-document-client.js';
import { expectTypedError, openCatalogue, snapshot } from './bad-input-fixture.js';

const engine = useLocalEngine();
const capabilities = { ...dynamoDbCapabilities, transactions: false, ttl: false };

async function open() {
  const backend = createDynamoDbBackend({ client: engine().engine.client, capabilities });
  const context = await openCatalogue(backend);
  const raw = createRawAccess(engine().rawClient);
  const table = (model: { descriptor: { table: { name: string } } }) => model.descriptor.table.name;
  return { ...context, raw, table };
}

// Inputs that look bad but are valid data: each must round-trip exactly (read raw) and work in conditions.
describe('odd but valid input on dynalite: stored exactly, usable in conditions', () => {
  it('[P-17] NUL in values, list items, map keys and key values round-trips', async () => {
    const { Thing, raw, table } = await open();
    const values = {
      id: 'k\u0000ey',
      label: 'a\u0000b',
      tags: ['\u0000'],
      meta: { 'x\u0000y': '\u0000' },
    };
    await Thing.create(values);
    expect(await raw.get(table(Thing), { id: 'k\u0000ey' })).toEqual(values);
    expect((await Thing.load('k\u0000ey')).toJSON()).toEqual(values);
    await Thing.update(
      'k\u0000ey',
      { set: { label: '\u0000' } },
      { condition: { attr: 'label', eq: 'a\u0000b' } },
    );
    expect((await raw.get(table(Thing), { id: 'k\u0000ey' }))?.label).toBe('\u0000');
  });

  it('[P-38][P-45] reserved words and names with . # : and spaces round-trip, in every kind of write', async () => {
    const { Odd, raw, table } = await open();
    const values = {
      name: 'n1',
      status: 'on',
      size: 3,
      data: 'd',
      'a.b': 'dot',
      'h#x': 'hash',
      'c:d': 'colon',
      'with space': 'space',
    };
    await Odd.create(values);
    expect(await raw.get(table(Odd), { name: 'n1' })).toEqual(values);
    await Odd.update('n1', {
      set: { 'a.b': 'dot2', 'c:d': 'colon2' },
      remove: ['h#x'],
      add: { size: 2 },
    });
    expect(await raw.get(table(Odd), { name: 'n1' })).toEqual({
      ...values,
      size: 5,
      'a.b': 'dot2',
      'c:d': 'colon2',
      'h#x': undefined,
    });
  });

  it('[P-45] conditions on reserved words and odd names hold and fail as they should', async () => {
    const { Odd, api, raw, table } = await open();
    await Odd.create({
      name: 'n2',
      status: 'on',
      size: 1,
      'a.b': 'x',
      'h#x': 'y',
      'c:d': 'z',
      'with space': 'w',
    });
    const holding = [
      { attr: 'status', eq: 'on' },
      { attr: 'size', lt: 2 },
      { attr: 'a.b', eq: 'x' },
      { attr: 'h#x', beginsWith: 'y' },
      { attr: 'c:d', exists: true },
      { attr: 'with space', ne: 'nope' },
      { attr: 'data', exists: false },
    ] as const;
    for (const condition of holding) await Odd.update('n2', { add: { size: 0 } }, { condition });
    for (const condition of holding) {
      const before = await snapshot(engine().rawClient, api);
      await expectTypedError(
        () => Odd.update('n2', { set: { status: 'off' } }, { condition: { not: condition } }),
        ConditionFailedError,
      );
      expect(await snapshot(engine().rawClient, api)).toEqual(before);
    }
    const page = await Odd.scan({
      filter: {
        and: [
          { attr: 'a.b', eq: 'x' },
          { attr: 'with space', eq: 'w' },
        ],
      },
    });
    expect(page.items.map((item) => item.toJSON().name)).toContain('n2');
    expect((await raw.get(table(Odd), { name: 'n2' }))?.status).toBe('on');
  });

  it('[P-21] an empty uniqueItems list (no empty set exists in DynamoDB) round-trips as an empty list', async () => {
    const { Thing, raw, table } = await open();
    await Thing.create({ id: 'empty', unique: [], tags: [], meta: {} });
    expect(await raw.get(table(Thing), { id: 'empty' })).toEqual({
      id: 'empty',
      unique: [],
      tags: [],
      meta: {},
    });
  });

  it('[P-21] nesting of exactly 32 levels is stored', async () => {
    const { Thing, raw, table } = await open();
    let free: Record<string, unknown> = { leaf: 1 };
    for (let level = 1; level < 31; level++) free = { inner: free };
    await Thing.create({ id: 'deep', free });
    expect((await raw.get(table(Thing), { id: 'deep' }))?.free).toEqual(free);
  });

  it('[P-63][P-62] batches over the engine limits are chunked: 3 * 25 + 7 written, 182 read, all deleted', async () => {
    const { Pair, raw, table } = await open();
    const items = Array.from({ length: 3 * 25 + 7 }, (_, index) => ({
      p: 'bulk',
      s: index,
      note: `n${index}`,
    }));
    await Pair.saveMany(items);
    for (const item of items)
      expect(await raw.get(table(Pair), { p: 'bulk', s: item.s })).toEqual(item);
    const keys = [...items, ...items, ...items.slice(0, 18)].map(({ p, s }) => ({ p, s }));
    const found = await Pair.getMany(keys);
    expect(found.map((item) => (item as { s: number } | undefined)?.s)).toEqual(
      keys.map((key) => key.s),
    );
    await Pair.deleteMany(items.map(({ p, s }) => ({ p, s })));
    for (const item of items)
      expect(await raw.get(table(Pair), { p: 'bulk', s: item.s })).toBeUndefined();
  });
});
