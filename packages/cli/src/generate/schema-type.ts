import {
  propertySchema,
  type SchemaNode,
  type SchemaType,
  type ValueDirection,
  wrappedSchema,
} from '@macaron/core';
import { compareText, propertyKey, quote } from './type-identifiers.js';

/** A type expression and how tightly it binds, to parenthesise it where needed. */
export interface TypeText {
  /** The TypeScript type. */
  text: string;
  /** `union` (`A | B`), `intersection` (`A & B`) or `primary` (anything else). */
  binding: 'union' | 'intersection' | 'primary';
}

const primary = (text: string): TypeText => ({ text, binding: 'primary' });

function union(parts: readonly TypeText[]): TypeText {
  // A member no value meets adds none (`anyOf: [false, { type: string }]` is `string`).
  const texts = [...new Set(parts.map((part) => part.text))].filter((text) => text !== 'never');
  if (texts.length === 0) return primary('never');
  if (texts.length === 1) return parts.find((part) => part.text === texts[0])!;
  return { text: texts.join(' | '), binding: 'union' };
}

// The literal prefix a pattern is (`^x-`, `^x-.*`, `^x-.*$`, `^á`): letters (of any script, in
// NFC, as the file writes names), digits, `_` and `-` only, which a template literal type holds
// as they are. Undefined for any other pattern.
function literalPrefix(pattern: RegExp): string | undefined {
  const prefix = /^\^([\p{L}\p{N}_-]+)(?:\.\*\$?)?$/u.exec(pattern.source)?.[1];
  return prefix !== undefined && prefix === prefix.normalize('NFC') ? prefix : undefined;
}

function intersection(parts: readonly TypeText[]): TypeText {
  const unique = parts.filter(
    (part, index) => parts.findIndex((other) => other.text === part.text) === index,
  );
  if (unique.length === 0) return primary('unknown');
  // A member no value meets leaves none (`allOf: [true, false]`).
  if (unique.some((part) => part.text === 'never')) return primary('never');
  if (unique.length === 1) return unique[0]!;
  return {
    text: unique
      .map((part) => (part.binding === 'union' ? `(${part.text})` : part.text))
      .join(' & '),
    binding: 'intersection',
  };
}

/** How core takes a whole number of a schema: as a bigint too (`int64`), beyond 2^53 only as one (`beyond`), or never beyond 2^53 (`number`). */
type IntegerForm = 'int64' | 'beyond' | 'number';

function integerForm(node: SchemaNode): IntegerForm {
  if (node.format === 'int64') return 'int64';
  const types = node.types ?? [];
  // A plain `type: integer` refuses an integer beyond 2^53 in any form (it "needs an int64 property").
  return types.includes('integer') && !types.includes('number') ? 'number' : 'beyond';
}

/**
 * The type of an enum or const value, as core's validation takes it: an integer beyond 2^53
 * only as a bigint (core refuses the number, which the parser may have rounded), or not at all
 * on a plain `type: integer` (`never`); with `format: int64`, a smaller one as a number or a
 * bigint (`5 | 5n`).
 */
function literal(
  value: unknown,
  form: IntegerForm,
  nodes: readonly SchemaNode[] = [],
): TypeText | undefined {
  if (value === null) return primary('null');
  if (typeof value === 'string') return primary(quote(value));
  if (typeof value === 'boolean') return primary(String(value));
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value))
      ? literal(Number(value), form)
      : primary(form === 'number' || !storableBigint(value, form) ? 'never' : `${value}n`);
  if (Array.isArray(value)) return listLiteral(value, nodes);
  if (typeof value === 'object' && isPlainObject(value)) return objectLiteral(value, nodes);
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  // What no engine stores (DynamoDB's range): core refuses it, whatever the schema says.
  if (value !== 0 && (Math.abs(value) >= 1e126 || Math.abs(value) < 1e-130))
    return primary('never');
  if (!Number.isInteger(value)) return primary(String(value));
  if (!Number.isSafeInteger(value)) return literal(BigInt(value), form);
  return form === 'int64'
    ? { text: `${value} | ${value}n`, binding: 'union' }
    : primary(String(value));
}

// A list an enum or const holds, as a tuple of its items' literals (`[1, 'a']`): validation
// takes an equal list alone. Its integers as core reads them in a list: beyond 2^53 as bigints,
// and as a number or a bigint where the schema's items are `format: int64` (`[5 | 5n]`).
// `nodes`: the schemas the list is validated by.
function listLiteral(
  items: readonly unknown[],
  nodes: readonly SchemaNode[],
): TypeText | undefined {
  const types = items.map((item, index) => {
    const inner = innerSchemas(nodes, (schema) => {
      const positioned = schema.prefixItems?.[index];
      if (positioned) return [positioned];
      const others = otherItems(schema);
      return others ? [others] : [];
    });
    return literal(item, innerForm(inner), inner);
  });
  if (!types.every((type) => type !== undefined)) return undefined;
  if (types.some((type) => type.text === 'never')) return primary('never');
  return primary(`[${types.map((type) => type.text).join(', ')}]`);
}

