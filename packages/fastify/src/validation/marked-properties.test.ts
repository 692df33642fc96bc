import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { withoutMarked } from './marked-properties.js';

const schemas = {
  Secret: { type: 'string', writeOnly: true },
  Node: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      key: { $ref: '#/components/schemas/Secret' },
      children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
    },
  },
  Card: {
    type: 'object',
    required: ['kind', 'number'],
    properties: { kind: { type: 'string' }, number: { type: 'string', writeOnly: true } },
  },
  Iban: {
    type: 'object',
    required: ['kind', 'iban'],
    properties: { kind: { type: 'string' }, iban: { type: 'string' } },
  },
  Payment: {
    oneOf: [{ $ref: '#/components/schemas/Card' }, { $ref: '#/components/schemas/Iban' }],
  },
  Tagged: {
    oneOf: [{ $ref: '#/components/schemas/Card' }, { $ref: '#/components/schemas/Iban' }],
    discriminator: {
      propertyName: 'kind',
      mapping: { card: '#/components/schemas/Card', iban: '#/components/schemas/Iban' },
    },
  },
  Plain: { type: 'object', properties: { a: { type: 'string' } } },
  Tuple: {
    type: 'array',
    prefixItems: [{ type: 'string' }],
    unevaluatedItems: {
      type: 'object',
      properties: { password: { type: 'string', writeOnly: true } },
    },
  },
};

async function schemaOf(name: string) {
  const api = await loadApi({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {},
    components: { schemas },
  });
  return api.schemaAt(`/components/schemas/${name}`);
}

describe('withoutMarked(…, writeOnly)', () => {
  it('drops writeOnly properties at any depth of a recursive schema, leaving the input as it was', async () => {
    const tree = {
      name: 'root',
      key: 'k0',
      children: [{ name: 'leaf', key: 'k1', children: [] }],
    };
    const before = structuredClone(tree);
    expect(withoutMarked(await schemaOf('Node'), tree, 'writeOnly')).toEqual({
      name: 'root',
      children: [{ name: 'leaf', children: [] }],
    });
    expect(tree).toEqual(before);
  });

  it('follows the oneOf member the value matches, and a discriminator', async () => {
    for (const name of ['Payment', 'Tagged']) {
      const schema = await schemaOf(name);
      expect(withoutMarked(schema, { kind: 'card', number: '4242' }, 'writeOnly')).toEqual({
        kind: 'card',
      });
      expect(withoutMarked(schema, { kind: 'iban', iban: 'FR76' }, 'writeOnly')).toEqual({
        kind: 'iban',
        iban: 'FR76',
      });
    }
  });

  it('returns the very value when the schema reaches no writeOnly property', async () => {
    const value = { a: 'x', b: { c: 1 } };
    expect(withoutMarked(await schemaOf('Plain'), value, 'writeOnly')).toBe(value);
  });

  it('strips the items unevaluatedItems describes, past prefixItems', async () => {
    expect(withoutMarked(await schemaOf('Tuple'), ['x', { password: 'p' }], 'writeOnly')).toEqual([
      'x',
      {},
    ]);
  });
});
