import { loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { generateTypes } from '../src/generate/generate-types.js';
import { compileProject, typescriptProject } from './typescript-project.js';

// The generated types must admit every value core's validation accepts (they may admit more):
// each value below is validated by core, and assigned to its type in a project tsc compiles.

const folder = typescriptProject({ packages: ['core'], compilerOptions: { noEmit: true } });

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const string = { type: 'string' };
const spec = {
  openapi: '3.1.0',
  info: { title: 'accepted values', version: '1' },
  paths: {},
  components: {
    schemas: {
      Base: { type: 'object', required: ['id'], properties: { id: string } },
      Pair: {
        type: 'array',
        prefixItems: [{ type: ['string', 'null'] }, { type: 'integer' }],
        items: { type: 'boolean' },
      },
      Closed: {
        type: 'array',
        prefixItems: [string, { type: 'integer' }],
        items: false,
        minItems: 1,
      },
      Row: { type: 'object', allOf: [ref('Base')], additionalProperties: false },
      Labels: { type: 'object', allOf: [ref('Base')], additionalProperties: string },
      Tagged: {
        type: 'object',
        properties: { label: string },
        allOf: [ref('Base')],
        additionalProperties: string,
      },
      Ext: {
        type: 'object',
        patternProperties: { '^x-': { type: 'integer' } },
        additionalProperties: false,
      },
      // null beside members that refuse it (validation checks them against the same null).
      NullAllOf: { type: ['object', 'null'], allOf: [ref('Base')] },
      NullOneOf: { type: ['object', 'null'], oneOf: [ref('Base')] },
      NullAnyOf: { type: ['object', 'null'], anyOf: [ref('Base'), { type: 'null' }] },
      // Enum values of another type, or no engine can store: never accepted.
      TypedEnum: { type: 'string', enum: ['a', null] },
      IntEnum: { type: 'integer', enum: [1, '2'] },
      HugeEnum: { type: 'number', enum: [2, 1e200] },
      // What the JSON Schema Test Suite found the types not saying (its run is
      // generate-json-schema-test-suite.test.ts): a schema no value meets, an enum of lists and
      // objects, unevaluatedItems and unevaluatedProperties where they mean items and
      // additionalProperties.
      Nothing: { not: {} },
      StringOrNothing: { anyOf: [false, string] },
      Shapes: { enum: [{ a: 1 }, [1, 'x'], {}] },
      OneString: { type: 'array', prefixItems: [string], unevaluatedItems: false },
      UpToOne: { type: 'array', prefixItems: [string, false] },
      Extensions: {
        type: 'object',
        patternProperties: { '^x-': { type: 'integer' } },
        unevaluatedProperties: false,
      },
      Odd: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'odds', key: 'id' },
        properties: { id: string, constructor: string, toString: string },
      },
    },
  },
};

// `accepted`: core's answer; a value core refuses is marked where the type refuses it too.
const cases: { type: string; value: unknown; accepted: boolean }[] = [
  { type: 'Pair', value: ['a', 1, true, false], accepted: true },
  { type: 'Pair', value: [null], accepted: true },
  { type: 'Pair', value: [], accepted: true },
  { type: 'Pair', value: [1], accepted: false },
  { type: 'Closed', value: ['a', 1], accepted: true },
  { type: 'Closed', value: ['a'], accepted: true },
  { type: 'Closed', value: ['a', 1, true], accepted: false },
  { type: 'Closed', value: [], accepted: false },
  { type: 'Row', value: { id: 'r' }, accepted: true },
  { type: 'Row', value: { id: 'r', other: 1 }, accepted: false },
  { type: 'Labels', value: { id: 'l', color: 'red' }, accepted: true },
  { type: 'Labels', value: { id: 'l', count: 1 }, accepted: false },
  { type: 'Tagged', value: { id: 't', label: 'l', color: 'red' }, accepted: true },
  { type: 'Ext', value: { 'x-a': 1 }, accepted: true },
  { type: 'Ext', value: { 'x-a': 'one' }, accepted: false },
  { type: 'NullAllOf', value: { id: 'n' }, accepted: true },
  { type: 'NullAllOf', value: null, accepted: false },
  { type: 'NullOneOf', value: null, accepted: false },
  { type: 'NullAnyOf', value: null, accepted: true },
  { type: 'TypedEnum', value: 'a', accepted: true },
  { type: 'TypedEnum', value: null, accepted: false },
  { type: 'IntEnum', value: 1, accepted: true },
  { type: 'IntEnum', value: '2', accepted: false },
  { type: 'HugeEnum', value: 2, accepted: true },
  { type: 'HugeEnum', value: 1e200, accepted: false },
  { type: 'Nothing', value: 1, accepted: false },
  { type: 'Nothing', value: null, accepted: false },
  { type: 'StringOrNothing', value: 'a', accepted: true },
  { type: 'StringOrNothing', value: 1, accepted: false },
  { type: 'Shapes', value: { a: 1 }, accepted: true },
  { type: 'Shapes', value: [1, 'x'], accepted: true },
  { type: 'Shapes', value: {}, accepted: true },
  { type: 'Shapes', value: { a: 2 }, accepted: false },
  { type: 'Shapes', value: ['x', 1], accepted: false },
  { type: 'Shapes', value: null, accepted: false },
  { type: 'OneString', value: ['a'], accepted: true },
  { type: 'OneString', value: ['a', 'b'], accepted: false },
  { type: 'UpToOne', value: ['a'], accepted: true },
  { type: 'UpToOne', value: ['a', 'b'], accepted: false },
  { type: 'Extensions', value: { 'x-a': 1 }, accepted: true },
  { type: 'Extensions', value: { y: 1 }, accepted: false },
  { type: 'Odd', value: { id: 'o' }, accepted: true },
  { type: 'Odd', value: { id: 'o', constructor: 'c', toString: 't' }, accepted: true },
];

