import { ValidationError } from '../errors/validation-error.js';
import { allOfParts } from './all-of-parts.js';
import { isBytes, isObjectPrototype, isSet } from './builtin-values.js';
import { closedOut, closingParts } from './closed-names.js';
import { discriminatedVariant } from './discriminated-variant.js';
import { itemNeverEvaluated, neverEvaluated } from './evaluation-plan.js';
import { appendPointer } from './json-pointer.js';
import { ownProperty, setOwnProperty } from './own-property.js';
import { isPlainObject, sameValue } from './same-value.js';
import { allowsNull, type SchemaNode, unconstrained } from './schema-node.js';
import { wrappedSchema } from './wrapped-schema.js';

/**
 * How a copy treats leaves:
 * - `store`: the value as backends keep it (bytes stay bytes, bigints stay bigints);
 * - `json`: JSON-safe (bytes become base64, bigints decimal strings);
 * - `model`: from JSON back to model values (base64 of `format: binary` becomes bytes,
 *   decimal strings of `format: int64` become bigints), every null kept: JSON read from
 *   outside is validated as it was sent, so a null the schema does not allow is a problem.
 */
export type CopyMode = 'store' | 'json' | 'model';

/** How deep a copy goes: past it, validation reports the depth and the value is left as it is. */
export const maxCopyDepth = 40;

// Past this length, a list is looked at for holes before it is copied.
const longList = 1 << 20;

/**
 * A long list with holes: `new Array(2 ** 32 - 1)` costs nothing to make and minutes to copy.
 * Copies leave it as it is; validation reports its first hole.
 */
export function isLongWithHoles(list: readonly unknown[]): boolean {
  return list.length > longList && Object.keys(list).length < list.length;
}

/**
 * Deep-copies a model value for storage, JSON or the model. Undefined properties are
 * dropped, and so is null where the property's schema does not allow it (PyMacaron's
 * rule), except in `model` mode; everything else is kept, so validation still sees it.
 */
export function copyValue(
  schema: SchemaNode | undefined,
  value: unknown,
  mode: CopyMode,
  depth = 0,
): unknown {
  if (value === null || typeof value !== 'object') return copyLeaf(schema, value, mode);
  if (mode === 'json' && depth === 0) return jsonValue(schema, value);
  if (depth > maxCopyDepth) {
    // JSON must hold all of a value, however deep (another client may have stored it: PostgreSQL
    // nests deeper than DynamoDB): jsonValue converts it again, without recursion.
    if (mode === 'json') throw deeperThanRecursion;
    // Past the nesting DynamoDB allows, validation reports the depth; copying further would only overflow the stack.
    return value;
  }
  if (isBytes(value)) {
    return mode === 'json' ? Buffer.from(value).toString('base64') : new Uint8Array(value);
  }
  if (Array.isArray(value)) {
    if (isLongWithHoles(value)) return value;
    const items = schema?.items ?? memberItems(schema);
    const byIndex = schema !== undefined && itemsByIndex(schema, items);
    return copyItems(byIndex ? schema : undefined, items, value, mode, depth + 1);
  }
  // A set (DynamoDB's SS, NS and BS, as another client wrote it) stays a set in the model and
  // the store, so an unchanged object is written back with the type it was read with.
  if (isSet(value)) {
    const items = schema?.items ?? memberItems(schema);
    const members = copyItems(undefined, items, [...value], mode, depth + 1);
    return mode === 'json' ? members : new Set(members);
  }
  // Dates, maps and other class instances are not JSON: left as they are, validation refuses them.
  if (!isPlainObject(value) || !(isPlainRecord(value) || isModelObject(value))) return value;
  const source = value;
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(source)) {
    const property = source[name];
    if (property === undefined) continue;
    const propertyNode = schema ? propertySchema(schema, name, source) : undefined;
    if (property === null && mode !== 'model' && propertyNode && !allowsNull(propertyNode))
      continue;
    setOwnProperty(copy, name, copyValue(propertyNode, property, mode, depth + 1));
  }
  return copy;
}

// The copies of a list's items at `depth`: each takes `items`, or its schema by index under
// `byIndex` (see `itemSchema`). A loop, not `map` with a closure: one reading `copyValue`'s
// parameters would make every call of it, on every value copied, allocate their context.
function copyItems(
  byIndex: SchemaNode | undefined,
  items: SchemaNode | undefined,
  list: readonly unknown[],
  mode: CopyMode,
  depth: number,
): unknown[] {
  // Holes stay holes, as `map` keeps them (validation names them).
  const copy: unknown[] = new Array(list.length);
  for (let index = 0; index < list.length; index++) {
    if (!(index in list)) continue;
    const node = byIndex ? itemSchema(byIndex, items, index) : items;
    copy[index] = copyValue(node, list[index], mode, depth);
  }
  return copy;
}

// Thrown by a json copy past maxCopyDepth, caught by jsonValue: never leaves this module.
const deeperThanRecursion = Symbol('deeper than maxCopyDepth');

// The json copy of an object: recursive (fast) up to maxCopyDepth levels, else in a loop.
function jsonValue(schema: SchemaNode | undefined, value: object): unknown {
  try {
    return copyValue(schema, value, 'json', 1);
  } catch (error) {
    if (error !== deeperThanRecursion) throw error;
    return jsonValueInLoop(schema, value);
  }
}