// A JSON object (a YAML timestamp or binary, if a spec's reader made one, is none).
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// An object an enum or const holds, as an object type of its properties' literals (`{ a: 1 }`;
// `{}` as `Record<string, never>`, which takes no property): validation takes an equal object
// alone (a literal with other properties is an excess property; a value holding them is
// assignable, as TypeScript's objects are open). An integer of a property the schema makes
// `format: int64` is a number or a bigint (`{ n: 5 | 5n }`), as core takes it there.
function objectLiteral(value: object, nodes: readonly SchemaNode[]): TypeText | undefined {
  const entries = Object.entries(value);
  if (entries.length === 0) return primary('Record<string, never>');
  const members: string[] = [];
  for (const [name, member] of entries) {
    const inner = innerSchemas(nodes, (schema) => {
      const named = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
      const patterned = (schema.patternProperties ?? [])
        .filter((pattern) => pattern.pattern.test(name))
        .map((pattern) => pattern.node);
      const extra = extraProperties(schema);
      return [
        ...(named ? [named] : []),
        ...patterned,
        ...(!named && patterned.length === 0 && extra ? [extra] : []),
      ];
    });
    const type = literal(member, innerForm(inner), inner);
    if (type === undefined) return undefined;
    if (type.text === 'never') return primary('never');
    members.push(`${propertyKey(name)}: ${type.text}`);
  }
  return primary(`{ ${members.join('; ')} }`);
}

// The schemas that validate a list's item or an object's property (`of` a schema), in the
// schemas and their allOf, anyOf and oneOf members: those of its place in a literal.
function innerSchemas(
  nodes: readonly SchemaNode[],
  of: (schema: SchemaNode) => SchemaNode[],
  depth = 0,
): SchemaNode[] {
  if (depth > maxAllOfDepth) return [];
  return nodes.flatMap((node) => [
    ...of(node),
    ...innerSchemas(
      [node.allOf, node.anyOf, node.oneOf].flatMap((members) => members ?? []),
      of,
      depth + 1,
    ),
  ]);
}

// An integer in a literal: a number or a bigint where a schema of its place is `format: int64`
// (itself, or through its allOf, anyOf or oneOf members: a reference annotated beside,
// `{ $ref, description }`), as a bigint beyond 2^53 elsewhere.
const innerForm = (schemas: readonly SchemaNode[]): IntegerForm =>
  schemas.some((schema) => takesInt64(schema)) ? 'int64' : 'beyond';

function takesInt64(node: SchemaNode, depth = 0): boolean {
  if (node.format === 'int64') return true;
  if (depth >= maxAllOfDepth) return false;
  return [node.allOf, node.anyOf, node.oneOf].some((members) =>
    (members ?? []).some((member) => takesInt64(member, depth + 1)),
  );
}

// An integer beyond 2^53 as core takes it: within the int64 range for `format: int64`, and
// for any other under 1e126 in magnitude with 38 significant digits at most (DynamoDB's).
function storableBigint(value: bigint, form: IntegerForm): boolean {
  if (form === 'int64') return value >= -(2n ** 63n) && value < 2n ** 63n;
  const digits = (value < 0n ? -value : value).toString();
  // 38 significant digits at most; trailing zeros do not count, as DynamoDB counts them.
  return digits.length <= 126 && digits.replace(/0+$/, '').length <= 38;
}

// The integer formats' ranges, which core checks under any type: a fraction is in none.
const integerFormatRanges: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};

// Whether a number keeps the schema's integer format (`{ type: number, format: int32 }` takes
// no 2.5 and no 2^31); other values and formats are not the format's to refuse.
function takenByFormat(value: unknown, format: string | undefined): boolean {
  const range = format === 'int32' || format === 'int64' ? integerFormatRanges[format] : undefined;
  if (!range || (typeof value !== 'number' && typeof value !== 'bigint')) return true;
  if (typeof value === 'number' && !Number.isInteger(value)) return false;
  const exact = BigInt(value);
  return exact >= range[0] && exact <= range[1];
}

// Whether an enum value is of one of the schema's types: validation checks the type too, so
// a value of another type (`null` in a string enum without `nullable`, YAML's `1_000`, a
// string, in an integer enum) is never accepted.
function ofTypes(value: unknown, types: readonly SchemaType[] | undefined): boolean {
  if (types === undefined) return true;
  return types.some((type) => {
    switch (type) {
      case 'null':
        return value === null;
      case 'string':
        return typeof value === 'string';
      case 'boolean':
        return typeof value === 'boolean';
      case 'integer':
        return typeof value === 'bigint' || Number.isInteger(value);
      case 'number':
        return typeof value === 'bigint' || typeof value === 'number';
      case 'array':
        return Array.isArray(value);
      default:
        return typeof value === 'object' && value !== null && !Array.isArray(value);
    }
  });
}

// Whether validation lets null through a schema: its type, enum and const, and its members
// (all of allOf's, one of oneOf's or anyOf's). A schema met again inside its own walk
// (a recursive one) is taken to allow it.
const nullAdmitted = new WeakMap<SchemaNode, boolean>();
function admitsNull(node: SchemaNode): boolean {
  if (node.nullable) return true;
  const known = nullAdmitted.get(node);
  if (known !== undefined) return known;
  nullAdmitted.set(node, true);
  const admitted =
    (node.types === undefined || node.types.includes('null')) &&
    (node.enum === undefined || node.enum.includes(null)) &&
    (node.const === undefined || node.const.value === null) &&
    (node.allOf ?? []).every(admitsNull) &&
    [node.oneOf, node.anyOf].every(
      (members) => members === undefined || members.length === 0 || members.some(admitsNull),
    );
  nullAdmitted.set(node, admitted);
  return admitted;
}

// allOf members deeper than this are not looked through (schemas may be recursive), as in core.
const maxAllOfDepth = 32;

function isMarked(node: SchemaNode, direction: ValueDirection, depth = 0): boolean {
  return (
    (direction === 'request' ? node.readOnly : node.writeOnly) === true ||
    (depth < maxAllOfDepth &&
      (node.allOf ?? []).some((part) => isMarked(part, direction, depth + 1)))
  );
}

