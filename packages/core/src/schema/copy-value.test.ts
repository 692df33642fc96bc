import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemaNode } from '../../test/support/specs.js';
import { ValidationError } from '../errors/validation-error.js';
import { adoptStoredValue, adoptValue, copyValue, propertySchema } from './copy-value.js';

const closed = schemaNode({
  type: 'object',
  properties: {
    name: { type: 'string' },
    nickname: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' } } } },
    address: { type: 'object', properties: { city: { type: 'string' } } },
  },
});
const open = schemaNode({
  type: 'object',
  properties: { name: { type: 'string' } },
  additionalProperties: { type: 'object', properties: { level: { type: 'integer' } } },
});
const extended = schemaNode({
  allOf: [{ type: 'object', properties: { name: { type: 'string' } } }],
});

// A stored item as another client may have written it: nulls where the schema allows none.
function storedItem(): Record<string, unknown> {
  return {
    name: null,
    nickname: null,
    tags: [{ label: null, other: null }, null],
    address: { city: null, zip: null },
    undeclared: { name: null, deep: [null] },
    extra: { level: null },
  };
}

describe('adoptValue', () => {
  it.each([
    ['declared properties only', closed],
    ['an additionalProperties schema', open],
    ['allOf members', extended],
  ])('normalises in place exactly as copyValue(store) copies, with %s', (_label, schema) => {
    const adopted = storedItem();
    const nested = adopted.address;
    adoptValue(schema, adopted);
    expect(adopted).toEqual(copyValue(schema, storedItem(), 'store'));
    // Taken over, not copied.
    expect(adopted.address).toBe(nested);
  });

  it('sets aside what a nested closed object refuses, where allOf parts, patterns or unevaluatedProperties (3.1) make it', () => {
    const schema = schemaNode(
      {
        type: 'object',
        properties: {
          inherited: {
            allOf: [{ properties: { b: { type: 'string' } } }],
            properties: { x: { type: 'string' } },
            patternProperties: { '^p_': { type: 'string' } },
            unevaluatedProperties: false,
          },
          patterned: {
            type: 'object',
            properties: { x: { type: 'string' } },
            patternProperties: { '^p_': { type: 'string' } },
            additionalProperties: false,
          },
          unevaluated: { properties: { x: { type: 'string' } }, unevaluatedProperties: false },
          // The usual 3.0 idiom: a closed schema in an allOf, beside a description.
          wrapped: { allOf: [{ $ref: '#/components/schemas/Closed' }], description: 'closed' },
        },
      },
      'oas3.1',
      { Closed: { properties: { x: { type: 'string' } }, additionalProperties: false } },
    );
    const item = {
      inherited: { x: 'x', b: 'b', p_1: 'p', z: { deep: [1] } },
      patterned: { x: 'x', p_1: 'p', b: 'b' },
      unevaluated: { x: 'x', u: 1 },
      wrapped: { x: 'x', w: null },
    };
    const setAside = adoptStoredValue(schema, item);
    expect(item).toEqual({
      inherited: { x: 'x', b: 'b', p_1: 'p' },
      patterned: { x: 'x', p_1: 'p' },
      unevaluated: { x: 'x' },
      wrapped: { x: 'x' },
    });
    expect(setAside).toEqual([
      { path: ['inherited'], name: 'z', value: { deep: [1] } },
      { path: ['patterned'], name: 'b', value: 'b' },
      { path: ['unevaluated'], name: 'u', value: 1 },
      { path: ['wrapped'], name: 'w', value: null },
    ]);
  });

  it('drops disallowed nulls at every level and keeps allowed and undeclared ones', () => {
    const adopted = storedItem();
    adoptValue(closed, adopted);
    expect(adopted).toEqual({
      nickname: null,
      tags: [{ other: null }, null],
      address: { zip: null },
      undeclared: { name: null, deep: [null] },
      extra: { level: null },
    });
  });

  it('walks the record’s own names only: a name a polluted prototype adds is not adopted', () => {
    const inherited = { city: null };
    Object.defineProperty(Object.prototype, 'address', {
      value: inherited,
      enumerable: true,
      configurable: true,
      writable: true,
    });
    try {
      const adopted: Record<string, unknown> = { name: 'n' };
      adoptValue(closed, adopted);
      expect(Object.keys(adopted)).toEqual(['name']);
      expect(inherited).toEqual({ city: null });
    } finally {
      delete (Object.prototype as Record<string, unknown>).address;
    }
  });
});

