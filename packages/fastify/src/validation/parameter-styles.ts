import type { SchemaNode } from '@macaron/core';
import type { SpecParameter } from '../spec/spec-operations.js';
import { withoutFieldSpace } from './field-space.js';

/**
 * OpenAPI 3 parameter styles (OAS 3.0.3 §4.7.12.4, as RFC 6570 expands them), read from the
 * text of a request. Texts are still percent-encoded when `splitEncoded`: delimiters are found
 * first, then each name and value is decoded by the caller, so an encoded `%2C` is data.
 */

/** The text of a path value once its label `.` or matrix `;name=` is taken off, or why not. */
export type StyleText = { text: string | string[] } | { problem: string };

/**
 * Takes a `label` (`.5`, `.1,2,3`, `.1.2.3`) or `matrix` (`;id=5`, `;ids=1,2,3`,
 * `;ids=1;ids=2`) path value's prefix off; other styles' text is the value itself. `decode`
 * decodes a matrix part's name to compare it with the parameter's.
 */
export function unwrapPathStyle(
  parameter: SpecParameter,
  text: string,
  decode: (text: string) => string,
): StyleText {
  if (parameter.style === 'label') {
    if (!text.startsWith('.')) return { problem: styleProblem(parameter) };
    return { text: text.slice(1) };
  }
  if (parameter.style !== 'matrix') return { text };
  const values = matrixParts(text, decode)
    ?.filter(([name]) => name === parameter.name)
    .map(([, value]) => value);
  if (values === undefined || values.length === 0) return { problem: styleProblem(parameter) };
  return { text: values.length === 1 ? values[0]! : values };
}

/** The properties of an object parameter, as texts by name (names decoded), or why not. */
export type ObjectEntries = { entries: Map<string, string[]> } | { problem: string };

/**
 * The properties of an object parameter written in one text: `simple` (`R,100,G,200`;
 * exploded `R=100,G=200`), `label` (`.R,100,G,200`; `.R=100.G=200`), `matrix`
 * (`;color=R,100,G,200`; `;R=100;G=200`), `form` with `explode: false` (`R,100,G,200`), and
 * `spaceDelimited` or `pipeDelimited` (`R|100|G|200`). `trim` takes an HTTP field's spaces
 * around items off (a header's).
 */
export function objectFromText(
  parameter: SpecParameter,
  text: string,
  decode: (text: string) => string,
  trim = false,
): ObjectEntries {
  let body = text;
  let exploded = parameter.explode;
  let delimiter = ',';
  switch (parameter.style) {
    case 'label':
      if (!body.startsWith('.')) return { problem: styleProblem(parameter) };
      body = body.slice(1);
      if (exploded) delimiter = '.';
      break;
    case 'matrix': {
      const parts = matrixParts(body, decode);
      if (parts === undefined) return { problem: styleProblem(parameter) };
      if (exploded) return { entries: collect(parts) };
      const own = parts.filter(([name]) => name === parameter.name);
      if (own.length !== 1) return { problem: styleProblem(parameter) };
      body = own[0]![1];
      break;
    }
    case 'spaceDelimited':
      delimiter = ' ';
      exploded = false;
      break;
    case 'pipeDelimited':
      delimiter = '|';
      exploded = false;
      break;
    case 'form':
      // An exploded form object is read from the names of its properties (namedProperties).
      exploded = false;
      break;
  }
  let items = body === '' ? [] : body.split(delimiter);
  if (trim) items = items.map(withoutFieldSpace);
  if (exploded) {
    const pairs: [string, string][] = [];
    for (const item of items) {
      const equals = item.indexOf('=');
      if (equals <= 0) return { problem: `must be written name=value${delimiter}…` };
      pairs.push([decode(item.slice(0, equals)), item.slice(equals + 1)]);
    }
    return { entries: collect(pairs) };
  }
  if (items.length % 2 !== 0) {
    return { problem: `must be names and values in pairs: name${delimiter}value${delimiter}…` };
  }
  const pairs: [string, string][] = [];
  for (let index = 0; index < items.length; index += 2) {
    pairs.push([decode(items[index]!), items[index + 1]!]);
  }
  return { entries: collect(pairs) };
}

