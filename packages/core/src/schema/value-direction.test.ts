import { describe, expect, it } from 'vitest';
import { problemKeys, schemaNode } from '../../test/support/specs.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';
import type { Dialect } from './normalize-schema.js';
import { type ValidateOptions, validateValue } from './validate-value.js';
import { liftedRequirements } from './value-direction.js';

const account = {
  type: 'object',
  required: ['id', 'email', 'password'],
  properties: {
    id: { type: 'string', readOnly: true },
    email: { type: 'string' },
    password: { type: 'string', writeOnly: true, minLength: 8 },
  },
};

function check(raw: unknown, value: unknown, options?: ValidateOptions, dialect?: Dialect) {
  return problemKeys(validateValue(schemaNode(raw, dialect), value, '', options));
}
const required = (...names: string[]) =>
  names.map((name) => ({ pointer: `/${name}`, keyword: 'required' }));

describe('readOnly and writeOnly: what each direction requires', () => {
  it('requires everything without a direction (a stored object is whole)', () => {
    expect(check(account, { email: 'a@b.c' })).toEqual(required('id', 'password'));
  });

  it('lets a request leave out readOnly properties, not writeOnly ones', () => {
    expect(
      check(account, { email: 'a@b.c', password: 'secret-123' }, { direction: 'request' }),
    ).toEqual([]);
    expect(check(account, { email: 'a@b.c' }, { direction: 'request' })).toEqual(
      required('password'),
    );
  });

  it('lets a response leave out writeOnly properties, not readOnly ones', () => {
    expect(check(account, { id: 'u1', email: 'a@b.c' }, { direction: 'response' })).toEqual([]);
    expect(check(account, { email: 'a@b.c' }, { direction: 'response' })).toEqual(required('id'));
  });

  it('still checks a readOnly or writeOnly property that is there', () => {
    expect(
      check(account, { id: 3, email: 'a@b.c', password: 'short' }, { direction: 'request' }),
    ).toEqual([
      { pointer: '/id', keyword: 'type' },
      { pointer: '/password', keyword: 'minLength' },
    ]);
  });

  it('lifts nothing else: a missing ordinary property is still required', () => {
    expect(check(account, { id: 'u1' }, { direction: 'response' })).toEqual(required('email'));
    expect(check(account, {}, { direction: 'request' })).toEqual(required('email', 'password'));
  });

  it('finds the flag through a reference, an allOf member (3.1 siblings) and nested objects', () => {
    const others = {
      Id: { type: 'string', readOnly: true },
      Base: { type: 'object', properties: { id: { $ref: '#/components/schemas/Id' } } },
    };
    const derived = {
      allOf: [{ $ref: '#/components/schemas/Base' }],
      required: ['id', 'owner', 'items'],
      properties: {
        owner: { $ref: '#/components/schemas/Id', description: 'set by the server' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['sku', 'secret'],
            properties: {
              sku: { type: 'string', readOnly: true },
              secret: { type: 'string', writeOnly: true },
            },
          },
        },
      },
    };
    const node = schemaNode(derived, 'oas3.1', others);
    const value = { items: [{}] };
    expect(problemKeys(validateValue(node, value, '', { direction: 'request' }))).toEqual([
      { pointer: '/items/0/secret', keyword: 'required' },
    ]);
    expect(problemKeys(validateValue(node, value, '', { direction: 'response' }))).toEqual([
      { pointer: '/id', keyword: 'required' },
      { pointer: '/items/0/sku', keyword: 'required' },
      { pointer: '/owner', keyword: 'required' },
    ]);
  });

  it('lifts a requirement one allOf member states for a property another member declares', () => {
    const others = {
      Base: {
        type: 'object',
        properties: {
          id: { type: 'string', readOnly: true },
          password: { type: 'string', writeOnly: true },
        },
        additionalProperties: { type: 'string' },
      },
    };
    const user = {
      allOf: [
        { $ref: '#/components/schemas/Base' },
        {
          type: 'object',
          required: ['id', 'name', 'password'],
          properties: { name: { type: 'string' }, secret: { type: 'string', writeOnly: true } },
        },
      ],
    };
    const node = schemaNode(user, 'oas3.1', others);
    const request = problemKeys(validateValue(node, { name: 'a' }, '', { direction: 'request' }));
    expect(request).toEqual(required('password'));
    const response = problemKeys(validateValue(node, { name: 'a' }, '', { direction: 'response' }));
    expect(response).toEqual(required('id'));
    // Not lifted for another value: a nested object is checked on its own.
    const nested = schemaNode({ type: 'object', properties: { inner: user } }, 'oas3.1', others);
    expect(
      problemKeys(validateValue(nested, { inner: { name: 'a' } }, '', { direction: 'request' })),
    ).toEqual([{ pointer: '/inner/password', keyword: 'required' }]);
  });

  it('lifts requirements stated by dependentRequired, then and dependentSchemas (3.1)', () => {
    const node = schemaNode(
      JSON.parse(`{
        "type": "object",
        "required": ["k"],
        "properties": { "k": { "type": "string" }, "id": { "type": "string", "readOnly": true } },
        "dependentRequired": { "k": ["id"] },
        "if": { "required": ["k"] },
        "then": { "required": ["id"] },
        "dependentSchemas": { "k": { "required": ["id"] } }
      }`),
    );
    expect(problemKeys(validateValue(node, { k: 'x' }, '', { direction: 'request' }))).toEqual([]);
    expect(problemKeys(validateValue(node, { k: 'x' }))).toEqual([
      { pointer: '/id', keyword: 'dependentRequired' },
      { pointer: '/id', keyword: 'required' },
    ]);
  });

  it('finds the flag on an unevaluatedProperties schema (3.1)', () => {
    const node = schemaNode({
      type: 'object',
      required: ['id', 'name'],
      properties: { name: { type: 'string' } },
      unevaluatedProperties: { type: 'string', readOnly: true },
    });
    expect(problemKeys(validateValue(node, { name: 'x' }, '', { direction: 'request' }))).toEqual(
      [],
    );
    expect(problemKeys(validateValue(node, { id: 'x' }, '', { direction: 'request' }))).toEqual([
      { pointer: '/name', keyword: 'required' },
    ]);
    expect(liftedRequirements(node, 'request')).toEqual(['id']);
  });

  it('reads readOnly in Swagger 2.0 and OpenAPI 3.0 too', () => {
    for (const dialect of ['swagger2', 'oas3.0'] as const)
      expect(
        check(
          account,
          { email: 'a@b.c', password: 'secret-123' },
          { direction: 'request' },
          dialect,
        ),
      ).toEqual([]);
  });

  it('does not leak a direction into the next validation', () => {
    expect(check(account, { email: 'a@b.c' }, { direction: 'request' })).toEqual(
      required('password'),
    );
    expect(check(account, { email: 'a@b.c' })).toEqual(required('id', 'password'));
  });
});

