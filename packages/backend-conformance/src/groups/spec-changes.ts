import {
  AlreadyExistsError,
  type Api,
  InvalidRequestError,
  type ItemKey,
  loadApi,
  type PersistentModelClass,
  type StoredItem,
  ValidationError,
} from '@macaron/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, pointersOf } from '../fixtures/expect-error.js';
import { suiteOptions, uniquePrefix } from '../fixtures/fixture-context.js';
import { collect } from '../fixtures/walk-pages.js';
import type { ConformanceFactory, ConformanceHarness, ConformanceOptions } from '../harness.js';

type Model = PersistentModelClass<Record<string, unknown>>;
type Schema = Record<string, unknown>;

const string = { type: 'string' };

/** `Order` as the first release declares it: the items of each test are written under it. */
function orderV1(): Schema {
  return {
    type: 'object',
    required: ['order_id'],
    'x-persist': { table: 'orders', key: 'order_id' },
    properties: {
      order_id: string,
      status: string,
      qty: { type: 'integer' },
      price: { type: 'number' },
      code: string,
      legacy: string,
      when: string,
      memo: { type: 'string', nullable: true },
      big: { type: 'integer', format: 'int64' },
      blob: { type: 'string', format: 'binary' },
      address: { type: 'object', properties: { street: string, city: string } },
      tags: { type: 'array', items: string },
    },
  };
}

/** A later release's `Order`: the first one with its properties changed by `change`. */
function orderV2(change: (properties: Schema) => void, rest: Schema = {}): Schema {
  const schema = structuredClone(orderV1());
  change(schema.properties as Schema);
  return { ...schema, ...rest };
}

/** An item as the first release wrote it, every kind of value set. */
function firstReleaseOrder(orderId: string): Record<string, unknown> {
  return {
    order_id: orderId,
    status: 'open',
    qty: 3,
    price: 1.5,
    code: 'abcdef',
    legacy: 'kept',
    when: 'yesterday',
    memo: null,
    big: 2n ** 60n,
    blob: new Uint8Array([0, 1, 254, 255]),
    address: { street: '1 Main St', city: 'Lyon' },
    tags: ['a', 'b'],
  };
}

interface SpecChanges {
  harness: ConformanceHarness;
  /** Loads a release's schemas on this test's tables and runs its `ensureTables`. */
  release(schemas: Record<string, Schema>, openapi?: string): Promise<Api>;
  stored(model: Model, key: ItemKey): Promise<StoredItem | undefined>;
  /** Writes `o1` under the first release and returns it as stored. */
  firstRelease(): Promise<StoredItem>;
}

// Each test gets a fresh harness and tables of its own, as the fixture spec's tests do.
function useSpecChanges(factory: ConformanceFactory): () => SpecChanges {
  let current: SpecChanges | undefined;
  beforeEach(async () => {
    const harness = await factory();
    const tablePrefix = uniquePrefix();
    const release = async (schemas: Record<string, Schema>, openapi = '3.0.3') => {
      const spec = { openapi, info: { title: 'Orders', version: '1' }, paths: {} };
      const api = await loadApi(
        { ...spec, components: { schemas } },
        { backend: harness.backend, tablePrefix },
      );
      await harness.backend.ensureTables?.(api.tables());
      return api;
    };
    const stored = (model: Model, key: ItemKey) =>
      harness.raw.get(model.descriptor.table.name, key);
    current = {
      harness,
      release,
      stored,
      firstRelease: async () => {
        const Order = (await release({ Order: orderV1() })).persistent('Order');
        await Order.create(firstReleaseOrder('o1'));
        const item = await stored(Order, { order_id: 'o1' });
        if (!item) throw new Error('The first release did not store its item');
        return item;
      },
    };
  });
  afterEach(async () => {
    const done = current;
    current = undefined;
    await done?.harness.close?.();
  });
  return () => {
    if (!current) throw new Error('The spec-change fixture is only available inside a test');
    return current;
  };
}

/**
 * A spec that changes while the items its earlier release wrote stay (docs/compatibility.md,
 * "When your spec changes"): they are read as stored and written back exactly, a write is held
 * to the newer spec with a `ValidationError` naming each property, nothing written.
 */
