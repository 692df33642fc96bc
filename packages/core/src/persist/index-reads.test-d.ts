import { test } from 'vitest';
import type { PersistentModelTypes, TypedPersistentClass } from './typed-persistent-class.js';

// A model as `macaron generate` types it: a table with a sort key, an index with one, an index
// without.
interface Order {
  customer: string;
  placed: number;
  status: 'open' | 'paid';
  total: number;
  digest?: string;
}
type OrderTypes = {
  model: Order;
  key: { readonly customer: string; readonly placed: number };
  table: { partition: string; sort: number };
  indexes: {
    byStatus: { partition: 'open' | 'paid'; sort: number };
    byDigest: { partition: string; sort: never };
  };
  fixed: 'customer' | 'placed';
  filled: never;
};

test('a consistent read names no index: core refuses one on every backend (secondary indexes have none)', () => {
  const check = async (
    Orders: TypedPersistentClass<OrderTypes>,
    consistent: boolean,
    index: 'byStatus' | undefined,
  ) => {
    await Orders.query({ partition: 'c', consistent: true });
    await Orders.query({ partition: 'c', consistent });
    await Orders.query({ index: 'byStatus', partition: 'open', consistent: false });
    await Orders.query({ index: 'byDigest', partition: 'd', consistent: undefined });
    await Orders.scan({ consistent: true });
    await Orders.scan({ index: undefined, consistent });
    await Orders.scan({ index: 'byStatus', consistent: false });
    Orders.queryAll({ partition: 'c', consistent: true });
    Orders.scanAll({ consistent: true, limit: 10 });
    Orders.scanAll({ index: 'byDigest' });
    // An index chosen at run time, or none.
    await Orders.scan({ index, limit: 10 });
    Orders.scanAll({ index });
    // @ts-expect-error a consistent query of an index
    await Orders.query({ index: 'byStatus', partition: 'open', consistent: true });
    // @ts-expect-error as for an index without a sort key
    await Orders.query({ index: 'byDigest', partition: 'd', consistent: true });
    // @ts-expect-error a flag that may be true, with an index
    await Orders.query({ index: 'byDigest', partition: 'd', consistent });
    // @ts-expect-error a consistent scan of an index
    await Orders.scan({ index: 'byStatus', consistent: true });
    // @ts-expect-error as for every page of an index's query
    Orders.queryAll({ index: 'byStatus', partition: 'paid', consistent: true });
    // @ts-expect-error as for every page of an index's scan
    Orders.scanAll({ index: 'byDigest', consistent: true });
  };
  void check;
});

test('a helper generic over models scans the index it is given, or the table (an optional index, as before)', () => {
  const check = async <P extends PersistentModelTypes>(
    Models: TypedPersistentClass<P>,
    index?: keyof P['indexes'] & string,
  ) => {
    await Models.scan({ index });
    await Models.scan({ index, consistent: false, limit: 5 });
    Models.scanAll({ index });
    // @ts-expect-error an index perhaps given, with a consistent read
    await Models.scan({ index, consistent: true });
  };
  void check;
});