describe('numbers in a response: sent, not stored', () => {
  const response: ValidateOptions = { direction: 'response' };
  const type = (pointer = '') => [{ pointer, keyword: 'type' }];

  it('takes any number JSON holds, beyond what storage takes; never NaN nor an infinity', () => {
    expect(check({ type: 'number' }, 1e127, response)).toEqual([]);
    expect(check({ type: 'number' }, 1e127)).toEqual(type());
    expect(check({ type: 'number' }, -0, response)).toEqual([]);
    expect(check({ type: 'number' }, Number.NaN, response)).toEqual(type());
    expect(check({ type: 'number' }, Number.POSITIVE_INFINITY, response)).toEqual(type());
  });

  it('takes an integer-valued number from 1e21 only where any number may be', () => {
    // JSON writes it with an exponent, a double to every reader.
    expect(check({ type: 'number' }, 1e21, response)).toEqual([]);
    expect(check({}, 1e21, response)).toEqual([]);
    // An integer (or int64) property's readers keep integers exact: 1e21 is not the integer sent.
    expect(check({ type: 'integer' }, 1e21, response)).toEqual(type());
    expect(check({ type: 'number', format: 'int64' }, 1e21, response)).toEqual(type());
    // Below 1e21, JSON.stringify pads it with zeros: another integer to such readers, unless
    // its digits are its exact value.
    expect(check({ type: 'number' }, 2 ** 60, response)).toEqual(type());
    expect(check({ type: 'number' }, 1e20, response)).toEqual([]);
    expect(check({ type: 'number' }, -1.2345678901234568e20, response)).toEqual(type());
    expect(check({ type: 'number' }, 2 ** 53, response)).toEqual([]);
    expect(check({ type: 'integer' }, 1e20, response)).toEqual(type());
  });
});

describe('fromJSON and api.validate take the direction', () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 'accounts', version: '1' },
    paths: {},
    components: { schemas: { Account: account } },
  };

  it('builds a request body without its readOnly properties', async () => {
    const api = await loadApi(spec);
    const Account = api.model('Account');
    const body = Account.fromJSON(
      { email: 'a@b.c', password: 'secret-123' },
      { direction: 'request' },
    );
    expect(body.toJSON()).toEqual({ email: 'a@b.c', password: 'secret-123' });
    const error = (() => {
      try {
        Account.fromJSON({ email: 'a@b.c', password: 'secret-123' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(problemKeys((error as ValidationError).problems)).toEqual(required('id'));
    expect(
      problemKeys(api.validate('Account', { id: 'u1', email: 'a@b.c' }, { direction: 'response' })),
    ).toEqual([]);
  });
});
