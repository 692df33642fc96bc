import { allOfParts } from './all-of-parts.js';

/** A JSON type as schemas name them. */
export type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/**
 * A schema in one dialect-free form: Swagger 2.0, OpenAPI 3.0 and 3.1 schemas all
 * normalise to this. Recursive schemas share nodes, so a node graph may have cycles.
 */
export interface SchemaNode {
  /** The component (model) name, when the node is a named schema. */
  name?: string;
  /** Allowed types; undefined allows any. Includes `null` when the schema is nullable. */
  types?: SchemaType[];
  /**
   * `null` is valid whatever the other keywords say: `nullable` (3.0) or `x-nullable` (2.0) on
   * a schema without `type` (`nullable: true` beside a `oneOf`, as GitHub's spec writes it).
   */
  nullable?: true;
  /** Format, e.g. `date-time`, `int64`, `binary`. */
  format?: string;
  /** Allowed values. */
  enum?: unknown[];
  /** Required value, when `const` is given. */
  const?: { value: unknown };
  /** Object properties. */
  properties: Record<string, SchemaNode>;
  /** Required property names. */
  required: string[];
  /** `false`, a schema for extra properties, or undefined (any extra allowed). */
  additionalProperties?: false | SchemaNode;
  /** Schema of array items (after `prefixItems`, when there are some). */
  items?: SchemaNode;
  /** Schemas of the first array items, one each (JSON Schema 2020-12, OpenAPI 3.1). */
  prefixItems?: SchemaNode[];
  /** A schema some array items must match, `minContains` (default 1) to `maxContains` of them. */
  contains?: SchemaNode;
  minContains?: number;
  maxContains?: number;
  /** Schemas of the properties whose names match a pattern (2020-12). */
  patternProperties?: { pattern: RegExp; node: SchemaNode }[];
  /** A schema every property name must match, as a string (2020-12). */
  propertyNames?: SchemaNode;
  /** Properties required when another is present: `{ card: ['billing'] }` (2020-12). */
  dependentRequired?: Record<string, string[]>;
  /** Schemas the whole object must match when a property is present (2020-12). */
  dependentSchemas?: Record<string, SchemaNode>;
  /** `if`, `then`, `else` (2020-12): `then` applies where `if` matches, `else` elsewhere. */
  conditional?: { if: SchemaNode; matched?: SchemaNode; otherwise?: SchemaNode };
  /**
   * `false`, or the schema of the properties nothing else evaluates: neither this schema's
   * `properties`, `patternProperties`, `additionalProperties`, nor those of a subschema that
   * applies to the same object and validates it (allOf, matched anyOf/oneOf members, `if`
   * and `then` or `else`, `dependentSchemas`) (2020-12).
   */
  unevaluatedProperties?: false | SchemaNode;
  /** `false`, or the schema of the items nothing else evaluates (`prefixItems`, `items`, `contains`, as above) (2020-12). */
  unevaluatedItems?: false | SchemaNode;
  /** The number keywords: a bigint where the spec wrote an integer a number cannot hold. */
  minimum?: number | bigint;
  maximum?: number | bigint;
  exclusiveMinimum?: number | bigint;
  exclusiveMaximum?: number | bigint;
  multipleOf?: number | bigint;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  /** oneOf/anyOf selection by a property, with its value-to-schema mapping. */
  discriminator?: {
    propertyName: string;
    mapping: Record<string, SchemaNode>;
    /** OpenAPI 3.2's `defaultMapping`: the variant of a value whose property names none. */
    defaultMapping?: SchemaNode;
  };
  /** OpenAPI's `readOnly`: sent in responses, not required in requests. */
  readOnly?: true;
  /** OpenAPI's `writeOnly`: taken in requests, not required in responses and never sent in one. */
  writeOnly?: true;
  /** The `x-persist` annotation as written, for named schemas. */
  persist?: unknown;
  /** JSON pointer of the schema in the bundled document. */
  pointer: string;
}

/**
 * True when the schema allows `null`: its types include it, it is `nullable` without types, or
 * it has no types and each of its allOf parts allows it (a wrapper allows what it wraps).
 */
export function allowsNull(node: SchemaNode): boolean {
  if (node.types !== undefined) return node.types.includes('null');
  if (node.nullable === true || node.allOf === undefined) return true;
  let allowed = nullInParts.get(node);
  if (allowed === undefined) {
    // A part reached again through a cycle of allOf parts leaves it to the others.
    nullInParts.set(node, true);
    allowed = node.allOf.every(allowsNull);
    nullInParts.set(node, allowed);
  }
  return allowed;
}

// Made once a node: properties are copied and adopted for every object.
const nullInParts = new WeakMap<SchemaNode, boolean>();

/**
 * The non-null type of a schema with a single one, e.g. `string` for `[string, null]`; for one
 * without types, that of its allOf parts, the narrowest (`integer` where one part says
 * `number` and another `integer`, as a value must meet both), else the first written.
 */
export function primaryType(node: SchemaNode): SchemaType | undefined {
  let found: SchemaType | undefined;
  for (const part of node.types === undefined ? allOfParts(node) : [node]) {
    const types = part.types?.filter((type) => type !== 'null');
    if (types?.length !== 1) continue;
    if (found === undefined || (found === 'number' && types[0] === 'integer')) found = types[0];
  }
  return found;
}

/** True when an object schema requires the property, directly or through an allOf member. */
export function isRequired(schema: SchemaNode, property: string): boolean {
  return (
    schema.required.includes(property) ||
    (schema.allOf !== undefined &&
      allOfParts(schema).some((part) => part.required.includes(property)))
  );
}

/** A schema that allows any value (values must still be storable). */
export const unconstrained: SchemaNode = { properties: {}, required: [], pointer: '' };
