import { quotedName, shownJson, shownName } from '../errors/shown-name.js';
import { SpecError, type SpecProblem } from '../errors/spec-error.js';
import { allOfParts } from '../schema/all-of-parts.js';
import { propertySchema } from '../schema/copy-value.js';
import { allowsAnyExtra } from '../schema/evaluation-plan.js';
import { appendPointer } from '../schema/json-pointer.js';
import { allowsNull, isRequired, primaryType, type SchemaNode } from '../schema/schema-node.js';
import { wrappedSchema } from '../schema/wrapped-schema.js';
import { mappedDiscriminator } from './mapped-discriminator.js';
import type { IndexAnnotation, PersistAnnotation } from './persist-annotation.js';
import {
  type IndexDescriptor,
  type KeyAttribute,
  type KeyType,
  type ModelDescriptor,
  sameKeyAttribute,
  type TableDescriptor,
} from './table-descriptor.js';

/**
 * Turns `x-persist` annotations into table and model descriptors, checking each against
 * its schema and checking that models sharing a table agree on it.
 */
export class PersistRegistry {
  private readonly tables = new Map<string, TableDescriptor>();
  private readonly tableOwners = new Map<string, string>();
  private readonly models = new Map<string, ModelDescriptor>();
  // How each table's list of indexes is replaced, when a model sharing it adds indexes.
  private readonly tableIndexes = new Map<
    TableDescriptor,
    (indexes: readonly IndexDescriptor[]) => void
  >();

  constructor(
    private readonly tablePrefix: string,
    private readonly options: {
      optionalKeys?: boolean;
      /**
       * The schema a named schema is nothing but a `$ref` to (`Cat: { $ref: cat.yaml }`, which
       * bundling makes an alias of the file's component): a discriminator that selects that
       * schema selects the alias's model.
       */
      aliasOf?: (schema: SchemaNode) => SchemaNode | undefined;
    } = {},
  ) {}

  /** Every table so far, for provisioning. */
  allTables(): TableDescriptor[] {
    return [...this.tables.values()];
  }

  /** The descriptor of a registered model. */
  model(name: string): ModelDescriptor | undefined {
    return this.models.get(name);
  }

