import { InvalidRequestError } from '../errors/persistence-errors.js';
import { shownJson, shownList, shownName, shownText } from '../errors/shown-name.js';
import { shownBigint } from '../errors/shown-number.js';
import type { ValidationProblem } from '../errors/validation-error.js';
import { checkOptionNames, optionNames } from '../persist/option-names.js';
import { compareNumbers } from '../persist/value-order.js';
import { patternText } from '../spec/schema-pattern.js';
import { allOfParts } from './all-of-parts.js';
import { isBytes, isObjectPrototype, isSet } from './builtin-values.js';
import { allowedByCombinators } from './closed-names.js';
import { modelClassOf } from './copy-value.js';
import { shownBound } from './decimal-bound.js';
import { discriminatedVariant } from './discriminated-variant.js';
import { type EvaluationPlan, evaluationPlan } from './evaluation-plan.js';
import { isExactMultiple } from './exact-number.js';
import { integerRanges, matchesStringFormat } from './formats.js';
import { appendPointer } from './json-pointer.js';
import { jsonWithDigits } from './json-with-digits.js';
import { type Pointer, pointerText, samePointer } from './lazy-pointer.js';
import { maxProblems } from './max-problems.js';
import { ownProperty } from './own-property.js';
import { isRecursive } from './recursive-nodes.js';
import { repeatedItems } from './repeated-items.js';
import { isPlainObject, sameValue } from './same-value.js';
import { type SchemaNode, type SchemaType, unconstrained } from './schema-node.js';
import { repeatedSetMember } from './set-members.js';
import { numberProblem } from './storable-number.js';
import {
  type MatchContext,
  matchesOf,
  recordedMatch,
  recordingMatches,
  recordMatch,
  sameContext,
} from './subschema-matches.js';
import { TextSet } from './text-set.js';
import { requirementLifted, type ValueDirection } from './value-direction.js';

const maxDepth = 32;

// The schemas whose discriminator is dispatching right now, each with the value it dispatches:
// a variant that extends its parent through allOf validates the parent's own keywords on that
// value without dispatching again. Another value below it (a tree of the same schema) is
// checked in full. A stack: nested dispatches of one schema hold their own values.
const dispatching: { readonly schema: SchemaNode; readonly value: unknown }[] = [];

function isDispatching(schema: SchemaNode, value: unknown): boolean {
  for (let index = 0; index < dispatching.length; index++) {
    const entry = dispatching[index]!;
    if (entry.schema === schema && entry.value === value) return true;
  }
  return false;
}

/** Options of `validateValue`. */
export interface ValidateOptions {
  /**
   * The value is a request's (required `readOnly` properties may be missing) or a
   * response's (required `writeOnly` ones may be); left out, everything required is.
   */
  direction?: ValueDirection;
  /**
   * For validations of parts of one value, one after another, each at its `pointer` and
   * `level` in the whole: what one found of a part against a recursive schema serves the
   * next, so that parts nested in parts are not checked again at every level. A session
   * serves one value, validated in one direction.
   */
  session?: ValidationSession;
  /**
   * How deep the value lies in the value it is part of (0, the default, for the whole): the
   * 32-level limit counts from the whole.
   */
  level?: number;
}

/** What validations of parts of one value share (see `ValidateOptions.session`). */
export class ValidationSession {
  declare private readonly shared: never;
}

// A session's checks kept so far, and the checks it makes before keeping them.
interface SessionChecks {
  made: Map<object, Map<SchemaNode, MadeCheck[]>> | undefined;
  checksLeft: number;
  untypedValid: Map<object, number> | undefined;
}
const sessions = new WeakMap<ValidationSession, SessionChecks>();

// The direction of the validation running now (validation is synchronous).
let direction: ValueDirection | undefined;
// With a direction: the schemas whose subschemas (allOf, then/else, dependentSchemas) are
// checked against a value right now. A subschema may require a property that its owner, or a
// sibling, declares readOnly.
const allOfOwners: { readonly schema: SchemaNode; readonly value: unknown }[] = [];

/** The keys `ValidateOptions` may have; any other is refused (P-110). */
const validateOptionNames = optionNames('direction', 'session', 'level');

/**
 * Validates a model value against its schema; returns its problems, the first 1,000 or so
 * found at most (empty when valid).
 * `pointer`: the JSON pointer of where the value is, prefixed to every problem's pointer.
 */
export function validateValue(
  schema: SchemaNode,
  value: unknown,
  pointer = '',
  options: ValidateOptions = {},
): ValidationProblem[] {
  checkOptionNames(options, validateOptionNames, 'validate');
  checkOptionValues(options);
  const level = options.level ?? 0;
  if (options.direction === undefined && options.session === undefined)
    return validateAt(schema, value, pointer, level);
  const outer = direction;
  direction = options.direction;
  try {
    if (options.session === undefined) return validateAt(schema, value, pointer, level);
    let shared = sessions.get(options.session);
    if (shared === undefined)
      sessions.set(
        options.session,
        (shared = { made: undefined, checksLeft: checksBeforeKeeping, untypedValid: undefined }),
      );
    return validateAt(schema, value, pointer, level, shared);
  } finally {
    direction = outer;
  }
}

/**
 * Refuses a value `ValidateOptions` does not take, as P-110 refuses a key: a misspelt
 * `direction` (`'Request'`) would otherwise require what the direction lifts, a `level` given
 * as text (`'3'`) would count depth as text, and a session that is none would throw a
 * `TypeError` of the engine's.
 */
function checkOptionValues(options: ValidateOptions): void {
  const { direction: given, level, session } = options;
  let refused: string | undefined;
  if (given !== undefined && given !== 'request' && given !== 'response')
    refused = `direction ${shownOptionValue(given)} ('request', 'response' or none)`;
  else if (level !== undefined && !(Number.isSafeInteger(level) && level >= 0))
    refused = `level ${shownOptionValue(level)} (a whole number from 0)`;
  else if (session !== undefined && !(session instanceof ValidationSession))
    refused = `session ${shownOptionValue(session)} (a ValidationSession)`;
  if (refused !== undefined)
    throw new InvalidRequestError(`validate does not take the value of option ${refused}`);
}

