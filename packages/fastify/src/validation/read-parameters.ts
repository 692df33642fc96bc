import { type Api, type SchemaNode, type ValidationProblem, validateValue } from '@macaron/core';
import type { FastifyRequest } from 'fastify';
import { encodedPathReader } from '../routes/route-path.js';
import { readsParameter } from '../spec/ignored-parameters.js';
import { appendPointer } from '../spec/json-pointer.js';
import { readDefault } from '../spec/parameter-defaults.js';
import type { SpecParameter } from '../spec/spec-operations.js';
import { coerceParameter, maxMemberDepth } from './coerce-parameter.js';
import { JsonNumberRangeError, parseJsonExactly } from './exact-json.js';
import { withoutFieldSpace } from './field-space.js';
import { headerLines } from './header-lines.js';
import { ownValue, setOwnValue } from './own-properties.js';
import { readingSchema, scalarReading, textSyntax } from './parameter-reading.js';
import {
  declaredProperties,
  deepObjectTexts,
  isObjectSchema,
  namedProperties,
  objectFromText,
  propertySchema,
  unwrapPathStyle,
} from './parameter-styles.js';

/** The declared parameters of a request, coerced and validated. */
export interface RequestParameters {
  /** Path parameters by their name in the spec. */
  params: Record<string, unknown>;
  /** Query parameters by their name in the spec. */
  query: Record<string, unknown>;
  /** Header parameters by their name in the spec. */
  headers: Record<string, unknown>;
  /** Cookie parameters by their name in the spec. */
  cookies: Record<string, unknown>;
}

/** Reads an operation's parameters from a request, adding what is wrong to `problems`. */
export type ParameterReader = (
  request: FastifyRequest,
  problems: ValidationProblem[],
) => RequestParameters;

/**
 * Prepares the reader of an operation's parameters (schemas are normalised once, here).
 * `routeNames` maps path parameters to their fastify names, `specPath` is the operation's path
 * template. `pymacaron` reads parameters as PyMacaron (bravado-core) did: in the query, `1` and
 * `0` are booleans and a repeated parameter that is not an array takes its first value; in the
 * query and headers, an empty value of an integer, number or boolean is no value.
 *
 * Query parameters and cookies are read from the request's own text (its URL and `Cookie`
 * header), path parameters too when they can be found there: the delimiters of their style
 * are found before percent-decoding (OpenAPI 3), whatever query parser the application gave
 * fastify.
 */
