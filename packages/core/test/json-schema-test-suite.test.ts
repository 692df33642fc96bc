import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Api,
  InvalidRequestError,
  loadApi,
  type ModelClass,
  SpecError,
  ValidationError,
} from '../src/index.js';
import { fixturePath } from './support/specs.js';

// The official JSON Schema Test Suite (fixtures/json-schema-test-suite, see its README), run
// through `loadApi` and `api.validate`: each group's schema is the component schema `S` of an
// OpenAPI 3.1 document (draft 2020-12's cases) or of a 3.0.3 one (draft 4's, where 3.0 can say
// them). Every case either passes, or is listed below as a deviation Macaron declares, whose
// outcome is asserted too: a change that fixes or breaks one shows here.

interface SuiteCase {
  readonly description: string;
  readonly data: unknown;
  readonly valid: boolean;
}
interface SuiteGroup {
  readonly description: string;
  readonly schema: unknown;
  readonly tests: readonly SuiteCase[];
}

const suites = [
  { dir: 'draft2020-12', openapi: '3.1.0' },
  { dir: 'draft2020-12/optional', openapi: '3.1.0' },
  { dir: 'draft2020-12/optional/format', openapi: '3.1.0' },
  { dir: 'draft4', openapi: '3.0.3' },
] as const;

/**
 * The suite's files not vendored nor run, and why (every group of each is of that kind).
 */
const leftOutFiles: Record<string, string> = {
  'draft2020-12/refRemote.json': 'remote $refs (a server on localhost:1234)',
  'draft2020-12/dynamicRef.json': '$dynamicRef is not supported (a SpecError, documented)',
  'draft2020-12/vocabulary.json': 'a custom metaschema ($schema of a remote document)',
  'draft2020-12/anchor.json': '$refs to an $anchor are not supported (a SpecError, documented)',
  'draft2020-12/optional/anchor.json': '$refs to an $anchor',
  'draft2020-12/optional/cross-draft.json': 'remote $refs to other drafts',
  'draft2020-12/optional/dynamicRef.json': '$dynamicRef',
  'draft2020-12/optional/id.json': 'remote $refs by $id',
  'draft2020-12/optional/format-assertion.json': 'custom metaschemas',
  'draft4/refRemote.json': 'remote $refs',
  'draft4/additionalItems.json': 'OpenAPI 3.0 has no additionalItems nor list of items',
  'draft4/dependencies.json': 'OpenAPI 3.0 has no dependencies',
  'draft4/patternProperties.json': 'OpenAPI 3.0 has no patternProperties',
};

// Keywords whose values are maps of names to schemas: their keys are names, not keywords.
const schemaMaps = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
]);
// Keywords whose values are data, not schemas.
const dataKeywords = new Set(['enum', 'const', 'default', 'examples']);
// The keywords of OpenAPI 3.0's Schema Object that the draft 4 cases use (and `definitions`,
// a place the cases' `$ref`s point into, which OpenAPI 3.0 leaves alone).
const openapi30Keywords = new Set([
  '$ref',
  'definitions',
  'title',
  'description',
  'default',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'enum',
  'type',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'items',
  'properties',
  'additionalProperties',
  'format',
]);

/**
 * Why a group's schema cannot be put in a spec as it is, if it cannot: what it refers to by
 * URI or anchor, or (in OpenAPI 3.0) a keyword or form 3.0 does not have.
 */
function notExpressible(schema: unknown, openapi: string, root = true): string | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  for (const [key, value] of Object.entries(schema)) {
    if (dataKeywords.has(key)) continue;
    if (key === '$id' || (key === 'id' && openapi === '3.0.3' && typeof value === 'string'))
      return `${key}: a base URI of its own`;
    if (key === '$anchor' || key === '$dynamicAnchor' || key === '$dynamicRef')
      return `${key} is not supported`;
    if (key === '$schema') {
      if (root) continue;
      return 'a $schema below the root';
    }
    if (key === '$ref' && typeof value === 'string' && !(value === '#' || value.startsWith('#/')))
      return value.startsWith('#') ? 'a $ref to an anchor' : 'a remote $ref';
    if (openapi === '3.0.3') {
      if (!openapi30Keywords.has(key)) return `${key} is not a keyword of OpenAPI 3.0`;
      if (key === 'type' && (typeof value !== 'string' || value === 'null'))
        return 'OpenAPI 3.0 has no type arrays nor null type';
      if (key === 'items' && Array.isArray(value)) return 'OpenAPI 3.0 has no list of items';
    }
    const members =
      schemaMaps.has(key) && value && typeof value === 'object' ? Object.values(value) : [value];
    for (const member of Array.isArray(value) ? value : members) {
      const reason = notExpressible(member, openapi, false);
      if (reason) return reason;
    }
  }
  return undefined;
}