// An option's value as a message shows it: a scalar as it is, anything else by its kind (an
// object may hold cycles, or far more than a message should; JSON writes no bigint).
function shownOptionValue(value: unknown): string {
  if (typeof value === 'bigint') return shownBigint(value);
  if (typeof value === 'number') return String(value);
  if (value === null || typeof value === 'string' || typeof value === 'boolean')
    return shownJson(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * `validateValue` at a lazy pointer, spelt out only if a problem is reported. `level`: where
 * the value lies in its item, which nests 32 levels at most (0 for the item itself, 1 for an
 * attribute's value).
 */
export function validateAt(
  schema: SchemaNode,
  value: unknown,
  pointer: Pointer,
  level = 0,
  shared?: SessionChecks,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const outer = made;
  const outerLeft = checksLeft;
  const outerValid = untypedValid;
  made = shared?.made;
  checksLeft = shared?.checksLeft ?? checksBeforeKeeping;
  untypedValid = shared?.untypedValid;
  try {
    check(schema, value, pointer, problems, level);
  } finally {
    if (shared) {
      shared.made = made;
      shared.checksLeft = checksLeft;
      shared.untypedValid = untypedValid;
    }
    made = outer;
    checksLeft = outerLeft;
    untypedValid = outerValid;
  }
  if (problems.length < 2) return problems;
  // A variant that extends its parent can be reached twice (directly and through the parent's dispatch).
  const seen = new TextSet();
  return problems.filter((problem) =>
    seen.add(`${problem.pointer}\u0000${problem.keyword}\u0000${problem.message}`),
  );
}

function typeOf(
  value: unknown,
  schema: SchemaNode,
): SchemaType | 'bytes' | 'bigint' | 'set' | 'other' {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return 'bigint';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'array';
      // Bytes are binary where the schema says so, and where it says nothing (an undeclared
      // attribute another client wrote as B); a plain string property does not hold them.
      if (isBytes(value))
        return schema.format === 'binary' || schema.types === undefined ? 'bytes' : 'other';
      if (isSet(value)) return 'set';
      // A model object is its own properties, as a plain one (api.validate of a loaded object).
      return isPlainObject(value) && (isPlainPrototype(value) || modelClassOf(value) !== undefined)
        ? 'object'
        : 'other';
    default:
      return 'other';
  }
}

function isPlainPrototype(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || isObjectPrototype(prototype);
}

function typeMatches(allowed: readonly SchemaType[], actual: ReturnType<typeof typeOf>): boolean {
  switch (actual) {
    case 'integer':
      return allowed.includes('integer') || allowed.includes('number');
    case 'bigint':
      return allowed.includes('integer') || allowed.includes('number');
    case 'bytes':
      return allowed.includes('string');
    case 'set':
      return allowed.includes('array');
    case 'other':
      return false;
    default:
      return allowed.includes(actual);
  }
}

function describe(actual: ReturnType<typeof typeOf>): string {
  if (actual === 'bytes') return 'binary';
  if (actual === 'other') return 'a value JSON cannot hold';
  return actual;
}

// The checks of values against recursive schemas made in the validation running now, by value.
// A value may meet one recursive schema along several paths (two allOf parts, `if` and `then`,
// `not` of `not`, each naming the same property): made again at every level, the work would
// double with each one (a 20-level body: seconds; 32 levels: hours). Kept only once a
// validation has made more checks than most values need (a tree of 1,000 comments makes
// 8,000), where keeping them would cost a quarter more: such a body then costs ~10 ms at most.
const checksBeforeKeeping = 10_000;
let checksLeft = checksBeforeKeeping;
interface MadeCheck {
  readonly depth: number;
  readonly context: MatchContext;
  readonly at: Pointer;
  readonly problems: readonly ValidationProblem[];
}
let made: Map<object, Map<SchemaNode, MadeCheck[]>> | undefined;

function check(
  schema: SchemaNode,
  value: unknown,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  if (schema === unconstrained && typeof value === 'object' && value !== null) {
    checkUntypedValue(value, at, problems, depth);
    return;
  }
  if (checksLeft-- > 0 || typeof value !== 'object' || value === null || !isRecursive(schema)) {
    checkNow(schema, value, at, problems, depth);
    return;
  }
  const context = matchContext(value);
  made ??= new Map();
  let bySchema = made.get(value);
  if (bySchema === undefined) made.set(value, (bySchema = new Map()));
  const checks = bySchema.get(schema);
  for (const entry of checks ?? [])
    if (entry.depth === depth && sameContext(entry.context, context)) {
      // Its problems as found where it was made; a value met at another place (one object
      // held twice) is checked again there, for its pointers.
      if (entry.problems.length === 0) return;
      if (samePointer(entry.at, at)) {
        for (const problem of entry.problems) problems.push(problem);
        return;
      }
    }
  const before = problems.length;
  checkNow(schema, value, at, problems, depth);
  // Once each: a problem found below along two paths is the same object twice.
  const found = before === problems.length ? [] : [...new Set(problems.slice(before))];
  const entry = { depth, context, at, problems: found };
  if (checks === undefined) bySchema.set(schema, [entry]);
  else checks.push(entry);
}

// Values found valid under the unconstrained schema (what a schema does not describe: the
// properties of an untyped anyOf), by the deepest level they were found valid at. An untyped
// recursive anyOf checks its whole subtree so at every level of a body: a 1 MB body 32 levels
// deep, 32 times. Kept only for values whose check took many steps: most take few, and
// keeping every one would make a plain free-form body 7 times slower.
let untypedValid: Map<object, number> | undefined;
const stepsWorthKeeping = 1_000;

function checkUntypedValue(
  value: object,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  const valid = untypedValid?.get(value);
  // Valid at a level is valid at any level above it (only the depth limit depends on it).
  if (valid !== undefined && valid >= depth) return;
  const before = problems.length;
  const left = checksLeft--;
  checkNow(unconstrained, value, at, problems, depth);
  if (problems.length === before && left - checksLeft > stepsWorthKeeping)
    (untypedValid ??= new Map()).set(value, depth);
}

function checkNow(
  schema: SchemaNode,
  value: unknown,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  if (depth > maxDepth) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'depth',
      message: `is nested deeper than ${maxDepth} levels`,
    });
    return;
  }
  if (value === null && schema.nullable) return;
  // Bytes another client stored (as B) where the schema says `format: byte`: the value is
  // their base64, as JSON holds them; they are written back as they were read.
  if (schema.format === 'byte' && isBytes(value)) value = Buffer.from(value).toString('base64');
  const actual = typeOf(value, schema);
  if (schema.format === 'binary' && actual === 'string') {
    problems.push({
      pointer: pointerText(at),
      keyword: 'format',
      message: 'must be binary (a Uint8Array; base64 in JSON)',
    });
    return;
  }
  if (schema.types && !typeMatches(schema.types, actual)) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'type',
      message: `must be ${schema.types.join(' or ')}, not ${describe(actual)}`,
    });
    return;
  }
  if (actual === 'other') {
    problems.push({ pointer: pointerText(at), keyword: 'type', message: 'is not a JSON value' });
    return;
  }
  if (schema.enum && !inEnum(schema.enum, value)) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'enum',
      message: `must be one of ${shownList(schema.enum, shownValue)}`,
    });
  }
  if (schema.const && !sameValue(schema.const.value, value)) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'const',
      message: `must be ${shownValue(schema.const.value)}`,
    });
  }
  // 2020-12's unevaluated*, for lists and objects under schemas that have them (leaves: nothing).
  // A parent that its variant extends, checked again while it dispatches to the variant, was
  // checked with the variant seen: not again.
  const unevaluated =
    actual === 'object'
      ? schema.unevaluatedProperties
      : actual === 'array' || actual === 'set'
        ? schema.unevaluatedItems
        : undefined;
  if (unevaluated !== undefined && !isDispatching(schema, value)) {
    checkClosed(schema, unevaluated, value, actual, at, problems, depth);
    return;
  }
  // As checkContents, inline: the path of nearly every value.
  switch (actual) {
    case 'integer':
    case 'number':
    case 'bigint':
      checkNumber(schema, value as number | bigint, at, problems);
      break;
    case 'string':
      checkString(schema, value as string, at, problems);
      break;
    case 'bytes':
      checkByteLength(schema, value as Uint8Array, at, problems);
      break;
    case 'array':
      checkArray(schema, value as unknown[], at, problems, depth);
      break;
    case 'set':
      checkSet(schema, value as ReadonlySet<unknown>, at, problems, depth);
      break;
    case 'object':
      checkObject(schema, value as Record<string, unknown>, at, problems, depth);
      break;
  }
  checkCombinators(schema, value, at, problems, depth);
}

