import { getAstNodeByPointer, type UserContext } from '@redocly/openapi-core';
import { childLocation, type SpecLocation } from './locate-pointer.js';
import { namingKeywords } from './number-literals.js';
import { type SourceNode, sourceRange, sourceTree, treeStart } from './source-text.js';

/**
 * How PyYAML (YAML 1.1, which PyMacaron read specs with) read an integer literal that YAML 1.2
 * reads otherwise, or undefined: `010` is octal there (8; 10 here), `08` and `0o10` are texts
 * there (8 here). Only the literal's source text tells: both parsers read a number.
 */
export function yaml11IntegerReading(text: string): string | undefined {
  const literal = text.trim();
  const leadingZero = /^([-+]?)0([0-9]+)$/.exec(literal);
  if (leadingZero) {
    const [, sign, digits] = leadingZero as unknown as [string, string, string];
    if (!/^[0-7]+$/.test(digits)) return `the text "${literal}"`;
    const octal = Number.parseInt(digits, 8);
    // `07` is 7 to both.
    if (octal === Number(digits)) return undefined;
    return `${sign === '-' ? -octal : octal} (octal)`;
  }
  if (/^[-+]?0o[0-7]+$/.test(literal)) return `the text "${literal}"`;
  return undefined;
}

/**
 * How PyYAML read an integer literal written with an explicit integer tag (`!!int 010`, quoted
 * or not: `!!int "010"`), that YAML 1.2 reads otherwise, or undefined: PyYAML read its digits
 * after a leading zero as octal (`!!int 010` was 8; 10 here) and refused the spec for an 8 or a
 * 9 among them (`!!int 08`; 8 here).
 */