export function createParameterReader(
  api: Api,
  parameters: readonly SpecParameter[],
  routeNames: ReadonlyMap<string, string>,
  pymacaron = false,
  specPath?: string,
  credentials: { readonly query: ReadonlySet<string>; readonly cookie: ReadonlySet<string> } = {
    query: new Set(),
    cookie: new Set(),
  },
): ParameterReader {
  const prepared = parameters
    .filter((parameter) => readsParameter(api, parameter))
    .map((parameter) => {
      const declared =
        parameter.schemaPointer === undefined ? undefined : api.schemaAt(parameter.schemaPointer);
      // Read as the schema a wrapper stands for (`allOf: [{ $ref }]` beside a description),
      // validated as declared.
      const schema = declared && readingSchema(declared);
      const object = !parameter.json && isObjectSchema(schema);
      const reading = readDefault(api, parameter, pymacaron);
      return {
        parameter,
        declared,
        // Registration refuses an operation whose default has a problem.
        defaultValue: reading && 'value' in reading ? reading.value : undefined,
        schema,
        pointer: appendPointer(`/${parameter.in}`, parameter.name),
        object,
        // Its properties are query or cookie parameters of their own.
        named:
          object &&
          (parameter.in === 'query' || parameter.in === 'cookie') &&
          (parameter.style === 'deepObject' || (parameter.style === 'form' && parameter.explode)),
        listHeader:
          parameter.in === 'header' && !parameter.json && schema?.types?.includes('array') === true,
      };
    });
  // The query names exploded form objects declare as their properties: a deepObject's bare
  // name among them is theirs.
  const formPropertyNames = new Set<string>();
  for (const { parameter, schema, named } of prepared)
    if (named && parameter.in === 'query' && parameter.style === 'form')
      for (const name of declaredProperties(schema)) formPropertyNames.add(name);
  // Whether a query or cookie name is another parameter's (for an object that takes others).
  const readers = (location: 'query' | 'cookie') => {
    // An API key's name is its scheme's: a credential, never an object's property.
    const exact = new Set<string>(credentials[location]);
    const deep: string[] = [];
    for (const { parameter } of prepared) {
      if (parameter.in !== location) continue;
      exact.add(parameter.name);
      if (parameter.style === 'deepObject') deep.push(`${parameter.name}[`);
    }
    return (name: string) => exact.has(name) || deep.some((start) => name.startsWith(start));
  };
  const readElsewhere = { query: readers('query'), cookie: readers('cookie') };
  const encodedPath = specPath === undefined ? undefined : encodedPathReader(specPath);

  return (request, problems) => {
    const values: RequestParameters = { params: {}, query: {}, headers: {}, cookies: {} };
    let query: Map<string, string[]> | undefined;
    let cookies: Map<string, string[]> | undefined;
    let encoded: Map<string, string> | undefined;
    for (const preparedParameter of prepared) {
      const { parameter, declared, schema, pointer, listHeader, defaultValue } = preparedParameter;
      // A deepObject parameter given by its bare name is read as the value its schema takes.
      let { object, named } = preparedParameter;
      const target = targetOf(values, parameter);
      let raw: string | string[] | undefined;
      // Decodes a text once its delimiters are found.
      let decode = same;
      let entries: Map<string, string[]> | undefined;
      switch (parameter.in) {
        case 'path': {
          raw = textOf(ownValue(request.params, routeNames.get(parameter.name) ?? parameter.name));
          encoded ??= encodedPath?.(request.url) ?? new Map();
          const text = encoded.get(parameter.name);
          // The router's value decoded from it: the text the client wrote (else, with router
          // options that move segments, the router's value is read as it is).
          if (typeof raw === 'string' && text !== undefined && safeDecode(text) === raw) {
            raw = text;
            decode = safeDecode;
          }
          break;
        }
        case 'query': {
          query ??= parseQuery(request.url, semicolonDelimiter(request));
          const deep = parameter.style === 'deepObject';
          if (named) entries = namedProperties(parameter, schema, query, readElsewhere.query);
          if (deep) {
            // Values under the bare name, and for a list under `name[]` or `name[0]`: never
            // left unread, for the handler to answer as if none had been sent.
            const read = deepObjectTexts(parameter.name, query, schema, {
              named: entries !== undefined,
              readsObject: named,
              claimed: formPropertyNames.has(parameter.name),
            });
            if (read !== undefined && 'problem' in read) {
              problems.push({ pointer, keyword: 'style', message: read.problem });
              continue;
            }
            if (read !== undefined) {
              raw = read.listed || read.texts.length > 1 ? read.texts : read.texts[0];
              object = false;
              named = false;
            }
          } else if (!named) raw = listOrText(query.get(parameter.name));
          decode = parameter.allowReserved ? safeDecode : decodeQueryText;
          break;
        }
        case 'header': {
          const name = parameter.name.toLowerCase();
          raw = textOf(ownValue(request.headers, name));
          // A list's lines, each split by its own collection format, then joined.
          if (listHeader && typeof raw === 'string') raw = headerLines(request, name, raw);
          break;
        }
        case 'cookie':
          cookies ??= parseCookies(request.headers.cookie);
          if (named) entries = namedProperties(parameter, schema, cookies, readElsewhere.cookie);
          else raw = cookies.get(parameter.name)?.[0];
          decode = safeDecode;
          break;
      }
      // Swagger 2.0 (and the space and pipe delimiters, sent encoded) splits decoded text.
      if (!parameter.splitEncoded && decode !== same && raw !== undefined) {
        raw = Array.isArray(raw) ? raw.map(decode) : decode(raw);
        decode = same;
      }
      if (pymacaron && parameter.in === 'query' && raw !== undefined)
        raw = firstOfRepeated(schema, raw, parameter.json);
      // bravado-core cast an empty query or header value of these types to None.
      const castLocation = parameter.in === 'query' || parameter.in === 'header';
      if (pymacaron && castLocation && raw === '' && castFromText(schema)) raw = undefined;
      // An empty path segment (`/contents/`) is the value '', which the schema judges: a
      // string path parameter without minLength takes it (GitHub's repository root).
      if (named ? entries === undefined : raw === undefined) {
        if (defaultValue) setOwnValue(target, parameter.name, defaultValue());
        else if (parameter.required)
          problems.push({ pointer, keyword: 'required', message: 'is required' });
        continue;
      }
      let value: unknown;
      if (object) {
        if (!entries) {
          if (Array.isArray(raw)) {
            problems.push({
              pointer,
              keyword: 'type',
              message: 'must be given once, not repeated',
            });
            continue;
          }
          const read = objectFromText(parameter, raw!, decode, parameter.in === 'header');
          if ('problem' in read) {
            problems.push({ pointer, keyword: 'style', message: read.problem });
            continue;
          }
          entries = read.entries;
        }
        value = readObject(schema!, entries, pointer, problems, {
          decode,
          ...scalarReading(parameter, pymacaron),
        });
        if (value === undefined) continue;
      } else if (!parameter.json) {
        let text = raw!;
        if (parameter.in === 'path' && typeof text === 'string') {
          const unwrapped = unwrapPathStyle(parameter, text, decode);
          if ('problem' in unwrapped) {
            problems.push({ pointer, keyword: 'style', message: unwrapped.problem });
            continue;
          }
          text = unwrapped.text;
        }
        value = coerceParameter(schema, text, { ...textSyntax(parameter, pymacaron), decode });
      } else if (Array.isArray(raw)) {
        // One JSON value: a repeated one is refused as any repeated parameter that is not an
        // array is (its array is in its one value), never read as its first value.
        problems.push({ pointer, keyword: 'type', message: 'must be given once, not repeated' });
        continue;
      } else {
        value = parseJson(decode(raw!));
      }
      if (value instanceof JsonNumberRangeError) {
        problems.push({
          pointer: pointer + value.pointer,
          keyword: 'type',
          message: value.message,
        });
        continue;
      }
      if (declared) problems.push(...validateValue(declared, value, pointer));
      setOwnValue(target, parameter.name, value);
    }
    return values;
  };
}