// The check of a list or an object under unevaluated*, checked last: they look at what
// everything else evaluated.
function checkClosed(
  schema: SchemaNode,
  unevaluated: false | SchemaNode,
  value: unknown,
  actual: ReturnType<typeof typeOf>,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  if (evaluationPlan(schema).conditional.length === 0) {
    checkContents(schema, value, actual, at, problems, depth);
    checkUnevaluated(schema, unevaluated, value, actual, at, problems, depth);
    return;
  }
  // Which subschemas apply depends on what they match: recorded as the check finds it, for
  // unevaluated* to read instead of validating them again.
  recordingMatches(value, depth, () => {
    checkContents(schema, value, actual, at, problems, depth);
    checkUnevaluated(schema, unevaluated, value, actual, at, problems, depth);
  });
}

// The keywords of a schema that look into a list or an object (items, properties) or apply
// other schemas to it, after its type and enum.
function checkContents(
  schema: SchemaNode,
  value: unknown,
  actual: ReturnType<typeof typeOf>,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  if (actual === 'array') checkArray(schema, value as unknown[], at, problems, depth);
  else if (actual === 'set') checkSet(schema, value as ReadonlySet<unknown>, at, problems, depth);
  else checkObject(schema, value as Record<string, unknown>, at, problems, depth);
  checkCombinators(schema, value, at, problems, depth);
}

// Why JSON cannot carry a number (it has no NaN nor infinities).
function unsendable(value: number | bigint): string | undefined {
  if (typeof value === 'bigint' || Number.isFinite(value)) return undefined;
  return Number.isNaN(value) ? 'is NaN' : 'is not finite';
}

// Where any number may be, an integer-valued number beyond 2^53 goes when JSON writes the
// number it is: from 1e21 with an exponent (a double to every reader), and below when its
// digits are its exact value (1e20). JSON.stringify pads the others with zeros (2 ** 60 as
// 1152921504606847000): another integer to readers that keep integers exact.
function sendsAsItself(schema: SchemaNode, value: number): boolean {
  return admitsAnyNumber(schema) && (Math.abs(value) >= 1e21 || exactDigits(value));
}

function exactDigits(value: number): boolean {
  return BigInt(value).toString() === String(value);
}

function admitsAnyNumber(schema: SchemaNode): boolean {
  return (
    schema.types === undefined || (schema.types.includes('number') && schema.format !== 'int64')
  );
}