// One object still to copy in jsonValueInLoop: its copy exists (empty) in its parent's.
interface JsonTask {
  readonly schema: SchemaNode | undefined;
  readonly source: object;
  readonly target: unknown[] | Record<string, unknown>;
  readonly pointer: string;
}

/**
 * What `copyValue(schema, value, 'json')` gives, at any depth, with a stack of its own instead
 * of the call stack: bigints, bytes and sets are converted at every level. A value that contains
 * itself (JSON cannot hold it) is a `ValidationError` naming the pointer that closes the cycle.
 */
function jsonValueInLoop(schema: SchemaNode | undefined, root: object): unknown {
  const pending: (JsonTask | { readonly leave: object })[] = [];
  // The objects enclosing the one being copied: meeting one again is a cycle.
  const enclosing = new Set<object>();
  const convert = (node: SchemaNode | undefined, value: unknown, pointer: string): unknown => {
    if (value === null || typeof value !== 'object') return copyLeaf(node, value, 'json');
    if (isBytes(value)) return Buffer.from(value).toString('base64');
    let target: unknown[] | Record<string, unknown>;
    if (Array.isArray(value) || isSet(value)) target = [];
    // Dates, maps and other class instances are not JSON: left as they are, as copyValue does.
    else if (!isPlainObject(value) || !(isPlainRecord(value) || isModelObject(value))) return value;
    else target = {};
    pending.push({ schema: node, source: value, target, pointer });
    return target;
  };
  const copy = convert(schema, root, '');
  while (pending.length > 0) {
    const task = pending.pop()!;
    if ('leave' in task) {
      enclosing.delete(task.leave);
      continue;
    }
    const { source, target, pointer } = task;
    if (enclosing.has(source)) {
      throw new ValidationError('Cannot convert to JSON', [
        {
          pointer,
          keyword: 'type',
          message: 'is a value that encloses it: JSON cannot hold a cycle',
        },
      ]);
    }
    enclosing.add(source);
    pending.push({ leave: source });
    if (Array.isArray(target)) {
      const schema = task.schema;
      const items = schema?.items ?? memberItems(schema);
      // Members of a set take `items`, as copyValue has them.
      const byIndex = schema !== undefined && Array.isArray(source) && itemsByIndex(schema, items);
      let index = 0;
      for (const item of source as Iterable<unknown>) {
        const node = byIndex ? itemSchema(schema, items, index) : items;
        target.push(convert(node, item, appendPointer(pointer, index)));
        index += 1;
      }
      continue;
    }
    const record = source as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      const property = record[name];
      if (property === undefined) continue;
      const propertyNode = task.schema ? propertySchema(task.schema, name, record) : undefined;
      if (property === null && propertyNode && !allowsNull(propertyNode)) continue;
      setOwnProperty(target, name, convert(propertyNode, property, appendPointer(pointer, name)));
    }
  }
  return copy;
}

/**
 * Takes over a stored value nothing else holds (an item a backend has just built for one
 * read) as a model value without copying it: the normalisation `copyValue(schema, value,
 * 'store')` applies, done in place: null dropped where the property's schema does not allow
 * it. Stored values never hold undefined (backends build them from the wire or from JSON), so
 * the walk goes only where a schema is. A value someone else may still hold must be copied.
 */