describe('propertySchema', () => {
  it('takes the member that declares a name over an earlier member’s additionalProperties', () => {
    const schema = schemaNode({
      allOf: [
        { type: 'object', additionalProperties: { type: ['string', 'null'] } },
        { type: 'object', properties: { age: { type: 'integer' } } },
      ],
    });
    expect(propertySchema(schema, 'age')?.types).toEqual(['integer']);
    expect(propertySchema(schema, 'other')?.types).toEqual(['string', 'null']);
    // So a null the declaration does not allow is left out of the stored copy.
    expect(copyValue(schema, { age: null, other: null }, 'store')).toEqual({ other: null });
  });

  it('finds a declaration under then, else and dependentSchemas (3.1)', () => {
    const schema = schemaNode(
      JSON.parse(`{
        "type": "object",
        "if": { "required": ["k"] },
        "then": { "properties": { "big": { "type": "integer", "format": "int64" } } },
        "else": { "properties": { "x": { "type": "string" } } },
        "dependentSchemas": { "k": { "properties": { "y": { "type": "string" } } } }
      }`),
    );
    expect(propertySchema(schema, 'big')?.format).toBe('int64');
    expect(copyValue(schema, { x: null, y: null, z: null }, 'store')).toEqual({ z: null });
    expect(copyValue(schema, { k: 1, big: '9007199254740993' }, 'model')).toEqual({
      k: 1,
      big: 9007199254740993n,
    });
  });
});

