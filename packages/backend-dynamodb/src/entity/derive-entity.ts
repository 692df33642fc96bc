import { type ModelDescriptor, type SchemaNode, UnsupportedOperationError } from '@macaron/core';
import { setOwnProperty, shownName, shownText } from '@macaron/core/backend';
import type { Entity, Table } from 'dynamodb-toolbox';
import type { Toolbox } from './toolbox-modules.js';

type Builders = Toolbox['schema'];
// The toolbox schema builders return precise generic types; derived schemas are dynamic.
type DerivedSchema = ReturnType<Builders['any']>;

/**
 * The dynamodb-toolbox Entity of a model, storing items exactly as Macaron stores them: a
 * schema that mirrors the OpenAPI schema (types, required and optional, enums, nested maps
 * and lists, sets, records, nullable, binary), strict where the spec is closed, without
 * toolbox's `created` and `modified` attributes. Where models share a table, toolbox's entity
 * attribute is the table's discriminator holding the model name, as Macaron writes it: an
 * item put through the entity loads with its model and no other. Where toolbox cannot say
 * exactly what the spec says (oneOf/anyOf/allOf/not, several types, recursion), the
 * attribute is `any()`, which keeps the value as it is.
 *
 * Throws `UnsupportedOperationError` where such an entity would lose data: an open schema, or
 * a property named `__proto__`.
 */
export function deriveEntity(model: ModelDescriptor, table: Table, toolbox: Toolbox): Entity {
  const build = toolbox.schema;
  refuseOpenSchema(model);
  refuseProtoProperty(model);
  const { partitionKey, sortKey, discriminatorAttribute } = model.table;
  const discriminated =
    discriminatorAttribute !== undefined && model.discriminatorValue !== undefined;
  const keys = new Set([partitionKey.name, sortKey?.name]);
  const attributes: Record<string, DerivedSchema> = {};
  for (const [name, node] of Object.entries(model.schema.properties)) {
    // A declared discriminator is toolbox's entity attribute, shown (Macaron keeps it as a property).
    if (discriminated && name === discriminatorAttribute) continue;
    let attribute = keys.has(name)
      ? keyAttribute(build, model, name)
      : attributeOf(build, node, new Set([model.schema]));
    if (!keys.has(name) && !model.schema.required.includes(name))
      attribute = attribute.optional() as DerivedSchema;
    setOwnProperty(attributes, name, attribute);
  }
  const declaredDiscriminator =
    discriminated && Object.hasOwn(model.schema.properties, discriminatorAttribute);
  return new toolbox.Entity({
    // Toolbox writes the entity name into its entity attribute: it must be Macaron's discriminator value.
    name: model.discriminatorValue ?? model.name,
    table,
    schema: (build.item(attributes) as unknown as { strict(): unknown }).strict(),
    entityAttribute: discriminated
      ? { name: discriminatorAttribute, hidden: !declaredDiscriminator }
      : false,
    timestamps: false,
  } as unknown as ConstructorParameters<typeof Entity>[0]);
}

/**
 * Toolbox's item schemas list their attributes: what they do not declare they drop, on put
 * and on read, and `strict` only refuses it on put. A model with an open schema (Macaron's
 * default, which stores undeclared properties) would lose data through such an entity, so
 * it has none.
 */
function refuseOpenSchema(model: ModelDescriptor): void {
  const { schema } = model;
  const composed = isComposed(schema);
  if (isClosed(schema) && !composed) return;
  const why = composed
    ? 'its schema is a combination (allOf, anyOf, oneOf, not, if/then/else, dependentSchemas or patternProperties), whose properties a toolbox item schema cannot list'
    : 'its schema is open (additionalProperties is not false), and a toolbox entity would silently drop the undeclared properties Macaron stores, on put and on read';
  throw new UnsupportedOperationError(
    `backend.entity(${shownName(model.name)}): no dynamodb-toolbox entity, because ${why}. Declare every property and set additionalProperties: false to get an entity; until then, read and write ${shownName(model.name)} with Macaron`,
  );
}

// Properties other than the listed ones are refused: `additionalProperties: false`, or (3.1)
// `unevaluatedProperties: false` where nothing else could evaluate any.
function isClosed(node: SchemaNode): boolean {
  return (
    node.additionalProperties === false ||
    (node.additionalProperties === undefined && node.unevaluatedProperties === false)
  );
}

// Properties come from elsewhere than `properties`: members, conditions (3.1) or patterns.
function isComposed(node: SchemaNode): boolean {
  return Boolean(
    node.allOf ??
      node.anyOf ??
      node.oneOf ??
      node.not ??
      node.conditional ??
      node.dependentSchemas ??
      node.patternProperties,
  );
}

/**
 * Toolbox's parser and formatter, and the DocumentClient's unmarshalling, set attributes by
 * assignment: a `__proto__` attribute is silently lost on put and on read (the other names
 * of Object.prototype are carried). Macaron keeps it, so the model gets no entity.
 */