  /** Registers a model; pushes problems (with pointers) instead of registering when invalid. */
  register(
    name: string,
    schema: SchemaNode,
    annotation: PersistAnnotation,
    pointer: string,
    problems: SpecProblem[],
  ): ModelDescriptor | undefined {
    const before = problems.length;
    const problem = (field: string | readonly string[], message: string) =>
      problems.push({
        schema: name,
        pointer: (typeof field === 'string' ? [field] : field).reduce(appendPointer, pointer),
        message,
      });

    // An item is a map: a schema whose values are never objects can store nothing.
    if (schema.types !== undefined && !schema.types.includes('object'))
      problems.push({
        schema: name,
        pointer,
        message: `x-persist needs a schema of objects (items are maps of attributes), but ${shownName(name)} has type ${schema.types.join(', ')}`,
      });
    const mustBeRequired = this.options.optionalKeys !== true;
    const partitionKey = this.keyAttribute(schema, annotation.key, 'key', mustBeRequired, problem);
    const sortKey =
      annotation.sort === undefined
        ? undefined
        : this.keyAttribute(schema, annotation.sort, 'sort', mustBeRequired, problem);
    if (sortKey && annotation.sort === annotation.key) {
      problem('sort', `the sort key cannot be the partition key ${quotedName(annotation.key)}`);
    }
    const indexes: IndexDescriptor[] = [];
    for (const [indexName, index] of Object.entries(annotation.indexes ?? {})) {
      const built = this.index(schema, indexName, index, (field, message) =>
        problem(['indexes', indexName, field], message),
      );
      if (built) indexes.push(built);
    }
    for (const field of ['version', 'ttl'] as const) {
      const property = annotation[field];
      if (property === undefined) continue;
      const node = propertySchema(schema, property);
      const type = node ? primaryType(node) : undefined;
      if (!node) problem(field, `${quotedName(property)} is not a property of ${shownName(name)}`);
      // Every save moves the version: as the table's key it would move the item (create()
      // stored it under version 1, whatever key it was given), as the expiry date it would
      // read as 1970, an item to delete at once.
      else if (field === 'version' && (property === annotation.key || property === annotation.sort))
        problem(
          field,
          `${quotedName(property)} is a key of the table: the version changes at every save, a key cannot`,
        );
      else if (field === 'version' && property === annotation.ttl)
        problem(
          field,
          `${quotedName(property)} is the ttl attribute too: versions 1, 2, 3… would read as expiry dates in 1970`,
        );
      else if (field === 'version' ? type !== 'integer' : type !== 'integer' && type !== 'number') {
        problem(
          field,
          `${quotedName(property)} must be an ${field === 'version' ? 'integer' : 'integer or number'} property`,
        );
      }
    }
    const discriminatorValue =
      annotation.discriminator === undefined
        ? undefined
        : this.discriminatorValue(name, schema, annotation, problem);
    if (`${this.tablePrefix}${annotation.table}`.length > 255)
      problem('table', `with the table prefix, the table name is longer than 255 characters`);
    if (problems.length > before || !partitionKey) return undefined;

    const table: TableDescriptor = {
      name: `${this.tablePrefix}${annotation.table}`,
      specName: annotation.table,
      partitionKey,
      ...(sortKey ? { sortKey } : {}),
      indexes,
      ...(annotation.ttl ? { ttlAttribute: annotation.ttl } : {}),
      ...(annotation.discriminator ? { discriminatorAttribute: annotation.discriminator } : {}),
    };
    const merging = this.mergeTable(name, table, pointer, problems);
    if (!merging) return undefined;
    const { table: merged, indexes: mergedIndexes } = merging;
    if (merged.discriminatorAttribute !== undefined) {
      const attribute = merged.discriminatorAttribute;
      // Another model's index on the shared table may name it too.
      if (mergedIndexes.some((index) => isKeyOf(index, attribute)))
        problem(
          'discriminator',
          `${quotedName(attribute)} is a key of an index of table ${table.specName}`,
        );
      for (const other of this.models.values())
        if (other.table === merged && other.discriminatorValue === discriminatorValue)
          problem(
            'discriminator',
            `${shownName(name)} and ${shownName(other.name)} would both store ${shownJson(discriminatorValue)} in ${quotedName(attribute)}: models sharing a table need distinct values`,
          );
      if (problems.length > before) return undefined;
    }
    // Only once the model is accepted: a refused one leaves the shared table as it was.
    // Mutating in place keeps earlier models' descriptors pointing at the merged table; a new
    // list, and only when one was added, so that caches by it (`perTable`) are made again then.
    if (mergedIndexes !== merged.indexes) this.tableIndexes.get(merged)?.(mergedIndexes);
    // Frozen, as the table is: `Model.descriptor` is the one the model stores by.
    const model: ModelDescriptor = Object.freeze({
      name,
      schema: withRequiredKeys(schema, [annotation.key, annotation.sort]),
      table: merged,
      ...(annotation.version ? { versionAttribute: annotation.version } : {}),
      ...(discriminatorValue !== undefined ? { discriminatorValue } : {}),
    });
    this.models.set(name, model);
    return model;
  }

  /** Registers or throws a `SpecError` listing every problem. */
  registerOrThrow(
    name: string,
    schema: SchemaNode,
    annotation: PersistAnnotation,
    pointer: string,
  ): ModelDescriptor {
    const problems: SpecProblem[] = [];
    const model = this.register(name, schema, annotation, pointer, problems);
    if (!model) throw new SpecError(`Invalid x-persist for ${shownName(name)}`, problems);
    return model;
  }