/**
 * The properties of an object parameter whose properties are parameters of their own: query
 * names `color[R]=100` (`deepObject`), or query or cookie names `R=100` (`form` with
 * `explode`), which are the object's declared properties, and with `takesOtherNames` every
 * name that no other parameter of the operation reads. Undefined when there are none.
 */
export function namedProperties(
  parameter: SpecParameter,
  schema: SchemaNode | undefined,
  texts: ReadonlyMap<string, readonly string[]>,
  readElsewhere: (name: string) => boolean,
): Map<string, string[]> | undefined {
  const entries = new Map<string, string[]>();
  if (parameter.style === 'deepObject') {
    const start = `${parameter.name}[`;
    for (const [name, values] of texts) {
      if (!name.startsWith(start) || !name.endsWith(']')) continue;
      const property = name.slice(start.length, -1);
      if (property.includes('[') || property.includes(']')) continue;
      const known = entries.get(property);
      if (!known) entries.set(property, [...values]);
      else for (const value of values) known.push(value);
    }
  } else {
    const declared = declaredProperties(schema);
    for (const [name, values] of texts) {
      // Its own name is no other parameter's: an object that takes other names takes it too.
      const other = parameter.takesOtherNames && (name === parameter.name || !readElsewhere(name));
      if (declared.has(name) || other) entries.set(name, [...values]);
    }
  }
  return entries.size === 0 ? undefined : entries;
}

/** A deepObject parameter's texts given otherwise than by its properties' names. */
export type DeepObjectTexts = { texts: string[]; listed: boolean } | { problem: string };

/**
 * The texts of a deepObject parameter given otherwise than as `name[property]=value`: under
 * its bare name (`created=5`, for a schema that takes values other than objects too, as
 * Stripe's `created` filter does), and for a list, under its bare name (`expand=a&expand=b`),
 * `name[]` (in order) or `name[0]`, `name[1]`, … (Stripe's `expand`). Undefined when there
 * are none; a problem for a form the schema does not take, or for forms mixed. `given`:
 * whether some of its properties were given by name (`named`), whether it is read as an object
 * (`readsObject`), and whether an exploded form object of the operation declares a property of
 * its name (`claimed`, which then reads the bare name).
 */
export function deepObjectTexts(
  name: string,
  texts: ReadonlyMap<string, readonly string[]>,
  schema: SchemaNode | undefined,
  given: { readonly named: boolean; readonly readsObject: boolean; readonly claimed: boolean },
): DeepObjectTexts | undefined {
  const bare = texts.get(name);
  if (given.readsObject && schema !== undefined) {
    if (bare === undefined) return undefined;
    if (given.named) return { problem: `is given both as ${name}=… and as ${name}[…]=…` };
    if (!takesOtherThanObjects(schema, new Set())) {
      // A property of an exploded form object of the same name reads it; an empty value
      // (`filter=`, as `qs` writes a null) says nothing.
      if (given.claimed || bare.every((text) => text === '')) return undefined;
      return { problem: `must be written ${name}[property]=value (deepObject style)` };
    }
    return { texts: [...bare], listed: false };
  }
  if (!takesArrays(schema, new Set()))
    return bare === undefined ? undefined : { texts: [...bare], listed: false };
  const appended: string[] = [];
  const numbered: [number, string][] = [];
  const start = `${name}[`;
  for (const [key, values] of texts) {
    if (!key.startsWith(start) || !key.endsWith(']')) continue;
    const inside = key.slice(start.length, -1);
    if (inside === '') appended.push(...values);
    else if (/^(?:0|[1-9]\d{0,8})$/.test(inside) && values.length === 1)
      numbered.push([Number(inside), values[0]!]);
    else
      return {
        problem: `must be written ${name}[]=value or ${name}[0]=value, ${name}[1]=value, …`,
      };
  }
  const forms = [bare !== undefined, appended.length > 0, numbered.length > 0].filter(Boolean);
  if (forms.length === 0) return undefined;
  if (forms.length > 1)
    return { problem: `is given in several forms (${name}=…, ${name}[]=…, ${name}[0]=…): use one` };
  if (bare !== undefined) return { texts: [...bare], listed: true };
  if (appended.length > 0) return { texts: appended, listed: true };
  numbered.sort(([left], [right]) => left - right);
  if (numbered.some(([position], index) => position !== index))
    return { problem: `must be numbered ${name}[0], ${name}[1], … without gaps` };
  return { texts: numbered.map(([, text]) => text), listed: true };
}