// The schema with its `$ref`s into itself (`#`, `#/$defs/a`) made to point into the component
// (`#/components/schemas/S/$defs/a`). Built with `defineProperty`, so a `__proto__` property
// (the suite has one) stays a property.
function inComponent(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((item) => inComponent(item, base));
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const moved =
      key === '$ref' && typeof value === 'string'
        ? base + value.slice(1)
        : dataKeywords.has(key)
          ? value
          : inComponent(value, base);
    Object.defineProperty(copy, key, { value: moved, enumerable: true, writable: true });
  }
  return copy;
}

function documentOf(schema: unknown, openapi: string): Record<string, unknown> {
  let own = schema;
  if (typeof own === 'object' && own !== null && '$schema' in own) {
    const { $schema: _dialect, ...rest } = own as Record<string, unknown>;
    own = rest;
  }
  return {
    openapi,
    info: { title: 'JSON Schema Test Suite', version: '1' },
    paths: {},
    components: { schemas: { S: inComponent(own, '#/components/schemas/S') } },
  };
}

interface Deviation {
  readonly file: string;
  readonly group?: string;
  /** The cases whose outcome differs from the suite's: by description, or every invalid one. */
  readonly cases: readonly string[] | 'invalid';
  readonly reason: string;
}

const unchecked = (format: string): Deviation => ({
  file: `draft2020-12/optional/format/${format}.json`,
  cases: 'invalid',
  reason: `format ${format} is not checked (documented: only the formats listed are)`,
});

/** The cases where Macaron's outcome is not the suite's, on purpose (persistence-semantics.md). */
const deviations: readonly Deviation[] = [
  {
    file: 'draft2020-12/format.json',
    cases: [
      'invalid email string is only an annotation by default',
      'invalid ipv4 string is only an annotation by default',
      'invalid ipv6 string is only an annotation by default',
      'invalid hostname string is only an annotation by default',
      'invalid date string is only an annotation by default',
      'invalid date-time string is only an annotation by default',
      'invalid time string is only an annotation by default',
      'invalid uri string is only an annotation by default',
      'invalid uuid string is only an annotation by default',
    ],
    reason: 'the formats Macaron knows are asserted, not annotations (OpenAPI 3.0 reading)',
  },
  {
    file: 'draft2020-12/const.json',
    group: 'float and integers are equal up to 64-bit representation limits',
    cases: ['integer is valid', 'float is valid'],
    reason: '9007199254740992 (2^53) cannot be stored exactly as a number (P-13): use a bigint',
  },
  ...[
    ['integer', 'a bignum is an integer', 'a negative bignum is an integer'],
    ['number', 'a bignum is a number', 'a negative bignum is a number'],
    ['maximum integer comparison', 'comparison works for high numbers'],
    ['minimum integer comparison', 'comparison works for very negative numbers'],
  ].map(
    ([group, ...cases]): Deviation => ({
      file: 'draft2020-12/optional/bignum.json',
      group,
      cases,
      reason: 'an integer-valued number from 2^53 is refused (P-13): JSON.parse has rounded it',
    }),
  ),
  {
    file: 'draft2020-12/optional/float-overflow.json',
    cases: ['valid if optional overflow handling is implemented'],
    reason: '1e308 is an integer-valued number past 2^53 (P-13)',
  },
  {
    file: 'draft2020-12/optional/dependencies-compatibility.json',
    cases: 'invalid',
    reason: 'draft 7 `dependencies` is no keyword of 2020-12 (OpenAPI 3.1): it is ignored',
  },
  {
    file: 'draft2020-12/optional/format/email.json',
    cases: [
      'a quoted string with a space in the local part is valid',
      'a quoted string with a @ in the local part is valid',
      'an IPv6-address-literal after the @ is valid',
      'dot before local part is not valid',
      'dot after local part is not valid',
      'two subsequent dots inside local part are not valid',
      'an invalid domain',
      'an invalid IPv4-address-literal',
    ],
    reason: 'email is checked loosely: one @, a dot after it (documented)',
  },
  {
    file: 'draft2020-12/optional/format/time.json',
    cases: ['no time offset', 'no time offset with second fraction'],
    reason: 'time takes no offset too (documented: offset optional)',
  },
  ...[
    'duration',
    'idn-email',
    'idn-hostname',
    'iri-reference',
    'iri',
    'json-pointer',
    'regex',
    'relative-json-pointer',
    'uri-reference',
    'uri-template',
  ].map(unchecked),
];