function checkNumber(
  schema: SchemaNode,
  value: number | bigint,
  at: Pointer,
  problems: ValidationProblem[],
): void {
  // A response is sent, not stored: any number JSON holds may go (DynamoDB's limits are for what is stored).
  const problem = direction === 'response' ? unsendable(value) : numberProblem(value);
  if (problem) {
    problems.push({ pointer: pointerText(at), keyword: 'type', message: problem });
    return;
  }
  // Beyond 2^53 an integer property needs format int64 to hold a bigint; a number property
  // holds any exact number DynamoDB can (38 digits).
  const unsafeBigint = typeof value === 'bigint' && !Number.isSafeInteger(Number(value));
  if (
    unsafeBigint &&
    schema.types?.includes('integer') &&
    !schema.types.includes('number') &&
    schema.format !== 'int64'
  ) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'type',
      message: 'is an integer beyond 2^53, which needs an int64 property',
    });
    return;
  }
  const isInteger = typeof value === 'bigint' || Number.isInteger(value);
  if (schema.types?.includes('integer') && !schema.types.includes('number') && !isInteger) {
    problems.push({ pointer: pointerText(at), keyword: 'type', message: 'must be an integer' });
    return;
  }
  if (
    typeof value === 'number' &&
    isInteger &&
    !Number.isSafeInteger(value) &&
    !(direction === 'response' && sendsAsItself(schema, value))
  ) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'type',
      message:
        schema.format === 'int64'
          ? 'is an integer beyond 2^53 held in a number, which may have rounded it; give it as a bigint'
          : 'is an integer beyond 2^53 that a number cannot hold exactly; use a bigint (format int64)',
    });
    return;
  }
  const range = schema.format ? integerRanges[schema.format] : undefined;
  // An integer format names integers under `type: number` too (as JSON Schema's format
  // vocabularies and ajv-formats read it): 1.5 is no int64.
  if (range && !isInteger) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'format',
      message: `must be an integer (${schema.format})`,
    });
    return;
  }
  if (range) {
    const exact = BigInt(value);
    if (exact < range[0] || exact > range[1])
      problems.push({
        pointer: pointerText(at),
        keyword: 'format',
        message: `is out of the ${schema.format} range`,
      });
  }
  const n = value;
  if (schema.minimum !== undefined && compareNumbers(n, schema.minimum) < 0)
    problems.push({
      pointer: pointerText(at),
      keyword: 'minimum',
      message: `must be >= ${shownBound(schema, 'minimum', schema.minimum)}`,
    });
  if (schema.maximum !== undefined && compareNumbers(n, schema.maximum) > 0)
    problems.push({
      pointer: pointerText(at),
      keyword: 'maximum',
      message: `must be <= ${shownBound(schema, 'maximum', schema.maximum)}`,
    });
  if (schema.exclusiveMinimum !== undefined && compareNumbers(n, schema.exclusiveMinimum) <= 0) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'exclusiveMinimum',
      message: `must be > ${shownBound(schema, 'exclusiveMinimum', schema.exclusiveMinimum)}`,
    });
  }
  if (schema.exclusiveMaximum !== undefined && compareNumbers(n, schema.exclusiveMaximum) >= 0) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'exclusiveMaximum',
      message: `must be < ${shownBound(schema, 'exclusiveMaximum', schema.exclusiveMaximum)}`,
    });
  }
  if (schema.multipleOf !== undefined && !isExactMultiple(n, schema.multipleOf)) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'multipleOf',
      message: `must be a multiple of ${schema.multipleOf}`,
    });
  }
}

// `format: binary` is a sequence of octets (OpenAPI 3.0): its minLength and maxLength count
// bytes, as a spec bounding an upload's size means them (not the base64 JSON carries it in).
function checkByteLength(
  schema: SchemaNode,
  value: Uint8Array,
  at: Pointer,
  problems: ValidationProblem[],
): void {
  if (schema.format !== 'binary') return;
  if (schema.minLength !== undefined && value.length < schema.minLength)
    problems.push({
      pointer: pointerText(at),
      keyword: 'minLength',
      message: `must have at least ${schema.minLength} bytes`,
    });
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    problems.push({
      pointer: pointerText(at),
      keyword: 'maxLength',
      message: `must have at most ${schema.maxLength} bytes`,
    });
}

function checkString(
  schema: SchemaNode,
  value: string,
  at: Pointer,
  problems: ValidationProblem[],
): void {
  if (!value.isWellFormed()) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'type',
      message: 'holds a lone surrogate, which is not valid Unicode',
    });
    return;
  }
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    const length = characterCount(value, schema.minLength, schema.maxLength);
    if (schema.minLength !== undefined && length < schema.minLength) {
      problems.push({
        pointer: pointerText(at),
        keyword: 'minLength',
        message: `must have at least ${schema.minLength} characters`,
      });
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      problems.push({
        pointer: pointerText(at),
        keyword: 'maxLength',
        message: `must have at most ${schema.maxLength} characters`,
      });
      // Refused already: not matched against a pattern or a format, whose cost may grow
      // faster than the string (an unanchored pattern, a host's punycode).
      return;
    }
  }
  if (schema.pattern && !schema.pattern.test(value)) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'pattern',
      message: `must match ${patternText(schema.pattern)}`,
    });
  }
  if (schema.format && !matchesStringFormat(schema.format, value)) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'format',
      message: `must be a valid ${schema.format}`,
    });
  }
}

// Characters are code points: a string of n UTF-16 units holds between n/2 and n of them, so
// the exact count is needed only when the bounds fall in that range.
function characterCount(value: string, min = 0, max = Number.POSITIVE_INFINITY): number {
  const units = value.length;
  if (units <= max && units >= 2 * min) return units;
  let count = 0;
  for (const _ of value) count++;
  return count;
}