// Whether a schema read as an object takes other values too (`anyOf: [object, integer]`, or
// no type at all: `{ properties }` takes 5 as JSON Schema reads it).
function takesOtherThanObjects(schema: SchemaNode, seen: Set<SchemaNode>): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  if (schema.types !== undefined) return schema.types.some((type) => type !== 'object');
  const union = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (union.length > 0 && !union.some((member) => takesOtherThanObjects(member, seen)))
    return false;
  return (schema.allOf ?? []).every((part) => takesOtherThanObjects(part, seen));
}

// Whether a parameter's value is a list: its type, or an allOf part's (`allOf: [{ $ref:
// Strings }, { maxItems: 3 }]`).
function takesArrays(schema: SchemaNode | undefined, seen: Set<SchemaNode>): boolean {
  if (schema === undefined || seen.has(schema)) return false;
  seen.add(schema);
  if (schema.types !== undefined) return schema.types.includes('array');
  return (schema.allOf ?? []).some((part) => takesArrays(part, seen));
}

/** True when the value of a parameter is an object (not an array, not text). */
export function isObjectSchema(schema: SchemaNode | undefined): schema is SchemaNode {
  if (!schema) return false;
  const types = schema.types;
  if (types === undefined) return declaredProperties(schema).size > 0;
  return types.includes('object') && !types.includes('array') && !types.includes('string');
}

/** The schema of an object's property: declared, by pattern, or its additional properties. */
export function propertySchema(schema: SchemaNode, name: string): SchemaNode | undefined {
  const seen = new Set<SchemaNode>();
  const find = (node: SchemaNode): SchemaNode | undefined => {
    if (seen.has(node)) return undefined;
    seen.add(node);
    if (Object.hasOwn(node.properties, name)) return node.properties[name];
    for (const member of members(node)) {
      const found = find(member);
      if (found) return found;
    }
    return undefined;
  };
  const declared = find(schema);
  if (declared) return declared;
  // Not declared: by pattern or as an additional property, of the schema or of its `allOf`
  // parts (`allOf: [{ $ref: Counts }]` where Counts takes integers).
  seen.clear();
  const other = (node: SchemaNode): SchemaNode | undefined => {
    if (seen.has(node)) return undefined;
    seen.add(node);
    const patterned = node.patternProperties?.find(({ pattern }) => pattern.test(name));
    if (patterned) return patterned.node;
    if (node.additionalProperties === false) return undefined;
    if (node.additionalProperties) return node.additionalProperties;
    for (const part of node.allOf ?? []) {
      const found = other(part);
      if (found) return found;
    }
    return undefined;
  };
  return other(schema);
}

/** Property names the schema declares, its allOf, anyOf and oneOf members' included. */
export function declaredProperties(schema: SchemaNode | undefined): Set<string> {
  const names = new Set<string>();
  const seen = new Set<SchemaNode>();
  const visit = (node: SchemaNode) => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const name of Object.keys(node.properties)) names.add(name);
    for (const member of members(node)) visit(member);
  };
  if (schema) visit(schema);
  return names;
}

function members(node: SchemaNode): SchemaNode[] {
  return [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])];
}

// `;name=value;other` as [name, value] pairs (names decoded; `;other` is ['other', '']), or
// undefined when the text does not start with `;`.
function matrixParts(
  text: string,
  decode: (text: string) => string,
): [string, string][] | undefined {
  if (!text.startsWith(';')) return undefined;
  return text
    .slice(1)
    .split(';')
    .map((part) => {
      const equals = part.indexOf('=');
      return equals < 0
        ? [decode(part), '']
        : [decode(part.slice(0, equals)), part.slice(equals + 1)];
    });
}

function collect(pairs: readonly (readonly [string, string])[]): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = entries.get(name);
    if (values) values.push(value);
    else entries.set(name, [value]);
  }
  return entries;
}

function styleProblem(parameter: SpecParameter): string {
  const example =
    parameter.style === 'label'
      ? `.value (label style)`
      : `;${parameter.name}=value (matrix style${parameter.explode ? ', exploded' : ''})`;
  return `must be written ${example}`;
}