export function adoptValue(
  schema: SchemaNode,
  value: unknown,
  depth = 0,
  known?: AdoptionPlan,
): void {
  // Primitives first: most members of a list are, and they need no plan looked up.
  if (value === null || typeof value !== 'object' || depth > maxCopyDepth) return;
  const plan = known ?? adoptionPlan(schema);
  if (plan === inert || isBytes(value)) return;
  if (Array.isArray(value) || isSet(value)) {
    // Members whose schema adopts nothing (strings, numbers) are not walked.
    if (!plan.itemsByIndex && (plan.members === undefined || plan.membersPlan === inert)) return;
    // Positions in a list may move before the next save: what is set aside in one is held
    // by the map it was in (see `SetAside.holder`), not by a path.
    if (settingAside) settingAside.lists++;
    if (plan.itemsByIndex && Array.isArray(value)) adoptItemsByIndex(schema, plan, value, depth);
    else if (plan.members)
      for (const item of value) adoptValue(plan.members, item, depth + 1, plan.membersPlan);
    if (settingAside) settingAside.lists--;
    return;
  }
  if (!isPlainRecord(value)) return;
  const record = value as Record<string, unknown>;
  // A nested object of a union of closed members: what every member it may be of refuses is
  // set aside, before any name is looked up in a member, as the save will look them up
  // without it. (The item's own level is split by `fromStoredItem`.)
  if (plan.closedUnion && settingAside && depth > 0)
    for (const name of membersRefuse(plan.closedUnion, record)) {
      setAside(record, name, record[name]);
      delete record[name];
    }
  if (plan.declared === undefined) {
    // Other properties have a schema too (allOf, then/else, dependentSchemas,
    // additionalProperties, patternProperties, unevaluatedProperties): every name is looked up.
    // A nested closed object read from the store: what it refuses is set aside, before any
    // name is looked up, as the save will look them up without it.
    if (settingAside && depth > 0 && closingParts(schema).length > 0)
      for (const name of Object.keys(record))
        if (record[name] !== undefined && closedOut(schema, name)) {
          setAside(record, name, record[name]);
          delete record[name];
        }
    // Names declared here or in a part first: a NULL one sets aside is absent when members
    // are told apart, as on the save.
    let memberNames: string[] | undefined;
    for (const name of Object.keys(record)) {
      const property = record[name];
      if (property === undefined) delete record[name];
      else if (property === null || typeof property === 'object') {
        const propertyNode = propertySchema(schema, name);
        if (propertyNode) adoptProperty(record, name, property, propertyNode, depth);
        else if (hasSubschemas(schema)) (memberNames ??= []).push(name);
      }
    }
    for (const name of memberNames ?? []) {
      const node = propertySchema(schema, name, record);
      if (node) adoptProperty(record, name, record[name], node, depth);
    }
    return;
  }
  // A nested closed object read from the store: what it does not declare is set aside.
  if (plan.declaredNames && settingAside && depth > 0) {
    for (const name of Object.keys(record))
      if (!plan.declaredNames.has(name)) {
        setAside(record, name, record[name]);
        delete record[name];
      }
  }
  // Only a null or an object can need adopting: the declared property is looked up for those
  // alone. `for…in` allocates nothing (two arrays an object with Object.keys and values, the
  // most of a page's garbage); an inherited name (a polluted prototype) is not the record's.
  let memberNames: string[] | undefined;
  for (const name in record) {
    const property = record[name];
    if (property !== null && property !== undefined && typeof property !== 'object') continue;
    if (!Object.hasOwn(record, name)) continue;
    const declared = plan.declared.get(name);
    if (declared === undefined) {
      // A name a oneOf or anyOf member declares: that of the member the object is of, looked
      // up once the declared NULLs are set aside, as they are absent on the save.
      if (plan.variants) (memberNames ??= []).push(name);
      continue;
    }
    if (property === undefined) delete record[name];
    else if (property === null) {
      if (declared.dropsNull) {
        if (settingAside) setAside(record, name, null);
        delete record[name];
      }
    } else if (declared.walks) {
      settingAside?.path.push(name);
      adoptValue(declared.node, property, depth + 1, declared.plan);
      settingAside?.path.pop();
    }
  }
  for (const name of memberNames ?? []) {
    const node = propertySchema(schema, name, record);
    if (node) adoptProperty(record, name, record[name], node, depth);
  }
}

// Kept out of `adoptValue`: a closure there would make every call of it allocate a context for
// the variables the closure reads, whichever branch the call takes.
function adoptItemsByIndex(
  schema: SchemaNode,
  plan: AdoptionPlan,
  items: unknown[],
  depth: number,
): void {
  for (let index = 0; index < items.length; index++) {
    const node = itemSchema(schema, plan.members, index);
    if (node) adoptValue(node, items[index], depth + 1);
  }
}

function adoptProperty(
  record: Record<string, unknown>,
  name: string,
  property: unknown,
  node: SchemaNode,
  depth: number,
): void {
  if (property === null) {
    if (!allowsNull(node)) {
      if (settingAside) setAside(record, name, null);
      delete record[name];
    }
  } else {
    settingAside?.path.push(name);
    adoptValue(node, property, depth + 1);
    settingAside?.path.pop();
  }
}

/**
 * A value of a stored item that its model value leaves out (a `null` the property does not
 * allow, an attribute a nested closed object does not declare): another client's data, which
 * the next save of the object writes back where it was (see `adoptStoredValue`).
 */
export interface SetAside {
  /** The names of the maps that hold it, from the item down (empty: the item itself). */
  readonly path: readonly string[];
  /**
   * Inside a list, whose items may move before the save, the map that held it instead: the
   * object keeps that map wherever it moves it, and the save finds it there.
   */
  readonly holder?: object;
  readonly name: string;
  readonly value: unknown;
}

// While `adoptStoredValue` runs: where the walk is, and what it set aside so far. One object,
// reused: reads build nothing for it (adoption runs no other code, so it never nests).
const setAsideWalk = { path: [] as string[], lists: 0, found: undefined as SetAside[] | undefined };
let settingAside: typeof setAsideWalk | undefined;

function setAside(holder: object, name: string, value: unknown): void {
  if (!settingAside) return;
  (settingAside.found ??= []).push(
    settingAside.lists > 0
      ? { path: [], holder, name, value }
      : { path: settingAside.path.slice(), name, value },
  );
}

/**
 * Adopts a value read from the store (`adoptValue`), and returns what adoption left out of it
 * that the item held (see `SetAside`), or undefined when nothing was.
 */
export function adoptStoredValue(schema: SchemaNode, value: unknown): SetAside[] | undefined {
  // Setting a length is a call into the runtime: the path is empty unless a walk threw.
  if (setAsideWalk.path.length !== 0) setAsideWalk.path.length = 0;
  setAsideWalk.lists = 0;
  setAsideWalk.found = undefined;
  settingAside = setAsideWalk;
  try {
    adoptValue(schema, value);
    return setAsideWalk.found;
  } finally {
    settingAside = undefined;
    setAsideWalk.found = undefined;
  }
}