function checkArray(
  schema: SchemaNode,
  value: unknown[],
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'minItems',
      message: `must have at least ${schema.minItems} items`,
    });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'maxItems',
      message: `must have at most ${schema.maxItems} items`,
    });
  }
  const items = schema.items;
  const prefix = schema.prefixItems;
  for (let index = 0; index < value.length; index++) {
    // Enough found: the rest is not looked at (see `maxProblems`).
    if (problems.length >= maxProblems) return;
    const item = value[index];
    const itemPointer: Pointer = { parent: at, token: index };
    // With prefixItems, `items` is the schema of the items after them.
    const itemSchema = prefix !== undefined && index < prefix.length ? prefix[index] : items;
    if (item === undefined) {
      problems.push({
        pointer: pointerText(itemPointer),
        keyword: 'type',
        message: index in value ? 'is undefined' : 'is a hole',
      });
      // The first hole only: `new Array(2 ** 32 - 1)` is all holes, and costs nothing to make;
      // nothing else is looked at in such a list (`contains`, `uniqueItems` walk it whole).
      if (!(index in value)) return;
    } else if (itemSchema) check(itemSchema, item, itemPointer, problems, depth + 1);
    else checkUntyped(item, itemPointer, problems, depth + 1);
  }
  if (schema.contains) {
    const contains = schema.contains;
    const matched = value.map(
      (item) => item !== undefined && validateMember(contains, item, at, depth + 1).length === 0,
    );
    matchesOf(value, depth)?.contained.set(contains, matched);
    let count = 0;
    for (const one of matched) if (one) count++;
    const least = schema.minContains ?? 1;
    if (count < least)
      problems.push({
        pointer: pointerText(at),
        keyword: 'contains',
        message: `must contain at least ${least} item${least === 1 ? '' : 's'} matching its contains schema`,
      });
    if (schema.maxContains !== undefined && count > schema.maxContains)
      problems.push({
        pointer: pointerText(at),
        keyword: 'maxContains',
        message: `must contain at most ${schema.maxContains} items matching its contains schema`,
      });
  }
  if (schema.uniqueItems) {
    // Items lie one level below the list: compared no deeper than the depth limit lets them
    // nest (an item nested deeper is refused by it).
    for (const index of repeatedItems(value, maxDepth - depth)) {
      // Valid items that repeat are as many problems as items: capped too (see `maxProblems`).
      if (problems.length >= maxProblems) break;
      problems.push({
        pointer: appendPointer(pointerText(at), index),
        keyword: 'uniqueItems',
        message: 'repeats an earlier item',
      });
    }
  }
}

// A set is a list of unique members to the schema; DynamoDB holds only non-empty sets of
// strings, of numbers or of binaries, one kind a set.
function checkSet(
  schema: SchemaNode,
  value: ReadonlySet<unknown>,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  const members = [...value];
  const kinds = new Set(members.map(setMemberKind));
  if (members.length === 0) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'set',
      message: 'is an empty set, which cannot be stored',
    });
    return;
  }
  if (kinds.size > 1 || kinds.has('other')) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'set',
      message: 'must be a set of strings, of numbers or of binaries, one kind a set',
    });
    return;
  }
  if (repeatedSetMember(members) !== undefined) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'set',
      message: 'holds one member twice (1 and 1n, or equal bytes, are one member)',
    });
    return;
  }
  const binary = kinds.has('binary');
  // A set's members lie at its own level, not one below: DynamoDB nests maps and lists 32
  // levels, and a set, like a string, is one value (31 maps around a set are stored, as around
  // a string), which checkArray would otherwise count a level deeper.
  checkArray(
    binary && schema.items ? { ...schema, items: { ...schema.items, format: 'binary' } } : schema,
    members,
    at,
    problems,
    depth - 1,
  );
}

function setMemberKind(member: unknown): 'string' | 'number' | 'binary' | 'other' {
  if (typeof member === 'string') return 'string';
  if (typeof member === 'number' || typeof member === 'bigint') return 'number';
  return isBytes(member) ? 'binary' : 'other';
}

function checkObject(
  schema: SchemaNode,
  value: Record<string, unknown>,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  for (const name of schema.required) {
    if (ownProperty(value, name) === undefined) {
      if (direction !== undefined && liftedHere(schema, value, name, direction)) continue;
      problems.push({
        pointer: appendPointer(pointerText(at), name),
        keyword: 'required',
        message: 'is required',
      });
    }
  }
  let count = 0;
  for (const name of Object.keys(value)) {
    const property = value[name];
    if (property === undefined) continue;
    count++;
    // Enough found: the rest is counted, not checked (see `maxProblems`).
    if (problems.length >= maxProblems) continue;
    const propertyPointer: Pointer = { parent: at, token: name };
    if (!name.isWellFormed()) {
      problems.push({
        pointer: pointerText(propertyPointer),
        keyword: 'propertyNames',
        message: 'is a name holding a lone surrogate, which is not valid Unicode',
      });
      continue;
    }
    if (schema.propertyNames) {
      const found = validateMember(schema.propertyNames, name, propertyPointer, depth + 1);
      if (found.length > 0)
        problems.push({
          pointer: pointerText(propertyPointer),
          keyword: 'propertyNames',
          message: `is a name that does not match the schema of names (${found[0]!.message})`,
        });
    }
    if (schema.dependentRequired && Object.hasOwn(schema.dependentRequired, name)) {
      for (const other of schema.dependentRequired[name]!)
        if (
          ownProperty(value, other) === undefined &&
          !(direction !== undefined && liftedHere(schema, value, other, direction))
        )
          problems.push({
            pointer: appendPointer(pointerText(at), other),
            keyword: 'dependentRequired',
            message: `is required when ${name} is present`,
          });
    }
    const propertySchema = ownProperty(schema.properties, name);
    let patterned = false;
    if (schema.patternProperties) {
      for (const { pattern, node } of schema.patternProperties)
        if (pattern.test(name)) {
          patterned = true;
          check(node, property, propertyPointer, problems, depth + 1);
        }
    }
    if (propertySchema) check(propertySchema, property, propertyPointer, problems, depth + 1);
    else if (patterned) continue;
    else if (schema.additionalProperties === false && !allowedByCombinators(schema, name)) {
      problems.push({
        pointer: pointerText(propertyPointer),
        keyword: 'additionalProperties',
        message: 'is not a property of this schema',
      });
    } else if (schema.additionalProperties)
      check(schema.additionalProperties, property, propertyPointer, problems, depth + 1);
    else checkUntyped(property, propertyPointer, problems, depth + 1);
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'minProperties',
      message: `must have at least ${schema.minProperties} properties`,
    });
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    problems.push({
      pointer: pointerText(at),
      keyword: 'maxProperties',
      message: `must have at most ${schema.maxProperties} properties`,
    });
  }
}