  private keyAttribute(
    schema: SchemaNode,
    property: string,
    field: string,
    mustBeRequired: boolean,
    problem: (field: string, message: string) => void,
  ): KeyAttribute | undefined {
    const node = propertySchema(schema, property);
    if (!node) {
      problem(field, `${quotedName(property)} is not a property of the schema`);
      return undefined;
    }
    if (mustBeRequired && !isRequired(schema, property))
      problem(field, `key property ${quotedName(property)} must be required`);
    // DynamoDB refuses null for table and index key attributes alike.
    if (keyAllowsNull(node))
      problem(field, `key property ${quotedName(property)} must not be nullable`);
    const type = keyType(node);
    if (!type) problem(field, `key property ${quotedName(property)} must be a string or a number`);
    // allOf members that declare it again with another type, of the model or of the
    // property's own schema (`allOf: [{ $ref: Id }, { type: integer }]`): no value could meet
    // both, and every write of the model would be refused.
    const declarations = declarationsOf(schema, property, 0);
    const others = [
      ...new Set([...declarations.map(keyType), ...declarations.flatMap(memberTypes)]),
    ].filter(
      (other) =>
        other !== undefined && other !== type && !(other === 'string' && type === 'binary'),
    );
    if (type && others.length > 0) {
      problem(
        field,
        `key property ${quotedName(property)} is declared as a ${type} and, in an allOf member, as a ${others.join(' and a ')}`,
      );
      return undefined;
    }
    return type ? { name: property, type } : undefined;
  }

  /**
   * What the model stores in the discriminator attribute: the value an OpenAPI discriminator
   * on it maps to the model (its own, an allOf ancestor's), as its objects hold it, unless
   * that discriminator also selects it by its name; without one, the one string value its schema allows there (`enum: [cat]`,
   * `const: cat`), or its model name when the schema does not declare the attribute, or
   * declares it as any string. The attribute names the model, so it cannot be a key of the
   * table or of an index, nor the version or expiry.
   */
  private discriminatorValue(
    name: string,
    schema: SchemaNode,
    annotation: PersistAnnotation,
    problem: (field: string, message: string) => void,
  ): string | undefined {
    const attribute = annotation.discriminator!;
    const indexKeys = Object.values(annotation.indexes ?? {}).flatMap((index) => [
      index.key,
      index.sort,
    ]);
    if ([annotation.key, annotation.sort, ...indexKeys].includes(attribute)) {
      problem(
        'discriminator',
        `${quotedName(attribute)} is a key attribute: it cannot name the model`,
      );
      return undefined;
    }
    if (attribute === annotation.version || attribute === annotation.ttl) {
      problem('discriminator', `${quotedName(attribute)} is the version or ttl attribute`);
      return undefined;
    }
    const mapped = mappedDiscriminator(schema, attribute, this.options.aliasOf);
    const declared = propertySchema(schema, attribute);
    // Through a wrapper (`allOf: [{ $ref }]` beside a description): its target's values.
    const node = declared && wrappedSchema(declared);
    if (node?.types && !node.types.includes('string')) {
      problem('discriminator', `${quotedName(attribute)} must be a string property`);
      return undefined;
    }
    const allowed = node?.const ? [node.const.value] : node?.enum;
    if (mapped) {
      // A discriminator that also selects the model by its name keeps it, as items saved
      // before under the name (the one value stored until mappings counted) stay the model's.
      const byName = mapped.values.includes(name);
      if (!byName) return this.mappedValue(name, attribute, mapped, allowed, problem);
      if (allowed === undefined || allowed.includes(name)) return name;
    }
    if (allowed === undefined) return name;
    const values = allowed.filter((value) => value !== null);
    if (values.length !== 1 || typeof values[0] !== 'string') {
      problem(
        'discriminator',
        `${quotedName(attribute)} must allow one string value for ${shownName(name)} (enum: [value]), or be left out of the schema`,
      );
      return undefined;
    }
    return values[0];
  }

  // The one value OpenAPI discriminators map to the model: objects hold it, so it is stored.
  private mappedValue(
    name: string,
    attribute: string,
    mapped: { values: readonly string[]; others: readonly string[] },
    allowed: readonly unknown[] | undefined,
    problem: (field: string, message: string) => void,
  ): string | undefined {
    const list = (values: readonly string[]) => values.map(quotedName).join(', ');
    if (mapped.values.length === 0) {
      problem(
        'discriminator',
        `${quotedName(attribute)} is an OpenAPI discriminator whose mapping gives ${shownName(name)} no value (${list(mapped.others)} name other schemas): map one value to ${shownName(name)}, or store it on another attribute`,
      );
      return undefined;
    }
    if (mapped.values.length > 1) {
      problem(
        'discriminator',
        `${quotedName(attribute)} is an OpenAPI discriminator whose mapping gives ${shownName(name)} several values (${list(mapped.values)}): a model stores one, so map one value to ${shownName(name)}`,
      );
      return undefined;
    }
    const value = mapped.values[0]!;
    if (allowed !== undefined && !allowed.includes(value)) {
      problem(
        'discriminator',
        `${quotedName(attribute)} is an OpenAPI discriminator mapping ${shownJson(value)} to ${shownName(name)}, but ${shownName(name)}'s schema does not allow that value there`,
      );
      return undefined;
    }
    return value;
  }

