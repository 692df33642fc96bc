import { test } from 'vitest';
import type { Comparison, Condition, SortKeyCondition } from './condition.js';
import type { Persistent, PersistentModelClass } from './persistent-model.js';
import type { QueryRequest, TransactionAction } from './storage-backend.js';
import type { ModelDescriptor } from './table-descriptor.js';
import type { Transaction } from './transaction.js';
import type { TypedCondition } from './typed-persistent-class.js';

// Values as a program types them: interfaces (no index signature, unlike a type literal),
// nested, optional, in readonly lists, and a class's instances.
interface Address {
  street: string;
  city: string;
  zip?: string;
}
interface Person {
  id: string;
  address?: Address;
  past?: readonly Address[];
  home?: { address: Address; since?: number };
}
class Point {
  x = 0;
  y = 0;
}
declare const address: Address;
declare const addresses: readonly Address[];
declare const person: Person;
declare const point: Point;

test('an interface value is an operand of every comparison that takes a stored value', () => {
  const conditions: Condition[] = [
    { attr: 'address', eq: address },
    { attr: 'address', ne: address },
    { attr: 'address', in: [address, { ...address }, null] },
    { attr: 'address', in: addresses },
    { attr: 'address', between: [address, address] },
    { attr: 'address', lt: address },
    { attr: 'past', contains: address },
    { attr: 'past', eq: addresses },
    { attr: 'past', eq: [address, address] },
    { attr: ['home', 'address'], eq: address },
    { attr: 'home', eq: { address, since: 2020 } },
    { attr: 'home', eq: { address: { ...address, zip: '75001' }, since: 2020 } },
    { attr: 'home', in: [{ address }, { address: { street: 'a', city: 'b' } }] },
    { attr: 'self', eq: person },
    { attr: 'point', eq: point },
    {
      not: {
        or: [
          { attr: 'address', eq: address },
          { attr: 'address', exists: false },
        ],
      },
    },
    // As before: type literals, spread copies, sets of one kind, lists of stored values.
    { attr: 'address', eq: { ...address } },
    { attr: 'tags', eq: new Set(['a']) },
    { attr: 'tags', eq: [1, 'a', null, new Uint8Array(1)] },
  ];
  void conditions;
});

test('what is plainly no stored value is still refused, alone, in a list or in an object written there', () => {
  const conditions: Condition[] = [
    // @ts-expect-error a Date would be marshalled as an empty map
    { attr: 'at', eq: new Date() },
    // @ts-expect-error a Map too
    { attr: 'at', eq: new Map<string, string>() },
    // @ts-expect-error a function is stored nowhere
    { attr: 'at', eq: () => 1 },
    // @ts-expect-error nor is a class
    { attr: 'at', eq: Point },
    // @ts-expect-error nor a symbol
    { attr: 'at', eq: Symbol('at') },
    // @ts-expect-error nor undefined
    { attr: 'at', eq: undefined },
    // @ts-expect-error a set of booleans is no stored set (P-90)
    { attr: 'at', eq: new Set([true]) },
    // @ts-expect-error nor a set of objects
    { attr: 'at', eq: new Set([address]) },
    // @ts-expect-error bytes are a Uint8Array
    { attr: 'at', eq: new Uint16Array(1) },
    // @ts-expect-error a RegExp is no pattern match
    { attr: 'at', eq: /a/ },
    // @ts-expect-error a promise is not awaited
    { attr: 'at', eq: Promise.resolve(address) },
    // @ts-expect-error in a list
    { attr: 'at', in: [address, new Date()] },
    // @ts-expect-error in a list operand
    { attr: 'at', eq: [new Map<string, string>()] },
    // @ts-expect-error in an object written in the condition, at any depth
    { attr: 'at', eq: { address, at: new Date() } },
    // @ts-expect-error there too
    { attr: 'at', eq: { home: { address, since: () => 1 } } },
    // @ts-expect-error beginsWith takes a prefix: a string or bytes
    { attr: 'at', beginsWith: address },
  ];
  void conditions;
});

test('a sort-key condition still takes stored values only: a key is no map', () => {
  const conditions: SortKeyCondition[] = [
    { eq: 'a' },
    { between: [1, 2] },
    // @ts-expect-error no interface value
    { eq: address },
  ];
  void conditions;
});

test("an untyped model's reads, writes and transactions take interface values in their conditions", () => {
  const check = async (
    People: PersistentModelClass<Person>,
    someone: Persistent<Person>,
    transaction: Transaction,
  ) => {
    await People.query({ partition: 'a', filter: { attr: 'address', eq: address } });
    await People.scan({ filter: { attr: 'past', contains: address } });
    await People.delete('a', { condition: { attr: 'address', eq: address } });
    await People.update('a', { set: { address } }, { condition: { attr: 'address', ne: address } });
    await someone.save({ condition: { attr: 'address', in: addresses } });
    await someone.delete({ condition: { attr: 'address', eq: address } });
    transaction.check(People, 'a', { attr: 'address', eq: address });
    transaction.save(someone, { condition: { attr: 'address', eq: address } });
    // @ts-expect-error a Date still is not
    await People.scan({ filter: { attr: 'address', eq: new Date() } });
  };
  void check;
});

test("a backend's requests carry them as the conditions core passes on", () => {
  const check = (model: ModelDescriptor) => {
    const query: QueryRequest = { model, partition: 'a', filter: { attr: 'address', eq: address } };
    const action: TransactionAction = {
      kind: 'check',
      model,
      key: { id: 'a' },
      condition: { attr: 'address', eq: address },
    };
    void [query, action];
  };
  void check;
});

test('typed conditions take the same interface values, and are conditions', () => {
  const typed: TypedCondition<Person>[] = [
    { attr: 'address', eq: address },
    { attr: 'address', in: [address] },
    { attr: 'past', eq: addresses },
    { attr: 'past', contains: address },
    { attr: ['home', 'address'], eq: address },
    // @ts-expect-error a Date is no Address
    { attr: 'address', eq: new Date() },
  ];
  const untyped: Condition[] = typed;
  const comparison: Comparison = { attr: 'address', eq: address };
  void [untyped, comparison];
});