export function yaml11TaggedIntegerReading(text: string): string | undefined {
  const literal = text.trim().replace(/^(["'])(.*)\1$/s, '$2');
  const leadingZero = /^([-+]?)0([0-9]+)$/.exec(literal);
  if (!leadingZero) return undefined;
  const [, sign, digits] = leadingZero as unknown as [string, string, string];
  if (!/^[0-7]+$/.test(digits))
    return 'an error (8 and 9 are no octal digits: PyYAML refused the spec)';
  const octal = Number.parseInt(digits, 8);
  if (octal === Number(digits)) return undefined;
  return `${sign === '-' ? -octal : octal} (octal)`;
}

// An explicit integer tag right before a scalar: `!!int 010`, `!<tag:yaml.org,2002:int> "010"`.
const integerTagBefore = /(!!int|!<tag:yaml\.org,2002:int>)[ \t]+$/;

// How YAML 1.2 (js-yaml's core schema, which redocly and Macaron read specs with) reads a plain
// key of integer form: `010:` is the key "10", `0o10:` and `08:` are "8". Other keys are their text.
function yaml12Key(text: string): string {
  if (/^[-+]?[0-9]+$/.test(text)) return String(Number(text) + 0);
  const radix = /^([-+]?)0([ox])([0-9a-fA-F]+)$/.exec(text);
  if (radix) {
    const value = Number.parseInt(radix[3]!, radix[2] === 'o' ? 8 : 16);
    if (!Number.isNaN(value)) return String(radix[1] === '-' ? -value : value);
  }
  return text;
}

// yaml-ast-parser's node kinds.
const scalarKind = 0;
const mapKind = 2;
const sequenceKind = 3;

// A literal `yaml11IntegerReading` reads otherwise, wherever it is in a file's text (in a
// description too): what YAML 1.2 reads each as. The walk looks up numbers (and keys of integer
// form) of these values alone, so a file without them costs a scan of its text and no lookup of
// any number's text. Any comma may come before one: `[1,010]` is [1, 8] to PyYAML (prose's
// `1,010` costs lookups of the numbers 10, never a finding, which the number's own source text
// decides); a colon after one makes it a key (`010:` is the key 8 to PyYAML, "10" to YAML 1.2);
// quotes around one are read after an integer tag (`!!int "010"` was 8).
const leadingZeroLiteral = /(?:^|[\s[{:,?])(["']?)([-+]?0(?:[0-9]+|o[0-7]+))\1(?=$|[\s\]},#:])/gm;
const literalValuesOf = new WeakMap<object, ReadonlySet<number>>();

function literalValues(source: SpecLocation['source']): ReadonlySet<number> {
  let values = literalValuesOf.get(source);
  if (values === undefined) {
    const found = new Set<number>();
    for (const [, , literal] of source.body.matchAll(leadingZeroLiteral)) {
      if (yaml11IntegerReading(literal!) === undefined) continue;
      found.add(Number(yaml12Key(literal!)));
    }
    values = found;
    literalValuesOf.set(source, values);
  }
  return values;
}

// A `$ref` to another file (not `#…`), as JSON or YAML writes it.
const refToAnotherFile = /\$ref['"]?\s*:\s*['"]?(?!#)[^\s'"]/;

/** A number or key whose literal YAML 1.1 read otherwise, where the spec wrote it. */
export interface Yaml11Integer {
  readonly location: SpecLocation;
  readonly message: string;
}

// The node of a file's syntax tree for a place of the parsed document, if the tree has it.
function treeNodeAt(location: SpecLocation): SourceNode | undefined {
  const tree = sourceTree(location.source);
  if (tree === undefined) return undefined;
  const found = getAstNodeByPointer(tree as never, location.pointer, false) as
    | SourceNode
    | undefined;
  // A pointer the tree does not hold all of gives the last node found on its way: not its own.
  return location.pointer === '#/' || found !== tree ? found : undefined;
}

type Mapping = NonNullable<SourceNode['mappings']>[number];
const mappingsByKey = new WeakMap<SourceNode, Map<string, Mapping>>();

// The mapping of a map of the syntax tree that holds a key of the parsed document: by its text,
// else by how YAML 1.2 reads a plain key (`010` holds "10"). Indexed once a map.
function mappingOf(map: SourceNode | undefined, name: string): Mapping | undefined {
  if (map?.kind !== mapKind) return undefined;
  let byKey = mappingsByKey.get(map);
  if (byKey === undefined) {
    byKey = new Map();
    for (const mapping of map.mappings ?? []) {
      const text = mapping.key?.value;
      if (typeof text !== 'string') continue;
      if (!byKey.has(text)) byKey.set(text, mapping);
    }
    for (const mapping of map.mappings ?? []) {
      const text = mapping.key?.value;
      if (typeof text !== 'string' || mapping.key.plainScalar !== true) continue;
      const read = yaml12Key(text);
      if (!byKey.has(read)) byKey.set(read, mapping);
    }
    mappingsByKey.set(map, byKey);
  }
  return byKey.get(name);
}

// yaml-ast-parser, which redocly locates problems with, reads `!!int` as YAML 1.1 did and cannot
// read some of its literals (`!!int 08`, a tagged literal that closes a flow collection): the
// file's tree lacks them and often what follows them, so the walk cannot find them. They are
// found in the text then: an integer tag outside comments, quoted texts and block scalars, and
// outside examples (a line under an `example:` or `examples:` key, or with one before it).
const taggedLiteral = /(!!int|!<tag:yaml\.org,2002:int>)[ \t]+("[^"\n]*"|'[^'\n]*'|[^\s,\]}#]+)/g;
const blockScalarHeader = /(?:^|[\s:-])[|>][-+0-9]*[ \t]*(?:#.*)?$/;
const exampleKey = /(?:^|[\s{,])["']?examples?["']?[ \t]*:(?:[ \t]|$)/;

const indentOf = (line: string) => line.length - line.trimStart().length;

// Whether a place of a line is in a comment or a quoted text of that line.
function inCommentOrQuote(prefix: string): boolean {
  let quote = '';
  for (let index = 0; index < prefix.length; index += 1) {
    const char = prefix[index]!;
    if (quote === '') {
      if (char === '"' || char === "'") quote = char;
      else if (char === '#' && (index === 0 || /\s/.test(prefix[index - 1]!))) return true;
    } else if (char === '\\' && quote === '"') index += 1;
    else if (char === quote) quote = '';
  }
  return quote !== '';
}

// Whether a line is in a block scalar (`|`, `>`) or under an example: the lines it is under,
// each less indented than the last, say.
function inBlockScalarOrExample(lines: readonly string[], at: number, prefix: string): boolean {
  if (exampleKey.test(prefix)) return true;
  let indent = indentOf(lines[at]!);
  for (let index = at - 1; index >= 0 && indent > 0; index -= 1) {
    const line = lines[index]!;
    if (line.trim() === '' || indentOf(line) >= indent) continue;
    if (blockScalarHeader.test(line) || exampleKey.test(line)) return true;
    indent = indentOf(line);
  }
  return false;
}

function unreadTaggedIntegers(
  source: SpecLocation['source'],
  reported: ReadonlySet<number>,
): Yaml11Integer[] {
  const found: Yaml11Integer[] = [];
  const body = source.body;
  if (!body.includes('!!int') && !body.includes('2002:int>')) return found;
  const lines = body.split('\n');
  let lineStart = 0;
  lines.forEach((line, at) => {
    for (const match of line.matchAll(taggedLiteral)) {
      const [, tag, literal] = match as unknown as [string, string, string];
      const column = match.index + match[0].length - literal.length;
      const reading = yaml11TaggedIntegerReading(literal);
      if (reading === undefined || reported.has(lineStart + column)) continue;
      const prefix = line.slice(0, match.index);
      if (inCommentOrQuote(prefix) || inBlockScalarOrExample(lines, at, prefix)) continue;
      const read = Number(yaml12Key(literal.replace(/^(["'])(.*)\1$/s, '$2')));
      found.push({
        // Where the file says, as the tree cannot: at no place of the parsed document.
        location: {
          source,
          pointer: undefined,
          start: { line: at + 1, col: column + 1 },
          end: { line: at + 1, col: column + 1 + literal.length },
        } as unknown as SpecLocation,
        message: message(
          `${tag} ${literal}`,
          String(read),
          reading,
          'write the number as meant, without leading zeros (and without the tag)',
        ),
      });
    }
    lineStart += line.length + 1;
  });
  return found;
}

const message = (text: string, read: string, reading: string, advice: string) =>
  `${text} is ${read} in YAML 1.2, which Macaron reads specs with, and was ${reading} to YAML 1.1, which PyMacaron read them with: ${advice}`;

/**
 * The integer literals of a spec, in the root document and the files its `$ref`s reach, that
 * PyYAML read otherwise than YAML 1.2 does (see `yaml11IntegerReading`, and
 * `yaml11TaggedIntegerReading` after `!!int`): numbers, and keys of integer form (`010:`, the
 * key 8 to PyYAML and "10" here), but in examples, which nothing validates with. Each file's
 * place is visited once.
 */
export function yaml11Integers(root: unknown, context: UserContext): Yaml11Integer[] {
  const found: Yaml11Integer[] = [];
  const rootSource = context.location.source;
  // A spec of one file without such a literal (most: JSON has none) is not walked.
  if (literalValues(rootSource).size === 0 && !refToAnotherFile.test(rootSource.body)) return found;
  const seen = new Set<string>();
  const stack: {
    node: unknown;
    location: SpecLocation;
    names: boolean;
    tree: SourceNode | undefined;
  }[] = [{ node: root, location: context.location, names: false, tree: undefined }];
  // The tree of the root document is looked up once there is a literal to look for.
  // The files walked, each with where the walk found its tagged literals.
  const tagged = new Map<SpecLocation['source'], Set<number>>();
  const scan = (source: SpecLocation['source']) => {
    if (!tagged.has(source) && literalValues(source).size > 0) tagged.set(source, new Set());
  };
  if (literalValues(rootSource).size > 0) stack[0]!.tree = treeNodeAt(context.location);
  scan(rootSource);
  while (stack.length > 0) {
    const { node, location, names, tree } = stack.pop()!;
    if (typeof node === 'number') {
      if (!literalValues(location.source).has(node)) continue;
      const body = location.source.body;
      const { start, end } =
        tree?.kind === scalarKind
          ? {
              start: tree.startPosition + treeStart(location.source),
              end: tree.endPosition + treeStart(location.source),
            }
          : sourceRange(location);
      const text = body.slice(start, end).trim();
      const tag = integerTagBefore.exec(body.slice(Math.max(0, start - 40), start));
      const reading = tag ? yaml11TaggedIntegerReading(text) : yaml11IntegerReading(text);
      if (reading !== undefined && tag) tagged.get(location.source)?.add(start);
      if (reading !== undefined)
        found.push({
          location,
          message: message(
            tag ? `${tag[1]} ${text}` : text,
            String(node),
            reading,
            'write the number as meant, without leading zeros',
          ),
        });
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const id = location.absolutePointer;
    if (seen.has(id)) continue;
    seen.add(id);
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      const resolved = context.resolve(node, location.source.absoluteRef);
      if (resolved.location) scan(resolved.location.source);
      if (resolved.location && resolved.node !== undefined)
        stack.push({
          node: resolved.node,
          location: resolved.location,
          names: false,
          tree:
            literalValues(resolved.location.source).size > 0
              ? treeNodeAt(resolved.location)
              : undefined,
        });
      continue;
    }
    const isArray = Array.isArray(node);
    const values = literalValues(location.source);
    for (const [name, value] of Object.entries(node)) {
      if (!names && (name === 'example' || name === 'examples')) continue;
      let childTree: SourceNode | undefined;
      let token = name;
      if (isArray) {
        childTree =
          tree?.kind === sequenceKind ? (tree.items?.[Number(name)] ?? undefined) : undefined;
      } else {
        const mapping = values.size > 0 ? mappingOf(tree, name) : undefined;
        childTree = mapping?.value;
        // The key as the file writes it, which redocly finds it by (`010`, not `10`).
        const key = mapping?.key;
        if (key !== undefined && typeof key.value === 'string') token = key.value;
        const reading =
          key?.plainScalar === true && token !== name ? yaml11IntegerReading(token) : undefined;
        if (reading !== undefined)
          found.push({
            location: childLocation(location, token).key(),
            message: message(
              `the key ${token}`,
              JSON.stringify(name),
              reading === `the text "${token}"` ? `the key "${token}"` : `the key ${reading}`,
              `quote the key as meant ('${token}' or '${name}')`,
            ),
          });
      }
      stack.push({
        node: value,
        location: childLocation(location, token),
        names: !isArray && !names && namingKeywords.has(name),
        tree: childTree,
      });
    }
  }
  for (const [source, reported] of tagged) found.push(...unreadTaggedIntegers(source, reported));
  return found;
}
