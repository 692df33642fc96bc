import type { SchemaNode } from '../schema/schema-node.js';

/** The scalar type of a key attribute. */
export type KeyType = 'string' | 'number' | 'binary';

/** A key attribute: its name and scalar type. */
export interface KeyAttribute {
  /** Attribute (property) name. */
  readonly name: string;
  /** Scalar type, from the property's schema. */
  readonly type: KeyType;
}

/** Whether two key attributes (or their absence) are the same name and type. */
export function sameKeyAttribute(
  left: KeyAttribute | undefined,
  right: KeyAttribute | undefined,
): boolean {
  return left?.name === right?.name && left?.type === right?.type;
}

/** A secondary index (DynamoDB: a global secondary index projecting all attributes). */
export interface IndexDescriptor {
  /** Index name. */
  readonly name: string;
  /** The index's partition key. */
  readonly partitionKey: KeyAttribute;
  /** The index's sort key, if any. */
  readonly sortKey?: KeyAttribute;
}

/** A table as the spec describes it, with the physical name (prefix applied). */
export interface TableDescriptor {
  /** Physical table name, with the environment prefix applied. */
  readonly name: string;
  /** The name in the spec, without prefix. */
  readonly specName: string;
  /** The partition key. */
  readonly partitionKey: KeyAttribute;
  /** The sort key, if any. */
  readonly sortKey?: KeyAttribute;
  /** Secondary indexes by name. */
  readonly indexes: readonly IndexDescriptor[];
  /** Attribute holding the expiry time (epoch seconds), if any. */
  readonly ttlAttribute?: string;
  /** Attribute that tells models apart where several share the table. */
  readonly discriminatorAttribute?: string;
}

/** A persistable model: its schema and where and how it is stored. */
export interface ModelDescriptor {
  /** The schema's name in the spec. */
  readonly name: string;
  /** The model's normalised schema. */
  readonly schema: SchemaNode;
  /** Where its items live. */
  readonly table: TableDescriptor;
  /** Optimistic-locking counter property, if any. */
  readonly versionAttribute?: string;
  /** The value written to the table's discriminator attribute for this model. */
  readonly discriminatorValue?: string;
}
