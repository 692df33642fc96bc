import { test } from 'vitest';
import type { PersistentModelClass } from '../persist/persistent-model.js';
import type { TypedPersistentClass } from '../persist/typed-persistent-class.js';
import type { ValidateOptions } from '../schema/validate-value.js';
import type { ModelClass } from './model-class.js';

// A schema that requires a readOnly `id` and a writeOnly `password`, as `macaron generate`
// types it: whole, and as a request and a response carry it.
interface User {
  id: string;
  name: string;
  password: string;
}
type UserRequest = Omit<User, 'id'> & { id?: string };
type UserResponse = Omit<User, 'password'> & { password?: string };
type UserDirections = { request: UserRequest; response: UserResponse };

test('fromJSON without a direction gives the whole model', () => {
  const check = (Users: ModelClass<User>, Typed: ModelClass<User, UserDirections>) => {
    const id: string = Users.fromJSON({}).id;
    const password: string = Typed.fromJSON({}, {}).password;
    void [id, password];
  };
  void check;
});

test('fromJSON with a direction gives what a request or response may leave out as optional', () => {
  const check = (Typed: ModelClass<User, UserDirections>, options: ValidateOptions) => {
    const request = Typed.fromJSON({}, { direction: 'request' });
    const name: string = request.name;
    const password: string = request.password;
    // @ts-expect-error a request may leave out a required readOnly property
    const id: string = request.id;
    const response = Typed.fromJSON({}, { direction: 'response' });
    const responseId: string = response.id;
    // @ts-expect-error a response may leave out a required writeOnly property
    const responsePassword: string = response.password;
    // A direction not known until run time: either may be missing.
    const either = Typed.fromJSON({}, options);
    // @ts-expect-error the id of a request
    const eitherId: string = either.id;
    // @ts-expect-error the password of a response
    const eitherPassword: string = either.password;
    // The model methods stay.
    request.validate();
    response.toJSON();
    void [name, password, id, responseId, responsePassword, eitherId, eitherPassword];
  };
  void check;
});

test("without the model's types by direction, any property may be missing in either", () => {
  const check = (Users: ModelClass<User>, Persistent: PersistentModelClass<User>) => {
    // @ts-expect-error core does not know which properties are readOnly
    const name: string = Users.fromJSON({}, { direction: 'request' }).name;
    // @ts-expect-error nor which are writeOnly, in a persistent class
    const id: string = Persistent.fromJSON({}, { direction: 'response' }).id;
    const object = Persistent.fromJSON({}, { direction: 'request' });
    void object.key();
    void [name, id];
  };
  void check;
});

test("a typed persistent class reads by its generated map's types by direction", () => {
  type Types = {
    model: User;
    key: string | { readonly id: string };
    table: { partition: string; sort: never };
    indexes: {};
    fixed: 'id';
    filled: never;
    directions: UserDirections;
  };
  const check = (Users: TypedPersistentClass<Types>) => {
    const request = Users.fromJSON({}, { direction: 'request' });
    const name: string = request.name;
    // @ts-expect-error a request may leave out a required readOnly property
    const id: string = request.id;
    void request.key();
    void [name, id];
  };
  void check;
});
