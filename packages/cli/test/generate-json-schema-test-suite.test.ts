import { loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { generateTypes } from '../src/generate/generate-types.js';
import { documentOf, type ExpressibleGroup, expressibleGroups } from './json-schema-test-suite.js';
import { compileProject, typescriptProject } from './typescript-project.js';

// The JSON Schema Test Suite core vendors, as a corpus of schemas with valid and invalid
// values for `macaron generate`'s types: each group's schema, made the spec's schema `S` as
// core's own run of the suite makes it, gets its generated file, and each of the group's
// values a line `export const c0: S = <value>;`, the value as the runtime gives it (an integer
// beyond 2^53 as a bigint). One tsc run, as strict as an application may be (`strict`,
// `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`), compiles them all.
//
// Core's validation says which values are valid (where it departs from the suite, its own test
// lists why). Every value it takes must compile, but those `narrower` lists; every value it
// refuses must not, but those `leftToValidation` lists: what a type cannot say (or does not,
// and why). Both lists are exact, so a change that makes a type say more, or less, shows here.

interface Listed {
  readonly file: string;
  /** Every group of the file where undefined. */
  readonly group?: string;
  /** Every case of the group (valid ones for `narrower`, invalid ones for `leftToValidation`) where undefined. */
  readonly cases?: readonly string[];
  readonly reason: string;
}

const untyped =
  'a schema of object keywords without `type` is typed as objects (of `items`, as lists), as the README says; validation takes any other value there';
const excess =
  'an object literal with a property its type does not name is an excess property (TypeScript catches a misspelt name), though validation takes it; a value holding it that is not a literal (read, or built elsewhere) is assignable';

/** Values validation takes that the types refuse. */
const narrower: readonly Listed[] = [
  ...['draft2020-12', 'draft4'].flatMap((draft): Listed[] => [
    {
      file: `${draft}/properties.json`,
      group: 'object properties validation',
      cases: ['ignores arrays', 'ignores other non-objects'],
      reason: untyped,
    },
    {
      file: `${draft}/required.json`,
      group: 'required validation',
      cases: ['ignores arrays', 'ignores strings', 'ignores other non-objects'],
      reason: untyped,
    },
    {
      file: `${draft}/ref.json`,
      group: 'root pointer ref',
      cases: ['match', 'recursive match'],
      reason: `${untyped} (\`{ foo: false }\`: foo is an S)`,
    },
    {
      file: `${draft}/items.json`,
      group: 'a schema given for items',
      cases: ['ignores non-arrays', 'JavaScript pseudo-array is valid'],
      reason: untyped,
    },
    {
      file: `${draft}/additionalProperties.json`,
      group: 'additionalProperties are allowed by default',
      cases: ['additional properties are allowed'],
      reason: excess,
    },
    {
      file: `${draft}/properties.json`,
      group: 'object properties validation',
      cases: ["doesn't invalidate other properties"],
      reason: excess,
    },
    {
      file: `${draft}/not.json`,
      group: 'forbidden property',
      cases: ['property absent'],
      reason: excess,
    },
  ]),
  {
    file: 'draft2020-12/additionalProperties.json',
    group: 'additionalProperties being false does not allow other properties',
    cases: ['ignores arrays', 'ignores strings', 'ignores other non-objects'],
    reason: untyped,
  },
  {
    file: 'draft2020-12/prefixItems.json',
    group: 'a schema given for prefixItems',
    cases: ['JavaScript pseudo-array is valid'],
    reason: untyped,
  },
  {
    file: 'draft2020-12/unevaluatedProperties.json',
    group: 'non-object instances are valid',
    reason: untyped,
  },
  {
    file: 'draft2020-12/dependentSchemas.json',
    group: 'dependent subschema incompatible with root',
    cases: ['matches dependency', 'no dependency'],
    reason: excess,
  },
  ...[
    ['unevaluatedProperties with adjacent additionalProperties', 'with additional properties'],
    ['unevaluatedProperties with nested patternProperties', 'with no additional properties'],
    ['unevaluatedProperties with nested additionalProperties', 'with additional properties'],
    ['unevaluatedProperties with dependentSchemas', 'with no unevaluated properties'],
    [
      'dependentSchemas with unevaluatedProperties',
      'unevaluatedProperties sees bar when foo2 is present',
    ],
  ].map(
    ([group, name]): Listed => ({
      file: 'draft2020-12/unevaluatedProperties.json',
      group: group!,
      cases: [name!],
      reason: excess,
    }),
  ),
];

const bounds =
  'bounds, lengths and counts (`minimum`, `maxLength`, `minItems`, `maxProperties`…) are not in types';
const oneOf = 'oneOf\'s "exactly one" depends on the value: its members are typed as anyOf\'s';
const not = 'TypeScript has no type of the values a schema refuses (`not`)';
const unevaluated =
  'unevaluatedItems or unevaluatedProperties beside subschemas that evaluate items or properties (allOf, anyOf, oneOf, if, $ref, contains, dependentSchemas), or where no type says the value is a list: what they leave depends on the value';
const patterns =
  'a type cannot tell names apart by a regular expression: patternProperties are typed as a template literal prefix only where each is a literal prefix and additionalProperties is false';
const onlyObjects =
  '`required` alone constrains objects only (any other value passes it): the type is `unknown`';
const format = '`format` (but binary and int64) is not in types';

/** Values validation refuses that the types take. */
const leftToValidation: readonly Listed[] = [
  ...['draft2020-12', 'draft4'].flatMap((draft): Listed[] => [
    ...[
      'maxItems',
      'maxLength',
      'maxProperties',
      'maximum',
      'minItems',
      'minLength',
      'minProperties',
      'minimum',
      'default',
    ].map((keyword): Listed => ({ file: `${draft}/${keyword}.json`, reason: bounds })),
    { file: `${draft}/multipleOf.json`, reason: '`multipleOf` is not in types' },
    { file: `${draft}/pattern.json`, reason: '`pattern` is not in types' },
    { file: `${draft}/uniqueItems.json`, group: 'uniqueItems validation', reason: 'uniqueItems' },
    { file: `${draft}/allOf.json`, group: 'allOf simple types', reason: bounds },
    {
      file: `${draft}/allOf.json`,
      group: 'allOf combined with anyOf, oneOf',
      reason: '`multipleOf` is not in types',
    },
    { file: `${draft}/anyOf.json`, group: 'anyOf', reason: bounds },
    {
      file: `${draft}/anyOf.json`,
      group: 'anyOf with base schema',
      cases: ['both anyOf invalid'],
      reason: bounds,
    },
    { file: `${draft}/oneOf.json`, group: 'oneOf', reason: `${oneOf}; ${bounds}` },
    {
      file: `${draft}/oneOf.json`,
      group: 'oneOf with base schema',
      cases: ['both oneOf valid'],
      reason: oneOf,
    },
    {
      file: `${draft}/oneOf.json`,
      group: 'oneOf complex types',
      cases: ['both oneOf valid (complex)'],
      reason: oneOf,
    },
    { file: `${draft}/oneOf.json`, group: 'oneOf with empty schema', reason: oneOf },
    {
      file: `${draft}/oneOf.json`,
      group: 'oneOf with required',
      cases: ['both valid - invalid'],
      reason: oneOf,
    },
    {
      file: `${draft}/oneOf.json`,
      group: 'oneOf with missing optional property',
      cases: ['both oneOf valid'],
      reason: oneOf,
    },
    { file: `${draft}/not.json`, group: 'not', reason: not },
    { file: `${draft}/not.json`, group: 'not more complex schema', reason: not },
    {
      file: `${draft}/additionalProperties.json`,
      group: 'additionalProperties with schema',
      reason:
        "an index signature must take the named properties' types too (here `unknown`): TypeScript checks every property against it",
    },
    {
      file: `${draft}/properties.json`,
      group: 'properties whose names are Javascript object property names',
      cases: ['__proto__ not valid'],
      reason: "TypeScript does not check a computed `['__proto__']` key of an object literal",
    },
    {
      file: `${draft}/required.json`,
      group: 'required with escaped characters',
      reason: onlyObjects,
    },
    {
      file: `${draft}/required.json`,
      group: 'required properties whose names are Javascript object property names',
      reason: onlyObjects,
    },
    {
      file: `${draft}/type.json`,
      group: 'integer type matches integers',
      cases: ['a float is not an integer'],
      reason: 'an integer is a `number`: TypeScript has no integer type',
    },
  ]),
  ...['exclusiveMaximum', 'exclusiveMinimum', 'optional/no-schema'].map(
    (name): Listed => ({ file: `draft2020-12/${name}.json`, reason: bounds }),
  ),
  ...['contains', 'maxContains', 'minContains'].map(
    (name): Listed => ({ file: `draft2020-12/${name}.json`, reason: '`contains` is not in types' }),
  ),
  { file: 'draft2020-12/format.json', reason: format },
  ...['date-time', 'date', 'email', 'hostname', 'ipv4', 'ipv6', 'time', 'uri', 'uuid'].map(
    (name): Listed => ({ file: `draft2020-12/optional/format/${name}.json`, reason: format }),
  ),
  ...['ecmascript-regex', 'non-bmp-regex'].map(
    (name): Listed => ({
      file: `draft2020-12/optional/${name}.json`,
      reason: `\`pattern\` is not in types; ${patterns}`,
    }),
  ),
  { file: 'draft2020-12/patternProperties.json', reason: patterns },
  { file: 'draft2020-12/propertyNames.json', reason: '`propertyNames` is not in types' },
  {
    file: 'draft2020-12/dependentRequired.json',
    reason: 'dependentRequired depends on the value (which properties it holds)',
  },
  {
    file: 'draft2020-12/dependentSchemas.json',
    group: 'single dependency',
    reason: 'dependentSchemas depend on the value (which properties it holds)',
  },
  {
    file: 'draft2020-12/dependentSchemas.json',
    group: 'boolean subschemas',
    reason: 'dependentSchemas depend on the value (which properties it holds)',
  },
  {
    file: 'draft2020-12/dependentSchemas.json',
    group: 'dependencies with escaped characters',
    reason: 'dependentSchemas depend on the value (which properties it holds)',
  },
  {
    file: 'draft2020-12/dependentSchemas.json',
    group: 'dependent subschema incompatible with root',
    cases: ['matches root'],
    reason: 'dependentSchemas depend on the value (which properties it holds)',
  },
  {
    file: 'draft2020-12/if-then-else.json',
    reason: '`if`/`then`/`else` depend on the value',
  },
  {
    file: 'draft2020-12/items.json',
    group: 'items does not look in applicators, valid case',
    reason: bounds,
  },
  { file: 'draft2020-12/not.json', group: 'not multiple types', reason: not },
  {
    file: 'draft2020-12/not.json',
    group: "collect annotations inside a 'not', even if collection is disabled",
    reason: `${not}; ${unevaluated}`,
  },
  {
    file: 'draft2020-12/oneOf.json',
    group: 'oneOf with boolean schemas, all true',
    reason: oneOf,
  },
  {
    file: 'draft2020-12/oneOf.json',
    group: 'oneOf with boolean schemas, more than one true',
    reason: oneOf,
  },
  {
    file: 'draft2020-12/properties.json',
    group: 'properties, patternProperties, additionalProperties interaction',
    reason: `${patterns}; ${bounds}`,
  },
  {
    file: 'draft2020-12/ref.json',
    group: 'ref applies alongside sibling keywords',
    cases: ['ref valid, maxItems invalid'],
    reason: bounds,
  },
  {
    file: 'draft2020-12/type.json',
    group: 'multiple types can be specified in an array',
    cases: ['a float is invalid'],
    reason: 'an integer is a `number`: TypeScript has no integer type',
  },
  {
    file: 'draft2020-12/uniqueItems.json',
    group: 'uniqueItems validation',
    reason: '`uniqueItems` is not in types',
  },
  {
    file: 'draft2020-12/uniqueItems.json',
    group: 'uniqueItems with an array of items',
    reason: '`uniqueItems` is not in types',
  },
  {
    file: 'draft2020-12/uniqueItems.json',
    group: 'uniqueItems with an array of items and additionalItems=false',
    cases: [
      '[false, false] from items array is not valid',
      '[true, true] from items array is not valid',
    ],
    reason: '`uniqueItems` is not in types',
  },
  {
    file: 'draft2020-12/unevaluatedProperties.json',
    group: 'unevaluatedProperties schema',
    reason: bounds,
  },
  ...[
    'unevaluatedItems false',
    'unevaluatedItems as schema',
    'unevaluatedItems with nested tuple',
    'unevaluatedItems with nested items',
    'unevaluatedItems with anyOf',
    'unevaluatedItems with oneOf',
    'unevaluatedItems with if/then/else',
    'unevaluatedItems with boolean schemas',
    'unevaluatedItems with $ref',
    'unevaluatedItems before $ref',
    "unevaluatedItems can't see inside cousins",
    'unevaluatedItems depends on adjacent contains',
    'unevaluatedItems depends on multiple nested contains',
    'unevaluatedItems and contains interact to control item dependency relationship',
    'unevaluatedItems can see annotations from if without then and else',
  ].map(
    (group): Listed => ({ file: 'draft2020-12/unevaluatedItems.json', group, reason: unevaluated }),
  ),
  ...[
    'unevaluatedProperties with if/then/else',
    'unevaluatedProperties with if/then/else, then not defined',
    'unevaluatedProperties with if/then/else, else not defined',
    'cousin unevaluatedProperties, true and false, false with properties',
    'property is evaluated in an uncle schema to unevaluatedProperties',
    'in-place applicator siblings, allOf has unevaluated',
    'in-place applicator siblings, anyOf has unevaluated',
    'dynamic evalation inside nested refs',
    'unevaluatedProperties can see annotations from if without then and else',
  ].map(
    (group): Listed => ({
      file: 'draft2020-12/unevaluatedProperties.json',
      group,
      reason: unevaluated,
    }),
  ),
  {
    file: 'draft2020-12/unevaluatedProperties.json',
    group: 'unevaluatedProperties + ref inside allOf / oneOf',
    cases: ['x and y are invalid', 'a and b and x and y are invalid'],
    reason: oneOf,
  },
  {
    file: 'draft2020-12/optional/bignum.json',
    group: 'float comparison with high precision',
    reason: bounds,
  },
  {
    file: 'draft2020-12/optional/bignum.json',
    group: 'float comparison with high precision on negative numbers',
    reason: bounds,
  },
  {
    file: 'draft2020-12/optional/float-overflow.json',
    reason:
      '1e308 is a `number`: core refuses an integer-valued number from 2^53 (P-13), and a type cannot tell it from a smaller one',
  },
];

function listedIn(list: readonly Listed[], file: string, group: string, name: string): boolean {
  return list.some(
    (entry) =>
      entry.file === file &&
      (entry.group === undefined || entry.group === group) &&
      (entry.cases === undefined || entry.cases.includes(name)),
  );
}

/** A value as TypeScript source: a bigint as `5n`, a `__proto__` property as a computed key. */
function source(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(source).join(', ')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const members = Object.entries(value).map(
    ([key, member]) =>
      `${key === '__proto__' ? "['__proto__']" : JSON.stringify(key)}: ${source(member)}`,
  );
  return `{ ${members.join(', ')} }`;
}

interface Outcome {
  readonly file: string;
  readonly group: string;
  readonly test: string;
  /** Whether core's validation takes the value. */
  readonly valid: boolean;
  /** Whether the line assigning it to `S` compiles. */
  compiles: boolean;
}

const folder = typescriptProject({ packages: ['core'], compilerOptions: { noEmit: true } });

it('writes types for every schema of the JSON Schema Test Suite that compile, take every value validation takes and refuse every other, but those listed', async () => {
  const groups: ExpressibleGroup[] = expressibleGroups();
  // Each case by its line (`src/group3.ts:2`).
  const lines = new Map<string, Outcome>();
  const cases: Outcome[] = [];
  for (const [index, { file, openapi, group }] of groups.entries()) {
    const api = await loadApi(documentOf(group.schema, openapi));
    const module = `group${index}`;
    folder.write(`src/${module}.generated.ts`, generateTypes(api, { source: file }));
    const text = [`import type { S } from './${module}.generated.js';`];
    group.tests.forEach((test, at) => {
      const outcome: Outcome = {
        file,
        group: group.description,
        test: test.description,
        valid: api.validate('S', test.data).length === 0,
        compiles: true,
      };
      cases.push(outcome);
      text.push(`export const c${at}: S = ${source(test.data)};`);
      lines.set(`src/${module}.ts:${text.length}`, outcome);
    });
    folder.write(`src/${module}.ts`, `${text.join('\n')}\n`);
  }
  // About 15 s on a quiet host; more than 100 s under a CI run's other work.
  const compiled = await compileProject(folder, 360_000);
  // A tsc stopped or crashed reports no error: every value would seem to compile.
  expect(compiled.output).not.toMatch(/stopped after|heap out of memory|^node:/m);
  const unplaced: string[] = [];
  for (const error of compiled.output.split('\n').filter((line) => /error TS/.test(line))) {
    const at = /^(src\/group\d+\.ts)\((\d+),\d+\)/.exec(error);
    const outcome = at && lines.get(`${at[1]}:${at[2]}`);
    if (outcome) outcome.compiles = false;
    // An error in a generated file, or anywhere else than a case's line.
    else unplaced.push(error);
  }
  expect(unplaced).toEqual([]);
  const unexpected = cases.filter(
    ({ file, group, test, valid, compiles }) =>
      compiles !==
      (valid
        ? !listedIn(narrower, file, group, test)
        : listedIn(leftToValidation, file, group, test)),
  );
  expect(unexpected).toEqual([]);
  // Each listed entry names cases that are there, and of its kind.
  for (const [list, valid] of [
    [narrower, true],
    [leftToValidation, false],
  ] as const)
    for (const entry of list) {
      const named = cases.filter(
        (outcome) =>
          outcome.valid === valid && listedIn([entry], outcome.file, outcome.group, outcome.test),
      );
      expect(named.length, JSON.stringify(entry)).toBeGreaterThanOrEqual(
        Math.max(1, entry.cases?.length ?? 1),
      );
    }
}, 420_000);
