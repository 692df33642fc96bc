import { test } from 'vitest';
import type { Condition } from './condition.js';
import type { Persistent, PersistentModelClass } from './persistent-model.js';
import type {
  TypedCondition,
  TypedPersistent,
  TypedPersistentClass,
} from './typed-persistent-class.js';

// Models as `macaron generate` writes them: interfaces, one holding another (a $ref), at any
// depth, in a list too.
interface Geo {
  lat: number;
  lon: number;
}
interface Address {
  city: string;
  zip?: string | null;
  geo?: Geo;
}
interface Order {
  id: string;
  address?: Address;
  stops?: Address[];
}
type OrderTypes = {
  model: Order;
  key: string | { readonly id: string };
  table: { partition: string; sort: never };
  indexes: {};
  fixed: 'id';
  filled: never;
};

test("a typed object and condition stand where core's untyped ones are taken, whatever interfaces the model holds", () => {
  const check = (order: TypedPersistent<OrderTypes>, condition: TypedCondition<Order>) => {
    const untyped: Persistent<Order> = order;
    const untypedCondition: Condition = condition;
    void [untyped, untypedCondition];
  };
  void check;
});

test('a typed condition compares an interface-typed property with a value of its interface, and nothing else', () => {
  const check = (address: Address, geo: Geo) => {
    const conditions: TypedCondition<Order>[] = [
      { attr: 'address', eq: address },
      { attr: 'address', ne: { city: 'Paris', geo } },
      { attr: 'stops', contains: address },
      { attr: 'stops', eq: [address, { city: 'Lyon' }] },
      { attr: 'address', in: [address] },
      // @ts-expect-error a city is a string
      { attr: 'address', eq: { city: 1 } },
      // @ts-expect-error as at any depth
      { attr: 'address', eq: { city: 'Paris', geo: { lat: 'north', lon: 0 } } },
      // @ts-expect-error an address needs its city
      { attr: 'stops', contains: { zip: null } },
    ];
    void conditions;
  };
  void check;
});

// A model holding values of unknown type, as `macaron generate` writes a list without `items`
// and a free-form map.
interface Event {
  id: string;
  payload?: unknown[];
  meta?: { [key: string]: unknown };
  source?: { name: string; extra?: unknown };
}
type EventTypes = {
  model: Event;
  key: string | { readonly id: string };
  table: { partition: string; sort: never };
  indexes: {};
  fixed: 'id';
  filled: never;
};

test('a value of unknown type inside a list or a map takes any stored value, null included, and stays a Condition', () => {
  const check = (event: TypedPersistent<EventTypes>, condition: TypedCondition<Event>) => {
    const untyped: Persistent<Event> = event;
    const untypedCondition: Condition = condition;
    const conditions: TypedCondition<Event>[] = [
      { attr: 'payload', eq: [null, 'a', { b: [1n] }] },
      { attr: 'meta', eq: { a: null, b: new Uint8Array([1]) } },
      { attr: 'source', ne: { name: 'n', extra: null } },
      // @ts-expect-error a name is still a string
      { attr: 'source', eq: { name: null } },
      // @ts-expect-error no stored value is a function, of unknown type or not
      { attr: 'meta', eq: { a: () => 1 } },
    ];
    void [untyped, untypedCondition, conditions];
  };
  void check;
});

// A model keyed by two attributes, and one open to any name.
interface Reading {
  sensor: string;
  at: number;
  value?: number;
}
type ReadingTypes = {
  model: Reading;
  key: { readonly sensor: string; readonly at: number };
  table: { partition: string; sort: number };
  indexes: {};
  fixed: 'sensor' | 'at';
  filled: never;
};
interface Bag {
  id: string;
  [name: string]: unknown;
}
type BagTypes = {
  model: Bag;
  key: string | { readonly id: string };
  table: { partition: string; sort: never };
  indexes: {};
  fixed: 'id';
  filled: never;
};

test("a typed class stands where core's untyped class is taken (a helper over any model), whatever its key", () => {
  // The typed key refuses the model's other properties (`?: never`), which reads as
  // `?: undefined` without exactOptionalPropertyTypes, the compiler's default.
  const check = (
    orders: TypedPersistentClass<OrderTypes>,
    readings: TypedPersistentClass<ReadingTypes>,
    bags: TypedPersistentClass<BagTypes>,
  ) => {
    const helper = <T extends object>(model: PersistentModelClass<T>) => model.scan({ limit: 1 });
    const untyped: [
      PersistentModelClass<Order>,
      PersistentModelClass<Reading>,
      PersistentModelClass<Bag>,
    ] = [orders, readings, bags];
    void [helper(orders), helper(readings), helper(bags), untyped];
    // @ts-expect-error the typed class still refuses another property in its key
    void orders.load({ id: 'a', address: { city: 'Paris' } });
    // @ts-expect-error and a name that is a number, where the model is open to any name
    void bags.update('a', { remove: [1] });
  };
  void check;
});

// A model with a property named like a member of Object (`macaron generate` types it with the
// inherited member too), and one whose only other property is such.
interface Memo {
  id: string;
  toString?: string | typeof Object.prototype.toString;
  count?: number;
}
type MemoTypes = {
  model: Memo;
  key: string | { readonly id: string };
  table: { partition: string; sort: never };
  indexes: {};
  fixed: 'id';
  filled: never;
};
interface Tag {
  id: string;
  valueOf?: number | typeof Object.prototype.valueOf;
}
type TagTypes = {
  model: Tag;
  key: string | { readonly id: string };
  table: { partition: string; sort: never };
  indexes: {};
  fixed: 'id';
  filled: never;
};

test("a typed class of a model with a property named like a member of Object stands where core's untyped class is taken", () => {
  const check = async (
    memos: TypedPersistentClass<MemoTypes>,
    tags: TypedPersistentClass<TagTypes>,
    memo: Memo,
  ) => {
    const untyped: [PersistentModelClass<Memo>, PersistentModelClass<Tag>] = [memos, tags];
    void untyped;
    await memos.load({ id: 'a' });
    await tags.load({ id: 'a' });
    // @ts-expect-error the key still takes no other property of the model
    await memos.load({ id: 'a', toString: 'x' });
    // @ts-expect-error nor an object of the model (its count), refused at run time (P-7)
    await memos.delete(memo);
  };
  void check;
});
