import type { UserContext } from '@redocly/openapi-core';
import { childLocation, type SpecLocation } from './locate-pointer.js';
import { namingKeywords } from './number-literals.js';
import { sourceText } from './source-text.js';

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

// A literal `yaml11IntegerReading` reads otherwise, wherever it is in a file's text (in a
// description too): what YAML 1.2 reads each as. The walk looks up numbers of these values
// alone, so a file without them costs a scan of its text and no lookup of any number's text.
// Any comma may come before one: `[1,010]` is [1, 8] to PyYAML (prose's `1,010` costs lookups
// of the numbers 10, never a finding, which the number's own source text decides).
const leadingZeroLiteral = /(?:^|[\s[{:,])([-+]?0(?:[0-9]+|o[0-7]+))(?=$|[\s\]},#])/gm;
const literalValuesOf = new WeakMap<object, ReadonlySet<number>>();

function literalValues(source: SpecLocation['source']): ReadonlySet<number> {
  let values = literalValuesOf.get(source);
  if (values === undefined) {
    const found = new Set<number>();
    for (const [, literal] of source.body.matchAll(leadingZeroLiteral)) {
      if (yaml11IntegerReading(literal!) === undefined) continue;
      const octal = /^([-+]?)0o([0-7]+)$/.exec(literal!);
      found.add(
        octal ? Number.parseInt(octal[2]!, 8) * (octal[1] === '-' ? -1 : 1) : Number(literal),
      );
    }
    values = found;
    literalValuesOf.set(source, values);
  }
  return values;
}

// A `$ref` to another file (not `#…`), as JSON or YAML writes it.
const refToAnotherFile = /\$ref['"]?\s*:\s*['"]?(?!#)[^\s'"]/;

/** A number whose literal YAML 1.1 read otherwise, where the spec wrote it. */
export interface Yaml11Integer {
  readonly location: SpecLocation;
  readonly message: string;
}

/**
 * The integer literals of a spec, in the root document and the files its `$ref`s reach, that
 * PyYAML read otherwise than YAML 1.2 does (see `yaml11IntegerReading`), but in examples, which
 * nothing validates with. Each file's place is visited once.
 */
export function yaml11Integers(root: unknown, context: UserContext): Yaml11Integer[] {
  const found: Yaml11Integer[] = [];
  const rootSource = context.location.source;
  // A spec of one file without such a literal (most: JSON has none) is not walked.
  if (literalValues(rootSource).size === 0 && !refToAnotherFile.test(rootSource.body)) return found;
  const seen = new Set<string>();
  const stack: { node: unknown; location: SpecLocation; names: boolean }[] = [
    { node: root, location: context.location, names: false },
  ];
  while (stack.length > 0) {
    const { node, location, names } = stack.pop()!;
    if (typeof node === 'number') {
      if (!literalValues(location.source).has(node)) continue;
      const text = sourceText(location);
      const reading = yaml11IntegerReading(text);
      if (reading !== undefined)
        found.push({
          location,
          message: `${text.trim()} is ${node} in YAML 1.2, which Macaron reads specs with, and was ${reading} to YAML 1.1, which PyMacaron read them with: write the number as meant, without leading zeros`,
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
      if (resolved.location && resolved.node !== undefined)
        stack.push({ node: resolved.node, location: resolved.location, names: false });
      continue;
    }
    for (const [name, value] of Object.entries(node)) {
      if (!names && (name === 'example' || name === 'examples')) continue;
      stack.push({
        node: value,
        location: childLocation(location, name),
        names: !Array.isArray(node) && !names && namingKeywords.has(name),
      });
    }
  }
  return found;
}
