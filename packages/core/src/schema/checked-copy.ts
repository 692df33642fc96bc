import { refusedName } from '../persist/item-to-write.js';
import { isObjectPrototype } from './builtin-values.js';
import { integerRanges, matchesStringFormat } from './formats.js';
import { isPlainObject, sameValue } from './same-value.js';
import { allowsNull, type SchemaNode, unconstrained } from './schema-node.js';
import { numberProblem } from './storable-number.js';
import { validateValue } from './validate-value.js';

/**
 * The store copy of a value that is valid, in one walk: what `copyValue(schema, value,
 * 'store')` gives, when `validateValue` would find no problem in it. Undefined means "not
 * known to be valid": the caller copies and validates the slow way, which also names the
 * problems. Each schema node is compiled once into a copier specialised to its keywords;
 * nodes with keywords it does not specialise (allOf, anyOf, oneOf, not, discriminators,
 * binary, sets, the 2020-12 keywords…) are left to that slow way, so the answer is the same either way.
 * A copy it makes holds JSON's values alone, each one a backend stores (no name DynamoDB refuses,
 * at most 32 levels deep), and `sizeBoundOfLastCopy()` then bounds its size.
 */
export function copyIfValid(schema: SchemaNode, value: unknown): object | undefined {
  // A getter the copy reads may copy another object (its own validate()): that copy counts
  // apart, and this one's count goes on where it was.
  const outer = sizeBound;
  sizeBound = 0;
  let copy: unknown;
  try {
    copy = copierOf(schema)(value, 0);
    lastSizeBound = sizeBound;
  } finally {
    sizeBound = outer;
  }
  return copy === invalid || copy === null || typeof copy !== 'object' ? undefined : copy;
}

/**
 * At least the size (as `itemSize` counts it: strings at 3 bytes a UTF-16 unit, numbers at 21,
 * lists and maps with their overhead) of the copy `copyIfValid` last made, added up as it
 * copied. Copies are made synchronously, so one counter serves every call.
 */
export function sizeBoundOfLastCopy(): number {
  return lastSizeBound;
}

// The count of the copy being made, and the last finished copy's.
let sizeBound = 0;
let lastSizeBound = 0;

// What a copier returns for a value it does not know to be valid.
const invalid = Symbol('not known to be valid');

type Copier = (value: unknown, depth: number) => unknown;

// The validator's nesting limit: deeper values take the slow way, which reports them.
const maxDepth = 32;

const copiers = new WeakMap<SchemaNode, Copier>();

function copierOf(node: SchemaNode): Copier {
  let copier = copiers.get(node);
  if (copier === undefined) {
    // Recursive schemas reach this node again while it is compiled: they call it through
    // this indirection, replaced by the compiled copier once it exists.
    let compiled: Copier | undefined;
    copiers.set(node, (value, depth) => compiled!(value, depth));
    compiled = compile(node);
    copiers.set(node, compiled);
    copier = compiled;
  }
  return copier;
}

const unspecialised: Copier = () => invalid;

function compile(node: SchemaNode): Copier {
  if (
    node.allOf ||
    node.anyOf ||
    node.oneOf ||
    node.not ||
    node.discriminator ||
    node.const ||
    node.prefixItems ||
    node.contains ||
    node.patternProperties ||
    node.propertyNames ||
    node.dependentRequired ||
    node.dependentSchemas ||
    node.conditional ||
    // false is a keyword too: these are checked against what the other keywords evaluate.
    node.unevaluatedProperties !== undefined ||
    node.unevaluatedItems !== undefined ||
    node.uniqueItems ||
    node.format === 'binary' ||
    node.enum?.some((allowed) => allowed !== null && typeof allowed === 'object')
  ) {
    return unspecialised;
  }
  const types = node.types;
  const allows = (type: string) => types === undefined || (types as string[]).includes(type);
  const allowsString = allows('string');
  const allowsBoolean = allows('boolean');
  const allowsNumber = allows('number');
  const allowsInteger = allowsNumber || allows('integer');
  const allowsArray = allows('array');
  const allowsObject = allows('object');
  const nullAllowed = allows('null');
  const enumValues = node.enum;
  const inEnum = (value: unknown) => enumValues === undefined || enumHolds(enumValues, value);
  const string = allowsString ? stringCheck(node) : undefined;
  const number = allowsInteger ? numberCheck(node, allowsNumber) : undefined;
  const array = allowsArray ? arrayCopier(node) : undefined;
  const object = allowsObject ? objectCopier(node) : undefined;
  return (value, depth) => {
    if (depth > maxDepth) return invalid;
    switch (typeof value) {
      case 'string':
        sizeBound += 3 * value.length;
        return string?.(value) && inEnum(value) ? value : invalid;
      case 'number':
        sizeBound += 21;
        return number?.(value) && inEnum(value) ? value : invalid;
      case 'boolean':
        sizeBound += 1;
        return allowsBoolean && inEnum(value) ? value : invalid;
      case 'object':
        if (value === null) {
          sizeBound += 1;
          return nullAllowed && inEnum(value) ? value : invalid;
        }
        if (enumValues !== undefined) return invalid;
        if (Array.isArray(value)) return array ? array(value, depth) : invalid;
        return object && isObjectValue(value)
          ? object(value as Record<string, unknown>, depth)
          : invalid;
      default:
        // bigints, bytes and sets take the slow way; anything else is invalid there too.
        return invalid;
    }
  };
}