function deviates(file: string, group: string, test: SuiteCase): boolean {
  return deviations.some(
    (deviation) =>
      deviation.file === file &&
      (deviation.group === undefined || deviation.group === group) &&
      (deviation.cases === 'invalid' ? !test.valid : deviation.cases.includes(test.description)),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The model class of `S`, where its schema is one of objects (others have none).
function modelOf(api: Api): ModelClass<object> | undefined {
  try {
    return api.model('S');
  } catch (error) {
    if (error instanceof InvalidRequestError) return undefined;
    throw error;
  }
}

// Whether `fromJSON` reads the object (a ValidationError where it is invalid, nothing else).
function readsAsModel(model: ModelClass<object>, data: Record<string, unknown>): boolean {
  try {
    model.fromJSON(data);
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}

const root = fixturePath('json-schema-test-suite');

function groupsOf(file: string): SuiteGroup[] {
  return JSON.parse(readFileSync(`${root}/${file}`, 'utf8')) as SuiteGroup[];
}

for (const { dir, openapi } of suites) {
  const files = readdirSync(`${root}/${dir}`).filter((name) => name.endsWith('.json'));
  describe(`JSON Schema Test Suite: ${dir} as OpenAPI ${openapi}`, () => {
    for (const name of files) {
      const file = `${dir}/${name}`;
      for (const group of groupsOf(file)) {
        // Shown as skipped, with the reason: OpenAPI cannot say what the group tests.
        const leftOut = notExpressible(group.schema, openapi);
        if (leftOut !== undefined) {
          it.skip(`${name}: ${group.description} (left out: ${leftOut})`, () => {});
          continue;
        }
        it(`${name}: ${group.description}`, async () => {
          let api: Api;
          try {
            api = await loadApi(documentOf(group.schema, openapi));
          } catch (error) {
            throw error instanceof SpecError
              ? new Error(`${error.message}: ${JSON.stringify(error.problems)}`)
              : error;
          }
          const outcomes = group.tests.map((test) => ({
            test: test.description,
            valid: api.validate('S', test.data).length === 0,
          }));
          // A model's fromJSON (a request body's reading too) finds an object valid alike.
          const model = api.modelNames().includes('S') ? modelOf(api) : undefined;
          if (model)
            for (const [index, test] of group.tests.entries())
              if (isPlainObject(test.data))
                expect(readsAsModel(model, test.data), test.description).toBe(
                  outcomes[index]!.valid,
                );
          const expected = group.tests.map((test) => ({
            test: test.description,
            valid: deviates(file, group.description, test) ? !test.valid : test.valid,
          }));
          expect(outcomes).toEqual(expected);
        });
      }
    }
  });
}

describe('JSON Schema Test Suite: the runner', () => {
  it('lists deviations that each name cases of the vendored files, and vendors no file it leaves out', () => {
    for (const deviation of deviations) {
      const groups = groupsOf(deviation.file).filter(
        (group) => deviation.group === undefined || group.description === deviation.group,
      );
      const cases = groups.flatMap((group) => group.tests);
      expect(cases.length, deviation.file).toBeGreaterThan(0);
      if (deviation.cases === 'invalid')
        expect(
          cases.some((test) => !test.valid),
          deviation.file,
        ).toBe(true);
      else
        expect(
          deviation.cases.filter((name) => !cases.some((test) => test.description === name)),
          deviation.file,
        ).toEqual([]);
    }
    for (const file of Object.keys(leftOutFiles)) expect(existsSync(`${root}/${file}`)).toBe(false);
  });
});