// An object parameter's properties, each coerced by its property's schema; undefined when a
// number of one is out of range (the problem is added). Where the whole schema refuses that
// reading and `oneOf`/`anyOf` members declare the properties differently (`n` an integer in
// one, a string in another), the object is read as the first member reads it that the whole
// schema takes: as a scalar made of members is (`memberReading`).
function readObject(
  schema: SchemaNode,
  entries: ReadonlyMap<string, readonly string[]>,
  pointer: string,
  problems: ValidationProblem[],
  syntax: { decode: (text: string) => string; digitBooleans: boolean; pythonNumbers: boolean },
): Record<string, unknown> | undefined {
  const read = readProperties(schema, undefined, entries, pointer, syntax);
  const alternatives = unionMembers(schema);
  if (alternatives.length > 0 && !takes(schema, read)) {
    for (const member of alternatives) {
      const reading = readProperties(schema, member, entries, pointer, syntax);
      // The member's own check first: the whole schema's (every member again) only for a
      // reading its member takes, so a refused request costs one pass over the members.
      if (takes(member, reading) && takes(schema, reading)) return reading.object;
    }
  }
  if (read.problems.length === 0) return read.object;
  problems.push(...read.problems);
  return undefined;
}

interface ObjectReading {
  object: Record<string, unknown>;
  // Numbers no property holds as written.
  problems: ValidationProblem[];
}

// The properties read with `member`'s schema for the names it declares, the whole schema's
// (its first declaring part) for the others.
function readProperties(
  schema: SchemaNode,
  member: SchemaNode | undefined,
  entries: ReadonlyMap<string, readonly string[]>,
  pointer: string,
  syntax: { decode: (text: string) => string; digitBooleans: boolean; pythonNumbers: boolean },
): ObjectReading {
  const object: Record<string, unknown> = {};
  const problems: ValidationProblem[] = [];
  for (const [name, texts] of entries) {
    const value = coerceParameter(
      (member && propertySchema(member, name)) ?? propertySchema(schema, name),
      texts.length === 1 ? texts[0]! : [...texts],
      syntax,
    );
    if (value instanceof JsonNumberRangeError) {
      problems.push({
        pointer: appendPointer(pointer, name) + value.pointer,
        keyword: 'type',
        message: value.message,
      });
    } else setOwnValue(object, name, value);
  }
  return { object, problems };
}

// The `oneOf`/`anyOf` members of a schema, through `allOf` parts (the 3.0 wrapper
// `{ allOf: [{ $ref }], description }`) and members that are unions themselves.
function unionMembers(schema: SchemaNode): SchemaNode[] {
  const found: SchemaNode[] = [];
  const seen = new Set<SchemaNode>();
  const visit = (node: SchemaNode, depth: number) => {
    if (seen.has(node) || depth > maxMemberDepth) return;
    seen.add(node);
    for (const part of node.allOf ?? []) visit(part, depth + 1);
    for (const member of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
      if (!seen.has(member)) found.push(member);
      visit(member, depth + 1);
    }
  };
  visit(schema, 0);
  return found;
}

