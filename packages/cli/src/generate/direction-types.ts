import type { Api, ValueDirection } from '@macaron/core';
import { SchemaTypeWriter } from './schema-type.js';
import { derivedIdentifiers } from './type-identifiers.js';

/** The two directions, in the order their variants are declared. */
export const directions: readonly ValueDirection[] = ['request', 'response'];

const suffixes: Record<ValueDirection, string> = { request: 'Request', response: 'Response' };

/** The types of the values going each way: see `directionTypes`. */
export interface DirectionTypes {
  /** The writer of each direction's types. */
  writers: Record<ValueDirection, SchemaTypeWriter>;
  /** Each direction's variants: identifier by schema name. */
  variants: Record<ValueDirection, ReadonlyMap<string, string>>;
  /** The identifier of the generic that makes properties optional, declared when used. */
  optional: string;
}

/**
 * The direction-specific types of a spec's schemas. A named schema has a variant for a
 * direction (`UserRequest`, `UserResponse`) when its type differs that way: it requires a
 * property that side may leave out (`readOnly` in a request, `writeOnly` in a response), or
 * refers to a schema with a variant, through properties, items, maps and allOf, oneOf or
 * anyOf members, at any depth. Other schemas keep their one type. A recursive schema's
 * variant refers to itself, as the schema does.
 */
export function directionTypes(
  api: Api,
  names: readonly string[],
  identifiers: ReadonlyMap<string, string>,
): DirectionTypes {
  const plain = new SchemaTypeWriter(identifiers);
  const plainTypes = new Map(
    names.map((name) => {
      const schema = api.schema(name);
      return [name, plain.typeOf(schema, '', schema).text];
    }),
  );
  const needed = {} as Record<ValueDirection, string[]>;
  for (const direction of directions) {
    // Types written with no variants yet: they differ where the schema itself lifts a
    // requirement. Then every schema that refers to one that differs differs too.
    const probe = new SchemaTypeWriter(identifiers, {
      direction,
      variants: new Map(),
      optional: 'Optional',
    });
    const differs = new Set<string>();
    const referrers = new Map<string, string[]>();
    for (const name of names) {
      const schema = api.schema(name);
      probe.references.clear();
      if (probe.typeOf(schema, '', schema).text !== plainTypes.get(name)) differs.add(name);
      for (const target of probe.references)
        referrers.set(target, [...(referrers.get(target) ?? []), name]);
    }
    const pending = [...differs];
    while (pending.length > 0) {
      for (const referrer of referrers.get(pending.pop()!) ?? [])
        if (!differs.has(referrer)) {
          differs.add(referrer);
          pending.push(referrer);
        }
    }
    needed[direction] = names.filter((name) => differs.has(name));
  }
  const wanted = directions.flatMap((direction) =>
    needed[direction].map((name) => `${identifiers.get(name)!}${suffixes[direction]}`),
  );
  const allocated = derivedIdentifiers([...wanted, 'MacaronOptional'], identifiers.values());
  const optional = allocated.pop()!;
  const variants = {} as Record<ValueDirection, Map<string, string>>;
  for (const direction of directions)
    variants[direction] = new Map(needed[direction].map((name) => [name, allocated.shift()!]));
  const writer = (direction: ValueDirection) =>
    new SchemaTypeWriter(identifiers, { direction, variants: variants[direction], optional });
  return {
    writers: { request: writer('request'), response: writer('response') },
    variants,
    optional,
  };
}