describe('propertySchema given the object: oneOf and anyOf members', () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  // Variants that extend the base listing them (allOf back to it): each node is looked at once.
  const others = {
    Pet: {
      type: 'object',
      required: ['kind'],
      properties: { kind: { type: 'string' } },
      oneOf: [ref('Cat'), ref('Dog')],
      discriminator: {
        propertyName: 'kind',
        mapping: { cat: ref('Cat').$ref, dog: ref('Dog').$ref },
      },
    },
    Cat: { allOf: [ref('Pet'), { properties: { photo: { type: 'string', format: 'binary' } } }] },
    Dog: { allOf: [ref('Pet'), { properties: { photo: { type: 'string' } } }] },
  };
  const pet = schemaNode(ref('Pet'), 'oas3.1', others);

  it('is the declaration of the variant the discriminator names, none for a value naming none', () => {
    expect(propertySchema(pet, 'photo', { kind: 'cat' })?.format).toBe('binary');
    expect(propertySchema(pet, 'photo', { kind: 'dog' })?.format).toBeUndefined();
    expect(propertySchema(pet, 'photo', { kind: 'dog' })?.types).toEqual(['string']);
    expect(propertySchema(pet, 'photo', { kind: 'fox' })).toBeUndefined();
    expect(propertySchema(pet, 'photo')).toBeUndefined();
    expect(propertySchema(pet, 'other', { kind: 'cat' })).toBeUndefined();
    expect(copyValue(pet, { kind: 'cat', photo: 'AAE=' }, 'model')).toEqual({
      kind: 'cat',
      photo: new Uint8Array([0, 1]),
    });
    expect(copyValue(pet, { kind: 'dog', photo: 'AAE=' }, 'model')).toEqual({
      kind: 'dog',
      photo: 'AAE=',
    });
  });

  it('with the discriminating property absent or NULL, the members the object may be of decide', () => {
    const members = (keyword: 'oneOf' | 'anyOf') =>
      schemaNode(
        {
          [keyword]: [ref('A'), ref('B')],
          discriminator: { propertyName: 'kind', mapping: { a: ref('A').$ref } },
        },
        'oas3.1',
        {
          A: {
            type: 'object',
            required: ['a'],
            properties: { kind: { type: 'string' }, a: { type: 'string', format: 'binary' } },
          },
          B: {
            type: 'object',
            required: ['b'],
            properties: { kind: { type: 'string' }, b: { type: 'string' }, a: { type: 'number' } },
          },
        },
      );
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const schema = members(keyword);
      // Only A may hold an object without `b`: its declaration reads `a`, though B declares it too.
      for (const object of [{ a: 'AAE=' }, { kind: null, a: 'AAE=' }])
        expect(propertySchema(schema, 'a', object)?.format).toBe('binary');
      // A B, where A's `a` is undeclared: any value, as text; bytes are not read into it.
      expect(propertySchema(schema, 'a', { b: 'x', a: 'AAE=' })).toBeUndefined();
      expect(copyValue(schema, { b: 'x', a: 'AAE=' }, 'model')).toEqual({ b: 'x', a: 'AAE=' });
      expect(copyValue(schema, { kind: null, a: 'AAE=' }, 'model')).toEqual({
        kind: null,
        a: new Uint8Array([0, 1]),
      });
      // A value naming a variant still decides alone; one naming none has no member.
      expect(propertySchema(schema, 'a', { kind: 'a', b: 'x' })?.format).toBe('binary');
      expect(propertySchema(schema, 'a', { kind: 'c', a: 'AAE=' })).toBeUndefined();
    }
  });

  it('without a discriminator: the declaration of the members the object may be of, when they read it alike', () => {
    const schema = schemaNode({
      anyOf: [
        {
          type: 'object',
          required: ['text'],
          properties: { text: { type: 'string' }, data: { type: 'string' } },
        },
        {
          type: 'object',
          required: ['data'],
          properties: {
            data: { type: 'string', format: 'binary' },
            big: { type: 'integer', format: 'int64' },
          },
        },
        {
          type: 'object',
          required: ['big'],
          properties: { big: { type: 'integer', format: 'int64' } },
        },
        { type: 'string' },
      ],
    });
    // Without `text`, the first member is out; the string member is no object's.
    expect(propertySchema(schema, 'data', { data: 'Zm9v' })?.format).toBe('binary');
    expect(propertySchema(schema, 'big', { data: 'Zm9v', big: '1' })?.format).toBe('int64');
    // Two members read `data` differently: which one the object is of is not certain.
    expect(propertySchema(schema, 'data', { text: 't', data: 'Zm9v' })).toBeUndefined();
    // A member that does not declare `big` takes any value there: not certain either.
    expect(copyValue(schema, { text: 't', data: 'Zm9v', big: '12' }, 'model')).toEqual({
      text: 't',
      data: 'Zm9v',
      big: '12',
    });
    // A closed one cannot hold it: the object is not of it.
    const closed = schemaNode({
      anyOf: [
        { type: 'object', additionalProperties: false, properties: { text: { type: 'string' } } },
        { type: 'object', properties: { big: { type: 'integer', format: 'int64' } } },
      ],
    });
    expect(copyValue(closed, { big: '12' }, 'model')).toEqual({ big: 12 });
  });

  it('leaves out the members whose tags (const, enum) the object contradicts', () => {
    const tagged = schemaNode({
      oneOf: [
        {
          type: 'object',
          required: ['type', 'value'],
          properties: { type: { enum: ['bytes'] }, value: { type: 'string', format: 'binary' } },
        },
        {
          type: 'object',
          required: ['type', 'value'],
          properties: { type: { const: 'text' }, value: { type: 'string' } },
        },
      ],
    });
    expect(copyValue(tagged, { type: 'text', value: 'abcd' }, 'model')).toEqual({
      type: 'text',
      value: 'abcd',
    });
    expect(copyValue(tagged, { type: 'bytes', value: 'AAE=' }, 'model')).toEqual({
      type: 'bytes',
      value: new Uint8Array([0, 1]),
    });
    // Without its tag, the object could be of either.
    expect(copyValue(tagged, { value: 'AAE=' }, 'model')).toEqual({ value: 'AAE=' });
  });

  it('counts a required property holding a NULL its member allows as there (GitHub’s simple-user)', () => {
    const user = {
      type: 'object',
      required: ['id', 'gravatar_id'],
      properties: {
        id: { type: 'integer', format: 'int64' },
        gravatar_id: { type: ['string', 'null'] },
      },
    };
    const org = { type: 'object', required: ['slug'], properties: { id: { type: 'integer' } } };
    for (const members of [
      { oneOf: [user, { type: 'object', additionalProperties: false }] },
      { anyOf: [user, org] },
    ]) {
      const schema = schemaNode(members);
      expect(copyValue(schema, { id: '9007199254740993', gravatar_id: null }, 'model')).toEqual({
        id: 9007199254740993n,
        gravatar_id: null,
      });
    }
    // A NULL the member does not allow is set aside on a load: absent, so not there.
    const strict = schemaNode({
      anyOf: [{ ...user, properties: { ...user.properties, gravatar_id: { type: 'string' } } }],
    });
    expect(propertySchema(strict, 'id', { id: '1', gravatar_id: null })).toBeUndefined();
  });

  it('NULLs decide nothing: a load and the save after it read the object alike', () => {
    const schema = schemaNode({
      anyOf: [
        {
          type: 'object',
          required: ['x'],
          properties: { x: { type: 'string' }, d: { type: ['string', 'null'] } },
        },
        { type: 'object', properties: { d: { type: 'string' } } },
        {},
      ],
    });
    for (const stored of [
      { x: null, d: null },
      { d: null, x: null },
    ]) {
      const before = { ...stored };
      adoptValue(schema, stored);
      // With `x` NULL, the object is not of the member requiring it: neither name is declared
      // alike by the members left, so both NULLs are kept for validation to judge.
      expect(stored).toEqual(before);
      expect(copyValue(schema, stored, 'store')).toEqual(before);
    }
  });

  it('sets aside what the closed members of nested unions refuse, whichever order the members come in and whichever path reaches a union', () => {
    const closed = (name: string) => ({
      type: 'object',
      required: [name],
      properties: { [name]: { type: 'integer' } },
      additionalProperties: false,
    });
    const at = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const unions = (outer: Record<string, unknown>) => ({
      X1: closed('x'),
      X2: closed('y'),
      X: { oneOf: [at('X1'), at('X2')] },
      Y: closed('a'),
      // Closed, and a union of Y and X: X is reached by two paths.
      A: {
        properties: { a: { type: 'integer' } },
        additionalProperties: false,
        oneOf: [at('Y'), at('X')],
      },
      P: closed('p'),
      Q: closed('q'),
      // A diamond: X under both.
      D1: { oneOf: [at('X'), at('P')] },
      D2: { oneOf: [at('X'), at('Q')] },
      S: outer,
    });
    for (const outer of [
      { oneOf: [at('A'), at('X')] },
      { oneOf: [at('X'), at('A')] },
      { anyOf: [at('D1'), at('D2')] },
    ]) {
      const holder = schemaNode(
        { type: 'object', properties: { v: at('S') } },
        'oas3.1',
        unions(outer),
      );
      const stored = { v: { x: 1, legacy: 1 } };
      expect(adoptStoredValue(holder, stored)).toEqual([{ path: ['v'], name: 'legacy', value: 1 }]);
      expect(stored).toEqual({ v: { x: 1 } });
    }
  });

  it('sets aside the NULLs the node’s own declarations do not allow before telling members apart', () => {
    const schema = schemaNode({
      properties: { x: { type: 'string' } },
      oneOf: [
        {
          required: ['x'],
          properties: { x: { type: ['string', 'null'] }, b: { type: ['string', 'null'] } },
        },
        { properties: { b: { type: 'string' } } },
      ],
    });
    // `x` is set aside (its declaration here allows no NULL): absent, as on the save, the
    // object is not of the first member, so `b`'s NULL is the second's, set aside too.
    for (const order of [
      ['x', 'b'],
      ['b', 'x'],
    ]) {
      const stored: Record<string, unknown> = {};
      for (const name of order) stored[name] = null;
      const setAside = adoptStoredValue(schema, stored);
      expect(stored).toEqual({});
      expect(setAside?.map(({ name }) => name).sort()).toEqual(['b', 'x']);
    }
  });

  it('a NULL discriminating property decides nothing: the load and the save read the object alike', () => {
    const pet = schemaNode(
      {
        type: 'object',
        properties: { kind: { type: 'string' } },
        oneOf: [ref('Cat'), ref('Dog')],
        discriminator: { propertyName: 'kind', mapping: { cat: ref('Cat').$ref } },
      },
      'oas3.1',
      {
        Photo: { type: 'object', properties: { x: { type: 'string' } } },
        Cat: {
          type: 'object',
          required: ['meow'],
          properties: { meow: { type: 'string' }, photo: ref('Photo') },
        },
        Dog: {
          type: 'object',
          required: ['woof'],
          properties: { woof: { type: 'string' }, photo: ref('Photo') },
        },
      },
    );
    // Whether `kind` comes before `photo` or after it, `photo` is the Dog's: its NULL `x` is
    // set aside on the load, and the save (where `kind` is absent) reads it the same.
    for (const stored of [
      { kind: null, photo: { x: null }, woof: 'w' },
      { photo: { x: null }, kind: null, woof: 'w' },
    ]) {
      adoptValue(pet, stored);
      expect(stored).toEqual({ photo: {}, woof: 'w' });
    }
  });

  it('reads a leaf of oneOf or anyOf members with the one member that converts the string, where none takes it as text', () => {
    const bytesOrObject = schemaNode({
      oneOf: [{ type: 'string', format: 'binary' }, { type: 'object' }],
    });
    expect(copyValue(bytesOrObject, 'AAE=', 'model')).toEqual(new Uint8Array([0, 1]));
    const bigOrFlag = schemaNode({
      anyOf: [{ type: 'integer', format: 'int64' }, { type: 'boolean' }],
    });
    expect(copyValue(bigOrFlag, '1152921504606846977', 'model')).toBe(2n ** 60n + 1n);
    const list = schemaNode({
      type: 'array',
      items: { oneOf: [{ type: 'string', format: 'binary' }, { type: 'integer' }] },
    });
    expect(copyValue(list, ['AAE=', 3], 'model')).toEqual([new Uint8Array([0, 1]), 3]);
    // A member that takes text, or two that convert differently: the string stays a string.
    for (const members of [
      [{ type: 'string', format: 'binary' }, { type: 'string' }],
      [{ type: 'string', format: 'binary' }, {}],
      [
        { type: 'string', format: 'binary' },
        { type: 'integer', format: 'int64' },
      ],
    ])
      expect(copyValue(schemaNode({ oneOf: members }), '1234', 'model')).toBe('1234');
  });

  it('looks at each union of a leaf once: unions listing the next one twice cost their nodes, not their paths', () => {
    const others: Record<string, unknown> = {
      U12: { anyOf: [{ type: 'integer', format: 'int64' }, { type: 'boolean' }] },
    };
    for (let level = 11; level >= 0; level--)
      others[`U${level}`] = { anyOf: [ref(`U${level + 1}`), ref(`U${level + 1}`)] };
    const schema = schemaNode({ properties: { p: ref('U0') } }, 'oas3.1', others);
    // Each union's members counted as they are read: its 2^12 paths would read them 2^14 times.
    let reads = 0;
    for (let union = schema.properties.p; union?.anyOf !== undefined; union = union.anyOf[0]) {
      const members = union.anyOf;
      Object.defineProperty(union, 'anyOf', {
        get: () => {
          reads++;
          return members;
        },
      });
    }
    expect(copyValue(schema, { p: '1152921504606846977' }, 'model')).toEqual({
      p: 2n ** 60n + 1n,
    });
    expect(reads).toBeLessThan(200);
  });

  it('reads a leaf through unions sharing a union, and members converting it to one value agree', () => {
    const shared = schemaNode({ properties: { p: { anyOf: [ref('X'), ref('Y')] } } }, 'oas3.1', {
      X: { oneOf: [ref('U'), { type: 'integer' }] },
      Y: { oneOf: [ref('U'), { type: 'boolean' }] },
      U: { oneOf: [{ type: 'string', format: 'binary' }, { type: 'array' }] },
    });
    expect(copyValue(shared, { p: 'AQID' }, 'model')).toEqual({ p: new Uint8Array([1, 2, 3]) });
    // A union none of whose members takes or converts the string leaves it to the others.
    const beside = schemaNode({ properties: { p: { oneOf: [ref('B'), ref('N')] } } }, 'oas3.1', {
      B: { type: 'string', format: 'binary' },
      N: { anyOf: [{ type: 'integer' }, { type: 'boolean' }] },
    });
    expect(copyValue(beside, { p: 'AQID' }, 'model')).toEqual({ p: new Uint8Array([1, 2, 3]) });
    const wide = schemaNode({
      properties: {
        p: { anyOf: [{ type: 'number', format: 'int64' }, { type: 'number' }] },
      },
    });
    expect(copyValue(wide, { p: '1152921504606846977' }, 'model')).toEqual({
      p: 2n ** 60n + 1n,
    });
  });

  it('looks at each allOf part once: a diamond of parts costs its nodes, not its paths', () => {
    const others: Record<string, unknown> = { D28: { properties: { x: { type: 'string' } } } };
    for (let level = 27; level >= 0; level--)
      others[`D${level}`] = { allOf: [ref(`D${level + 1}`), ref(`D${level + 1}`)] };
    const schema = schemaNode({ oneOf: [ref('D0')] }, 'oas3.1', others);
    expect(propertySchema(schema, 'x', { x: 'hi' })?.types).toEqual(['string']);
    expect(copyValue(schema, { x: 'hi', y: null }, 'store')).toEqual({ x: 'hi', y: null });
  });

  it('sets aside on adoption the NULL a member does not allow, keeps one it allows', () => {
    const item = { kind: 'cat', photo: null, nickname: null };
    adoptValue(pet, item);
    expect(item).toEqual({ kind: 'cat', nickname: null });
    const nullable = schemaNode({
      oneOf: [{ type: 'object', properties: { a: { type: ['string', 'null'] } } }],
    });
    const kept = { a: null };
    adoptValue(nullable, kept);
    expect(kept).toEqual({ a: null });
  });
});