/** What adopting a value of one schema node has to look at, computed once a node. */
interface AdoptionPlan {
  /**
   * The declared properties, when they are the only ones with a schema (no allOf, then/else,
   * dependentSchemas, additionalProperties, patternProperties or unevaluatedProperties
   * schema); undefined when every name must be looked up.
   */
  readonly declared: ReadonlyMap<string, DeclaredProperty> | undefined;
  /** The schema of array and set members, when there is one. */
  readonly members: SchemaNode | undefined;
  /** The adoption plan of `members`, made right after this plan (recursive schemas). */
  membersPlan: AdoptionPlan | undefined;
  /** List items take their schema by index (`prefixItems`, `unevaluatedItems`): `itemSchema`. */
  readonly itemsByIndex: boolean;
  /** The declared names, where the schema is closed (`additionalProperties: false`). */
  readonly declaredNames?: ReadonlySet<string>;
  /** oneOf or anyOf members may declare the names not declared here. */
  readonly variants?: true;
  /** The union of closed members the object is of (see `closedUnion`). */
  readonly closedUnion?: SchemaNode;
}

interface DeclaredProperty {
  readonly node: SchemaNode;
  /** Null is dropped here (the property's schema does not allow it). */
  readonly dropsNull: boolean;
  /** Adopting a value here can change something (its schema has properties or members). */
  readonly walks: boolean;
  /** The adoption plan of `node`. */
  readonly plan: AdoptionPlan;
}

// A node under which adoption changes nothing: no properties, members or extra schemas.
const inert: AdoptionPlan = Object.freeze({
  declared: new Map(),
  members: undefined,
  membersPlan: undefined,
  itemsByIndex: false,
});
const adoptionPlans = new WeakMap<SchemaNode, AdoptionPlan>();

function adoptionPlan(schema: SchemaNode): AdoptionPlan {
  let plan = adoptionPlans.get(schema);
  if (plan === undefined) {
    // Where propertySchema may find a schema besides the declared properties.
    const typedExtras =
      schema.allOf !== undefined ||
      schema.conditional !== undefined ||
      schema.dependentSchemas !== undefined ||
      schema.patternProperties !== undefined ||
      (schema.additionalProperties !== undefined && schema.additionalProperties !== false) ||
      // Closed by it: what nothing could evaluate is set aside, member-declared names kept.
      schema.unevaluatedProperties !== undefined;
    const members = schema.items ?? memberItems(schema);
    const byIndex = itemsByIndex(schema, members);
    const names = Object.keys(schema.properties);
    const closed = schema.additionalProperties === false;
    const variants = schema.oneOf !== undefined || schema.anyOf !== undefined;
    const union = closedUnion(schema);
    if (
      !typedExtras &&
      members === undefined &&
      !byIndex &&
      names.length === 0 &&
      !closed &&
      !variants
    )
      plan = inert;
    else {
      // Set before the properties' plans are made: recursive schemas reach this node again.
      plan = {
        declared: typedExtras ? undefined : new Map(),
        members,
        membersPlan: undefined,
        itemsByIndex: byIndex,
        ...(closed && !typedExtras ? { declaredNames: new Set(names) } : {}),
        ...(variants ? { variants: true as const } : {}),
        ...(union ? { closedUnion: union } : {}),
      };
      adoptionPlans.set(schema, plan);
      if (members) plan.membersPlan = adoptionPlan(members);
      if (!typedExtras) {
        const declared = plan.declared as Map<string, DeclaredProperty>;
        for (const name of names) {
          const node = schema.properties[name]!;
          const nodePlan = adoptionPlan(node);
          declared.set(name, {
            node,
            dropsNull: !allowsNull(node),
            walks: nodePlan !== inert,
            plan: nodePlan,
          });
        }
      }
    }
    adoptionPlans.set(schema, plan);
  }
  return plan;
}

/**
 * The model value `fromJSON` reads from a JSON string under `schema`: bytes from the base64 of
 * `format: binary`, an integer (a bigint past 2^53) from the decimal text of `format: int64`
 * or of a number past 2^53, as read through the one `oneOf`/`anyOf` member that converts it;
 * else the string itself.
 */
export function modelValueOfText(schema: SchemaNode, text: string): unknown {
  return copyLeaf(schema, text, 'model');
}

