import type { SpecProblem } from '../errors/spec-error.js';
import { appendPointer } from './json-pointer.js';
import type { Dialect } from './normalize-schema.js';
import { yaml11Reading } from './yaml-1-1-scalars.js';

// What a keyword Macaron reads must hold, and how the problem says it.
interface Shape {
  readonly holds: (value: unknown) => boolean;
  readonly message: string | ((value: unknown) => string);
}

// NaN and the infinities (YAML's `.nan`, `.inf`) are numbers here: the CLI's lint and compile
// report them wherever they are, as JSON cannot hold them.
const isNumber = (value: unknown) => typeof value === 'number';
const isList = (value: unknown) => Array.isArray(value);
const isMap = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
// A schema where JSON Schema 2020-12 and draft 4 take one: an object, or true or false.
const isSchema = (value: unknown) => typeof value === 'boolean' || isMap(value);
const isNames = (value: unknown) =>
  Array.isArray(value) && value.every((name) => typeof name === 'string');

const number: Shape = {
  holds: isNumber,
  message: (value) => `must be a number${yaml11Reading(value, 'number')}`,
};
// Any integer: a bound such as Java's Long.MAX_VALUE (9223372036854775807) is no bound in effect.
const count: Shape = {
  holds: (value) => Number.isInteger(value) && (value as number) >= 0,
  message: (value) => `must be a whole number of at least 0${yaml11Reading(value, 'number')}`,
};
const text: Shape = { holds: (value) => typeof value === 'string', message: 'must be a string' };
const flag: Shape = {
  holds: (value) => typeof value === 'boolean',
  message: (value) => `must be true or false${yaml11Reading(value, 'boolean')}`,
};
const list: Shape = { holds: isList, message: 'must be a list' };
// A number in JSON Schema 2020-12; true or false, beside minimum or maximum, before it.
const exclusiveBound: Shape = {
  holds: (value) => isNumber(value) || typeof value === 'boolean',
  message: (value) =>
    `must be a number, or true or false (OpenAPI 3.0 and Swagger 2.0)${yaml11Reading(value, 'number') || yaml11Reading(value, 'boolean')}`,
};
const map: Shape = { holds: isMap, message: 'must be an object' };
// A schema, or true or false (`additionalProperties: no` was false to PyMacaron's YAML 1.1).
const schema: Shape = {
  holds: isSchema,
  message: (value) => `must be a schema, true or false${yaml11Reading(value, 'boolean')}`,
};
const names: Shape = {
  holds: isNames,
  message: (value) =>
    Array.isArray(value)
      ? "must be a list of property names: quote a name YAML reads as a number or a boolean ('200')"
      : 'must be a list of property names',
};

// The keywords every dialect reads, with the shape each must have. A keyword of another shape
// was skipped as if absent, so a spec said more than was checked: `required: id` (a string,
// not a list) required nothing, `maximum: "5"` bounded nothing, `enum: x` allowed any value.
const shapes = new Map<string, Shape>([
  ['$ref', text],
  ['minimum', number],
  ['maximum', number],
  ['exclusiveMinimum', exclusiveBound],
  ['exclusiveMaximum', exclusiveBound],
  [
    'multipleOf',
    {
      holds: (value) => isNumber(value) && !((value as number) <= 0),
      message: (value) => `must be a number greater than 0${yaml11Reading(value, 'number')}`,
    },
  ],
  ['minLength', count],
  ['maxLength', count],
  ['minItems', count],
  ['maxItems', count],
  ['minProperties', count],
  ['maxProperties', count],
  ['pattern', text],
  ['format', text],
  ['uniqueItems', flag],
  ['readOnly', flag],
  ['writeOnly', flag],
  ['enum', list],
  ['allOf', list],
  ['anyOf', list],
  ['oneOf', list],
  ['required', names],
  ['properties', map],
  ['additionalProperties', schema],
]);

// The JSON Schema 2020-12 keywords OpenAPI 3.1 adds, which Macaron reads there only.
const shapes31 = new Map<string, Shape>([
  ...shapes,
  ['minContains', count],
  ['maxContains', count],
  ['prefixItems', list],
  ['patternProperties', map],
  [
    'dependentRequired',
    {
      holds: (value) => isMap(value) && Object.values(value as object).every(isNames),
      message: 'must map property names to lists of property names',
    },
  ],
  ['dependentSchemas', map],
  [
    'items',
    {
      holds: isSchema,
      message: (value) =>
        Array.isArray(value)
          ? 'must be a schema, true or false: a list of schemas (a tuple) is prefixItems'
          : `must be a schema, true or false${yaml11Reading(value, 'boolean')}`,
    },
  ],
]);

const shapes30 = new Map<string, Shape>([
  ...shapes,
  ['nullable', flag],
  [
    'items',
    {
      holds: isMap,
      message: (value) =>
        Array.isArray(value)
          ? 'must be a schema: OpenAPI 3.0 has no list of schemas (a tuple)'
          : typeof value === 'boolean'
            ? 'must be a schema: OpenAPI 3.0 has no boolean schema (true is {}, false is { not: {} })'
            : `must be a schema${yaml11Reading(value, 'boolean')}`,
    },
  ],
]);

// Swagger 2.0 reads a list of schemas under `items` as JSON Schema draft 4 does (a tuple).
const shapes2 = new Map<string, Shape>([
  ...shapes,
  [
    'items',
    {
      holds: (value) => isMap(value) || (isList(value) && (value as unknown[]).length > 0),
      message: (value) => `must be a schema or a list of schemas${yaml11Reading(value, 'boolean')}`,
    },
  ],
  ['x-nullable', flag],
  ['additionalItems', schema],
]);

const byDialect: Record<Dialect, ReadonlyMap<string, Shape>> = {
  swagger2: shapes2,
  'oas3.0': shapes30,
  'oas3.1': shapes31,
};

/**
 * Adds a problem for each keyword of a schema Macaron reads whose value has another shape
 * than the dialect gives it, at the keyword. `raw` may be a Swagger 2.0 parameter, whose
 * `required` is its own flag, not a list of properties.
 */
export function keywordShapeProblems(
  raw: Record<string, unknown>,
  pointer: string,
  dialect: Dialect,
  problems: SpecProblem[],
): void {
  const known = byDialect[dialect];
  // Over the schema's own keys (a few), not over every keyword.
  for (const keyword of Object.keys(raw)) {
    // A Swagger 2.0 parameter's `required` is its own flag, not a list of properties.
    const shape = keyword === 'required' && isParameter(raw, dialect) ? flag : known.get(keyword);
    // `undefined` (a schema built in code, `{ ...schema, anyOf: undefined }`) is no keyword.
    if (shape === undefined || raw[keyword] === undefined || shape.holds(raw[keyword])) continue;
    const message = typeof shape.message === 'string' ? shape.message : shape.message(raw[keyword]);
    problems.push({ pointer: appendPointer(pointer, keyword), message: `${keyword} ${message}` });
  }
}

// A Swagger 2.0 parameter (not in the body) is read as the schema of its value.
function isParameter(raw: Record<string, unknown>, dialect: Dialect): boolean {
  return dialect === 'swagger2' && typeof raw.in === 'string';
}
