import { InvalidRequestError } from '../errors/persistence-errors.js';
import { shownJson, shownText } from '../errors/shown-name.js';
import { appendPointer, parsePointer } from '../schema/json-pointer.js';
import { ownProperty } from '../schema/own-property.js';

// The keywords whose value is a schema, a map of schemas or a list of schemas.
const schemaKeywords = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
]);
const schemaMaps = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
]);
const schemaLists = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);

/**
 * The place a pointer `schemaAt` is given names (its canonical `/…` form, and the value the
 * document holds there), or an `InvalidRequestError` for one that names
 * no schema: text that is no JSON pointer (`components/schemas/A` was read as `/schemas/A`),
 * the document itself, and an object that is no schema by its place in the document (`/info`,
 * an operation, a response): read as a schema, any of those allowed any value, so a mistyped
 * pointer turned validation off. A place a `$ref` of the spec reached is a schema's wherever it
 * is (`#/x-defs/A`). What is not an object (a schema's `required`) is left to the
 * normaliser, which refuses it as no schema.
 */
export function schemaPlace(
  document: unknown,
  pointer: string,
  reached: (canonical: string) => boolean,
): { canonical: string; value: unknown } {
  if (pointer === '' || pointer === '#')
    throw new InvalidRequestError('The document itself is no schema: give the place of one');
  if (typeof pointer !== 'string' || !(pointer.startsWith('/') || pointer.startsWith('#/')))
    throw new InvalidRequestError(
      `A schema's place is a JSON pointer starting with / or #/, not ${shownJson(pointer)}`,
    );
  const tokens = parsePointer(pointer);
  const values = valuesAlong(document, tokens);
  const value = values[tokens.length];
  // The same place in either form (`#/…` or `/…`) is the same node.
  const canonical = tokens.reduce<string>(appendPointer, '');
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    if (!isSchemaPlace(tokens, values) && !reached(canonical))
      throw new InvalidRequestError(`The spec holds no schema at ${shownText(pointer)}`);
  return { canonical, value };
}

// The document's value at each prefix of the tokens (own properties only).
function valuesAlong(document: unknown, tokens: readonly string[]): unknown[] {
  const values: unknown[] = [document];
  let current = document;
  for (const token of tokens) {
    current =
      typeof current === 'object' && current !== null
        ? ownProperty(current as Record<string, unknown>, token)
        : undefined;
    values.push(current);
  }
  return values;
}

/**
 * Whether the place holds a schema by the document's structure: a schema starts at a named
 * one (`/components/schemas/A`, Swagger 2.0's `/definitions/A`), at any `…/schema`, and at a
 * Swagger 2.0 parameter or header (a schema of its own, wherever a `$ref` put it); from there,
 * only schema keywords lead on to a schema.
 */
function isSchemaPlace(tokens: readonly string[], values: readonly unknown[]): boolean {
  for (let start = tokens.length; start >= 1; start--)
    if (startsSchema(tokens, values, start) && keywordsLeadOn(tokens, values, start)) return true;
  return false;
}

// Whether a schema starts at the place of the first `start` tokens.
function startsSchema(tokens: readonly string[], values: readonly unknown[], start: number) {
  const last = tokens[start - 1];
  if (last === 'schema') return true;
  if (start === 3 && tokens[0] === 'components' && tokens[1] === 'schemas') return true;
  if (start === 2 && tokens[0] === 'definitions') return true;
  // Swagger 2.0's parameters other than a body, and its headers, are schemas themselves.
  const value = values[start] as Record<string, unknown> | undefined;
  if (typeof value !== 'object' || value === null || 'schema' in value || 'content' in value)
    return false;
  const parameter = typeof value.in === 'string' && typeof value.name === 'string';
  return parameter || (start >= 2 && tokens[start - 2] === 'headers' && 'type' in value);
}

// Whether the tokens after `start` go from a schema to a schema, keyword by keyword.
function keywordsLeadOn(tokens: readonly string[], values: readonly unknown[], start: number) {
  let at = start;
  while (at < tokens.length) {
    const keyword = tokens[at]!;
    if (schemaLists.has(keyword) && Array.isArray(values[at + 1]) && at + 1 < tokens.length)
      at += 2;
    else if (schemaMaps.has(keyword) && at + 1 < tokens.length) at += 2;
    else if (schemaKeywords.has(keyword)) at += 1;
    else return false;
  }
  return true;
}
