import { test } from 'vitest';
import type { ModelClass } from '../model/model-class.js';
import type { PersistentModelClass } from './persistent-model.js';
import type { TypedKeyInput, TypedPersistentClass } from './typed-persistent-class.js';

// A model whose other properties are named like members of Object, as `macaron generate`
// types them (an optional one admits the inherited member).
interface Odd {
  id: string;
  seq: number;
  toString?: string | typeof Object.prototype.toString;
  hasOwnProperty?: number | bigint | typeof Object.prototype.hasOwnProperty;
  valueOf?: number | typeof Object.prototype.valueOf;
  toLocaleString?: string[] | typeof Object.prototype.toLocaleString;
  __proto__?: string | typeof Object.prototype;
  note?: string;
}
type OddTypes = {
  model: Odd;
  key: { readonly id: string; readonly seq: number };
  table: { partition: string; sort: number };
  indexes: {};
  fixed: 'id' | 'seq';
  filled: never;
};

test('a key object compiles beside properties named like members of Object; other properties do not', () => {
  const check = async (Odds: TypedPersistentClass<OddTypes>, odd: Odd) => {
    // An object literal has Object's members (hasOwnProperty, valueOf…): they are no property.
    const key: TypedKeyInput<OddTypes> = { id: 'a', seq: 1 };
    await Odds.load({ id: 'a', seq: 1 });
    await Odds.delete(key);
    // @ts-expect-error a property of the model beside the key
    await Odds.load({ id: 'a', seq: 1, note: 'n' });
    // @ts-expect-error a property named like a member of Object, given
    await Odds.load({ id: 'a', seq: 1, toString: 'x' });
    // @ts-expect-error a whole object is no key
    await Odds.delete(odd);
  };
  void check;
});

test('update() and conditions take properties named like members of Object as their stored types', () => {
  const check = async (Odds: TypedPersistentClass<OddTypes>) => {
    const key = { id: 'a', seq: 1 };
    await Odds.update(key, { add: { valueOf: 1, hasOwnProperty: 2n } });
    await Odds.update(key, { append: { toLocaleString: ['x'] } });
    await Odds.update(key, { set: { toString: 's', __proto__: 'p' }, remove: ['valueOf'] });
    await Odds.update(key, { set: { note: 'n' } }, { condition: { attr: 'valueOf', gte: 1 } });
    await Odds.query({ partition: 'a', filter: { attr: 'toString', beginsWith: 's' } });
    // @ts-expect-error add() on a string property
    await Odds.update(key, { add: { toString: 1 } });
    // @ts-expect-error append() on a number property
    await Odds.update(key, { append: { valueOf: [1] } });
    // @ts-expect-error a condition's value of another type than its property's
    await Odds.scan({ filter: { attr: 'toString', eq: 5 } });
    // @ts-expect-error as for a number property
    await Odds.scan({ filter: { attr: 'valueOf', ne: 'x' } });
    // @ts-expect-error as for a list property
    await Odds.scan({ filter: { attr: 'toLocaleString', in: [5] } });
  };
  void check;
});

// A model that requires a property named like a member of Object (`toString: string`): every
// object literal has the inherited member, which `set` must not take for the property's value.
interface Demanding {
  id: string;
  toString: string;
  constructor: string;
  note?: string;
}
type DemandingTypes = {
  model: Demanding;
  key: { readonly id: string };
  table: { partition: string; sort: never };
  indexes: {};
  fixed: 'id';
  filled: never;
};

test('set compiles on a model that requires properties named like members of Object', () => {
  const check = async (Demandings: TypedPersistentClass<DemandingTypes>) => {
    await Demandings.update({ id: 'a' }, { set: { note: 'n' } });
    await Demandings.update({ id: 'a' }, { set: { toString: 't', constructor: 'c' } });
    // @ts-expect-error a number for a string property named like a member of Object
    await Demandings.update({ id: 'a' }, { set: { toString: 1 } });
  };
  void check;
});

// The constructor takes any of a model's values: an object that leaves out a property named
// like a member of Object still has that member, inherited, and copies no such property.
interface Proto {
  id: string;
  constructor: string;
  toString: string;
  hasOwnProperty: number;
  valueOf: boolean;
  __proto__: string;
}
type ProtoTypes = {
  model: Proto;
  key: { readonly id: string };
  table: { partition: string; sort: never };
  indexes: {};
  fixed: 'id' | 'valueOf';
  filled: 'valueOf';
};

test('the constructor takes part of a model that requires properties named like members of Object', () => {
  const check = async (
    Protos: TypedPersistentClass<ProtoTypes>,
    Untyped: PersistentModelClass<Proto>,
    Model: ModelClass<Proto>,
  ) => {
    const some = { id: 'a' };
    new Protos({ id: 'a' });
    new Protos(some);
    new Protos({ toString: 't', hasOwnProperty: 1 });
    new Untyped({ id: 'a' });
    await Untyped.create(some);
    new Model({ id: 'a', valueOf: true });
    new Model(some);
    // The whole model still goes, and create() still wants what it requires.
    const whole: Proto = {
      id: 'a',
      constructor: 'c',
      toString: 't',
      hasOwnProperty: 1,
      valueOf: true,
      __proto__: 'p',
    };
    new Model(whole);
    await Protos.create({
      id: 'a',
      constructor: 'c',
      toString: 't',
      hasOwnProperty: 1,
      __proto__: 'p',
    });
    // @ts-expect-error a number for a string property named like a member of Object
    new Model({ toString: 1 });
    // @ts-expect-error a string for a number property
    new Protos({ hasOwnProperty: 'h' });
    // @ts-expect-error a property the model does not have
    new Model({ id: 'a', note: 'n' });
    // @ts-expect-error create() wants the required toString
    await Protos.create({ id: 'a', constructor: 'c', hasOwnProperty: 1, __proto__: 'p' });
  };
  void check;
});
