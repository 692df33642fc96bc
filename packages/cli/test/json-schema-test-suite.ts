import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The official JSON Schema Test Suite that @macaron/core vendors (its
// test/fixtures/json-schema-test-suite) as specs, as core's json-schema-test-suite.test.ts
// makes them: each group's schema is the component schema `S` of an OpenAPI 3.1 document
// (draft 2020-12's cases) or of a 3.0.3 one (draft 4's, where 3.0 can say them). What follows
// down to `documentOf` is that test's, copied: a test here cannot import core's tests (they are
// outside this package's TypeScript project).

/** The vendored suite's folder. */
export const suiteRoot = fileURLToPath(
  new URL('../../core/test/fixtures/json-schema-test-suite', import.meta.url),
);

export interface SuiteCase {
  readonly description: string;
  readonly data: unknown;
  readonly valid: boolean;
}
export interface SuiteGroup {
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

export function documentOf(schema: unknown, openapi: string): Record<string, unknown> {
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

const bigintMark = '\u0000bigint';

// A value with its bigints as numbers: a spec given as an object holds numbers (core's test
// gives it what `JSON.parse` read).
function asNumbers(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(asNumbers);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value))
    Object.defineProperty(copy, key, {
      value: asNumbers(member),
      enumerable: true,
      writable: true,
    });
  return copy;
}

/**
 * A suite file's groups, the integers of its cases beyond 2^53 read exactly, as bigints (as core
 * reads a request's JSON, or an item's): `JSON.parse` would round them.
 */
function groupsOf(file: string): SuiteGroup[] {
  const text = readFileSync(`${suiteRoot}/${file}`, 'utf8');
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) =>
    /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))
      ? `{"\\u0000bigint":"${token}"}`
      : token,
  );
  const groups = JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && bigintMark in value
      ? BigInt((value as Record<string, string>)[bigintMark]!)
      : value,
  ) as SuiteGroup[];
  return groups.map((group) => ({ ...group, schema: asNumbers(group.schema) }));
}

/** A group of the suite that a spec can say, with the file it comes from. */
export interface ExpressibleGroup {
  /** The suite's file, as `draft2020-12/type.json`. */
  readonly file: string;
  readonly openapi: string;
  readonly group: SuiteGroup;
}

/** The groups of every file of the suite that core's test runs, but those a spec cannot say. */
export function expressibleGroups(): ExpressibleGroup[] {
  return suites.flatMap(({ dir, openapi }) =>
    readdirSync(`${suiteRoot}/${dir}`)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .flatMap((name) =>
        groupsOf(`${dir}/${name}`)
          .filter((group) => notExpressible(group.schema, openapi) === undefined)
          .map((group) => ({ file: `${dir}/${name}`, openapi, group })),
      ),
  );
}