// Not a closure in `inEnum`: one reading its value would be made at every value copied.
function enumHolds(values: readonly unknown[], value: unknown): boolean {
  for (const allowed of values) if (sameValue(allowed, value)) return true;
  return false;
}

function stringCheck(node: SchemaNode): (value: string) => boolean {
  const { minLength, maxLength, pattern, format } = node;
  return (value) => {
    if (!value.isWellFormed()) return false;
    if (minLength !== undefined || maxLength !== undefined) {
      // Characters are code points: count them only when UTF-16 units cannot settle it.
      let length = value.length;
      if (length > (maxLength ?? Number.POSITIVE_INFINITY) || length < 2 * (minLength ?? 0)) {
        length = 0;
        for (const _ of value) length++;
      }
      if (minLength !== undefined && length < minLength) return false;
      if (maxLength !== undefined && length > maxLength) return false;
    }
    if (pattern && !pattern.test(value)) return false;
    return format === undefined || matchesStringFormat(format, value);
  };
}

function numberCheck(node: SchemaNode, allowsNumber: boolean): (value: number) => boolean {
  const bounded =
    node.minimum !== undefined ||
    node.maximum !== undefined ||
    node.exclusiveMinimum !== undefined ||
    node.exclusiveMaximum !== undefined ||
    node.multipleOf !== undefined;
  const range = node.format ? integerRanges[node.format] : undefined;
  // Bounds compare exactly (as the validator does): a bounded number asks it.
  if (bounded) return (value) => validateValue(node, value).length === 0;
  const low = range === undefined ? undefined : Number(range[0]);
  const high = range === undefined ? undefined : Number(range[1]);
  return (value) => {
    if (Number.isInteger(value)) {
      if (!Number.isSafeInteger(value) || Object.is(value, -0)) return false;
      return low === undefined || (value >= low && value <= high!);
    }
    // An integer format takes no fraction, even under `type: number`.
    return allowsNumber && range === undefined && numberProblem(value) === undefined;
  };
}

function arrayCopier(node: SchemaNode): (value: unknown[], depth: number) => unknown {
  const { minItems, maxItems } = node;
  const items = node.items ?? unconstrained;
  return (value, depth) => {
    const length = value.length;
    if (minItems !== undefined && length < minItems) return invalid;
    if (maxItems !== undefined && length > maxItems) return invalid;
    const copyItem = copierOf(items);
    sizeBound += 3 + length;
    const copy = new Array(length);
    for (let index = 0; index < length; index++) {
      const item = value[index];
      if (item === undefined) return invalid;
      const copied = copyItem(item, depth + 1);
      if (copied === invalid) return invalid;
      copy[index] = copied;
    }
    return copy;
  };
}

interface DeclaredProperty {
  readonly node: SchemaNode;
  /** Null is left out here (the property's schema does not allow it), as copyValue does. */
  readonly dropsNull: boolean;
  /** The node's copier, looked up on first use (the node may still be compiling before). */
  copier: Copier | undefined;
}

function objectCopier(
  node: SchemaNode,
): (value: Record<string, unknown>, depth: number) => unknown {
  const declared = new Map<string, DeclaredProperty>();
  for (const name of Object.keys(node.properties)) {
    const property = node.properties[name]!;
    // A declared name is checked once here; an ill-formed one (or one no backend stores) is
    // looked up and refused below.
    if (name.isWellFormed() && !refusedName(name))
      declared.set(name, { node: property, dropsNull: !allowsNull(property), copier: undefined });
  }
  const extra = node.additionalProperties;
  const extraProperty: DeclaredProperty | undefined =
    extra === undefined || extra === false
      ? undefined
      : { node: extra, dropsNull: !allowsNull(extra), copier: undefined };
  const untyped: Copier = (value, depth) => copierOf(unconstrained)(value, depth);
  const { required, minProperties, maxProperties } = node;
  return (value, depth) => {
    const copy: Record<string, unknown> = {};
    let count = 0;
    sizeBound += 3;
    for (const name of Object.keys(value)) {
      const property = value[name];
      if (property === undefined) continue;
      let schema = declared.get(name);
      if (schema === undefined) {
        // A name no backend stores (`""`, or too long) is for the slow way's checks to refuse.
        if (!name.isWellFormed() || refusedName(name)) return invalid;
        schema = extraProperty;
      }
      let copier: Copier;
      if (schema === undefined) {
        if (extra === false) return invalid;
        copier = untyped;
      } else {
        if (property === null && schema.dropsNull) continue;
        copier = schema.copier ??= copierOf(schema.node);
      }
      sizeBound += 1 + 3 * name.length;
      const copied = copier(property, depth + 1);
      if (copied === invalid) return invalid;
      if (name === '__proto__') {
        Object.defineProperty(copy, name, {
          value: copied,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else copy[name] = copied;
      count++;
    }
    for (const name of required) if (!Object.hasOwn(copy, name)) return invalid;
    if (minProperties !== undefined && count < minProperties) return invalid;
    if (maxProperties !== undefined && count > maxProperties) return invalid;
    return copy;
  };
}

// The objects copyValue copies as records: plain ones, and model objects (their own properties).
function isObjectValue(value: object): boolean {
  if (!isPlainObject(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype === null || isObjectPrototype(prototype)) return true;
  const type = (prototype as { constructor?: { modelName?: unknown } }).constructor;
  return typeof type?.modelName === 'string';
}