function copyLeaf(given: SchemaNode | undefined, value: unknown, mode: CopyMode): unknown {
  if (mode === 'json' && typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  // Only strings read from JSON are converted: the wrapped schema is looked up for them alone.
  const schema = mode === 'model' && typeof value === 'string' && given && wrappedSchema(given);
  // A string where strings are allowed stays one: `"0123"` under `[string, integer]` is text.
  if (schema && typeof value === 'string' && !allowsString(schema)) {
    if (schema.types === undefined && (schema.oneOf ?? schema.anyOf) !== undefined) {
      const member = leafMember(schema, value);
      return member === undefined ? value : copyLeaf(member, value, mode);
    }
    if (schema.format === 'binary' && isBase64(value))
      return new Uint8Array(Buffer.from(value, 'base64'));
    // toJSON writes bigints as decimal strings: int64 properties (integer or number), and
    // number properties beyond 2^53.
    const bigIntegerText =
      /^-?\d+$/.test(value) &&
      (schema.format === 'int64'
        ? isNumeric(schema)
        : schema.types?.includes('number') && !Number.isSafeInteger(Number(value)));
    if (bigIntegerText) {
      const exact = BigInt(value);
      return Number.isSafeInteger(Number(exact)) ? Number(exact) : exact;
    }
  }
  return value;
}

/**
 * The oneOf or anyOf member that reads a string from JSON as another value (bytes, an int64),
 * where no member takes it as text and the members that convert it agree; else undefined.
 */
function leafMember(schema: SchemaNode, text: string): SchemaNode | undefined {
  const reader = unionReader(schema, text, 0, new Map());
  return typeof reader === 'string' ? undefined : reader;
}

// How a union reads a string: with the member that converts it, as text (a member takes it
// so, or members convert it to different values), or not at all ('none').
type UnionReader = SchemaNode | 'text' | 'none';

// `known`: what each union met so far reads it as. Unions may list one union twice, or two
// that share one: each is looked into once, or every path would cost 2^depth.
function unionReader(
  schema: SchemaNode,
  text: string,
  depth: number,
  known: Map<SchemaNode, UnionReader>,
): UnionReader {
  let found: SchemaNode | undefined;
  let value: unknown;
  for (const member of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
    let reader: UnionReader | undefined = member;
    if (member.types === undefined) {
      // A member of members (a $ref to another union) is looked into, a few levels deep; any
      // other untyped member takes the string as it is.
      if ((member.oneOf ?? member.anyOf) === undefined || depth >= maxAllOfDepth) return 'text';
      reader = known.get(member);
      if (reader === undefined) {
        known.set(member, 'text'); // a union within itself reads it as text
        reader = unionReader(member, text, depth + 1, known);
        known.set(member, reader);
      }
      if (reader === 'text') return 'text';
      if (reader === 'none') continue;
    } else if (allowsString(member)) return 'text';
    const converted = copyLeaf(reader, text, 'model');
    if (converted === text) continue;
    if (found === undefined) {
      found = reader;
      value = converted;
    } else if (!sameValue(value, converted)) return 'text';
  }
  return found ?? 'none';
}

function isNumeric(schema: SchemaNode): boolean {
  return schema.types?.includes('integer') === true || schema.types?.includes('number') === true;
}

function allowsString(schema: SchemaNode): boolean {
  return schema.types?.includes('string') === true && schema.format !== 'binary';
}

function isBase64(value: string): boolean {
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value);
}

/**
 * The schema of an object's property: where it is declared, here or in an allOf member; else
 * the `additionalProperties` schema that takes it, here or in a member; else (OpenAPI 3.1) the
 * `unevaluatedProperties` schema, for a name no subschema could evaluate. A name one member
 * declares is that declaration, though an earlier member's `additionalProperties` takes any.
 * Given the object, a name only oneOf or anyOf members declare is the declaration of the member
 * the object is of (see `memberProperty`); without it, such a name has no schema.
 */
export function propertySchema(
  schema: SchemaNode,
  name: string,
  object?: object,
): SchemaNode | undefined {
  const found = declaredProperty(schema, name, 0) ?? extraProperties(schema, name, 0);
  if (found !== undefined || object === undefined || !hasSubschemas(schema)) return found;
  return memberProperty(schema, name, object as Record<string, unknown>, new Set());
}

function hasSubschemas(schema: SchemaNode): boolean {
  return (
    schema.oneOf !== undefined ||
    schema.anyOf !== undefined ||
    schema.allOf !== undefined ||
    schema.conditional !== undefined ||
    schema.dependentSchemas !== undefined
  );
}

/**
 * A property's schema in the oneOf or anyOf member an object is of, where that is certain: the
 * variant its discriminator names; else the declaration of the members the object may be of
 * (`mayBeOf`: what they require is there, their tags hold), when they all read a value there
 * alike (`readAlike`; a member that does not declare the name takes any value, as text). A
 * discriminating property that is absent or NULL names no variant: the members decide. Values
 * are read with it before they are validated (base64 to bytes, a NULL it does not allow set
 * aside), so members are not told apart by validating; where they differ, the name has no
 * schema here and its value is kept as it is, for validation to judge. A NULL a member does
 * not allow counts as absent (adoption sets it aside), so a save reads the object as its load
 * did.
 */
function memberProperty(
  schema: SchemaNode,
  name: string,
  object: Record<string, unknown>,
  seen: Set<SchemaNode>,
): SchemaNode | undefined {
  // Variants extend their base through allOf, and the base lists them: each node once.
  if (seen.has(schema) || seen.size > maxMemberNodes) return undefined;
  seen.add(schema);
  let found: SchemaNode | undefined;
  const { members, dispatched } = applicableMembers(schema, object);
  for (const member of members) {
    if (!dispatched && !mayBeOf(member, object)) continue;
    let node =
      declaredProperty(member, name, 0) ??
      extraProperties(member, name, 0) ??
      memberProperty(member, name, object, seen);
    if (node === undefined) {
      // A member the object may be of that does not declare the name takes any value there,
      // unless it refuses it (closed: then the object is not of it).
      if (dispatched || closedOut(member, name)) continue;
      node = unconstrained;
    }
    if (found === undefined) found = node;
    else if (!readAlike(found, node, ownProperty(object, name) === null)) return undefined;
    else if (leafReading(found) === 'none') found = node;
  }
  if (found !== undefined) return found === unconstrained ? undefined : found;
  for (const part of declaringParts(schema)) {
    const node = memberProperty(part, name, object, seen);
    if (node !== undefined) return node;
  }
  return undefined;
}