  private index(
    schema: SchemaNode,
    name: string,
    index: IndexAnnotation,
    problem: (field: string, message: string) => void,
  ): IndexDescriptor | undefined {
    const partitionKey = this.keyAttribute(schema, index.key, 'key', false, problem);
    const sortKey =
      index.sort === undefined
        ? undefined
        : this.keyAttribute(schema, index.sort, 'sort', false, problem);
    // DynamoDB refuses an index whose key schema names one attribute twice, as for a table.
    if (sortKey && index.sort === index.key) {
      problem('sort', `the sort key cannot be the partition key ${quotedName(index.key)}`);
      return undefined;
    }
    if (!partitionKey || (index.sort !== undefined && !sortKey)) return undefined;
    return { name, partitionKey, ...(sortKey ? { sortKey } : {}) };
  }

  // Models that share a table must agree on its keys; indexes are merged by name.
  private mergeTable(
    model: string,
    table: TableDescriptor,
    pointer: string,
    problems: SpecProblem[],
  ): { table: TableDescriptor; indexes: readonly IndexDescriptor[] } | undefined {
    const existing = this.tables.get(table.name);
    if (!existing) {
      const { sealed, setIndexes } = sealedTable(table);
      this.tables.set(table.name, sealed);
      this.tableIndexes.set(sealed, setIndexes);
      this.tableOwners.set(table.name, model);
      return { table: sealed, indexes: sealed.indexes };
    }
    const owner = this.tableOwners.get(table.name);
    const disagree = (message: string) =>
      problems.push({
        schema: model,
        pointer,
        message: `table ${table.specName} is defined differently by ${shownName(String(owner))}: ${message}`,
      });
    const before = problems.length;
    if (!sameKeyAttribute(existing.partitionKey, table.partitionKey))
      disagree('partition keys differ');
    if (!sameKeyAttribute(existing.sortKey, table.sortKey)) disagree('sort keys differ');
    if (existing.ttlAttribute !== table.ttlAttribute) disagree('ttl attributes differ');
    if (
      !existing.discriminatorAttribute ||
      existing.discriminatorAttribute !== table.discriminatorAttribute
    ) {
      disagree('models sharing a table need the same x-persist.discriminator attribute');
    }
    const indexes = [...existing.indexes];
    for (const index of table.indexes) {
      const same = indexes.find((candidate) => candidate.name === index.name);
      if (!same) indexes.push(index);
      else if (
        !sameKeyAttribute(same.partitionKey, index.partitionKey) ||
        !sameKeyAttribute(same.sortKey, index.sortKey)
      )
        disagree(`index ${index.name} differs`);
    }
    if (problems.length > before) return undefined;
    return {
      table: existing,
      indexes: indexes.length > existing.indexes.length ? indexes : existing.indexes,
    };
  }
}

const frozenKey = (key: KeyAttribute): KeyAttribute => Object.freeze({ ...key });

const frozenIndexes = (indexes: readonly IndexDescriptor[]): readonly IndexDescriptor[] =>
  Object.freeze(
    indexes.map((index) =>
      Object.isFrozen(index)
        ? index
        : Object.freeze({
            ...index,
            partitionKey: frozenKey(index.partitionKey),
            ...(index.sortKey ? { sortKey: frozenKey(index.sortKey) } : {}),
          }),
    ),
  );

