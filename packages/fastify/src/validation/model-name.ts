import { type SchemaNode, wrappedSchema } from '@macaron/core';

/**
 * The name of the model class that reads an object of this schema: a named schema that may be
 * an object. One typed otherwise (a string enum, a list) has no model class, so an object in
 * its place is left to validation to refuse.
 */
export function modelNameOf(given: SchemaNode | undefined): string | undefined {
  // An unnamed wrapper (`allOf: [{ $ref }]` beside a description) reads as the schema it
  // wraps; a named schema (`Dog: { allOf: [{ $ref: Animal }] }`) is its own model.
  const schema = given?.name === undefined && given ? wrappedSchema(given) : given;
  if (schema?.name === undefined) return undefined;
  return schema.types === undefined || schema.types.includes('object') ? schema.name : undefined;
}
