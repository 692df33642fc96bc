import { type SchemaNode, wrappedSchema } from '@macaron/core';

/**
 * The name of the model class that reads an object of this schema: a named schema that may be
 * an object. One typed otherwise (a string enum, a list) has no model class, so an object in
 * its place is left to validation to refuse.
 */
export function modelNameOf(given: SchemaNode | undefined): string | undefined {
  // An unnamed wrapper (`allOf: [{ $ref }]` beside a description) reads as the schema it
  // wraps, down to the first named one: a named schema (`Dog: { allOf: [{ $ref: Animal }] }`)
  // is its own model.
  let schema = given;
  while (schema !== undefined && schema.name === undefined && wrappedSchema(schema) !== schema)
    schema = schema.allOf![0]!;
  if (schema?.name === undefined) return undefined;
  return schema.types === undefined || schema.types.includes('object') ? schema.name : undefined;
}