/**
 * True when a value going `direction` may leave out the required property `name` of `schema`:
 * its declaration (as core finds it: own properties, then allOf members, then/else,
 * dependentSchemas, additionalProperties) is `readOnly` in a request, `writeOnly` in a
 * response. Core's rule, which its validation and the fastify adapter follow.
 */
function requirementLifted(schema: SchemaNode, name: string, direction: ValueDirection): boolean {
  const property = propertySchema(schema, name);
  return property !== undefined && isMarked(property, direction);
}

// Lifted in `node`, or in a schema whose allOf `node` is a member of (core's validation checks
// an allOf member against the same value with its owners in view).
function liftedHere(
  node: SchemaNode,
  name: string,
  owners: readonly SchemaNode[],
  direction: ValueDirection,
): boolean {
  return (
    requirementLifted(node, name, direction) ||
    owners.some((owner) => requirementLifted(owner, name, direction))
  );
}

/**
 * The required properties of a named schema's type that its allOf owners lift but the schema
 * itself does not: the names its reference must make optional in that place. Looks through
 * the schema's allOf, oneOf and anyOf members, which its type holds.
 */
function liftedByOwners(
  model: SchemaNode,
  owners: readonly SchemaNode[],
  direction: ValueDirection,
): string[] {
  const names = new Set<string>();
  // Each member once: a member reached again (a oneOf that contains itself) adds nothing new.
  const seen = new Set<SchemaNode>();
  const visit = (node: SchemaNode, inner: readonly SchemaNode[], depth: number) => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const name of node.required) {
      if (!Object.hasOwn(node.properties, name) || names.has(name)) continue;
      if (liftedHere(node, name, inner, direction)) continue;
      if (owners.some((owner) => requirementLifted(owner, name, direction))) names.add(name);
    }
    if (depth >= maxAllOfDepth) return;
    for (const part of node.allOf ?? []) visit(part, [...inner, node], depth + 1);
    for (const part of [...(node.oneOf ?? []), ...(node.anyOf ?? [])])
      visit(part, inner, depth + 1);
  };
  visit(model, [], 0);
  return [...names].sort(compareText);
}

/**
 * What a node says of the properties it does not name: `additionalProperties`, or in
 * OpenAPI 3.1 `unevaluatedProperties` where no subschema could evaluate any (no allOf, anyOf,
 * oneOf, conditions or dependentSchemas), which then means the same (beside the node's own
 * `patternProperties` too: neither applies to the names they match).
 */
function extraProperties(node: SchemaNode): SchemaNode | false | undefined {
  if (node.additionalProperties !== undefined) return node.additionalProperties;
  // The node's own patternProperties evaluate the names they match, as for additionalProperties.
  const evaluatedElsewhere =
    node.allOf || node.anyOf || node.oneOf || node.conditional || node.dependentSchemas;
  return evaluatedElsewhere ? undefined : node.unevaluatedProperties;
}

/**
 * What a node says of the items after its `prefixItems`: `items`, or in OpenAPI 3.1
 * `unevaluatedItems` where no subschema could evaluate any (no allOf, anyOf, oneOf,
 * conditions or `contains`), which then means the same.
 */
function otherItems(node: SchemaNode): SchemaNode | false | undefined {
  if (node.items !== undefined) return node.items;
  const evaluatedElsewhere =
    node.allOf || node.anyOf || node.oneOf || node.conditional || node.contains;
  return evaluatedElsewhere ? undefined : node.unevaluatedItems;
}

// Whether allOf members declare properties, which core's `additionalProperties: false` beside
// them lets through. Past maxAllOfDepth it assumes so: the type is then looser, never stricter.
function membersDeclareProperties(node: SchemaNode, depth = 0): boolean {
  return (node.allOf ?? []).some(
    (part) =>
      Object.keys(part.properties).length > 0 ||
      depth >= maxAllOfDepth ||
      membersDeclareProperties(part, depth + 1),
  );
}

/**
 * True when a node constrains the properties it does not name in a way its type can say: not
 * under an `additionalProperties: false` its allOf members' properties pass, which the members
 * type.
 */
function constrainsOtherProperties(node: SchemaNode): boolean {
  const extra = extraProperties(node);
  return extra !== undefined && !(extra === false && membersDeclareProperties(node));
}

// The schema `true` (or `{}`) as core normalises it: no keyword but its place.
function matchesAnything(node: SchemaNode): boolean {
  return Object.entries(node).every(([keyword, value]) => {
    if (keyword === 'properties') return Object.keys(value).length === 0;
    if (keyword === 'required') return value.length === 0;
    return keyword === 'name' || keyword === 'pointer' || value === undefined;
  });
}

// The schema `false`, which core normalises to `not: {}`.
const matchesNothing = (node: SchemaNode): boolean =>
  node.not !== undefined && matchesAnything(node.not);

/**
 * The members of TypeScript's `Object`, which an object literal's type has: a literal without
 * an optional property of such a name still has it (`constructor` is a Function), so the
 * property's type must admit the inherited member.
 */
