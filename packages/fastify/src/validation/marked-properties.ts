import {
  propertySchema,
  type SchemaNode,
  subschemas,
  ValidationSession,
  validateValue,
} from '@macaron/core';
import { appendPointer } from '../spec/json-pointer.js';
import { ownValue, setOwnValue } from './own-properties.js';
import { isPlainRecord } from './plain-values.js';

const maxDepth = 64;

/**
 * Which properties a side of an HTTP exchange never carries: `readOnly` ones are not taken
 * from a request (the server sets them), `writeOnly` ones are not sent in a response (a
 * password is taken, never sent back).
 */
export type Mark = 'readOnly' | 'writeOnly';

/**
 * The JSON without the properties the schema marks `mark`, at any depth: through properties,
 * list items, allOf, a discriminator's variant, and the oneOf or anyOf members the value
 * matches (all of them when it matches none: a value the spec does not describe keeps no
 * secret). Copies only what it changes; a schema that reaches no such mark costs one cached
 * lookup.
 */
export function withoutMarked(schema: SchemaNode | undefined, json: unknown, mark: Mark): unknown {
  return strip(schema, json, 0, undefined, { mark, made: new Map(), cutShort: 0 });
}

/**
 * A value nests deeper than its marked properties are looked for (64 levels) where its schema
 * marks some: they cannot be left out, so it is neither taken nor sent.
 */
export class MarkedTooDeep extends Error {
  constructor(readonly mark: Mark) {
    super(
      `the value nests deeper than ${maxDepth} levels where its schema marks ${mark} properties, which could not all be left out`,
    );
  }
}

/** Where a value lies in the JSON stripped: spelt out as a JSON pointer only when needed. */
interface Place {
  readonly parent: Place | undefined;
  readonly token: string | number;
}

function placePointer(place: Place | undefined): string {
  return place === undefined ? '' : appendPointer(placePointer(place.parent), place.token);
}

interface Stripping {
  readonly mark: Mark;
  /**
   * What each value became under each schema, in this call. A recursive schema meets a value
   * along several paths (its property, then a matching member naming the same property):
   * stripped again each time, the work grew threefold with every level of a request's body.
   */
  readonly made: Map<object, { schema: SchemaNode; depth: number; result: unknown }[]>;
  /** How many times a schema met the value it was being applied to (see `underWay`). */
  cutShort: number;
  /**
   * The validations that tell which members a value matches, made bottom-up: each level's
   * would check all the levels below again (depth × size: seconds for a 1 MB body).
   */
  session?: ValidationSession;
}

// A member applied to a value its schema is already being applied to (a cycle through a
// discriminator, which loading allows) leaves the value as it is there. What was computed
// around such a return is not kept: from elsewhere, the schema skipped there does apply.
const underWay = Symbol('under way');

function strip(
  schema: SchemaNode | undefined,
  json: unknown,
  depth: number,
  place: Place | undefined,
  stripping: Stripping,
): unknown {
  if (schema === undefined || !reaches(schema, stripping.mark)) return json;
  if (typeof json !== 'object' || json === null) return json;
  // Deeper, the marked properties could not all be left out: the value is refused whole.
  if (depth > maxDepth) throw new MarkedTooDeep(stripping.mark);
  let entries = stripping.made.get(json);
  const known = entries?.find((entry) => entry.schema === schema && entry.depth === depth);
  if (known !== undefined) {
    if (known.result !== underWay) return known.result;
    stripping.cutShort++;
    return json;
  }
  const entry: { schema: SchemaNode; depth: number; result: unknown } = {
    schema,
    depth,
    result: underWay,
  };
  if (entries === undefined) stripping.made.set(json, (entries = [entry]));
  else entries.push(entry);
  const cutShort = stripping.cutShort;
  const result = Array.isArray(json)
    ? stripItems(schema, json, depth, place, stripping)
    : stripObject(schema, json, depth, place, stripping);
  if (stripping.cutShort === cutShort) entry.result = result;
  else entries.splice(entries.indexOf(entry), 1);
  return result;
}

function stripItems(
  schema: SchemaNode,
  json: unknown[],
  depth: number,
  place: Place | undefined,
  stripping: Stripping,
): unknown[] {
  const items = itemsOf(schema);
  const prefix = schema.prefixItems;
  const contains =
    schema.contains && reaches(schema.contains, stripping.mark) ? schema.contains : undefined;
  if (items === undefined && prefix === undefined && contains === undefined) return json;
  let copy: unknown[] | undefined;
  json.forEach((item, index) => {
    const itemSchema = prefix !== undefined && index < prefix.length ? prefix[index] : items;
    const stripped = strip(itemSchema, item, depth + 1, { parent: place, token: index }, stripping);
    if (stripped !== item) (copy ??= [...json])[index] = stripped;
  });
  if (contains === undefined) return copy ?? json;
  // `contains` applies to the items it matches (to all when it matches none, as the list needs
  // one: a value the spec does not describe keeps no secret), as a oneOf member does.
  const listed = copy ?? json;
  const matching = listed.map((item, index) =>
    matches(contains, item, depth + 1, { parent: place, token: index }, stripping),
  );
  // A list that needs no match (`minContains: 0`) and has none is described by `items` alone.
  const none = !matching.includes(true);
  if (none && schema.minContains === 0) return copy ?? json;
  listed.forEach((item, index) => {
    if (!none && !matching[index]) return;
    const stripped = strip(contains, item, depth + 1, { parent: place, token: index }, stripping);
    if (stripped !== item) (copy ??= [...json])[index] = stripped;
  });
  return copy ?? json;
}