/**
 * A table descriptor no caller can change (`api.tables()`, `Model.descriptor.table` hand it
 * out, and the backends store by it): frozen, with its keys and indexes. Its list of indexes
 * alone is replaced, by a longer frozen list, when a model registered later on the table adds
 * indexes: every model's descriptor sees it, and caches by the list are made again.
 */
function sealedTable(table: TableDescriptor): {
  sealed: TableDescriptor;
  setIndexes: (indexes: readonly IndexDescriptor[]) => void;
} {
  let indexes = frozenIndexes(table.indexes);
  const sealed = {
    ...table,
    partitionKey: frozenKey(table.partitionKey),
    ...(table.sortKey ? { sortKey: frozenKey(table.sortKey) } : {}),
  };
  Object.defineProperty(sealed, 'indexes', { enumerable: true, get: () => indexes });
  return {
    sealed: Object.freeze(sealed),
    setIndexes: (list) => {
      indexes = frozenIndexes(list);
    },
  };
}

// PyMacaron accepted keys outside `required` (compat: 'pymacaron'): the stored model requires
// them, so storing an object without its key is a ValidationError naming the key.
function withRequiredKeys(schema: SchemaNode, keys: readonly (string | undefined)[]): SchemaNode {
  const missing = keys.filter(
    (key): key is string => key !== undefined && !isRequired(schema, key),
  );
  if (missing.length === 0) return schema;
  const copy = { ...schema, required: [...schema.required, ...missing] };
  // What the normalised form leaves out, kept by identity: OpenAPI 3.1's `additionalProperties: true`.
  if (allowsAnyExtra.has(schema)) allowsAnyExtra.add(copy);
  return copy;
}

// Every declaration of a property: the schema's own and its allOf members', at any depth.
function declarationsOf(schema: SchemaNode, name: string, depth: number): SchemaNode[] {
  const own = Object.hasOwn(schema.properties, name) ? [schema.properties[name]!] : [];
  if (depth >= 32) return own;
  return [...own, ...(schema.allOf ?? []).flatMap((part) => declarationsOf(part, name, depth + 1))];
}

// The one type each allOf member of a schema (itself included) gives its values, integers
// as numbers: what a key's own members must agree on.
function memberTypes(node: SchemaNode): string[] {
  return allOfParts(node).flatMap((part) => {
    const types = part.types?.filter((type) => type !== 'null');
    const type = types?.length === 1 ? types[0]! : listedValuesType(part);
    if (type === undefined) return [];
    return [type === 'integer' ? 'number' : type];
  });
}

function keyType(node: SchemaNode): KeyType | undefined {
  const type = primaryType(node) ?? listedValuesType(node);
  if (type === 'string')
    return allOfParts(node).some((part) => part.format === 'binary') ? 'binary' : 'string';
  if (type === 'integer' || type === 'number') return 'number';
  return undefined;
}

function keyAllowsNull(node: SchemaNode): boolean {
  // Values listed without a type (`enum: [a, b]`) allow null only where OpenAPI 3.0's
  // nullable says so.
  if (primaryType(node) === undefined && listedValuesType(node) !== undefined)
    return allOfParts(node).some((part) => part.nullable === true);
  // An untyped node allows null as it allows anything (refused as untyped: see `keyType`); a
  // wrapper, as what it wraps does.
  return (
    (node.types !== undefined || node.allOf !== undefined || node.nullable === true) &&
    allowsNull(node)
  );
}

/**
 * The type of every value an untyped schema lists (`enum: [a, b]`, `const: cat`, in it or its
 * allOf parts, as OpenAPI 3.1 tags are often written): what a key must then hold. Undefined
 * when they are not all strings or all numbers (a listed null included).
 */
function listedValuesType(node: SchemaNode): 'string' | 'number' | undefined {
  for (const part of allOfParts(node)) {
    const values = part.const !== undefined ? [part.const.value] : part.enum;
    if (values === undefined || values.length === 0) continue;
    if (values.every((value) => typeof value === 'string')) return 'string';
    if (values.every((value) => typeof value === 'number')) return 'number';
    return undefined;
  }
  return undefined;
}

function isKeyOf(index: IndexDescriptor, attribute: string): boolean {
  return index.partitionKey.name === attribute || index.sortKey?.name === attribute;
}