describe('unevaluatedProperties and unevaluatedItems in copies (3.1)', () => {
  const schema = schemaNode({
    type: 'object',
    properties: { id: { type: 'string' } },
    allOf: [{ properties: { note: { type: ['string', 'null'] } } }],
    anyOf: [{ properties: { maybe: { type: 'string' } } }, {}],
    unevaluatedProperties: { type: 'integer', format: 'int64' },
  });

  it('propertySchema: the unevaluatedProperties schema, for a name nothing else could evaluate', () => {
    expect(propertySchema(schema, 'note')?.types).toEqual(['string', 'null']);
    expect(propertySchema(schema, 'big')?.format).toBe('int64');
    // An anyOf member evaluates it where it matches: which schema it is under depends on the value.
    expect(propertySchema(schema, 'maybe')).toBeUndefined();
  });

  it('reads int64 strings back as bigints and drops null under it, as under additionalProperties', () => {
    expect(copyValue(schema, { big: '9007199254740993', maybe: '1' }, 'model')).toEqual({
      big: 9007199254740993n,
      maybe: '1',
    });
    const stored = () => ({ big: null, note: null, maybe: null });
    expect(copyValue(schema, stored(), 'store')).toEqual({ note: null, maybe: null });
    const adopted = stored();
    adoptValue(schema, adopted);
    expect(adopted).toEqual({ note: null, maybe: null });
  });

  it('reads int64 strings back as bigints under a number property of format int64 too', () => {
    const numbers = schemaNode({
      type: 'object',
      properties: {
        wide: { type: 'number', format: 'int64' },
        either: { oneOf: [{ type: 'number', format: 'int64' }, { type: 'boolean' }] },
      },
    });
    const json = { wide: '1152921504606846977', either: '-1152921504606846977' };
    expect(copyValue(numbers, json, 'model')).toEqual({
      wide: 2n ** 60n + 1n,
      either: -(2n ** 60n) - 1n,
    });
    expect(copyValue(numbers, { wide: '12' }, 'model')).toEqual({ wide: 12 });
    expect(copyValue(numbers, { wide: '1.5' }, 'model')).toEqual({ wide: '1.5' });
  });

  it('takes the unevaluatedItems schema for the items nothing else could evaluate', () => {
    const list = schemaNode({
      type: 'array',
      prefixItems: [{ type: 'string' }],
      unevaluatedItems: { type: 'object', properties: { n: { type: 'integer', format: 'int64' } } },
    });
    expect(copyValue(list, ['9007199254740993', { n: '9007199254740993' }], 'model')).toEqual([
      '9007199254740993',
      { n: 9007199254740993n },
    ]);
    const stored = () => ['a', { n: null, other: null }];
    expect(copyValue(list, stored(), 'store')).toEqual(['a', { other: null }]);
    const adopted = stored();
    adoptValue(list, adopted);
    expect(adopted).toEqual(['a', { other: null }]);
    // `contains` may evaluate any item: none is surely the unevaluatedItems schema's.
    const contains = schemaNode({
      type: 'array',
      contains: { type: 'object' },
      unevaluatedItems: { type: 'object', properties: { n: { type: 'string' } } },
    });
    expect(copyValue(contains, [{ n: null }], 'store')).toEqual([{ n: null }]);
  });

  it('adoptValue drops null as the copy does under then, else and dependentSchemas', () => {
    const conditional = schemaNode(
      JSON.parse(`{
        "type": "object",
        "if": { "required": ["k"] },
        "then": { "properties": { "x": { "type": "string" } } },
        "dependentSchemas": { "k": { "properties": { "y": { "type": "string" } } } }
      }`),
    );
    const adopted = { x: null, y: null, z: null };
    adoptValue(conditional, adopted);
    expect(adopted).toEqual(copyValue(conditional, { x: null, y: null, z: null }, 'store'));
    expect(adopted).toEqual({ z: null });
  });
});