export function describeSpecChanges(
  factory: ConformanceFactory,
  options: ConformanceOptions,
): void {
  describe('a spec that changes while its items stay', suiteOptions(options), () => {
    const fixture = useSpecChanges(factory);

    it('[P-10] a property an open schema no longer declares is read, filtered on and written back by every path', async () => {
      const { release, stored, firstRelease } = fixture();
      const before = await firstRelease();
      const api = await release({
        Order: orderV2((properties) => {
          delete properties.legacy;
          delete properties.big;
          delete properties.blob;
        }),
      });
      const Order = api.persistent('Order');
      const order = await Order.load('o1');
      // Read as stored, nothing converted: the bigint and the bytes too.
      expect(order.legacy).toBe('kept');
      expect(order.big).toBe(2n ** 60n);
      expect(order.blob).toEqual(new Uint8Array([0, 1, 254, 255]));
      order.qty = 4;
      await order.save();
      expect(await stored(Order, { order_id: 'o1' })).toEqual({ ...before, qty: 4 });
      await Order.update('o1', { set: { qty: 5 } }, { condition: { attr: 'legacy', eq: 'kept' } });
      expect(await stored(Order, { order_id: 'o1' })).toEqual({ ...before, qty: 5 });
      await Order.saveMany(await Order.loadMany(['o1']));
      expect(await stored(Order, { order_id: 'o1' })).toEqual({ ...before, qty: 5 });
      const found = await Order.scan({ filter: { attr: 'legacy', eq: 'kept' } });
      expect(found.items.map((item) => item.order_id)).toEqual(['o1']);
      // Cleared like any attribute.
      await Order.update('o1', { remove: ['legacy'] } as never);
      const { legacy: _legacy, ...rest } = before;
      expect(await stored(Order, { order_id: 'o1' })).toEqual({ ...rest, qty: 5 });
    });

    it('[P-91] what a closed schema no longer declares, at the top and nested, is set aside and written back by every path', async () => {
      const { release, stored, firstRelease } = fixture();
      const before = await firstRelease();
      const api = await release({
        Order: orderV2(
          (properties) => {
            delete properties.legacy;
            delete properties.big;
            delete properties.blob;
            // `street` became `line1`: the item's street is set aside inside its map.
            properties.address = {
              type: 'object',
              additionalProperties: false,
              properties: { line1: string, city: string },
            };
          },
          { additionalProperties: false },
        ),
      });
      const Order = api.persistent('Order');
      const order = await Order.load('o1');
      expect(order.toJSON()).toEqual({
        order_id: 'o1',
        status: 'open',
        qty: 3,
        price: 1.5,
        code: 'abcdef',
        when: 'yesterday',
        memo: null,
        address: { city: 'Lyon' },
        tags: ['a', 'b'],
      });
      expect(order.validate()).toEqual([]);
      order.qty = 4;
      await order.save();
      expect(await stored(Order, { order_id: 'o1' })).toEqual({ ...before, qty: 4 });
      const written = [
        async () => Order.update('o1', { set: { code: 'u' } }),
        async () => (await Order.getMany(['o1']))[0],
        async () => (await Order.scan({})).items[0],
        async () => (await collect(Order.queryAll({ partition: 'o1' }), 1))[0],
      ];
      for (const [index, read] of written.entries()) {
        const object = await read();
        if (!object) throw new Error('The item was not read');
        object.qty = 10 + index;
        await object.save();
        expect(await stored(Order, { order_id: 'o1' })).toEqual({
          ...before,
          code: 'u',
          qty: 10 + index,
        });
      }
      await Order.saveMany(await Order.loadMany(['o1']));
      expect(await stored(Order, { order_id: 'o1' })).toEqual({ ...before, code: 'u', qty: 13 });
      if (options.capabilities.transactions) {
        const object = await Order.load('o1');
        object.qty = 20;
        await api.transaction((transaction) => {
          transaction.save(object);
        });
        expect(await stored(Order, { order_id: 'o1' })).toEqual({ ...before, code: 'u', qty: 20 });
      }
    });

    for (const [label, openapi, closing] of [
      ['additionalProperties: false', '3.0.3', { additionalProperties: false }],
      ['unevaluatedProperties: false', '3.1.0', { unevaluatedProperties: false }],
    ] as const) {
      it(`[P-30] update() removes an attribute that ${label} no longer declares, and still refuses to set it`, async () => {
        const { harness, release, stored, firstRelease } = fixture();
        const before = await firstRelease();
        const api = await release(
          {
            Order: orderV2((properties) => {
              delete properties.legacy;
              properties.memo =
                openapi === '3.0.3' ? properties.memo : { type: ['string', 'null'] };
            }, closing),
          },
          openapi,
        );
        const Order = api.persistent('Order');
        await expectError(Order.update('o1', { set: { legacy: 'x' } }), ValidationError);
        expect(await stored(Order, { order_id: 'o1' })).toEqual(before);
        // The one way through the model to clear it: every save writes it back (P-91).
        await Order.update('o1', { remove: ['legacy'] } as never);
        const { legacy: _legacy, ...rest } = before;
        expect(await stored(Order, { order_id: 'o1' })).toEqual(rest);
        if (options.capabilities.transactions) {
          await harness.raw.put(Order.descriptor.table.name, before);
          await api.transaction((transaction) => {
            transaction.update(Order, 'o1', { remove: ['legacy'] } as never);
          });
          expect(await stored(Order, { order_id: 'o1' })).toEqual(rest);
        }
      });
    }

    it('[P-98] values the newer schema refuses are read as stored; save() is a ValidationError naming each, nothing written', async () => {
      const { release, stored, firstRelease } = fixture();
      const before = await firstRelease();
      const api = await release({
        Order: orderV2(
          (properties) => {
            properties.price = { type: 'integer' };
            properties.status = { type: 'string', enum: ['OPEN', 'CLOSED'] };
            properties.code = { type: 'string', maxLength: 3 };
            properties.when = { type: 'string', format: 'date-time' };
            properties.legacy = { type: 'integer', format: 'int64' };
            // Dropping int64 narrows too: beyond 2^53, an integer needs it.
            properties.big = { type: 'integer' };
            properties.blob = string;
            properties.address = string;
            properties.tags = { type: 'array', maxItems: 1, items: string };
            properties.added = { type: 'string', default: 'none' };
            properties.must = string;
          },
          { required: ['order_id', 'must'] },
        ),
      });
      const Order = api.persistent('Order');
      for (const order of [
        await Order.load('o1'),
        (await Order.scan({})).items[0],
        (await Order.getMany(['o1']))[0],
      ]) {
        // Nothing converted, nothing filled in.
        expect(order?.toJSON()).toEqual({
          order_id: 'o1',
          status: 'open',
          qty: 3,
          price: 1.5,
          code: 'abcdef',
          legacy: 'kept',
          when: 'yesterday',
          memo: null,
          big: '1152921504606846976',
          blob: 'AAH+/w==',
          address: { street: '1 Main St', city: 'Lyon' },
          tags: ['a', 'b'],
        });
      }
      const order = await Order.load('o1');
      expect(order.big).toBe(2n ** 60n);
      order.qty = 4;
      const error = await expectError(order.save(), ValidationError);
      expect(pointersOf(error)).toEqual([
        '/address',
        '/big',
        '/blob',
        '/code',
        '/legacy',
        '/must',
        '/price',
        '/status',
        '/tags',
        '/when',
      ]);
      expect(await stored(Order, { order_id: 'o1' })).toEqual(before);
      // update() checks what it is given, and holds an append to the newer bounds.
      await expectError(Order.update('o1', { set: { status: 'open' } }), ValidationError);
      await Order.update('o1', { set: { qty: 6 } }, { condition: { attr: 'price', eq: 1.5 } });
      expect(await stored(Order, { order_id: 'o1' })).toEqual({ ...before, qty: 6 });
    });

    it('[P-12] a null the newer schema no longer allows is left out of the object and written back', async () => {
      const { release, stored, firstRelease } = fixture();
      const before = await firstRelease();
      const api = await release({
        Order: orderV2((properties) => {
          properties.memo = string;
        }),
      });
      const Order = api.persistent('Order');
      const order = await Order.load('o1');
      expect(Object.hasOwn(order, 'memo')).toBe(false);
      order.qty = 9;
      await order.save();
      expect(await stored(Order, { order_id: 'o1' })).toEqual({ ...before, qty: 9 });
    });

    it('[P-7] a key the newer schema refuses finds its item: read, updated and deleted, not saved', async () => {
      const { release, stored, firstRelease } = fixture();
      const before = await firstRelease();
      const api = await release({
        Order: orderV2((properties) => {
          properties.order_id = { type: 'string', format: 'uuid' };
        }),
      });
      const Order = api.persistent('Order');
      expect((await Order.get('o1'))?.toJSON()).toEqual((await Order.load('o1')).toJSON());
      expect(await Order.exists('o1')).toBe(true);
      expect((await Order.getMany(['o1']))[0]?.order_id).toBe('o1');
      expect((await Order.query({ partition: 'o1' })).items.map((item) => item.order_id)).toEqual([
        'o1',
      ]);
      expect((await Order.scan({})).items.map((item) => item.order_id)).toEqual(['o1']);
      const order = await Order.load('o1');
      order.qty = 4;
      const error = await expectError(order.save(), ValidationError);
      expect(pointersOf(error)).toEqual(['/order_id']);
      expect(await stored(Order, { order_id: 'o1' })).toEqual(before);
      await Order.update('o1', { set: { qty: 5 } });
      expect(await stored(Order, { order_id: 'o1' })).toEqual({ ...before, qty: 5 });
      expect(await Order.delete('o1')).toBe(true);
      expect(await stored(Order, { order_id: 'o1' })).toBeUndefined();
    });

    it('[P-107] a discriminator added to a table one model had alone finds none of its items, which stay; a model renamed there finds them', async () => {
      const { release, stored, firstRelease } = fixture();
      const before = await firstRelease();
      const shared = await release({
        Order: {
          ...orderV1(),
          'x-persist': { table: 'orders', key: 'order_id', discriminator: 'kind' },
        },
      });
      const Order = shared.persistent('Order');
      expect(await Order.get('o1')).toBeUndefined();
      expect((await Order.scan({})).items).toEqual([]);
      await expectError(Order.create({ order_id: 'o1' }), AlreadyExistsError);
      expect(await stored(Order, { order_id: 'o1' })).toEqual(before);
      const renamed = (await release({ Purchase: orderV1() })).persistent('Purchase');
      expect((await renamed.load('o1')).toJSON()).toEqual(
        (await (await release({ Order: orderV1() })).persistent('Order').load('o1')).toJSON(),
      );
    });

    it('[P-106] ensureTables of the newer spec, then of the older again (an index and a ttl added and dropped), changes no item; the dropped index follows the writes made meanwhile', async () => {
      const { release, stored } = fixture();
      const persist = (rest: Schema) => ({
        ...orderV1(),
        'x-persist': { table: 'orders', key: 'order_id', ...rest },
      });
      const older = (
        await release({ Order: persist({ indexes: { byStatus: { key: 'status' } } }) })
      ).persistent('Order');
      await older.create(firstReleaseOrder('o1'));
      const before = await stored(older, { order_id: 'o1' });
      const newer = (await release({ Order: persist({ ttl: 'qty' }) })).persistent('Order');
      await expectError(newer.query({ index: 'byStatus', partition: 'open' }), InvalidRequestError);
      expect(await stored(newer, { order_id: 'o1' })).toEqual(before);
      // Written while the spec has no index: a rollback reads the index as these writes left it.
      await newer.create({ order_id: 'o2', status: 'open' });
      await newer.create({ order_id: 'o3', status: 'closed' });
      await newer.update('o3', { set: { status: 'open' } });
      await newer.saveMany([{ order_id: 'o4', status: 'open' }]);
      await newer.delete('o4');
      await release({ Order: persist({ indexes: { byStatus: { key: 'status' } } }) });
      const page = await older.query({ index: 'byStatus', partition: 'open' });
      expect(page.items.map((item) => item.order_id).sort()).toEqual(['o1', 'o2', 'o3']);
      expect((await older.query({ index: 'byStatus', partition: 'closed' })).items).toEqual([]);
      expect(await stored(older, { order_id: 'o1' })).toEqual(before);
    });
  });
}