function refuseProtoProperty(model: ModelDescriptor): void {
  const pointer = protoPropertyPointer(model.schema, '', new Set());
  if (pointer === undefined) return;
  throw new UnsupportedOperationError(
    `backend.entity(${shownName(model.name)}): no dynamodb-toolbox entity, because its schema has a property named __proto__ (${shownText(pointer)}), which dynamodb-toolbox and the DocumentClient drop silently. Read and write ${shownName(model.name)} with Macaron, which keeps it`,
  );
}

function protoPropertyPointer(
  node: SchemaNode,
  pointer: string,
  seen: Set<SchemaNode>,
): string | undefined {
  if (seen.has(node)) return undefined;
  seen.add(node);
  for (const name of Object.keys(node.properties)) {
    const at = `${pointer}/properties/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (name === '__proto__') return at;
    const found = protoPropertyPointer(node.properties[name]!, at, seen);
    if (found) return found;
  }
  if (node.items) return protoPropertyPointer(node.items, `${pointer}/items`, seen);
  if (node.additionalProperties)
    return protoPropertyPointer(node.additionalProperties, `${pointer}/additionalProperties`, seen);
  return undefined;
}

function keyAttribute(build: Builders, model: ModelDescriptor, name: string): DerivedSchema {
  const attribute = [model.table.partitionKey, model.table.sortKey].find(
    (key) => key?.name === name,
  )!;
  const base =
    attribute.type === 'string'
      ? build.string()
      : attribute.type === 'number'
        ? build.number().big()
        : build.binary();
  return base.key() as unknown as DerivedSchema;
}

function attributeOf(build: Builders, node: SchemaNode, seen: Set<SchemaNode>): DerivedSchema {
  if (seen.has(node) || node.allOf || node.anyOf || node.oneOf || node.not || node.const)
    return build.any();
  const types = node.types?.filter((type) => type !== 'null');
  const nullable = node.types?.includes('null') === true;
  if (types?.length !== 1) return build.any();
  const inner = new Set(seen).add(node);
  const variants: DerivedSchema[] = [];
  switch (types[0]) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      variants.push(scalarAttribute(build, node, types[0]));
      break;
    case 'array': {
      const element = node.items ? required(attributeOf(build, node.items, inner)) : build.any();
      variants.push(build.list(element) as unknown as DerivedSchema);
      // Macaron reads a DynamoDB set (SS, NS, BS, as other clients write them) as a `Set`
      // where the spec says array, and writes it back as a set: the entity carries both.
      const setElement = node.items && setMemberAttribute(build, node.items);
      if (setElement) variants.push(build.set(setElement as never) as unknown as DerivedSchema);
      break;
    }
    case 'object':
      variants.push(objectAttribute(build, node, inner));
      break;
    default:
      return build.any();
  }
  if (nullable) variants.push(build.nul() as unknown as DerivedSchema);
  return variants.length === 1
    ? variants[0]!
    : (build.anyOf(...(variants as [never, ...never[]])) as unknown as DerivedSchema);
}

function scalarAttribute(build: Builders, node: SchemaNode, type: string): DerivedSchema {
  if (type === 'boolean') return build.boolean() as unknown as DerivedSchema;
  // Numbers are exact: integers beyond 2^53 are bigints, as Macaron reads and writes them.
  if (type === 'integer' || type === 'number')
    return build.number().big() as unknown as DerivedSchema;
  if (node.format === 'binary') return build.binary() as unknown as DerivedSchema;
  const values = node.enum?.filter((value): value is string => typeof value === 'string');
  return (values && values.length > 0
    ? build.string().enum(...values)
    : build.string()) as unknown as DerivedSchema;
}

// DynamoDB sets hold strings, numbers or bytes: an array of one of those may be stored as one.
function setMemberAttribute(build: Builders, items: SchemaNode): DerivedSchema | undefined {
  if (items.allOf || items.anyOf || items.oneOf || items.not || items.const) return undefined;
  const type = items.types?.length === 1 ? items.types[0] : undefined;
  return type === 'string' || type === 'integer' || type === 'number'
    ? scalarAttribute(build, items, type)
    : undefined;
}

// A closed object is a strict map; an open one with only extra properties is a record; anything else any().
function objectAttribute(build: Builders, node: SchemaNode, seen: Set<SchemaNode>): DerivedSchema {
  const names = Object.keys(node.properties);
  if (names.length > 0 && isClosed(node) && !isComposed(node)) {
    const attributes: Record<string, DerivedSchema> = {};
    for (const name of names) {
      const attribute = attributeOf(build, node.properties[name]!, seen);
      setOwnProperty(
        attributes,
        name,
        node.required.includes(name) ? attribute : (attribute.optional() as DerivedSchema),
      );
    }
    return (build.map(attributes) as unknown as { strict(): DerivedSchema }).strict();
  }
  if (names.length === 0 && node.additionalProperties && !isComposed(node)) {
    return build.record(
      build.string(),
      required(attributeOf(build, node.additionalProperties, seen)),
    ) as unknown as DerivedSchema;
  }
  return build.any();
}

// Derived attributes are built required unless made optional, which list elements,
// records and union members need; the cast only narrows toolbox's static type to say so.
function required(attribute: DerivedSchema): never {
  return attribute as never;
}