// How many schema nodes one member lookup visits at most (specs of thousands of variants).
const maxMemberNodes = 4096;

/**
 * The oneOf and anyOf members an object may be of: the variant its discriminator names, if it
 * names one (`dispatched`). A discriminating property that is absent or NULL leaves it to the
 * members, as on a save, where adoption has set the NULL aside.
 */
function applicableMembers(
  schema: SchemaNode,
  object: Record<string, unknown>,
): { members: SchemaNode[]; dispatched: boolean } {
  const { discriminator } = schema;
  if (discriminator) {
    const dispatch = discriminatedVariant(discriminator, object);
    if (dispatch.kind === 'variant') return { members: [dispatch.variant], dispatched: true };
    if (dispatch.kind === 'unknown') return { members: [], dispatched: true };
  }
  const members =
    schema.anyOf === undefined
      ? (schema.oneOf ?? [])
      : schema.oneOf === undefined
        ? schema.anyOf
        : [...schema.anyOf, ...schema.oneOf];
  return { members, dispatched: false };
}

/**
 * The `oneOf`/`anyOf` an object schema is: its own, or the one that the 3.0 wrapper idiom
 * (`{ allOf: [{ $ref: Union }], description }`: one allOf part, no properties) holds.
 */
function unionOf(schema: SchemaNode, depth = 0): SchemaNode | undefined {
  if (schema.oneOf !== undefined || schema.anyOf !== undefined) return schema;
  const parts = schema.allOf;
  return parts?.length === 1 && Object.keys(schema.properties).length === 0 && depth < 8
    ? unionOf(parts[0]!, depth + 1)
    : undefined;
}

const closedUnions = new WeakMap<SchemaNode, SchemaNode | null>();

/**
 * The union an object schema is (see `unionOf`) when one of its members (or of a member's,
 * all the way down) is closed (see `closedOut`): `membersRefuse` may then find names to set
 * aside. Undefined otherwise.
 */
export function closedUnion(schema: SchemaNode): SchemaNode | undefined {
  let found = closedUnions.get(schema);
  if (found === undefined) {
    found = null;
    const union = unionOf(schema);
    const reached = new Set<SchemaNode>();
    const pending = union ? unionMembers(union) : [];
    while (pending.length > 0 && reached.size < maxMemberNodes && found === null) {
      const member = pending.pop()!;
      if (reached.has(member)) continue;
      reached.add(member);
      if (closingParts(member).length > 0) found = union!;
      const inner = unionOf(member);
      if (inner) pending.push(...unionMembers(inner));
    }
    closedUnions.set(schema, found);
  }
  return found ?? undefined;
}

function unionMembers(union: SchemaNode): SchemaNode[] {
  return [...(union.oneOf ?? []), ...(union.anyOf ?? [])];
}

/**
 * The names of an object's properties that every `oneOf`/`anyOf` member it may be of refuses
 * (the variant its discriminator names, else the members whose required properties and tags
 * it holds; a member refuses a name it is closed to, or that all of its own members it may be
 * of refuse), and that the schema around them does not declare. Validation refuses the object
 * with any of them, whatever member it is of: another client's attributes, set aside on a load
 * as under a closed object (P-91). None when no member may be the object's.
 */
export function membersRefuse(schema: SchemaNode, object: Record<string, unknown>): string[] {
  // Most items hold only names every member takes: no member is looked at for them.
  const accepted = namesNoMemberRefuses(schema);
  if (Object.keys(object).every((name) => accepted.has(name))) return [];
  const refusedByAll = candidatesRefuse(schema, object, new Map());
  if (refusedByAll === undefined) return [];
  const refused: string[] = [];
  for (const name of Object.keys(object))
    if (
      object[name] !== undefined &&
      propertySchema(schema, name) === undefined &&
      refusedByAll(name)
    )
      refused.push(name);
  return refused;
}

const acceptedNames = new WeakMap<SchemaNode, ReadonlySet<string>>();

/**
 * Names no member of the union refuses, whatever the object: those the schema around them
 * declares, and those every member that may refuse a name declares and takes. Made once per
 * schema from its declarations alone, so it holds no name an item brought.
 */
function namesNoMemberRefuses(schema: SchemaNode): ReadonlySet<string> {
  let names = acceptedNames.get(schema);
  if (names === undefined) {
    let common: Set<string> | undefined;
    for (const member of unionMembers(schema)) {
      // A member neither closed nor holding closed members refuses no name.
      if (closingParts(member).length === 0 && closedUnion(member) === undefined) continue;
      const taken = new Set([...declaredNames(member)].filter((name) => !closedOut(member, name)));
      common =
        common === undefined ? taken : new Set([...common].filter((name) => taken.has(name)));
    }
    names = new Set([...declaredNames(schema), ...(common ?? [])]);
    acceptedNames.set(schema, names);
  }
  return names;
}

// The names a schema's properties declare, here and in its allOf parts.
function declaredNames(schema: SchemaNode): Set<string> {
  return new Set(allOfParts(schema).flatMap((node) => Object.keys(node.properties)));
}

type Refusal = (name: string) => boolean;

// A union whose test is being made: reached again inside itself, it refuses nothing.
const beingMade: Refusal = () => false;

