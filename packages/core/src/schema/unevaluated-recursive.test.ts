import { describe, expect, it } from 'vitest';
import { problemKeys, schemaNode } from '../../test/support/specs.js';
import { loadApi } from '../index.js';
import { validateValue } from './validate-value.js';

// unevaluatedProperties and unevaluatedItems over recursive schemas whose recursion runs
// through anyOf, oneOf, if or contains. What those matched is found once, by the check of the
// value: validating it again for unevaluated* would double the work at every level (30 levels:
// days). These finish in milliseconds; vitest's timeout fails them otherwise.

const self = { $ref: '#/components/schemas/T' };
const levels = 30;

function nest(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = wrap(value);
  return value;
}

const inObject = (inner: unknown) => ({ c: inner });
const check = (raw: unknown, value: unknown) =>
  problemKeys(validateValue(schemaNode(raw, 'oas3.1'), value));

describe('unevaluated* through recursive applicators', () => {
  it('anyOf', () => {
    const schema = {
      type: 'object',
      anyOf: [{ properties: { c: self } }],
      unevaluatedProperties: false,
    };
    expect(check(schema, nest(levels, {}, inObject))).toEqual([]);
    expect(check(schema, { ...(nest(levels, {}, inObject) as object), x: 1 })).toEqual([
      { pointer: '/x', keyword: 'unevaluatedProperties' },
    ]);
    // Deep down, a property nothing evaluates: every member above fails in turn.
    expect(check(schema, nest(levels, { x: 1 }, inObject))).toEqual([
      { pointer: '', keyword: 'anyOf' },
      { pointer: '/c', keyword: 'unevaluatedProperties' },
    ]);
  });

  it('oneOf', () => {
    const schema = {
      type: 'object',
      oneOf: [
        { properties: { c: self }, required: ['c'] },
        { properties: { leaf: { type: 'boolean' } }, required: ['leaf'] },
      ],
      unevaluatedProperties: false,
    };
    expect(check(schema, nest(levels, { leaf: true }, inObject))).toEqual([]);
    expect(check(schema, nest(levels, { leaf: true, x: 1 }, inObject))).toEqual([
      { pointer: '', keyword: 'oneOf' },
      { pointer: '/c', keyword: 'unevaluatedProperties' },
    ]);
    // Both members match at the top: oneOf refuses it, and each evaluates its own property.
    expect(
      check(schema, { ...(nest(levels, { leaf: true }, inObject) as object), leaf: true }),
    ).toEqual([{ pointer: '', keyword: 'oneOf' }]);
  });

  it('if, then and else', () => {
    // Parsed: an object literal with a `then` property would be a thenable.
    const schema = {
      ...JSON.parse('{"then": { "properties": { "c": {} } }}'),
      type: 'object',
      if: { properties: { c: self }, required: ['c'] },
      else: { properties: { leaf: { type: 'boolean' } }, required: ['leaf'] },
      unevaluatedProperties: false,
    };
    expect(check(schema, nest(levels, { leaf: true }, inObject))).toEqual([]);
    // `if` matches at the top: then's properties are evaluated, else's leaf is not.
    expect(
      check(schema, { ...(nest(levels, { leaf: true }, inObject) as object), leaf: true }),
    ).toEqual([{ pointer: '/leaf', keyword: 'unevaluatedProperties' }]);
    // A wrong leaf makes every `if` above fail: else applies at the top.
    expect(check(schema, nest(levels, { leaf: 'no' }, inObject))).toEqual([
      { pointer: '/c', keyword: 'unevaluatedProperties' },
      { pointer: '/leaf', keyword: 'required' },
    ]);
  });

  it('contains', () => {
    const schema = {
      type: 'array',
      contains: { anyOf: [self, { type: 'integer' }] },
      unevaluatedItems: false,
    };
    const inList = (inner: unknown) => [inner];
    expect(check(schema, nest(levels, [1], inList))).toEqual([]);
    expect(check(schema, [...(nest(levels, [1], inList) as unknown[]), 2, 'x'])).toEqual([
      { pointer: '/2', keyword: 'unevaluatedItems' },
    ]);
    expect(check(schema, nest(levels, ['x'], inList))).toEqual([
      { pointer: '', keyword: 'contains' },
      { pointer: '/0', keyword: 'unevaluatedItems' },
    ]);
  });

  it('a polymorphic tree: oneOf Folder or File, closed by unevaluatedProperties', () => {
    const schemas = {
      Folder: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { const: 'folder' }, children: { type: 'array', items: self } },
      },
      File: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { const: 'file' }, size: { type: 'integer' } },
      },
    };
    const entry = schemaNode(
      {
        oneOf: [{ $ref: '#/components/schemas/Folder' }, { $ref: '#/components/schemas/File' }],
        unevaluatedProperties: false,
      },
      'oas3.1',
      schemas,
    );
    // Two levels of nesting a folder: 15 fit in the depth limit.
    const tree = (leaf: object) =>
      nest(15, leaf, (inner) => ({ kind: 'folder', children: [inner, { kind: 'file' }] }));
    expect(problemKeys(validateValue(entry, tree({ kind: 'file', size: 1 })))).toEqual([]);
    expect(problemKeys(validateValue(entry, tree({ kind: 'file', size: 1, x: 1 })))).toEqual([
      { pointer: '', keyword: 'oneOf' },
      { pointer: '/children', keyword: 'unevaluatedProperties' },
      { pointer: '/kind', keyword: 'unevaluatedProperties' },
    ]);
  });
});

describe('unevaluated* reads a recorded match only in the context it was recorded in', () => {
  // A member's answer for a value depends on more than the two: a discriminator dispatching the
  // value, or (with a direction) owners whose readOnly properties a member need not find.
  it('an owner lifting a readOnly requirement inside `if` does not make the member match at anyOf', async () => {
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        schemas: {
          S: {
            type: 'object',
            properties: { r: { type: 'string', readOnly: true } },
            if: { $ref: '#/components/schemas/X' },
            // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword, never awaited
            then: {},
            anyOf: [{ $ref: '#/components/schemas/M' }, { $ref: '#/components/schemas/N' }],
            unevaluatedProperties: false,
          },
          X: { anyOf: [{ $ref: '#/components/schemas/M' }], required: ['nope'] },
          M: { required: ['r'], properties: { m: {} } },
          N: { properties: { n: {} } },
        },
      },
    });
    const schema = api.schemaAt('/components/schemas/S');
    for (const options of [{ direction: 'request' as const }, {}])
      expect(validateValue(schema, { m: 1 }, '', options).map(({ pointer }) => pointer)).toContain(
        '/m',
      );
  });

  it('a member matching while a discriminator dispatches the value does not match outside it', async () => {
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        schemas: {
          S: {
            anyOf: [{ $ref: '#/components/schemas/M' }, { $ref: '#/components/schemas/N' }],
            unevaluatedProperties: false,
          },
          M: { allOf: [{ $ref: '#/components/schemas/P' }], properties: { m: {} } },
          N: { type: 'object', properties: { kind: {}, n: {} } },
          P: {
            type: 'object',
            discriminator: { propertyName: 'kind', mapping: { a: '#/components/schemas/A' } },
            oneOf: [{ $ref: '#/components/schemas/A' }],
          },
          A: {
            allOf: [{ $ref: '#/components/schemas/P' }],
            anyOf: [{ $ref: '#/components/schemas/M' }],
            required: ['zzz'],
          },
        },
      },
    });
    const schema = api.schemaAt('/components/schemas/S');
    expect(validateValue(schema, { kind: 'a', m: 1 }).map(({ pointer }) => pointer)).toContain(
      '/m',
    );
  });
});
