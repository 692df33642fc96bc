import type { Condition } from '@macaron/core';

/** The two models of the differential spec: `Item` (sorted, with an index) and `Doc` (versioned). */
export type DifferentialModelName = 'Item' | 'Doc';

/** A key of either model, as plain data. */
export type DifferentialKey = { pk: string; sk: number } | { id: string; name: string };

/** Item partitions the generator draws from: few, so that operations meet each other's items. */
export const partitions = ['a', 'b'] as const;
/** Item sort keys the generator draws from. */
export const sortKeys = [0, 1, 2, 3] as const;
/** Doc ids the generator draws from. */
export const docIds = ['x', 'y'] as const;
/** Doc names (the Doc sort key) the generator draws from. */
export const docNames = ['m', 'n'] as const;

/** Every key the generator can produce, per model: the end state is read raw under each. */
export const allKeys: Readonly<Record<DifferentialModelName, readonly DifferentialKey[]>> = {
  Item: partitions.flatMap((pk) => sortKeys.map((sk) => ({ pk, sk }))),
  Doc: docIds.flatMap((id) => docNames.map((name) => ({ id, name }))),
};

/** The spec of the differential runs: a sorted model with an index, and a versioned one. */
export function createDifferentialSpec(): Record<string, unknown> {
  const string = { type: 'string' };
  const integer = { type: 'integer' };
  return {
    openapi: '3.0.3',
    info: { title: 'Macaron differential runs', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Item: {
          type: 'object',
          required: ['pk', 'sk'],
          'x-persist': {
            table: 'items',
            key: 'pk',
            sort: 'sk',
            indexes: { byTag: { key: 'tag', sort: 'rank' } },
          },
          properties: {
            pk: string,
            sk: integer,
            tag: string,
            rank: integer,
            n: integer,
            s: string,
            list: { type: 'array', items: string },
            dec: { type: 'number' },
            big: { type: 'integer', format: 'int64' },
          },
        },
        Doc: {
          type: 'object',
          required: ['id', 'name'],
          'x-persist': { table: 'docs', key: 'id', sort: 'name', version: 'rev' },
          properties: { id: string, name: string, n: integer, s: string, rev: integer },
        },
      },
    },
  };
}

/** Whether a condition mentions an attribute anywhere in it. */
export function mentions(condition: Condition, name: string): boolean {
  if ('and' in condition) return condition.and.some((inner) => mentions(inner, name));
  if ('or' in condition) return condition.or.some((inner) => mentions(inner, name));
  if ('not' in condition) return mentions(condition.not, name);
  return condition.attr === name;
}
