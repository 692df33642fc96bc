/**
 * Names a schema's type may not take: the file's own names and those it uses from
 * elsewhere. A schema named like one would merge with it or shadow it (`Operations`,
 * `Extract`), or not compile at all (`string`, `unique`). The generate tests name schemas
 * after every name a generated file holds, so that this list stays complete.
 */
export const reservedNames = new Set([
  // TypeScript's own type names and keywords
  'any',
  'unknown',
  'never',
  'void',
  'undefined',
  'null',
  'object',
  'string',
  'number',
  'bigint',
  'boolean',
  'symbol',
  'this',
  'type',
  'interface',
  'function',
  'class',
  'enum',
  'const',
  'let',
  'var',
  'import',
  'export',
  'default',
  'extends',
  'implements',
  'in',
  'of',
  'new',
  'delete',
  'typeof',
  'keyof',
  'infer',
  'intrinsic',
  'readonly',
  'unique',
  'true',
  'false',
  'if',
  'else',
  'return',
  'switch',
  'case',
  'for',
  'while',
  'do',
  'break',
  'continue',
  'try',
  'catch',
  'finally',
  'throw',
  'with',
  'yield',
  'await',
  'async',
  'super',
  'package',
  'private',
  'protected',
  'public',
  'static',
  'debugger',
  'instanceof',
  'is',
  'asserts',
  'satisfies',
  'declare',
  'namespace',
  'module',
  'abstract',
  'global',
  'require',
  'as',
  'from',
  'get',
  'set',
  // globals the generated file uses (and a few it used to)
  'Array',
  'Extract',
  'Omit',
  'Partial',
  'Pick',
  'Promise',
  'PropertyKey',
  'Record',
  'Exclude',
  'NonNullable',
  'Uint8Array',
  'AsyncIterable',
  'ReadonlyArray',
  'Set',
  // what the generated file imports
  'MacaronApi',
  'MacaronModelClass',
  'MacaronPersistentModelClass',
  'MacaronSpecError',
  'TypedHandlers',
  'TypedPersistentClass',
  'TypedTransaction',
  'MacaronTransaction',
  // the generated file's own names
  'DirectedModels',
  'Handlers',
  'Models',
  'Operations',
  'PersistentModels',
  'PersistentModelTypes',
  'TypedApi',
  'TypedCondition',
  'TypedQuery',
  'TypedScan',
  'TypedSortCondition',
  'TypedUpdateChanges',
  'TypedWriteOptions',
  'typed',
  'modelNames',
]);

const identifierPattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** True when `name` can be written bare as a property key or identifier. */
export function isIdentifier(name: string): boolean {
  return identifierPattern.test(name);
}

// Characters a reader does not see: line separators JSON leaves raw, bidi controls that make
// code read otherwise than it compiles (Trojan Source, CVE-2021-42574), zero-width ones.
const invisible = /[\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

// `\u202e` for U+202E: the same character in a string literal, visible text in a comment.
const unicodeEscape = (found: string): string =>
  `\\u${found.charCodeAt(0).toString(16).padStart(4, '0')}`;

// A lone surrogate: UTF-8, the file's encoding, has no form for it (it would be written as
// U+FFFD, like any other).
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Text not in NFC (`cafe\u0301`) looks like its NFC spelling (`café`), another name: its
// characters beyond ASCII are written as `\u` escapes, so that the two read apart.
const beyondAscii = /[\u0080-\uffff]/g;
const readable = (text: string): string =>
  text.normalize('NFC') === text ? text : text.replace(beyondAscii, unicodeEscape);

/**
 * A string literal in single quotes, with invisible characters written as `\u` escapes (and
 * every character beyond ASCII, in text not in NFC).
 */
export function quote(text: string): string {
  const escaped = JSON.stringify(text).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'");
  return `'${readable(escaped).replace(invisible, unicodeEscape)}'`;
}

const lineBreaks: Record<string, string> = { '\n': '\\n', '\r': '\\r' };

/**
 * Spec text (a name, a path, a table) made safe inside a `/** … *\/` or `//` comment: a
 * `*\/` would end the comment and let the rest of the text run as code, a line break would
 * end a `//` comment; invisible characters and lone surrogates are shown as `\u` escapes (and
 * every character beyond ASCII, in text not in NFC).
 */
export function commentText(text: string): string {
  return readable(
    text
      .replaceAll('*/', '*\\/')
      .replace(/[\n\r]/g, (found) => lineBreaks[found]!)
      .replace(loneSurrogate, unicodeEscape),
  ).replace(invisible, unicodeEscape);
}

/** A property key: bare when it can be, quoted otherwise. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : quote(name);
}

/**
 * TypeScript names for schema names, one to one. A name that is an identifier already (and not
 * reserved) is its own, whatever other schemas are named: adding `Foo-Bar` to a spec must not
 * take `Foo_Bar` from the schema of that name, which code imports. In other names, characters
 * an identifier cannot hold become `_`, and one taken (reserved, or by another schema) gets `_`
 * appended until free, in sorted order, so the result does not depend on the spec's order.
 */
export function typeIdentifiers(schemaNames: readonly string[]): Map<string, string> {
  const sorted = [...schemaNames].sort(compareText);
  const ownName = (name: string) => isIdentifier(name) && !reservedNames.has(name);
  const taken = new Set(sorted.filter(ownName));
  const identifiers = new Map<string, string>();
  for (const name of sorted) {
    if (ownName(name)) {
      identifiers.set(name, name);
      continue;
    }
    let identifier = name.replace(/[^A-Za-z0-9_$]/g, '_');
    if (!/^[A-Za-z_$]/.test(identifier)) identifier = `_${identifier}`;
    while (reservedNames.has(identifier) || taken.has(identifier)) identifier = `${identifier}_`;
    taken.add(identifier);
    identifiers.set(name, identifier);
  }
  return identifiers;
}

/**
 * Identifiers for names the file adds beside the schemas' (`UserRequest`, a generic), each
 * wanted identifier made free as `typeIdentifiers` does: against the reserved names, every
 * identifier in `taken` (the schemas') and each other, in the order given. Allocated after
 * the schemas', so that a schema's identifier never changes.
 */
export function derivedIdentifiers(wanted: readonly string[], taken: Iterable<string>): string[] {
  const used = new Set(taken);
  return wanted.map((candidate) => {
    let identifier = candidate;
    while (reservedNames.has(identifier) || used.has(identifier)) identifier = `${identifier}_`;
    used.add(identifier);
    return identifier;
  });
}

/** Orders strings by UTF-16 code units: the same on every machine, whatever the locale. */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