// Values without a schema must still be storable: finite numbers, valid strings, no functions.
function checkUntyped(
  value: unknown,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  check(unconstrained, value, at, problems, depth);
}

// Whether `direction` lifts the requirement of `name` in `schema`, or in a schema whose allOf
// `schema` is a member of, checked against the same value.
function liftedHere(
  schema: SchemaNode,
  value: object,
  name: string,
  lifting: ValueDirection,
): boolean {
  if (requirementLifted(schema, name, lifting)) return true;
  for (const owner of allOfOwners)
    if (owner.value === value && requirementLifted(owner.schema, name, lifting)) return true;
  return false;
}

const noContext: MatchContext = { dispatching: [], owners: [] };

// What besides a member decides its answer for this value (see `MatchContext`).
function matchContext(value: unknown): MatchContext {
  if (dispatching.length === 0 && allOfOwners.length === 0) return noContext;
  const context = { dispatching: [] as SchemaNode[], owners: [] as SchemaNode[] };
  for (const entry of dispatching)
    if (entry.value === value) context.dispatching.push(entry.schema);
  for (const owner of allOfOwners) if (owner.value === value) context.owners.push(owner.schema);
  return context;
}

function checkCombinators(
  schema: SchemaNode,
  value: unknown,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  // With a direction, the subschemas checked against this same value may require what this
  // schema (or a sibling) declares readOnly or writeOnly: they see it as their owner.
  const owning =
    direction !== undefined && (schema.allOf || schema.conditional || schema.dependentSchemas);
  if (owning) allOfOwners.push({ schema, value });
  try {
    if (schema.allOf) {
      for (const part of schema.allOf) check(part, value, at, problems, depth);
      checkSelectedAsItself(schema, value, at, problems);
    }
    if (schema.conditional) {
      const { if: condition, matched, otherwise } = schema.conditional;
      const branch = validateMember(condition, value, at, depth).length === 0 ? matched : otherwise;
      if (branch) check(branch, value, at, problems, depth);
    }
    if (schema.dependentSchemas && isPlainObject(value)) {
      for (const name of Object.keys(schema.dependentSchemas))
        if (ownProperty(value, name) !== undefined)
          check(schema.dependentSchemas[name]!, value, at, problems, depth);
    }
  } finally {
    if (owning) allOfOwners.pop();
  }
  if (isDispatching(schema, value)) return;
  // Before a discriminator's dispatch, which returns: `not` holds whichever variant is chosen.
  if (schema.not && validateMember(schema.not, value, at, depth).length === 0) {
    // A `false` schema is read as `not` of anything at its own place: said as what was written.
    const never = schema.not.pointer === schema.pointer;
    problems.push({
      pointer: pointerText(at),
      keyword: never ? 'false' : 'not',
      message: never
        ? 'is not allowed here (the schema is false)'
        : 'must not match the excluded schema',
    });
  }
  const dispatch =
    schema.discriminator && isPlainObject(value)
      ? discriminatedVariant(schema.discriminator, value)
      : undefined;
  if (dispatch?.kind === 'unknown') {
    problems.push(discriminatorProblem(schema.discriminator!, at));
    return;
  }
  if (dispatch?.kind === 'variant') {
    dispatching.push({ schema, value });
    try {
      check(dispatch.variant, value, at, problems, depth);
    } finally {
      dispatching.pop();
    }
    return;
  }
  // No variant named: the members decide; if none fits, the missing name is the problem.
  // A member that extends this schema through allOf checks its keywords without coming back
  // to these members (the same as dispatching): never a loop.
  const reported = problems.length;
  const dispatches = schema.discriminator !== undefined;
  if (dispatches) dispatching.push({ schema, value });
  try {
    checkMembers(schema, value, at, problems, depth);
  } finally {
    if (dispatches) dispatching.pop();
  }
  // A discriminator with no value to name (members without names) leaves the members' own
  // problems: "must be one of" an empty list would say nothing.
  if (
    schema.discriminator &&
    isPlainObject(value) &&
    problems.length > reported &&
    Object.keys(schema.discriminator.mapping).length > 0
  )
    problems.splice(
      reported,
      problems.length - reported,
      discriminatorProblem(schema.discriminator, at),
    );
}

// anyOf and oneOf of a schema, against a value.
function checkMembers(
  schema: SchemaNode,
  value: unknown,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  if (schema.anyOf) {
    const fits = matchingMembers(schema.anyOf, value, at, depth, 1) > 0;
    if (!fits)
      problems.push({
        pointer: pointerText(at),
        keyword: 'anyOf',
        message: 'must match at least one of the allowed schemas',
      });
  }
  if (schema.oneOf) {
    const matching = matchingMembers(schema.oneOf, value, at, depth, Number.POSITIVE_INFINITY);
    if (matching !== 1) {
      problems.push({
        pointer: pointerText(at),
        keyword: 'oneOf',
        message:
          matching === 0
            ? 'must match one of the allowed schemas'
            : `matches ${matching} schemas, but must match exactly one`,
      });
    }
  }
}

// How many of `members` the value matches, counting no further than `enough`. A function of its
// own: closures in `checkMembers`, which runs for every value checked, would make each of its
// calls allocate the context they capture, whether the schema has members or not.
function matchingMembers(
  members: readonly SchemaNode[],
  value: unknown,
  at: Pointer,
  depth: number,
  enough: number,
): number {
  let matching = 0;
  for (const member of members) {
    if (validateMember(member, value, at, depth).length === 0) matching++;
    if (matching >= enough) break;
  }
  return matching;
}

