import { test } from 'vitest';
import type { Condition } from './condition.js';
import type { Persistent } from './persistent-model.js';
import type { TypedCondition, TypedPersistent } from './typed-persistent-class.js';

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
