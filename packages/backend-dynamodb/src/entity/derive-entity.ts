import type { ModelDescriptor, SchemaNode, TableDescriptor } from '@macaron/core';
import { setOwnProperty } from '@macaron/core/backend';
// Subpath imports: the package root pulls in every toolbox action (about 600 modules) at start-up.
import { Entity } from 'dynamodb-toolbox/entity';
import {
  any,
  anyOf,
  binary,
  boolean,
  item,
  list,
  map,
  nul,
  number,
  record,
  string,
} from 'dynamodb-toolbox/schema';
import { Table } from 'dynamodb-toolbox/table';

// The toolbox schema builders return precise generic types; derived schemas are dynamic.
type DerivedSchema = ReturnType<typeof any>;

const toolboxKeyType = { string: 'string', number: 'number', binary: 'binary' } as const;

/** The dynamodb-toolbox Table of a table descriptor: keys and global secondary indexes. */
export function deriveTable(descriptor: TableDescriptor): Table {
  const indexes = Object.fromEntries(
    descriptor.indexes.map((index) => [
      index.name,
      {
        type: 'global' as const,
        partitionKey: {
          name: index.partitionKey.name,
          type: toolboxKeyType[index.partitionKey.type],
        },
        ...(index.sortKey
          ? { sortKey: { name: index.sortKey.name, type: toolboxKeyType[index.sortKey.type] } }
          : {}),
      },
    ]),
  );
  return new Table({
    name: descriptor.name,
    partitionKey: {
      name: descriptor.partitionKey.name,
      type: toolboxKeyType[descriptor.partitionKey.type],
    },
    ...(descriptor.sortKey
      ? {
          sortKey: { name: descriptor.sortKey.name, type: toolboxKeyType[descriptor.sortKey.type] },
        }
      : {}),
    indexes,
  } as ConstructorParameters<typeof Table>[0]);
}

/**
 * The dynamodb-toolbox Entity of a model: a schema that mirrors the OpenAPI schema (types,
 * required and optional, enums, nested maps and lists, records, nullable, binary), with
 * toolbox's own `entity`, `created` and `modified` attributes off so stored items are
 * exactly the object's properties. Where toolbox cannot say exactly what the spec says
 * (oneOf/anyOf/allOf/not, several types, recursion), the attribute is `any()`: core has
 * validated the value against the spec already.
 */
export function deriveEntity(model: ModelDescriptor, table: Table): Entity {
  const { partitionKey, sortKey, discriminatorAttribute } = model.table;
  const keys = new Set([partitionKey.name, sortKey?.name]);
  const attributes: Record<string, DerivedSchema> = {};
  for (const [name, node] of Object.entries(model.schema.properties)) {
    let attribute = keys.has(name)
      ? keyAttribute(model, name)
      : attributeOf(node, new Set([model.schema]));
    if (!keys.has(name) && !model.schema.required.includes(name))
      attribute = attribute.optional() as DerivedSchema;
    setOwnProperty(attributes, name, attribute);
  }
  if (discriminatorAttribute && !Object.hasOwn(attributes, discriminatorAttribute)) {
    setOwnProperty(attributes, discriminatorAttribute, string().optional());
  }
  return new Entity({
    name: model.name,
    table,
    schema: item(attributes),
    entityAttribute: false,
    timestamps: false,
  } as unknown as ConstructorParameters<typeof Entity>[0]);
}

function keyAttribute(model: ModelDescriptor, name: string): DerivedSchema {
  const attribute = [model.table.partitionKey, model.table.sortKey].find(
    (key) => key?.name === name,
  )!;
  const base =
    attribute.type === 'string'
      ? string()
      : attribute.type === 'number'
        ? number().big()
        : binary();
  return base.key() as unknown as DerivedSchema;
}

function attributeOf(node: SchemaNode, seen: Set<SchemaNode>): DerivedSchema {
  if (seen.has(node) || node.allOf || node.anyOf || node.oneOf || node.not || node.const)
    return any();
  const types = node.types?.filter((type) => type !== 'null');
  const nullable = node.types?.includes('null') === true;
  if (types?.length !== 1) return any();
  const inner = new Set(seen).add(node);
  let attribute: DerivedSchema;
  switch (types[0]) {
    case 'string':
      if (node.format === 'binary') attribute = binary() as unknown as DerivedSchema;
      else {
        const values = node.enum?.filter((value): value is string => typeof value === 'string');
        attribute = (values && values.length > 0
          ? string().enum(...values)
          : string()) as unknown as DerivedSchema;
      }
      break;
    case 'integer':
    case 'number':
      attribute = number().big() as unknown as DerivedSchema;
      break;
    case 'boolean':
      attribute = boolean() as unknown as DerivedSchema;
      break;
    case 'array':
      attribute = list(
        node.items ? required(attributeOf(node.items, inner)) : any(),
      ) as unknown as DerivedSchema;
      break;
    case 'object':
      attribute = objectAttribute(node, inner);
      break;
    default:
      attribute = any();
  }
  return nullable ? (anyOf(required(attribute), nul()) as unknown as DerivedSchema) : attribute;
}

// A closed object is a map; an open one with only extra properties is a record; anything else any().
function objectAttribute(node: SchemaNode, seen: Set<SchemaNode>): DerivedSchema {
  const names = Object.keys(node.properties);
  if (names.length > 0 && node.additionalProperties === false) {
    const attributes: Record<string, DerivedSchema> = {};
    for (const name of names) {
      const attribute = attributeOf(node.properties[name]!, seen);
      setOwnProperty(
        attributes,
        name,
        node.required.includes(name) ? attribute : (attribute.optional() as DerivedSchema),
      );
    }
    return map(attributes) as unknown as DerivedSchema;
  }
  if (names.length === 0 && node.additionalProperties) {
    return record(
      string(),
      required(attributeOf(node.additionalProperties, seen)),
    ) as unknown as DerivedSchema;
  }
  return any();
}

// Derived attributes are built required unless made optional, which list elements,
// records and union members need; the cast only narrows toolbox's static type to say so.
function required(attribute: DerivedSchema): never {
  return attribute as never;
}
