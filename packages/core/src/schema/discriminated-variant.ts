import { ownProperty } from './own-property.js';
import type { SchemaNode } from './schema-node.js';

/** How a discriminator dispatches a value: to one variant, to none, or to its members. */
export type Dispatch =
  | { kind: 'variant'; variant: SchemaNode }
  | { kind: 'unknown' }
  | { kind: 'members' };

/**
 * The variant an object's discriminating property names. Without the property (or with it
 * NULL, as another client may store it), the oneOf and anyOf members decide (OpenAPI 3.1.1
 * reads the discriminator as a hint); with one that names no variant, it is an error.
 * OpenAPI 3.2's `defaultMapping` is the variant in both cases.
 */
export function discriminatedVariant(
  discriminator: NonNullable<SchemaNode['discriminator']>,
  value: Record<string, unknown>,
): Dispatch {
  const selector = ownProperty(value, discriminator.propertyName) ?? undefined;
  const named =
    typeof selector === 'string' ? ownProperty(discriminator.mapping, selector) : undefined;
  const variant = named ?? discriminator.defaultMapping;
  if (variant) return { kind: 'variant', variant };
  // A discriminator with no variant at all (an unnamed schema, no mapping, no members, none
  // inheriting it) selects nothing: the schema itself decides, rather than refusing every value.
  if (Object.keys(discriminator.mapping).length === 0) return { kind: 'members' };
  return selector === undefined ? { kind: 'members' } : { kind: 'unknown' };
}