const objectMembers = new Set([
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);

/**
 * What an optional property (or parameter) of this name adds to its type: ` | typeof
 * Object.prototype.toString` for a member of `Object`, which a plain object without it still
 * has, and the prototype for `__proto__` (a plain object's is `Object.prototype`); nothing
 * for other names.
 */
export function inheritedMember(name: string): string {
  if (name === '__proto__') return ' | typeof Object.prototype';
  return objectMembers.has(name) ? ` | typeof Object.prototype.${name}` : '';
}

const arrayOf = (item: TypeText): string =>
  item.binding === 'primary' ? `${item.text}[]` : `(${item.text})[]`;

/** How a writer types the values going one way: see `SchemaTypeWriter`. */
export interface DirectionOptions {
  /** `request`: required `readOnly` properties optional; `response`: required `writeOnly` ones. */
  direction: ValueDirection;
  /** The identifiers of the schemas' types for this direction, where they differ, by schema name. */
  variants: ReadonlyMap<string, string>;
  /** The identifier of the generated generic that makes properties of a type optional. */
  optional: string;
}

/**
 * Unnamed schemas written inline in one type at most. Schemas that refer to one another through
 * `$ref`s into a named schema (`#/components/schemas/Node/properties/left`) have no name a type
 * could refer to: each is written out wherever it is used, which doubles the text at each
 * level (a 155 KB Azure spec gave 118 MB of TypeScript). Past this, generation stops and says
 * which schema to name. The largest type of GitHub's REST spec writes 1,303, of Microsoft Graph's 187.
 */
const maxExpansions = 100_000;

/** A type that would repeat unnamed schemas past `maxExpansions`. */
export class ExpansionLimitError extends Error {
  constructor(private readonly repeated: SchemaNode) {
    super('');
    this.name = 'ExpansionLimitError';
  }

  /** Names the schema whose type it is, once known. */
  describe(declared: SchemaNode): void {
    this.message = `The type of ${declared.name ?? `#${declared.pointer}`} would repeat unnamed schemas such as #${this.repeated.pointer} more than ${maxExpansions.toLocaleString('en-US')} times: they refer to one another through $refs into a named schema, and TypeScript has no name for them. Move them to schemas of their own (components/schemas, or definitions), refer to those, and generate again.`;
  }
}

/**
 * Turns normalised schemas into TypeScript types; named schemas become references. With
 * `direction`, the types are those of values going that way, at any depth: a required property
 * core lets that side leave out is optional, and a named schema is referred to by its variant
 * for the direction (`variants`) where it has one.
 */
export class SchemaTypeWriter {
  private readonly stack = new Set<SchemaNode>();
  // Unnamed schemas written inline for the outermost typeOf call (see maxExpansions), and how
  // often each.
  private expansions = 0;
  private readonly written = new Map<SchemaNode, number>();
  /** The names of the named schemas the types written so far refer to; clear it at will. */
  readonly references = new Set<string>();
  /** True once a type written used the `optional` generic. */
  usedOptional = false;

  constructor(
    private readonly identifiers: ReadonlyMap<string, string>,
    private readonly options?: DirectionOptions,
  ) {}

  /** The type of `node`; `root` (the schema being declared) is expanded, not referenced. */
  typeOf(node: SchemaNode, indent = '', root?: SchemaNode): TypeText {
    const outermost = this.stack.size === 0;
    if (outermost) {
      this.expansions = 0;
      this.written.clear();
    }
    try {
      return this.typeIn(node, indent, root, []);
    } catch (error) {
      if (outermost && error instanceof ExpansionLimitError) error.describe(root ?? node);
      throw error;
    }
  }

  // `owners`: the schemas whose allOf `node` is checked as part of, against the same value.
  private typeIn(
    node: SchemaNode,
    indent: string,
    root: SchemaNode | undefined,
    owners: readonly SchemaNode[],
  ): TypeText {
    if (node !== root && node.name !== undefined) {
      const identifier = this.identifiers.get(node.name);
      if (identifier) return this.reference(node, node.name, identifier, owners);
    }
    // An unnamed schema that contains itself (a $ref to a non-component pointer) has no name to refer to.
    if (this.stack.has(node)) return primary('unknown');
    this.written.set(node, (this.written.get(node) ?? 0) + 1);
    if (++this.expansions > maxExpansions) {
      // The outermost schema being written again is the one to give a name.
      const repeated = [...this.stack].find((open) => (this.written.get(open) ?? 0) > 1);
      throw new ExpansionLimitError(repeated ?? node);
    }
    this.stack.add(node);
    try {
      return this.expand(node, indent, owners);
    } finally {
      this.stack.delete(node);
    }
  }

  private reference(
    node: SchemaNode,
    name: string,
    identifier: string,
    owners: readonly SchemaNode[],
  ): TypeText {
    this.references.add(name);
    if (!this.options) return primary(identifier);
    const { direction, variants, optional } = this.options;
    const type = variants.get(name) ?? identifier;
    const lifted = owners.length === 0 ? [] : liftedByOwners(node, owners, direction);
    if (lifted.length === 0) return primary(type);
    this.usedOptional = true;
    return primary(`${optional}<${type}, ${lifted.map(quote).join(' | ')}>`);
  }

  private expand(node: SchemaNode, indent: string, owners: readonly SchemaNode[]): TypeText {
    // The schema `false` (`not: {}` beside anything): no value is one.
    if (matchesNothing(node) && !node.nullable) return primary('never');
    const members = [node.allOf, node.oneOf, node.anyOf].filter(
      (list): list is SchemaNode[] => list !== undefined && list.length > 0,
    );
    // `required` beside members, naming what they declare, is a shape of its own too.
    const ownShape =
      Object.keys(node.properties).length > 0 ||
      node.required.length > 0 ||
      constrainsOtherProperties(node);
    const plainObject = (node.types ?? []).every((type) => type === 'object' || type === 'null');
    // `type: object` beside allOf/oneOf/anyOf says no more than its members do.
    const nullable = node.types?.includes('null') === true && members.length > 0;
    // With members, null is added to the whole (A & B) | null, not to the base alone.
    const own = nullable ? { ...node, types: node.types!.filter((type) => type !== 'null') } : node;
    // `type: 'null'` beside members: null alone passes the type, and only where they take it.
    if (nullable && own.types!.length === 0) return primary(admitsNull(node) ? 'null' : 'never');
    const base =
      members.length > 0 && !ownShape && plainObject && !node.enum && !node.const
        ? undefined
        : this.baseType(own, indent, owners, node);
    // `required` alone (no type, no properties of its own) constrains objects only: a string,
    // list or null a member takes passes it. Its shape goes with the members that take
    // objects only, unless an allOf member makes every value an object.
    const requiredOnly =
      base !== undefined &&
      node.types === undefined &&
      node.required.length > 0 &&
      Object.keys(node.properties).length === 0 &&
      !constrainsOtherProperties(node) &&
      !node.enum &&
      !node.const &&
      !(node.allOf ?? []).some(takesObjectsOnly);
    const parts: TypeText[] = base && !requiredOnly ? [base] : [];
    const withRequired = (member: SchemaNode, type: TypeText) =>
      requiredOnly && takesObjectsOnly(member) ? intersection([base!, type]) : type;
    // In a schema of objects, a member that only lists required names (`anyOf: [{ required:
    // [email] }, { required: [phone] }]`) requires them of each object; alone it would be
    // `unknown`, as it lets any other value through.
    const objectsOnly =
      own.types !== undefined && own.types.length > 0 && own.types.every((t) => t === 'object');
    const memberType = (member: SchemaNode, memberOwners: readonly SchemaNode[]) =>
      objectsOnly && listsRequiredOnly(member)
        ? this.requiredNamesType(member, memberOwners)
        : this.typeIn(member, indent, undefined, memberOwners);
    // allOf members are checked against the same value with this schema in view; oneOf and
    // anyOf members with this schema's owners only.
    const memberOwners = this.options && node.allOf ? [...owners, node] : owners;
    for (const member of node.allOf ?? []) {
      // The parent may be written as the wrapper of a reference (`{ $ref, description }`).
      const parent = wrappedSchema(member);
      const extending = extendsItsParent(node, parent);
      parts.push(
        extending
          ? this.typeIn(ownKeywords(parent, node), indent, undefined, memberOwners)
          : memberType(member, memberOwners),
      );
      // The parent's discriminator, checked on the variant's values, takes those that select it.
      const selected = extending ? selectedBy(parent, declaredVariant(node)) : undefined;
      if (selected) parts.push(selected);
    }
    for (const list of [node.oneOf, node.anyOf]) {
      if (list && list.length > 0)
        parts.push(
          union(
            list.map((member) => {
              const type = withRequired(member, memberType(member, owners));
              // A member that extends this schema narrows the property itself (above).
              const selected =
                node.discriminator && !allOfClosure(wrappedSchema(member)).has(node)
                  ? selectedBy(node, member)
                  : undefined;
              return selected ? intersection([type, selected]) : type;
            }),
          ),
        );
    }
    // A parent its variants extend (no oneOf/anyOf to narrow): a value naming no schema is refused.
    if (parts.length > 0 && !node.oneOf?.length && !node.anyOf?.length) {
      const selected = selectedBy(node);
      if (selected) parts.push(selected);
    }
    const type = parts.length === 0 ? primary('unknown') : intersection(parts);
    // `nullable` on a schema without `type` allows null whatever the members say; `type` with
    // null (3.1's `[object, 'null']`, or 3.0's `nullable` beside `type`) only where the members
    // allow it too, as validation checks them against the same null.
    return (nullable && admitsNull(node)) || node.nullable ? union([type, primary('null')]) : type;
  }

  /**
   * The type of a member that only lists required names, in a schema of objects: an object
   * that holds them (of any value: the schema's properties type them), but those its direction
   * lifts, as validation lifts them with the member's `owners` in view.
   */
  private requiredNamesType(member: SchemaNode, owners: readonly SchemaNode[]): TypeText {
    const direction = this.options?.direction;
    const names = [...new Set(member.required)].filter(
      (name) => !(direction && liftedHere(member, name, owners, direction)),
    );
    if (names.length === 0) return primary('unknown');
    return primary(`{ ${names.map((name) => `${propertyKey(name)}: unknown`).join('; ')} }`);
  }

  // `schema`: the node as the spec has it (`node` may be a copy of it without `null`).
  private baseType(
    node: SchemaNode,
    indent: string,
    owners: readonly SchemaNode[],
    schema: SchemaNode,
  ): TypeText | undefined {
    const form = integerForm(node);
    if (node.const) {
      if (!takenByFormat(node.const.value, node.format)) return primary('never');
      const found = literal(node.const.value, form, [node]);
      if (found) return found;
    }
    if (node.enum && node.enum.length > 0) {
      const values = node.enum
        .filter((value) => ofTypes(value, node.types) && takenByFormat(value, node.format))
        .map((value) => literal(value, form, [node]));
      // The enum decides, as in validation: core adds null to it for `nullable` (3.0) and
      // `x-nullable` (2.0); in 3.1, `type: [T, 'null']` beside an enum without null allows none.
      if (values.every((value) => value !== undefined))
        return union((values as TypeText[]).filter((value) => value.text !== 'never'));
    }
    if (node.types)
      return union(node.types.map((type) => this.typeOfType(type, node, indent, owners, schema)));
    const hasShape = Object.keys(node.properties).length > 0 || constrainsOtherProperties(node);
    if (hasShape) return this.objectType(node, indent, owners, schema);
    // `required` beside allOf/oneOf/anyOf members that declare those properties.
    const members = node.allOf ?? node.oneOf ?? node.anyOf;
    if (node.required.length > 0 && members && members.length > 0)
      return this.objectType(node, indent, owners, schema);
    if (node.items || node.prefixItems) return this.arrayType(node, indent);
    const combined =
      (node.allOf?.length ?? 0) + (node.oneOf?.length ?? 0) + (node.anyOf?.length ?? 0);
    return combined > 0 ? undefined : primary('unknown');
  }

  private typeOfType(
    type: SchemaType,
    node: SchemaNode,
    indent: string,
    owners: readonly SchemaNode[] = [],
    schema: SchemaNode = node,
  ): TypeText {
    switch (type) {
      case 'string':
        return primary(node.format === 'binary' ? 'Uint8Array' : 'string');
      case 'integer':
      case 'number':
        return node.format === 'int64'
          ? { text: 'number | bigint', binding: 'union' }
          : primary('number');
      case 'boolean':
        return primary('boolean');
      case 'null':
        return primary('null');
      case 'object':
        return this.objectType(node, indent, owners, schema);
      case 'array':
        return this.arrayType(node, indent);
    }
  }

  /**
   * An array, or with `prefixItems` a tuple: `[string, number?, ...boolean[]]`. A position is
   * required where `minItems` covers it, so the required ones come first, as TypeScript wants.
   */
  private arrayType(node: SchemaNode, indent: string): TypeText {
    const others = otherItems(node);
    // A position whose schema is `false` holds no item: the list ends before it.
    const ending = (node.prefixItems ?? []).findIndex(matchesNothing);
    if (ending !== -1 && ending < (node.minItems ?? 0)) return primary('never');
    const rest =
      ending !== -1
        ? undefined
        : others === undefined
          ? primary('unknown')
          : others === false || matchesNothing(others)
            ? undefined
            : this.typeOf(others, indent);
    const prefix = ending === -1 ? (node.prefixItems ?? []) : node.prefixItems!.slice(0, ending);
    if (prefix.length === 0 && rest) return primary(arrayOf(rest));
    const elements = prefix.map((member, index) => {
      const type = this.typeOf(member, indent);
      if (index < (node.minItems ?? 0)) return type.text;
      return type.binding === 'primary' ? `${type.text}?` : `(${type.text})?`;
    });
    if (rest) elements.push(`...${arrayOf(rest)}`);
    return primary(`[${elements.join(', ')}]`);
  }

  private objectType(
    node: SchemaNode,
    indent: string,
    owners: readonly SchemaNode[],
    schema: SchemaNode,
  ): TypeText {
    const direction = this.options?.direction;
    const names = Object.keys(node.properties);
    const isRequired = (name: string) =>
      node.required.includes(name) && !(direction && liftedHere(schema, name, owners, direction));
    // Validation requires these too, though no schema of the node describes them.
    const undeclared = node.required.filter(
      (name, index) =>
        !Object.hasOwn(node.properties, name) &&
        node.required.indexOf(name) === index &&
        isRequired(name),
    );
    const inner = `${indent}  `;
    if (names.length === 0 && undeclared.length === 0) {
      // Patterns that are literal prefixes alone: their signatures, so that a misspelt name
      // is an excess property here too, as validation refuses it.
      const prefixedOnly = this.prefixSignatures(node, inner, names, [], isRequired);
      if (prefixedOnly) return primary(`{\n${prefixedOnly.lines.join('\n')}\n${indent}}`);
      return primary(mapType(this.undeclaredPropertyType(node, indent)));
    }
    const types = names.map((name) => {
      const inherited = isRequired(name) ? '' : inheritedMember(name);
      // A property whose schema is `false` takes no value: it may only be left out.
      const property = node.properties[name]!;
      const text = matchesNothing(property) ? 'never' : this.typeOf(property, inner).text;
      return `${text}${inherited}`;
    });
    const lines = names.map(
      (name, index) =>
        `${inner}${propertyKey(name)}${isRequired(name) ? '' : '?'}: ${types[index]};`,
    );
    const prefixed = this.prefixSignatures(node, inner, names, types, isRequired);
    if (prefixed) {
      for (const name of undeclared)
        lines.push(`${inner}${propertyKey(name)}: ${prefixed.typeOf(name)};`);
      lines.push(...prefixed.lines);
      return primary(`{\n${lines.join('\n')}\n${indent}}`);
    }
    const others = this.otherPropertiesType(node, inner, names, types, isRequired);
    for (const name of undeclared)
      lines.push(`${inner}${propertyKey(name)}: ${others ?? 'unknown'};`);
    // A `required` beside members that declare the properties adds no signature of its own:
    // the members say what else a value holds (a misspelt name stays an excess property).
    const requiredOnly =
      names.length === 0 &&
      !constrainsOtherProperties(node) &&
      (node.allOf !== undefined || node.anyOf !== undefined || node.oneOf !== undefined);
    if (others !== undefined && !requiredOnly) lines.push(`${inner}[property: string]: ${others};`);
    return primary(`{\n${lines.join('\n')}\n${indent}}`);
  }

  /**
   * Under `additionalProperties: false`, patterned properties whose patterns are all a
   * literal prefix (`^x-`, as real specs write them): an index signature a prefix
   * (`` [property: `x-${string}`]: T ``), so that a misspelt name stays an excess property
   * and `keyof` the names, where `[property: string]` would admit any name. Undefined for
   * other patterns. Named properties under a prefix add their types to its signature's.
   */
  private prefixSignatures(
    node: SchemaNode,
    indent: string,
    names: readonly string[],
    types: readonly string[],
    isRequired: (name: string) => boolean,
  ): { readonly lines: string[]; readonly typeOf: (name: string) => string } | undefined {
    const patterns = node.patternProperties;
    if (extraProperties(node) !== false || !patterns || patterns.length === 0) return undefined;
    const prefixes = patterns.map((pattern) => literalPrefix(pattern.pattern));
    if (!prefixes.every((prefix) => prefix !== undefined)) return undefined;
    const patternTypes = patterns.map((pattern) => this.typeOf(pattern.node, indent));
    const lines = prefixes.map((prefix, index) => {
      const members = [patternTypes[index]!];
      names.forEach((name, at) => {
        if (!name.startsWith(prefix)) return;
        members.push({ text: types[at]!, binding: 'union' });
        if (!isRequired(name)) members.push(primary('undefined'));
      });
      return `${indent}[property: \`${prefix}\${string}\`]: ${union(members).text};`;
    });
    // A name the schema requires but does not declare: what its patterns admit.
    const typeOf = (name: string) => {
      const matching = patternTypes.filter((_, index) => name.startsWith(prefixes[index]!));
      return matching.length === 0 ? 'never' : intersection(matching).text;
    };
    return { lines, typeOf };
  }

  /**
   * The index signature's type of an object with properties of its own, undefined for none.
   * Its named properties must agree with it, as TypeScript wants: where other properties are
   * allowed at all, `unknown`; under `additionalProperties: false`, the patterned properties'
   * types and the named ones' (with `undefined` for an optional one, where
   * `exactOptionalPropertyTypes` is off), so that what a pattern admits is not an excess
   * property.
   */
  private otherPropertiesType(
    node: SchemaNode,
    indent: string,
    names: readonly string[],
    types: readonly string[],
    isRequired: (name: string) => boolean,
  ): string | undefined {
    const extra = extraProperties(node);
    if (names.length === 0) return this.undeclaredPropertyType(node, indent);
    if (extra) {
      // Beside properties of other schemas (allOf, anyOf, oneOf members, which core lets
      // through), a narrower signature would make theirs `never`.
      if (node.allOf || node.anyOf || node.oneOf) return 'unknown';
      // What the other names take, and the named ones' types, as a signature must admit them.
      return union([
        this.typeOf(extra, indent),
        ...(node.patternProperties ?? []).map((pattern) => this.typeOf(pattern.node, indent)),
        ...types.map((text) => ({ text, binding: 'union' as const })),
        ...(names.every(isRequired) ? [] : [primary('undefined')]),
      ]).text;
    }
    if (extra !== false || !node.patternProperties || node.patternProperties.length === 0)
      return undefined;
    const members = [
      ...node.patternProperties.map((pattern) => this.typeOf(pattern.node, indent)),
      ...types.map((text) => ({ text, binding: 'union' as const })),
      ...(names.every(isRequired) ? [] : [primary('undefined')]),
    ];
    return union(members).text;
  }

  /**
   * The type of the values of the properties a node without properties of its own does not
   * name, as core checks them: against `additionalProperties`, but those a pattern matches
   * against the pattern's schema only.
   */
  private undeclaredPropertyType(node: SchemaNode, indent: string): string {
    const extra = extraProperties(node);
    if (extra === undefined || !constrainsOtherProperties(node)) return 'unknown';
    const patterned = (node.patternProperties ?? []).map((pattern) =>
      this.typeOf(pattern.node, indent),
    );
    return union(extra === false ? patterned : [this.typeOf(extra, indent), ...patterned]).text;
  }
}

// Values of built-in types only: `Record<string, …>` reads best. A type alias may not refer to
// itself through `Record` (TS2456), so a map of a named type (`Tree`: a map of trees) is written
// with an index signature, which may.
const builtinValues =
  /^(?:string|number|bigint|boolean|unknown|never|null|Uint8Array)(?: \| (?:string|number|bigint|boolean|unknown|never|null|Uint8Array))*$/;

function mapType(values: string): string {
  return builtinValues.test(values) ? `Record<string, ${values}>` : `{ [name: string]: ${values} }`;
}

// Whether `member`, an allOf member of `variant`, is a parent that dispatches to it: validation
// checks only the parent's own keywords there (it does not dispatch again), and its type with
// the dispatch would refer to the variant's own (a circular alias). A parent written inline
// stands for the variants below it too: a grandparent (Animal → Pet → Cat) dispatching to Pet
// or to Cat is inlined in Cat's type as well.
function extendsItsParent(variant: SchemaNode, member: SchemaNode): boolean {
  const targets = dispatchTargets(member);
  if (targets === undefined) return false;
  return (
    targets.has(variant) || (inlinedFor.get(variant) ?? []).some((below) => targets.has(below))
  );
}

// What a parent with a discriminator dispatches to: its mapping's schemas, its default, its
// oneOf and anyOf members. Gathered once a parent: a parent of thousands of variants (Microsoft
// Graph's `entity`) is asked once for each of them.
const dispatchTargetsOf = new WeakMap<SchemaNode, ReadonlySet<SchemaNode>>();

function dispatchTargets(parent: SchemaNode): ReadonlySet<SchemaNode> | undefined {
  const discriminator = parent.discriminator;
  if (!discriminator) return undefined;
  let targets = dispatchTargetsOf.get(parent);
  if (targets === undefined) {
    targets = new Set([
      ...Object.values(discriminator.mapping),
      ...(discriminator.defaultMapping ? [discriminator.defaultMapping] : []),
      ...(parent.oneOf ?? []),
      ...(parent.anyOf ?? []),
    ]);
    dispatchTargetsOf.set(parent, targets);
  }
  return targets;
}

// The schemas a parent written inline stands in for: itself and the variants below it.
const inlinedFor = new WeakMap<SchemaNode, readonly SchemaNode[]>();

// A parent schema without its dispatch, written inline in `variant`'s type (its name refers
// to the whole).
function ownKeywords(parent: SchemaNode, variant: SchemaNode): SchemaNode {
  const {
    name: _name,
    oneOf: _oneOf,
    anyOf: _anyOf,
    discriminator: _discriminator,
    ...own
  } = parent;
  inlinedFor.set(own, [parent, variant, ...(inlinedFor.get(variant) ?? [])]);
  return own;
}

// The schema a variant's type is declared for: an inlined parent stands for the variant below it.
function declaredVariant(node: SchemaNode): SchemaNode {
  return inlinedFor.get(node)?.at(-1) ?? node;
}

// The schemas a node extends through allOf (a `{ $ref }` wrapper too), itself among them.
const closures = new WeakMap<SchemaNode, ReadonlySet<SchemaNode>>();
function allOfClosure(node: SchemaNode): ReadonlySet<SchemaNode> {
  const known = closures.get(node);
  if (known) return known;
  const found = new Set<SchemaNode>();
  const visit = (current: SchemaNode, depth: number) => {
    if (found.has(current)) return;
    found.add(current);
    if (depth < maxAllOfDepth) for (const part of current.allOf ?? []) visit(part, depth + 1);
  };
  visit(node, 0);
  closures.set(node, found);
  return found;
}

/**
 * The discriminator property of `owner` narrowed to the values that select `variant` there, as
 * validation takes them (`{ kind?: 'cat' | 'kitty' }`): the mapping's values (explicit, a
 * schema's name, its `x-ms-discriminator-value`) whose schema is the variant, one that extends
 * it (a value naming a `Lion` is a `Cat`), or one it extends (the parent itself, which does not
 * dispatch again). Optional, as the property's own schema says whether it is required; `null`
 * where the owner's and the variant's schemas of it allow it, as a `null` selects no variant.
 * Undefined where no value is known to select the variant, or where `defaultMapping` takes
 * every other value to it: the property's own type then stands. Without `variant`, the values
 * that select any schema: those the owner itself takes.
 */
function selectedBy(owner: SchemaNode, variant?: SchemaNode): TypeText | undefined {
  const discriminator = owner.discriminator;
  if (!discriminator) return undefined;
  const lineage = variant && allOfClosure(variant);
  const selects = (target: SchemaNode) =>
    !variant || lineage!.has(target) || allOfClosure(target).has(variant);
  if (discriminator.defaultMapping && selects(discriminator.defaultMapping)) return undefined;
  const values = (variant ? valuesSelecting(owner, variant) : Object.keys(discriminator.mapping))
    .slice()
    .sort(compareText);
  if (values.length === 0) return undefined;
  const name = discriminator.propertyName;
  const types = values.map(quote);
  // A property that refuses null, in the owner or the variant, takes none here either.
  const takesNull = [owner, ...(variant ? [variant] : [])].every((schema) => {
    const property = propertySchema(schema, name);
    return property === undefined || admitsNull(property);
  });
  if (takesNull) types.push('null');
  return primary(`{ ${propertyKey(name)}?: ${types.join(' | ')}${inheritedMember(name)} }`);
}

/**
 * The values of `owner`'s mapping that select `variant` (see `selectedBy`): those of a schema
 * the variant is or extends, and those of a schema that extends the variant. Found through an
 * index of the mapping made once an owner: a parent of thousands of variants (Microsoft
 * Graph's `entity`) is asked once for each of them, and reading its whole mapping each time
 * made generating their types quadratic.
 */
function valuesSelecting(owner: SchemaNode, variant: SchemaNode): readonly string[] {
  const { valuesOf, mappedBelow } = mappingIndex(owner);
  const targets = new Set<SchemaNode>(mappedBelow.get(variant));
  for (const above of allOfClosure(variant)) if (valuesOf.has(above)) targets.add(above);
  return [...targets].flatMap((target) => valuesOf.get(target)!);
}

interface MappingIndex {
  /** The values that select each schema of the mapping. */
  valuesOf: Map<SchemaNode, string[]>;
  /** For each schema, the schemas of the mapping that are or extend it. */
  mappedBelow: Map<SchemaNode, SchemaNode[]>;
}

const mappingIndexes = new WeakMap<SchemaNode, MappingIndex>();

function mappingIndex(owner: SchemaNode): MappingIndex {
  let index = mappingIndexes.get(owner);
  if (index !== undefined) return index;
  index = { valuesOf: new Map(), mappedBelow: new Map() };
  for (const [value, target] of Object.entries(owner.discriminator?.mapping ?? {})) {
    const values = index.valuesOf.get(target);
    if (values) values.push(value);
    else index.valuesOf.set(target, [value]);
  }
  for (const target of index.valuesOf.keys())
    for (const above of allOfClosure(target)) {
      const below = index.mappedBelow.get(above);
      if (below) below.push(target);
      else index.mappedBelow.set(above, [target]);
    }
  mappingIndexes.set(owner, index);
  return index;
}

// An unnamed schema with no keyword but a non-empty `required` (`{ required: [email] }`).
function listsRequiredOnly(member: SchemaNode): boolean {
  return (
    member.name === undefined &&
    member.required.length > 0 &&
    matchesAnything({ ...member, required: [] })
  );
}

// A schema whose values are objects only (`type: object`, through a `{ allOf: [$ref] }` wrapper).
function takesObjectsOnly(member: SchemaNode): boolean {
  const types = wrappedSchema(member).types;
  return types !== undefined && types.length > 0 && types.every((type) => type === 'object');
}