function takes(schema: SchemaNode, reading: ObjectReading): boolean {
  return reading.problems.length === 0 && validateValue(schema, reading.object, '').length === 0;
}

const same = (text: string) => text;

// One occurrence as its text, several as a list.
function listOrText(texts: readonly string[] | undefined): string | string[] | undefined {
  if (texts === undefined) return undefined;
  return texts.length === 1 ? texts[0] : [...texts];
}

// Whether the router reads a `;` as the start of the query too (its `useSemicolonDelimiter`).
function semicolonDelimiter(request: FastifyRequest): boolean {
  const config = request.server.initialConfig as {
    useSemicolonDelimiter?: boolean;
    routerOptions?: { useSemicolonDelimiter?: boolean };
  };
  return (
    config.routerOptions?.useSemicolonDelimiter === true || config.useSemicolonDelimiter === true
  );
}

// The query of a URL as fastify's parser (fast-querystring) reads it, names decoded, values
// left encoded: `+` is a space, and a pair without `=` is an empty value.
function parseQuery(url: string, semicolon: boolean): Map<string, string[]> {
  const query = new Map<string, string[]>();
  const question = url.indexOf('?');
  const semi = semicolon ? url.indexOf(';') : -1;
  const start = semi >= 0 && (question < 0 || semi < question) ? semi : question;
  if (start < 0) return query;
  for (const pair of url.slice(start + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeQueryText(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : pair.slice(equals + 1);
    const values = query.get(name);
    if (values) values.push(value);
    else query.set(name, [value]);
  }
  return query;
}

// A query text decoded as fast-querystring does: `+` is a space, and text whose escapes do
// not decode is kept as it is.
function decodeQueryText(text: string): string {
  return safeDecode(text.replaceAll('+', ' '));
}

// A query parameter's text as PyMacaron read it (werkzeug's `args.get`): the first of a
// repeated one that is not an array (a JSON one never is: its array is in its one value).
function firstOfRepeated(
  schema: SchemaNode | undefined,
  raw: string | string[],
  json: boolean,
): string | string[] | undefined {
  if (schema?.types?.includes('array') && !json) return raw;
  return Array.isArray(raw) ? raw[0] : raw;
}

// Whether bravado-core cast a parameter's text (to int, float or bool), so that an empty one
// was None: a text that may be a string stays one.
function castFromText(schema: SchemaNode | undefined): boolean {
  const types = schema?.types;
  return (
    types !== undefined &&
    !types.includes('string') &&
    (types.includes('integer') || types.includes('number') || types.includes('boolean'))
  );
}

// The text of a parameter as fastify parsed it: a string, or a list of them when repeated.
function textOf(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String);
  return undefined;
}

function targetOf(values: RequestParameters, parameter: SpecParameter): Record<string, unknown> {
  switch (parameter.in) {
    case 'path':
      return values.params;
    case 'query':
      return values.query;
    case 'header':
      return values.headers;
    case 'cookie':
      return values.cookies;
  }
}

// The JSON of a parameter; its text when it is not JSON (validation says what is wrong), the
// error for a number out of range.
function parseJson(text: string): unknown {
  try {
    return parseJsonExactly(text);
  } catch (error) {
    return error instanceof JsonNumberRangeError ? error : text;
  }
}

// Cookies by name, their values still encoded: the first of a name only. Each cookie's bytes
// are read as UTF-8 (as a browser sends `document.cookie` text, and PyMacaron read it).
function parseCookies(header: string | undefined): Map<string, string[]> {
  const cookies = new Map<string, string[]>();
  for (const pair of (header ?? '').split(';').map(utf8Text)) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    // Spaces and tabs around them alone (RFC 6265 §5.2's WSP): trim() would take a NBSP off
    // an integer cookie's text too, reading `\u00a05` as 5.
    const name = withoutFieldSpace(pair.slice(0, separator));
    const value = withoutFieldSpace(pair.slice(separator + 1));
    if (!cookies.has(name)) cookies.set(name, [value]);
  }
  return cookies;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Header text as Node.js gives it, a character for each byte (Latin-1), read as the UTF-8 its
// bytes are: `caf\xc3\xa9` is "café", as its %-escaped spelling `caf%C3%A9` is. Bytes that are not
// UTF-8 stay each their Latin-1 character.
function utf8Text(text: string): string {
  if (!/[\u0080-\u00ff]/.test(text)) return text;
  try {
    return utf8.decode(Buffer.from(text, 'latin1'));
  } catch {
    return text;
  }
}