describe('adoptValue against copyValue, on random schemas and stored values', () => {
  const names = ['a', 'b', 'constructor', 'toString', '__proto__'];
  // Raw schemas (OpenAPI 3.1): scalars, nullable or not, objects with declared, extra,
  // pattern, allOf, conditional or unevaluated properties, arrays with prefix or unevaluated
  // items; recursion through $ref.
  const rawSchema = fc.letrec<{ schema: unknown; member: unknown }>((tie) => ({
    schema: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom({ type: 'string' }, { type: ['string', 'null'] }, { type: 'integer' }, {}),
      fc.record({
        type: fc.constantFrom('object', ['object', 'null']),
        properties: fc.dictionary(fc.constantFrom(...names), tie('member'), { maxKeys: 3 }),
      }),
      fc.record({
        type: fc.constant('object'),
        properties: fc.dictionary(fc.constantFrom(...names), tie('member'), { maxKeys: 2 }),
        additionalProperties: fc.oneof(fc.constant(false), tie('member')),
      }),
      fc.record({ allOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }),
      fc.record({ type: fc.constant('array'), items: tie('member') }),
      fc
        .record(
          {
            type: fc.constant('object'),
            properties: fc.dictionary(fc.constantFrom(...names), tie('member'), { maxKeys: 1 }),
            patternProperties: fc.record({ '^c': tie('member') }),
            if: fc.constant({ required: ['a'] }),
            matched: tie('schema'),
            else: tie('schema'),
            dependentSchemas: fc.record({ b: tie('schema') }),
            anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }),
            unevaluatedProperties: fc.oneof(fc.constant(false), tie('member')),
          },
          { requiredKeys: ['type'] },
        )
        // `then` as spelt in a spec (a literal with a `then` key reads as a promise to linters).
        .map(({ matched, ...rest }) =>
          Object.fromEntries([...Object.entries(rest), ...(matched ? [['then', matched]] : [])]),
        ),
      fc.record(
        {
          type: fc.constant('array'),
          prefixItems: fc.array(tie('member'), { minLength: 1, maxLength: 2 }),
          contains: fc.constant({ type: 'string' }),
          unevaluatedItems: fc.oneof(fc.constant(false), tie('member')),
        },
        { requiredKeys: ['type'] },
      ),
    ),
    // Below a property or an item, the schema may also be the whole one again.
    member: fc.oneof(tie('schema'), fc.constant({ $ref: '#/components/schemas/T' })),
  })).schema;
  // Stored values: what a backend builds from JSON (no undefined), nulls everywhere.
  const storedValue = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(null, 'text', 7, true),
      fc.array(tie('value'), { maxLength: 3 }),
      fc
        .array(fc.tuple(fc.constantFrom(...names), tie('value')), { maxLength: 4 })
        .map((entries) => Object.fromEntries(entries)),
    ),
  })).value;

  it('normalises in place exactly as the copy does', () => {
    fc.assert(
      fc.property(rawSchema, storedValue, (raw, value) => {
        const schema = schemaNode(raw);
        const adopted = structuredClone(value);
        adoptValue(schema, adopted);
        expect(adopted).toEqual(copyValue(schema, structuredClone(value), 'store'));
      }),
      { numRuns: 500 },
    );
  });
});