function stripObject(
  schema: SchemaNode,
  json: object,
  depth: number,
  place: Place | undefined,
  stripping: Stripping,
): unknown {
  if (!isPlainRecord(json)) return json;
  const { mark } = stripping;
  let result: Record<string, unknown> = json;
  const own = (): Record<string, unknown> => {
    if (result === json) {
      result = {};
      for (const name of Object.keys(json)) setOwnValue(result, name, json[name]);
    }
    return result;
  };
  for (const name of Object.keys(json)) {
    const node = propertySchema(schema, name);
    if (node === undefined) continue;
    if (isMarked(node, mark)) delete own()[name];
    else {
      const value = json[name];
      const stripped = strip(node, value, depth + 1, { parent: place, token: name }, stripping);
      if (stripped !== value) setOwnValue(own(), name, stripped);
    }
  }
  // The members apply to this same value: at this same depth.
  for (const member of membersOf(schema, json, depth, place, stripping))
    result = strip(member, result, depth, place, stripping) as Record<string, unknown>;
  return result;
}

// The members of a oneOf or anyOf (or the discriminator's variant) that describe the value.
function membersOf(
  schema: SchemaNode,
  json: Record<string, unknown>,
  depth: number,
  place: Place | undefined,
  stripping: Stripping,
): SchemaNode[] {
  const { mark } = stripping;
  if (schema.discriminator) {
    const selector = ownValue(json, schema.discriminator.propertyName);
    const named =
      typeof selector === 'string'
        ? (ownValue(schema.discriminator.mapping, selector) as SchemaNode | undefined)
        : undefined;
    // OpenAPI 3.2's defaultMapping: the variant of a value whose property names none.
    const variant = named ?? schema.discriminator.defaultMapping;
    if (variant) return [variant];
  }
  const members = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  if (!members.some((member) => reaches(member, mark))) return [];
  // Checked without the marked properties, which never decide what the value is; each at
  // its place and depth in the whole, so that a session's checks serve the levels above.
  // Every member is: a value of one that marks nothing keeps what another one marks.
  const matching = members.filter((member) => matches(member, json, depth, place, stripping));
  return (matching.length > 0 ? matching : members).filter((member) => reaches(member, mark));
}

// Whether the value at `place` matches `schema`, checked without the marked properties (which
// never decide what the value is), at its place and depth in the whole, so that a session's
// checks serve the levels above.
function matches(
  schema: SchemaNode,
  json: unknown,
  depth: number,
  place: Place | undefined,
  stripping: Stripping,
): boolean {
  stripping.session ??= new ValidationSession();
  const options = {
    direction: stripping.mark === 'writeOnly' ? ('response' as const) : ('request' as const),
    session: stripping.session,
    level: depth,
  };
  const stripped = strip(schema, json, depth, place, stripping);
  return validateValue(schema, stripped, placePointer(place), options).length === 0;
}

// The schema of the items `prefixItems` does not cover: `items`, or else what
// `unevaluatedItems` says of the items nothing else evaluates.
function itemsOf(schema: SchemaNode): SchemaNode | undefined {
  if (schema.items) return schema.items;
  for (const part of schema.allOf ?? []) if (part.items) return part.items;
  return typeof schema.unevaluatedItems === 'object' ? schema.unevaluatedItems : undefined;
}

/** True when a property's schema carries `mark`, directly or through allOf members. */
export function isMarked(node: SchemaNode, mark: Mark, depth = 0): boolean {
  return (
    node[mark] === true ||
    (depth < maxDepth && (node.allOf ?? []).some((part) => isMarked(part, mark, depth + 1)))
  );
}

const reaching: Record<Mark, WeakMap<SchemaNode, boolean>> = {
  readOnly: new WeakMap(),
  writeOnly: new WeakMap(),
};

/** True when a schema carrying `mark` can be reached from `schema` (cached; graphs may cycle). */
export function reaches(schema: SchemaNode, mark: Mark): boolean {
  const known = reaching[mark].get(schema);
  if (known !== undefined) return known;
  const seen = new Set<SchemaNode>([schema]);
  const pending = [schema];
  let found = false;
  while (pending.length > 0 && !found) {
    const node = pending.pop()!;
    if (node[mark] === true) found = true;
    const next = subschemas(node);
    for (const child of next)
      if (!seen.has(child)) {
        seen.add(child);
        pending.push(child);
      }
  }
  reaching[mark].set(schema, found);
  return found;
}