/**
 * Whether every member the object may be of refuses a name, as a test made once per object
 * (the members it may be of do not depend on the name); undefined when it may be of none.
 * `made`: the tests of the unions made so far for this object, so that a union reached by two
 * paths answers alike on both.
 */
function candidatesRefuse(
  schema: SchemaNode,
  object: Record<string, unknown>,
  made: Map<SchemaNode, Refusal | undefined>,
): Refusal | undefined {
  if (made.has(schema)) return made.get(schema);
  if (made.size > maxMemberNodes) return undefined;
  made.set(schema, beingMade);
  const { members, dispatched } = applicableMembers(schema, object);
  const refusals: Refusal[] = [];
  for (const member of members) {
    if (!dispatched && !mayBeOf(member, object)) continue;
    const inner = unionOf(member);
    const nested = inner && candidatesRefuse(inner, object, made);
    refusals.push(
      (name) =>
        closedOut(member, name) ||
        (nested !== undefined && propertySchema(member, name) === undefined && nested(name)),
    );
  }
  const refusal: Refusal | undefined =
    refusals.length === 0 ? undefined : (name) => refusals.every((refuses) => refuses(name));
  made.set(schema, refusal);
  return refusal;
}

/**
 * False when the object cannot be of the member: the member is not an object's schema, one of
 * the properties it (or an allOf part) requires has no value (or a NULL it does not allow),
 * one of its tags (a `const` or `enum` property) is contradicted by a value that is not null
 * or an object, as `{ type: { enum: ['text'] } }` is by an object whose `type` is `bytes`. A
 * NULL the member does not allow counts as absent: adoption sets it aside, and the save must
 * read the object alike.
 */
function mayBeOf(member: SchemaNode, object: Record<string, unknown>): boolean {
  const test = memberTest(member);
  if (test === undefined) return false;
  for (const { name, holdsNull } of test.required) {
    const value = ownProperty(object, name);
    if (value === undefined || (value === null && !holdsNull)) return false;
  }
  for (const { name, node } of test.tags) {
    const value = ownProperty(object, name);
    if (value === undefined || value === null || typeof value === 'object') continue;
    if (node.const !== undefined && !sameValue(node.const.value, value)) return false;
    if (node.enum && !node.enum.some((allowed) => sameValue(allowed, value))) return false;
  }
  return true;
}

/** What `mayBeOf` looks at in a member, through its allOf parts: its required names and tags. */
interface MemberTest {
  readonly required: readonly { readonly name: string; readonly holdsNull: boolean }[];
  readonly tags: readonly { readonly name: string; readonly node: SchemaNode }[];
}

// Made once a member: objects are told apart by members for every item read.
const memberTests = new WeakMap<SchemaNode, MemberTest | undefined>();

// Undefined for a member no object is of (its types leave out `object`).
function memberTest(member: SchemaNode): MemberTest | undefined {
  if (memberTests.has(member)) return memberTests.get(member);
  let test: MemberTest | undefined;
  if (member.types === undefined || member.types.includes('object')) {
    const required: { name: string; holdsNull: boolean }[] = [];
    const tags: { name: string; node: SchemaNode }[] = [];
    for (const node of allOfParts(member)) {
      for (const name of node.required) required.push({ name, holdsNull: holdsNull(member, name) });
      for (const name of Object.keys(node.properties)) {
        const property = wrappedSchema(node.properties[name]!);
        if (property.const !== undefined || property.enum !== undefined)
          tags.push({ name, node: property });
      }
    }
    test = { required, tags };
  }
  memberTests.set(member, test);
  return test;
}

// A NULL the member takes at `name` (its declaration allows null, or it declares none): kept on
// a load, so the save sees it too; one it does not allow is set aside, so counts as absent.
function holdsNull(member: SchemaNode, name: string): boolean {
  const node = declaredProperty(member, name, 0) ?? extraProperties(member, name, 0);
  return node === undefined || allowsNull(node);
}

/**
 * True when two declarations of one name read its value alike: the same node, or two leaves
 * that convert a string the same (bytes, int64, numbers past 2^53, kept as text), or one of
 * which takes no string at all (any reading of a string suits it); for a NULL, that allow
 * null alike.
 */
function readAlike(left: SchemaNode, right: SchemaNode, isNull: boolean): boolean {
  if (left === right) return true;
  if (isNull) return allowsNull(left) === allowsNull(right);
  const leftKind = leafReading(left);
  const rightKind = leafReading(right);
  if (leftKind === undefined || rightKind === undefined) return false;
  return leftKind === rightKind || leftKind === 'none' || rightKind === 'none';
}

// How a leaf schema reads a string from JSON; undefined for a schema with more in it.
function leafReading(given: SchemaNode): string | undefined {
  const node = wrappedSchema(given);
  if (
    Object.keys(node.properties).length > 0 ||
    node.items !== undefined ||
    node.prefixItems !== undefined ||
    node.additionalProperties !== undefined ||
    hasSubschemas(node)
  )
    return undefined;
  if (node.types === undefined || allowsString(node)) return 'text';
  if (node.format === 'binary') return 'bytes';
  if (node.format === 'int64' && isNumeric(node)) return 'int64';
  // Integers, booleans, objects and lists take no string: any reading of one suits them.
  return node.types.includes('number') ? 'number' : 'none';
}

// allOf members deeper than this are not looked through (schemas may be recursive).
const maxAllOfDepth = 32;