describe("copyValue(…, 'json') of values nested deeper than the recursive copy goes", () => {
  // Items other clients wrote (PostgreSQL nests deeper than DynamoDB's 32 levels).
  const node = schemaNode({
    type: 'object',
    properties: {
      next: { $ref: '#/components/schemas/T' },
      count: { type: 'integer', format: 'int64' },
      data: { type: 'string', format: 'binary' },
      nickname: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
    },
  });
  const nest = (levels: number, bottom: unknown): unknown => {
    let value = bottom;
    for (let level = 0; level < levels; level += 1) value = { next: value };
    return value;
  };
  const bottomOf = (value: unknown): unknown => {
    let current = value as { next?: unknown };
    while (current.next !== undefined) current = current.next as { next?: unknown };
    return current;
  };
  const raw = () => ({
    count: 2n ** 60n,
    data: new Uint8Array([1, 2, 3]),
    nickname: null,
    tags: new Set(['a', 'b']),
  });
  const converted = { count: '1152921504606846976', data: 'AQID', tags: ['a', 'b'] };

  it.each([39, 40, 41, 45, 200])('converts bigints, bytes and sets %i levels down', (levels) => {
    const copy = copyValue(node, nest(levels, raw()), 'json');
    expect(copy).toEqual(nest(levels, converted));
    expect(JSON.parse(JSON.stringify(copy))).toEqual(nest(levels, converted));
  });

  it('converts without overflowing the stack, 100 000 levels down', () => {
    const copy = copyValue(node, nest(100_000, raw()), 'json');
    expect(bottomOf(copy)).toEqual(converted);
  });

  it('follows prefixItems and unevaluatedItems below the recursion too', () => {
    const listed = schemaNode({
      type: 'object',
      properties: {
        next: { $ref: '#/components/schemas/T' },
        pair: {
          type: 'array',
          prefixItems: [{ type: 'object', properties: { x: { type: 'string' } } }],
          unevaluatedItems: { type: 'object', properties: { y: { type: 'string' } } },
        },
      },
    });
    const bottom = () => ({
      pair: [
        { x: null, y: null },
        { x: null, y: null },
      ],
    });
    const shallow = copyValue(listed, bottom(), 'json');
    expect(shallow).toEqual({ pair: [{ y: null }, { x: null }] });
    expect(copyValue(listed, nest(45, bottom()), 'json')).toEqual(nest(45, shallow));
  });

  it('gives what the recursive copy gives, below 45 levels', () => {
    const member = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(null, undefined, 'text', 7, 2n ** 70n, 5n, new Uint8Array([255])),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.array(tie('value'), { maxLength: 3 }).map((items) => new Set(items)),
        fc
          .array(
            fc.tuple(
              fc.constantFrom('next', 'count', 'data', 'nickname', 'tags', 'x'),
              tie('value'),
            ),
            { maxLength: 4 },
          )
          .map((entries) => Object.fromEntries(entries)),
      ),
    })).value;
    fc.assert(
      fc.property(member, (value) => {
        expect(copyValue(node, nest(45, { next: value }), 'json')).toEqual(
          nest(45, copyValue(node, { next: value }, 'json')),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('copies a value shared by two properties twice, and refuses a cycle naming its pointer', () => {
    const shared = raw();
    const copy = copyValue(node, nest(50, { next: shared, tags: [shared, shared] }), 'json');
    expect(bottomOf(copy)).toEqual(converted);

    const looping: { next?: unknown } = {};
    const deep = nest(50, looping) as { next: unknown };
    looping.next = deep.next; // 49 levels down, refers back to the value 1 level down
    let caught: unknown;
    try {
      copyValue(node, deep, 'json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).problems).toEqual([
      expect.objectContaining({ pointer: '/next'.repeat(51) }),
    ]);
  });
});
