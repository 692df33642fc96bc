import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { generateTypes } from './generate-types.js';
import { ExpansionLimitError } from './schema-type.js';

async function generated(openapi: string, schemas: Record<string, unknown>): Promise<string> {
  const api = await loadApi({
    openapi,
    info: { title: 'enums', version: '1' },
    paths: {},
    components: { schemas },
  });
  return generateTypes(api, { source: 'apis/enums.yaml' });
}

it('types an enum as validation reads it: null only where nullable adds it or the enum lists it', async () => {
  const reason = { type: 'string', enum: ['fixed', "won't fix"] };
  const openApi30 = await generated('3.0.3', {
    Nullable: { ...reason, nullable: true },
    Listed: { ...reason, enum: ['fixed', null], nullable: true },
    Plain: reason,
  });
  expect(openApi30).toContain(`export type Nullable = 'fixed' | 'won\\'t fix' | null;`);
  expect(openApi30).toContain(`export type Listed = 'fixed' | null;`);
  expect(openApi30).toContain(`export type Plain = 'fixed' | 'won\\'t fix';`);
  // 3.1 is JSON Schema: `type` allows null, the enum does not, so no value is null.
  const openApi31 = await generated('3.1.0', {
    Typed: { ...reason, type: ['string', 'null'] },
    Listed: { type: ['string', 'null'], enum: ['fixed', null] },
  });
  expect(openApi31).toContain(`export type Typed = 'fixed' | 'won\\'t fix';`);
  expect(openApi31).toContain(`export type Listed = 'fixed' | null;`);
});

it('types nullable without a type as its members or null', async () => {
  const text = await generated('3.0.3', {
    Target: { nullable: true, oneOf: [{ type: 'string' }, { type: 'integer' }] },
  });
  expect(text).toContain('export type Target = string | number | null;');
});

it('types int64 enum and const values as core takes them: a number or a bigint, only a bigint beyond 2^53', async () => {
  const schemas = {
    Small: { type: 'integer', format: 'int64', enum: [5, 7] },
    Const: { type: 'integer', format: 'int64', const: 5 },
    // The parser rounds 2^53 + 1 to 2^53: beyond 2^53, core takes a bigint only.
    Big: { type: 'integer', format: 'int64', enum: [Number('9007199254740993'), 1] },
    Plain: { type: 'integer', enum: [5] },
    // Beyond 2^53: a bigint on a `number`, nothing on a plain `integer` (core refuses both forms).
    NumberBig: { type: 'number', enum: [2 ** 60, 1.5] },
    PlainBig: { type: 'integer', enum: [2 ** 60, 1] },
  };
  const text = await generated('3.1.0', schemas);
  expect(text).toContain('export type Small = 5 | 5n | 7 | 7n;');
  expect(text).toContain('export type Const = 5 | 5n;');
  expect(text).toContain('export type Big = 9007199254740992n | 1 | 1n;');
  expect(text).toContain('export type Plain = 5;');
  expect(text).toContain('export type NumberBig = 1152921504606846976n | 1.5;');
  expect(text).toContain('export type PlainBig = 1;');
  // What the types admit, core's validation accepts.
  const api = await loadApi({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {},
    components: { schemas },
  });
  for (const [name, value] of [
    ['Small', 5n],
    ['Const', 5n],
    ['Big', 9007199254740992n],
    ['Big', 1n],
    ['NumberBig', 1152921504606846976n],
  ] as const)
    expect(api.validate(name, value), `${name} ${value}`).toEqual([]);
  expect(api.validate('Big', 9007199254740992)).not.toEqual([]);
  expect(api.validate('PlainBig', 1152921504606846976n)).not.toEqual([]);
});

// Properties that refer to one another through $refs into their schema: each has no name to
// refer to, so each use writes it out again, doubling the text at every level.
function interiorReferences(count: number): Record<string, unknown> {
  const at = (index: number) => `#/components/schemas/Node/properties/p${index % count}`;
  const properties: Record<string, unknown> = {};
  for (let index = 0; index < count; index++)
    properties[`p${index}`] = {
      type: 'object',
      properties: { left: { $ref: at(index + 1) }, right: { $ref: at(index + 2) } },
    };
  return { Node: { type: 'object', properties } };
}

it('writes unnamed schemas used in many places, and stops before their text explodes, naming them', async () => {
  expect(await generated('3.0.3', interiorReferences(4))).toContain('export interface Node {');
  const error = await generated('3.0.3', interiorReferences(16)).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ExpansionLimitError);
  expect((error as Error).message).toMatch(
    /^The type of Node would repeat unnamed schemas such as #\/components\/schemas\/Node\/properties\/p\d+ more than 100,000 times/,
  );
});

it('types a persistent schema whose pattern JavaScript cannot run (it has no class, but its types)', async () => {
  const text = await generated('3.0.3', {
    Suppression: {
      type: 'object',
      required: ['id'],
      'x-persist': { table: 'suppressions', key: 'id' },
      properties: { id: { type: 'string' }, note: { type: 'string', pattern: '[\\p{Graph}]*' } },
    },
  });
  expect(text).toContain('export interface Suppression {');
  expect(text).toMatch(
    /Suppression: \{\s+model: Suppression;\s+key: string \| \{ readonly id: string \};/,
  );
});

it('types prefixItems as a tuple: positions minItems covers required, then items (none under items: false)', async () => {
  const text = await generated('3.1.0', {
    Pair: {
      type: 'array',
      prefixItems: [{ type: ['string', 'null'] }, { type: 'integer' }],
      items: { type: 'boolean' },
    },
    Closed: {
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'integer' }],
      items: false,
      minItems: 1,
    },
    Open: { prefixItems: [{ type: 'string' }] },
    Empty: { type: 'array', items: false },
  });
  expect(text).toContain('export type Pair = [(string | null)?, number?, ...boolean[]];');
  expect(text).toContain('export type Closed = [string, number?];');
  expect(text).toContain('export type Open = [string?, ...unknown[]];');
  expect(text).toContain('export type Empty = [];');
});