// Whether `value` is one of an enum's values (not a closure in `checkNow`: see `matchingMembers`).
function inEnum(values: readonly unknown[], value: unknown): boolean {
  for (const allowed of values) if (sameValue(allowed, value)) return true;
  return false;
}

// A value of the spec (an enum's, a const, a discriminator's) as a message shows it: its JSON,
// with the line breaks and bidi controls JSON leaves as they are escaped.
function shownValue(value: unknown): string {
  // An integer of the spec beyond 2^53 as the spec wrote it (`9007199254740993`, not `…n`),
  // also inside an object or a list.
  if (typeof value === 'bigint') return String(value);
  if (typeof value !== 'object' || value === null) return shownJson(value);
  try {
    return shownText(
      jsonWithDigits(value, (_holder, _key, item) =>
        typeof item === 'bigint' ? String(item) : undefined,
      ),
    );
  } catch {
    return shownJson(value);
  }
}

function discriminatorProblem(
  discriminator: NonNullable<SchemaNode['discriminator']>,
  at: Pointer,
): ValidationProblem {
  return {
    pointer: appendPointer(pointerText(at), discriminator.propertyName),
    keyword: 'discriminator',
    message: `must be one of ${shownList(Object.keys(discriminator.mapping), shownValue)}`,
  };
}

// The allOf ancestors of a schema that hold a discriminator (its parts are filled for good
// before any value is validated against it).
const selectingAncestors = new WeakMap<SchemaNode, readonly SchemaNode[]>();

function ancestorsSelecting(schema: SchemaNode): readonly SchemaNode[] {
  let found = selectingAncestors.get(schema);
  if (found === undefined) {
    found = allOfParts(schema).filter((part) => part !== schema && part.discriminator);
    selectingAncestors.set(schema, found);
  }
  return found;
}

/**
 * A variant of an ancestor's discriminator (a schema its mapping selects, extending it through
 * allOf) is checked as itself: the value its object holds must not select a sibling (see
 * `selectedAs`). A Cat naming `Dog` met the ancestor's check as a Dog, and read through the
 * parent it is one: the discriminator's problem at its property (a value naming no variant,
 * where OpenAPI 3.2's `defaultMapping` names a sibling, too). A value naming no variant
 * otherwise is left to the ancestor's own check ("must be one of"); a value without the
 * property, to `required`.
 */
function checkSelectedAsItself(
  schema: SchemaNode,
  value: unknown,
  at: Pointer,
  problems: ValidationProblem[],
): void {
  const ancestors = ancestorsSelecting(schema);
  if (ancestors.length === 0 || !isPlainObject(value)) return;
  for (const ancestor of ancestors) {
    const { propertyName, mapping, defaultMapping } = ancestor.discriminator!;
    const named = ownProperty(value, propertyName);
    if (typeof named !== 'string') continue;
    // A value no mapping lists selects OpenAPI 3.2's defaultMapping, where there is one.
    const selected = ownProperty(mapping, named) ?? defaultMapping;
    if (selected === undefined || selected === schema) continue;
    if (selectedAs(selected, schema)) continue;
    // Only a schema the discriminator selects is one of its variants (not a wrapper of one).
    const values = Object.keys(mapping);
    if (!values.some((key) => mapping[key] === schema)) continue;
    const own = values.filter((key) => selectedAs(mapping[key]!, schema));
    problems.push({
      pointer: appendPointer(pointerText(at), propertyName),
      keyword: 'discriminator',
      message: `must name ${shownName(schema.name ?? schema.pointer)}, a schema it extends or one extending it, not a sibling: one of ${shownList(own, shownValue)}`,
    });
  }
}

// Whether `selected` is on `schema`'s line of inheritance: `schema` itself, a schema extending
// it through allOf (a Lion is a Cat), or one it extends (the parent's own name, a Cat's value
// for a Lion: read as it, the object is one; in nested discriminators that ancestor's own
// discriminator goes on selecting). A sibling is not: read as it, the object is another kind.
// The variant types `macaron generate` writes take the same values.
function selectedAs(selected: SchemaNode, schema: SchemaNode): boolean {
  return (
    selected === schema ||
    allOfParts(selected).includes(schema) ||
    allOfParts(schema).includes(selected)
  );
}

/** What a walk over the evaluating subschemas has still to find evaluated: names or indices. */
interface Unevaluated {
  readonly left: Set<string> | Set<number>;
  /** The allOf members of a plan whose own unevaluated* (of this kind) evaluate everything. */
  closing(plan: EvaluationPlan): readonly SchemaNode[];
  /** Takes out what a subschema's plan (its own keywords and allOf members) evaluates. */
  absorb(plan: EvaluationPlan): void;
  /** Takes out the items a `contains` schema matches (lists only). */
  contained?(contains: SchemaNode): void;
}

function checkUnevaluated(
  schema: SchemaNode,
  unevaluated: false | SchemaNode,
  value: unknown,
  actual: ReturnType<typeof typeOf>,
  at: Pointer,
  problems: ValidationProblem[],
  depth: number,
): void {
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    for (const name of unevaluatedNames(schema, record, at, depth)) {
      // Enough found: the rest is not looked at (see `maxProblems`).
      if (problems.length >= maxProblems) return;
      const propertyPointer: Pointer = { parent: at, token: name };
      if (unevaluated === false)
        problems.push({
          pointer: pointerText(propertyPointer),
          keyword: 'unevaluatedProperties',
          message: 'is not a property of this schema nor of a subschema that applies here',
        });
      else check(unevaluated, record[name], propertyPointer, problems, depth + 1);
    }
    return;
  }
  // A set is a list of its members to the schema (as checkSet has it).
  const items = actual === 'set' ? [...(value as ReadonlySet<unknown>)] : (value as unknown[]);
  for (const index of unevaluatedIndices(schema, items, at, depth)) {
    if (problems.length >= maxProblems) return;
    const itemPointer: Pointer = { parent: at, token: index };
    if (unevaluated === false)
      problems.push({
        pointer: pointerText(itemPointer),
        keyword: 'unevaluatedItems',
        message: 'is not an item of this schema nor of a subschema that applies here',
      });
    else if (items[index] !== undefined)
      check(unevaluated, items[index], itemPointer, problems, depth + 1);
  }
}