it('writes types that admit what core accepts, and refuse what it refuses: prefixItems, additionalProperties beside allOf or patterns, null beside members, enums of other types, of lists and objects, schemas no value meets, unevaluatedItems and unevaluatedProperties alone, Object member names', async () => {
  const api = await loadApi(spec);
  folder.write('src/api.generated.ts', generateTypes(api, { source: 'spec' }));
  const types = [...new Set(cases.map((check) => check.type))];
  const lines = [`import type { ${types.join(', ')} } from './api.generated.js';`];
  cases.forEach((check, index) => {
    expect({ ...check, accepted: api.validate(check.type, check.value).length === 0 }).toEqual(
      check,
    );
    if (!check.accepted) lines.push('// @ts-expect-error');
    lines.push(`export const case${index}: ${check.type} = ${JSON.stringify(check.value)};`);
  });
  // An object literal without `constructor` is a create() input as well as an Odd.
  lines.push(
    "import { loadApi } from '@macaron/core';",
    "import { typed } from './api.generated.js';",
    "export const created = loadApi('spec.yaml').then((loaded) => typed(loaded).persistent('Odd').create({ id: 'o' }));",
  );
  folder.write('src/checks.ts', lines.join('\n'));
  const compiled = await compileProject(folder);
  expect(compiled.output).toBe('');
  expect(compiled.code).toBe(0);
});

it('types an int64 integer inside an enum or const of objects and lists as a number or a bigint, as core takes it', async () => {
  const int64 = { type: 'integer', format: 'int64' };
  const api = await loadApi({
    openapi: '3.1.0',
    info: { title: 'int64 inside literals', version: '1' },
    paths: {},
    components: {
      schemas: {
        Versioned: { type: 'object', properties: { n: int64 }, const: { n: 5 } },
        Pairs: { type: 'array', items: int64, enum: [[1, 2]] },
        Head: { type: 'array', prefixItems: [int64, string], const: [3, 'a'] },
        Counts: { type: 'object', additionalProperties: int64, enum: [{ a: 1 }] },
        Prefixed: { type: 'object', patternProperties: { '^n': int64 }, const: { n1: 1 } },
        Inherited: { allOf: [{ properties: { n: int64 } }], const: { n: 7 } },
        Nested: {
          type: 'object',
          properties: { list: { type: 'array', items: int64 } },
          const: { list: [4] },
        },
        Id: int64,
        // A reference annotated beside (3.1's `{ $ref, description }`), or an allOf of it.
        Annotated: {
          type: 'object',
          properties: {
            n: { $ref: '#/components/schemas/Id', description: 'the count' },
            m: { allOf: [{ $ref: '#/components/schemas/Id' }] },
          },
          const: { n: 1, m: 2 },
        },
        // Without int64, an integer there stays a number (as `type: integer` is `number`).
        Plain: { type: 'object', properties: { n: { type: 'integer' } }, const: { n: 5 } },
      },
    },
  });
  const checks: [type: string, source: string, value: unknown, accepted: boolean][] = [
    ['Versioned', '{ n: 5n }', { n: 5n }, true],
    ['Versioned', '{ n: 5 }', { n: 5 }, true],
    ['Versioned', '{ n: 6n }', { n: 6n }, false],
    ['Pairs', '[1n, 2]', [1n, 2], true],
    ['Head', "[3n, 'a']", [3n, 'a'], true],
    ['Counts', '{ a: 1n }', { a: 1n }, true],
    ['Prefixed', '{ n1: 1n }', { n1: 1n }, true],
    ['Inherited', '{ n: 7n }', { n: 7n }, true],
    ['Nested', '{ list: [4n] }', { list: [4n] }, true],
    ['Annotated', '{ n: 1n, m: 2n }', { n: 1n, m: 2n }, true],
    ['Plain', '{ n: 5 }', { n: 5 }, true],
  ];
  const lines = [
    `import type { ${[...new Set(checks.map(([type]) => type))].join(', ')} } from './int64-literals.generated.js';`,
  ];
  checks.forEach(([type, source, value, accepted], index) => {
    expect(api.validate(type, value).length === 0).toBe(accepted);
    if (!accepted) lines.push('// @ts-expect-error');
    lines.push(`export const int64Case${index}: ${type} = ${source};`);
  });
  folder.write('src/int64-literals.generated.ts', generateTypes(api, { source: 'spec' }));
  folder.write('src/int64-literals.ts', lines.join('\n'));
  const compiled = await compileProject(folder);
  expect(compiled.output).toBe('');
  expect(compiled.code).toBe(0);
});