// `visited`: the parts looked at so far, where parts share parts (a diamond of allOf): each is
// looked at once, or a miss would cost every path through them. Parts that form a tree (a
// model, its base and theirs: most) are walked without it, as a set made on each lookup would
// cost more than the walk.

// Whether some part is reached twice from a node (or again from itself), found once per node.
const partsShared = new WeakMap<SchemaNode, boolean>();

function sharesParts(schema: SchemaNode): boolean {
  let shared = partsShared.get(schema);
  if (shared === undefined) {
    shared = false;
    const reached = new Set<SchemaNode>([schema]);
    const pending = [...declaringParts(schema)];
    while (pending.length > 0 && !shared) {
      const part = pending.pop()!;
      shared = reached.has(part) || reached.size > maxMemberNodes;
      reached.add(part);
      pending.push(...declaringParts(part));
    }
    partsShared.set(schema, shared);
  }
  return shared;
}

function declaredProperty(
  schema: SchemaNode,
  name: string,
  depth: number,
  visited?: Set<SchemaNode>,
): SchemaNode | undefined {
  const direct = ownProperty(schema.properties, name);
  if (direct || depth >= maxAllOfDepth) return direct;
  const parts = declaringParts(schema);
  if (depth === 0 && parts.length > 0 && sharesParts(schema)) visited = new Set([schema]);
  for (const part of parts) {
    if (visited?.has(part)) continue;
    visited?.add(part);
    const found = declaredProperty(part, name, depth + 1, visited);
    if (found) return found;
  }
  return undefined;
}

const noParts: readonly SchemaNode[] = [];

/**
 * The subschemas that apply to the same object and may declare its properties: allOf members,
 * and (OpenAPI 3.1) `then`, `else` and `dependentSchemas`, which apply to it under a condition.
 */
export function declaringParts(schema: SchemaNode): readonly SchemaNode[] {
  const conditional = schema.conditional;
  // Looked at on every property lookup: allOf alone (the common case) is not copied.
  if (conditional === undefined && schema.dependentSchemas === undefined)
    return schema.allOf ?? noParts;
  const parts = [...(schema.allOf ?? [])];
  if (conditional?.matched) parts.push(conditional.matched);
  if (conditional?.otherwise) parts.push(conditional.otherwise);
  if (schema.dependentSchemas) parts.push(...Object.values(schema.dependentSchemas));
  return parts;
}

function extraProperties(
  schema: SchemaNode,
  name: string,
  depth: number,
  visited?: Set<SchemaNode>,
): SchemaNode | undefined {
  for (const { pattern, node } of schema.patternProperties ?? [])
    if (pattern.test(name)) return node;
  if (schema.additionalProperties) return schema.additionalProperties;
  if (depth >= maxAllOfDepth) return undefined;
  const parts = declaringParts(schema);
  if (depth === 0 && parts.length > 0 && sharesParts(schema)) visited = new Set([schema]);
  for (const part of parts) {
    if (visited?.has(part)) continue;
    visited?.add(part);
    const found = extraProperties(part, name, depth + 1, visited);
    if (found) return found;
  }
  // 2020-12: what nothing else could evaluate is the unevaluatedProperties schema's.
  const unevaluated = schema.unevaluatedProperties;
  return unevaluated && neverEvaluated(schema, name) ? unevaluated : undefined;
}

// Items whose schema depends on their index: under prefixItems, or an unevaluatedItems schema
// (with no `items`, here or in an allOf member, that would take them all).
function itemsByIndex(schema: SchemaNode, items: SchemaNode | undefined): boolean {
  return (
    schema.prefixItems !== undefined ||
    (items === undefined && typeof schema.unevaluatedItems === 'object')
  );
}

/**
 * The schema of a list's item at `index`: its `prefixItems` one, else `items` (here or in an
 * allOf member), else (3.1) the `unevaluatedItems` schema where no subschema could evaluate it.
 */
function itemSchema(
  schema: SchemaNode,
  items: SchemaNode | undefined,
  index: number,
): SchemaNode | undefined {
  const prefix = schema.prefixItems;
  if (prefix !== undefined && index < prefix.length) return prefix[index];
  if (items !== undefined) return items;
  const unevaluated = schema.unevaluatedItems;
  return unevaluated && itemNeverEvaluated(schema, index) ? unevaluated : undefined;
}

/** The `items` schema an `allOf` member gives a list whose own schema has none. */
export function memberItems(schema: SchemaNode | undefined): SchemaNode | undefined {
  for (const part of schema?.allOf ?? []) if (part.items) return part.items;
  return undefined;
}

function isPlainRecord(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || isObjectPrototype(prototype);
}

// An object of a Macaron model class: its own properties are its values. Its class is read
// from its prototype, never from `value.constructor`, which may be a property of the model.
function isModelObject(value: object): boolean {
  return modelClassOf(value) !== undefined;
}

/** The Macaron model class an object is an instance of, or undefined for any other object. */
export function modelClassOf(
  value: object,
): { readonly modelName: string; readonly descriptor?: unknown } | undefined {
  const type = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor as
    | { modelName?: unknown }
    | undefined;
  return typeof type?.modelName === 'string'
    ? (type as { readonly modelName: string; readonly descriptor?: unknown })
    : undefined;
}