it('types additionalProperties beside allOf members and patternProperties as core checks them', async () => {
  const base = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };
  const ref = { $ref: '#/components/schemas/Base' };
  const text = await generated('3.1.0', {
    Base: base,
    // The properties an allOf member declares are not additional: the member types them.
    Row: { type: 'object', allOf: [ref], additionalProperties: false },
    // A schema checks them too, as any property this schema does not declare.
    Labels: { type: 'object', allOf: [ref], additionalProperties: { type: 'string' } },
    // A pattern's properties are checked against its schema, not additionalProperties.
    Ext: {
      type: 'object',
      patternProperties: { '^x-': { type: 'integer' } },
      additionalProperties: false,
    },
    ExtMap: {
      type: 'object',
      patternProperties: { '^x-': { type: 'integer' } },
      additionalProperties: { type: 'string' },
    },
    Closed: { type: 'object', additionalProperties: false },
  });
  expect(text).toContain('export type Row = Base;');
  expect(text).toContain('export type Labels = Record<string, string> & Base;');
  // A prefix, not any name: a misspelt one stays an excess property.
  expect(text).toContain(`export interface Ext {\n  [property: \`x-\${string}\`]: number;\n}`);
  expect(text).toContain('export type ExtMap = Record<string, string | number>;');
  expect(text).toContain('export type Closed = Record<string, never>;');
});

it('types the other names beside named properties by additionalProperties, not as unknown', async () => {
  const text = await generated('3.1.0', {
    Flags: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, n: { type: 'integer' } },
      additionalProperties: { type: 'boolean' },
    },
  });
  expect(text).toContain(`export interface Flags {
  name: string;
  n?: number;
  [property: string]: boolean | string | number | undefined;
}`);
});

it("admits Object's inherited member in an optional property of its name (constructor, toString)", async () => {
  const text = await generated('3.1.0', {
    Odd: {
      type: 'object',
      required: ['id', 'valueOf'],
      properties: {
        id: { type: 'string' },
        constructor: { type: ['string', 'null'] },
        toString: { type: 'string' },
        valueOf: { type: 'integer' },
      },
    },
  });
  expect(text).toContain(`export interface Odd {
  id: string;
  constructor?: string | null | typeof Object.prototype.constructor;
  toString?: string | typeof Object.prototype.toString;
  valueOf: number;
}`);
});

it('admits the prototype in an optional property named __proto__, which an object without it reads', async () => {
  // `value.__proto__` of an object without its own is its prototype (Object.prototype for a
  // plain object), not undefined.
  const text = await generated('3.1.0', {
    Proto: {
      type: 'object',
      required: ['id'],
      properties: JSON.parse(
        '{"id":{"type":"string"},"__proto__":{"type":"integer"},"nest":{"type":"object","required":["__proto__"],"properties":{"__proto__":{"type":"string"}}}}',
      ),
    },
  });
  expect(text).toContain(`export interface Proto {
  id: string;
  __proto__?: number | typeof Object.prototype;
  nest?: {
    __proto__: string;
  };
}`);
});

it('leaves out of an enum the numbers no engine stores: past 38 significant digits or 1e126, past the int64 range', async () => {
  const text = await generated('3.0.3', {
    Digits: { type: 'number', enum: [2, 1e40] },
    Far: { type: 'number', enum: [1e200] },
    Wide: { type: 'integer', format: 'int64', enum: [1e20, 5] },
  });
  // 1e40 is 10000000000000000303786028427003666890752 exactly: 41 significant digits.
  expect(text).toContain('export type Digits = 2;');
  expect(text).toContain('export type Far = never;');
  expect(text).toContain('export type Wide = 5 | 5n;');
});

it('leaves out of an enum or const what an integer format refuses, under type number too: fractions, values past its range', async () => {
  const text = await generated('3.0.3', {
    Half: { type: 'number', format: 'int64', enum: [1, 1.5] },
    Small: { type: 'integer', format: 'int32', enum: [7, 9999999999] },
    Fixed: { type: 'number', format: 'int32', const: 2.5 },
    Plain: { type: 'number', enum: [1, 1.5] },
  });
  expect(text).toContain('export type Half = 1 | 1n;');
  expect(text).toContain('export type Small = 7;');
  expect(text).toContain('export type Fixed = never;');
  expect(text).toContain('export type Plain = 1 | 1.5;');
});

it('types a number as a number, and an int64 (integer or number) as a number or a bigint (the README says why)', async () => {
  const text = await generated('3.1.0', {
    Amount: { type: 'number' },
    Wide: { type: 'number', format: 'int64' },
    Count: { type: 'integer' },
  });
  expect(text).toContain('export type Amount = number;');
  expect(text).toContain('export type Wide = number | bigint;');
  expect(text).toContain('export type Count = number;');
});

it('types the enum and const of a spec file with the integers it writes beyond 2^53, not the rounded ones', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'macaron-generate-numbers-'));
  try {
    const file = join(folder, 'numbers.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: numbers, version: '1' }
paths: {}
components:
  schemas:
    Code: { type: integer, format: int64, enum: [9007199254740993, 9223372036854775807] }
    Fixed: { type: integer, format: int64, const: -9007199254740995 }
`,
    );
    const text = generateTypes(await loadApi(file), { source: 'numbers.yaml' });
    expect(text).toContain('export type Code = 9007199254740993n | 9223372036854775807n;');
    expect(text).toContain('export type Fixed = -9007199254740995n;');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
