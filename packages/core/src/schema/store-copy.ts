import { isObjectPrototype } from './builtin-values.js';
import { copyValue, isLongWithHoles, maxCopyDepth, memberItems } from './copy-value.js';
import { assignOwnProperties } from './own-property.js';
import { isPlainObject } from './same-value.js';
import { allowsNull, type SchemaNode } from './schema-node.js';

/**
 * Copies the properties of `source` (a plain record or a model object) into `target`, as
 * `copyValue(schema, source, 'store')` copies them: the copy every object built from data
 * makes. Compiled once per schema node for the shapes models mostly have (properties that
 * are all declared, lists of one item schema); any other node takes `copyValue` itself.
 */
export function copyStoredProperties(schema: SchemaNode, source: object, target: object): void {
  // Another class's instance is not copied by copyValue: its own properties are taken as they are.
  if (isRecordOrModelObject(source)) plannedCopierOf(schema).properties(source, target, 0);
  else assignValues(target, source);
}

interface PlannedCopier {
  /** The store copy of a value of this node, at `depth`. */
  readonly value: (value: unknown, depth: number) => unknown;
  /** Copies an object's properties into `target` (an object of this node at `depth`). */
  readonly properties: (source: object, target: object, depth: number) => void;
}

interface DeclaredCopy {
  readonly node: SchemaNode;
  readonly dropsNull: boolean;
  copier: PlannedCopier | undefined;
}

const copiers = new WeakMap<SchemaNode, PlannedCopier>();

function plannedCopierOf(node: SchemaNode): PlannedCopier {
  let copier = copiers.get(node);
  if (copier === undefined) {
    copier = compile(node);
    copiers.set(node, copier);
  }
  return copier;
}

// Other properties or items may have a schema here (copyValue looks each name up): not compiled.
function lookedUp(node: SchemaNode): boolean {
  return (
    node.allOf !== undefined ||
    node.conditional !== undefined ||
    node.dependentSchemas !== undefined ||
    node.patternProperties !== undefined ||
    (node.additionalProperties !== undefined && node.additionalProperties !== false) ||
    node.unevaluatedProperties !== undefined ||
    node.prefixItems !== undefined ||
    node.unevaluatedItems !== undefined ||
    // Names a member declares take that member's schema, known from the object only.
    node.oneOf !== undefined ||
    node.anyOf !== undefined
  );
}

function compile(node: SchemaNode): PlannedCopier {
  if (lookedUp(node)) {
    return {
      value: (value, depth) => copyValue(node, value, 'store', depth),
      properties: (source, target, depth) =>
        assignValues(target, copyValue(node, source, 'store', depth) as object),
    };
  }
  const declared = new Map<string, DeclaredCopy>();
  for (const name of Object.keys(node.properties)) {
    const property = node.properties[name]!;
    declared.set(name, { node: property, dropsNull: !allowsNull(property), copier: undefined });
  }
  const items = node.items ?? memberItems(node);
  const properties = (source: object, target: object, depth: number): void => {
    const record = source as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      const property = record[name];
      if (property === undefined) continue;
      const entry = declared.get(name);
      let copied: unknown;
      if (entry === undefined) copied = copyValue(undefined, property, 'store', depth + 1);
      else if (property === null && entry.dropsNull) continue;
      else if (property === null || typeof property !== 'object') copied = property;
      else copied = (entry.copier ??= plannedCopierOf(entry.node)).value(property, depth + 1);
      if (name === '__proto__')
        Object.defineProperty(target, name, {
          value: copied,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      else (target as Record<string, unknown>)[name] = copied;
    }
  };
  let itemCopier: PlannedCopier | undefined;
  return {
    properties,
    value: (value, depth) => {
      if (value === null || typeof value !== 'object') return value;
      if (depth > maxCopyDepth) return value;
      if (Array.isArray(value)) {
        if (items === undefined || isLongWithHoles(value))
          return copyValue(node, value, 'store', depth);
        const copier = (itemCopier ??= plannedCopierOf(items));
        return value.map((item) =>
          item === null || typeof item !== 'object' ? item : copier.value(item, depth + 1),
        );
      }
      if (!isPlainObject(value) || !isRecordOrModelObject(value))
        return copyValue(node, value, 'store', depth);
      const copy = {};
      properties(value, copy, depth);
      return copy;
    },
  };
}

function isRecordOrModelObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  if (prototype === null || isObjectPrototype(prototype)) return true;
  return (
    typeof (prototype.constructor as { modelName?: unknown } | undefined)?.modelName === 'string'
  );
}

// Object.assign sets the same own properties as a loop, faster, but would make `__proto__` a prototype.
function assignValues(target: object, values: object): void {
  if (Object.hasOwn(values, '__proto__')) assignOwnProperties(target, values);
  else Object.assign(target, values);
}
