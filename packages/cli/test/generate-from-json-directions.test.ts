import { loadApi, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { compileUsesOfGeneratedTypes } from './typescript-project.js';

// `fromJSON(json, { direction })` lets a request leave out required readOnly properties and a
// response required writeOnly ones: the object it returns is typed so, through the generated
// types, for model classes and persistent classes alike; a schema without such properties
// stays whole.
const string = { type: 'string' };
const spec = {
  openapi: '3.0.3',
  info: { title: 'directions', version: '1' },
  paths: {},
  components: {
    schemas: {
      User: {
        type: 'object',
        required: ['id', 'name', 'password'],
        properties: {
          id: { ...string, readOnly: true },
          name: string,
          password: { ...string, writeOnly: true },
        },
      },
      Account: {
        type: 'object',
        required: ['account_id', 'owner', 'created'],
        'x-persist': { table: 'accounts', key: 'account_id' },
        properties: {
          account_id: string,
          owner: { $ref: '#/components/schemas/User' },
          created: { ...string, format: 'date-time', readOnly: true },
        },
      },
      Plain: { type: 'object', required: ['name'], properties: { name: string } },
    },
  },
};

const uses = `import type { TypedApi } from './api.generated.js';
declare const api: TypedApi;
declare const json: unknown;

const Users = api.model('User');
const request = Users.fromJSON(json, { direction: 'request' });
export const name: string = request.name;
export const password: string = request.password;
// @ts-expect-error a request may leave out the readOnly id
export const id: string = request.id;
const response = Users.fromJSON(json, { direction: 'response' });
export const sentId: string = response.id;
// @ts-expect-error a response may leave out the writeOnly password
export const sentPassword: string = response.password;
export const user = Users.fromJSON(json);
export const wholeId: string = user.id;
export const problems = request.validate();

const Accounts = api.persistent('Account');
const body = Accounts.fromJSON(json, { direction: 'request' });
export const owner: string = body.owner.name;
export const key = body.key();
// @ts-expect-error a request may leave out the readOnly creation time
export const created: string = body.created;
// @ts-expect-error nor the readOnly id of its owner
export const ownerId: string = body.owner.id;

// No property a direction lifts: the whole type.
export const plain: string = api.model('Plain').fromJSON(json, { direction: 'request' }).name;
`;

// The same through a class in PyMacaron's form (table and key given in code), a schema that
// also allows null included: its properties a direction does not lift stay required.
const pymacaronSpec = {
  openapi: '3.0.3',
  info: { title: 'directions, PyMacaron form', version: '1' },
  paths: {},
  components: {
    schemas: {
      Profile: {
        type: 'object',
        required: ['id', 'name', 'created'],
        'x-persist': 'myserver.db.PersistentProfile',
        properties: {
          id: string,
          name: string,
          created: { ...string, format: 'date-time', readOnly: true },
        },
      },
      Note: {
        type: 'object',
        nullable: true,
        required: ['id', 'secret'],
        'x-persist': 'myserver.db.PersistentNote',
        properties: { id: string, secret: { ...string, writeOnly: true } },
      },
      Plain: {
        type: 'object',
        required: ['id'],
        'x-persist': 'myserver.db.PersistentPlain',
        properties: { id: string },
      },
    },
  },
};

const pymacaronUses = `import type { TypedApi } from './api.generated.js';
declare const api: TypedApi;
declare const json: unknown;

const Profiles = api.persistent('Profile', { table: 'profiles', key: 'id' });
const request = Profiles.fromJSON(json, { direction: 'request' });
export const name: string = request.name;
export const key = request.key();
// @ts-expect-error a request may leave out the readOnly creation time
export const created: string = request.created;
export const sentCreated: string = Profiles.fromJSON(json, { direction: 'response' }).created;

const Notes = api.persistent('Note', { table: 'notes', key: 'id' });
export const secret: string = Notes.fromJSON(json, { direction: 'request' }).secret;
// @ts-expect-error a response may leave out the writeOnly secret
export const sentSecret: string = Notes.fromJSON(json, { direction: 'response' }).secret;

// No property a direction lifts: the whole type.
export const plain: string = api
  .persistent('Plain', { table: 'plain', key: 'id' })
  .fromJSON(json, { direction: 'request' }).id;
`;

describe('macaron generate: fromJSON with a direction', () => {
  it('types the properties a request or a response may leave out as optional', async () => {
    const compiled = await compileUsesOfGeneratedTypes(JSON.stringify(spec), uses);
    expect(compiled.output).toBe('');
    expect(compiled).toMatchObject({ generated: 0, code: 0 });
  });

  it("types a PyMacaron-form class's objects so too, its other properties required", async () => {
    const compiled = await compileUsesOfGeneratedTypes(
      JSON.stringify(pymacaronSpec),
      pymacaronUses,
    );
    expect(compiled.output).toBe('');
    expect(compiled).toMatchObject({ generated: 0, code: 0 });
  });

  it('is what core reads: those properties missing, the others still required', async () => {
    const Users = (await loadApi(spec)).model('User');
    const request = Users.fromJSON({ name: 'ann', password: 'p' }, { direction: 'request' });
    expect(request.toJSON()).toEqual({ name: 'ann', password: 'p' });
    expect(Object.hasOwn(request, 'id')).toBe(false);
    const response = Users.fromJSON({ id: 'u1', name: 'ann' }, { direction: 'response' });
    expect(Object.hasOwn(response, 'password')).toBe(false);
    expect(() => Users.fromJSON({ password: 'p' }, { direction: 'request' })).toThrow(
      ValidationError,
    );
  });
});