// The properties of an object that neither the schema nor a subschema applying to it evaluates.
function unevaluatedNames(
  schema: SchemaNode,
  value: Record<string, unknown>,
  at: Pointer,
  depth: number,
): Set<string> {
  const plan = evaluationPlan(schema);
  const left = new Set<string>();
  if (plan.allNames || plan.closingNames.length > 0) return left;
  const evaluates = (evaluating: EvaluationPlan, name: string) =>
    evaluating.names.has(name) || evaluating.patterns.some((pattern) => pattern.test(name));
  // Undefined is no property; a name that is not Unicode is reported as such already.
  for (const name of Object.keys(value))
    if (value[name] !== undefined && name.isWellFormed() && !evaluates(plan, name)) left.add(name);
  if (left.size > 0 && plan.conditional.length > 0)
    settle(schema, value, at, depth, {
      left,
      closing: (evaluating) => evaluating.closingNames,
      absorb(evaluating) {
        if (evaluating.allNames) left.clear();
        else for (const name of left) if (evaluates(evaluating, name)) left.delete(name);
      },
    });
  return left;
}

// The indices of the items of a list that neither the schema nor a subschema applying to it
// evaluates.
function unevaluatedIndices(
  schema: SchemaNode,
  value: readonly unknown[],
  at: Pointer,
  depth: number,
): Set<number> {
  const plan = evaluationPlan(schema);
  const left = new Set<number>();
  if (plan.allItems || plan.closingItems.length > 0) return left;
  for (let index = plan.prefix; index < value.length; index++) left.add(index);
  if (left.size > 0 && plan.conditional.length > 0)
    settle(schema, value, at, depth, {
      left,
      closing: (evaluating) => evaluating.closingItems,
      absorb(evaluating) {
        if (evaluating.allItems) left.clear();
        else for (const index of left) if (index < evaluating.prefix) left.delete(index);
      },
      contained(contains) {
        const matched = matchesOf(value, depth)?.contained.get(contains);
        for (const index of left)
          if (
            matched !== undefined
              ? matched[index]
              : value[index] !== undefined &&
                validateMember(contains, value[index], at, depth + 1).length === 0
          )
            left.delete(index);
      },
    });
  return left;
}

/**
 * Takes out of `unevaluated` what the subschemas that apply to the value depending on it
 * evaluate: the anyOf and oneOf members it matches (the discriminator's variant instead, where
 * one is), `if` and `then` when `if` matches, else `else`, the `dependentSchemas` of its
 * properties, and the items `contains` matches; then what applies below those, and so on.
 */
function settle(
  schema: SchemaNode,
  value: unknown,
  at: Pointer,
  depth: number,
  unevaluated: Unevaluated,
): void {
  const absorbed = new Set<SchemaNode>([schema]);
  const settled = new Set<SchemaNode>();
  const pending = [...evaluationPlan(schema).conditional];
  // As the check of the value found them, where it did (a later anyOf member than the one
  // that matched was not needed there).
  const record = matchesOf(value, depth);
  const context = record && matchContext(value);
  const matches = (member: SchemaNode) =>
    (record && recordedMatch(record, member, context!)) ??
    validateMember(member, value, at, depth).length === 0;
  const absorb = (member: SchemaNode | undefined) => {
    if (member === undefined || absorbed.has(member)) return;
    absorbed.add(member);
    // A subschema's own unevaluated* evaluate everything it applies to; not the schema being
    // checked, met again (through a discriminator's variant that extends it).
    const own = Array.isArray(value) ? member.unevaluatedItems : member.unevaluatedProperties;
    const evaluating = evaluationPlan(member);
    if (own !== undefined || unevaluated.closing(evaluating).some((node) => node !== schema))
      unevaluated.left.clear();
    unevaluated.absorb(evaluating);
    pending.push(...evaluating.conditional);
  };
  while (pending.length > 0 && unevaluated.left.size > 0) {
    const node = pending.pop()!;
    if (settled.has(node)) continue;
    settled.add(node);
    if (node.contains) unevaluated.contained?.(node.contains);
    const dispatch =
      node.discriminator && isPlainObject(value)
        ? discriminatedVariant(node.discriminator, value as Record<string, unknown>)
        : undefined;
    if (dispatch && dispatch.kind !== 'members') {
      // As the check dispatches: the variant the value names, and no anyOf/oneOf member.
      if (dispatch.kind === 'variant') absorb(dispatch.variant);
    } else
      for (const member of [...(node.anyOf ?? []), ...(node.oneOf ?? [])])
        if (!absorbed.has(member) && matches(member)) absorb(member);
    if (node.conditional) {
      const { if: condition, matched, otherwise } = node.conditional;
      if (matches(condition)) {
        absorb(condition);
        absorb(matched);
      } else absorb(otherwise);
    }
    if (node.dependentSchemas && isPlainObject(value))
      for (const name of Object.keys(node.dependentSchemas))
        if (ownProperty(value as Record<string, unknown>, name) !== undefined)
          absorb(node.dependentSchemas[name]);
  }
}

function validateMember(
  member: SchemaNode,
  value: unknown,
  at: Pointer,
  depth: number,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  check(member, value, at, problems, depth);
  const record = matchesOf(value, depth);
  if (record !== undefined) recordMatch(record, member, matchContext(value), problems.length === 0);
  return problems;
}
