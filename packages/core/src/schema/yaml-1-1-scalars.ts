import type { SpecProblem } from '../errors/spec-error.js';
import { appendPointer } from './json-pointer.js';

// PyMacaron read specs with PyYAML, which follows YAML 1.1: `yes`, `off`, `1_000`, `0b101` were
// a boolean and numbers there, and are text to the YAML 1.2 parsers Macaron's tools use. A spec
// moved over unchanged keeps them: a problem with such a text says how PyYAML read it.
const booleans = new Map<string, boolean>([
  ...['yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((text) => [text, true] as const),
  ...['no', 'No', 'NO', 'off', 'Off', 'OFF'].map((text) => [text, false] as const),
]);

// PyYAML's integer and float forms that YAML 1.2 reads as text: with `_`, or binary.
const numberForms: [RegExp, (digits: string) => number][] = [
  [/^[-+]?0b[01_]+$/, (digits) => parseInt(digits.replace(/^[-+]?0b/, ''), 2)],
  [/^[-+]?0x[0-9a-fA-F_]+$/, (digits) => parseInt(digits.replace(/^[-+]?0x/, ''), 16)],
  [/^[-+]?0[0-7_]+$/, (digits) => parseInt(digits.replace(/^[-+]?0/, ''), 8)],
  [/^[-+]?(?:0|[1-9][0-9_]*)$/, Number],
  [/^[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?$/, Number],
];

function yaml11Number(text: string): number | undefined {
  if (!text.includes('_') && !/^[-+]?0b/.test(text)) return undefined;
  for (const [form, read] of numberForms) {
    if (!form.test(text)) continue;
    const value = read(text.replaceAll('_', ''));
    return text.startsWith('-') ? -Math.abs(value) : value;
  }
  return undefined;
}

/**
 * `; YAML 1.1 (PyMacaron's) read yes as true, …` for a text PyYAML read as a boolean (or, with
 * `number`, as a number), else ''.
 */
export function yaml11Reading(value: unknown, expected: 'boolean' | 'number'): string {
  if (typeof value !== 'string') return '';
  const read = expected === 'boolean' ? booleans.get(value) : yaml11Number(value);
  return read === undefined
    ? ''
    : `; YAML 1.1 (which PyMacaron read specs with) read ${value} as ${read}, YAML 1.2 reads the text ${JSON.stringify(value)}: write ${read}`;
}

/**
 * The members of an enum on a schema of numbers or booleans that are texts PyYAML read as such
 * (`enum: [1_000, 2]` on an integer, `[yes, no]` on a boolean): members no value of the type
 * ever equals, so a value PyMacaron accepted would be refused. One problem at each.
 */
export function yaml11EnumProblems(
  types: readonly string[],
  members: readonly unknown[],
  pointer: string,
  problems: SpecProblem[],
): void {
  if (types.includes('string')) return;
  // Each kind the types hold (`[boolean, integer]` holds both): a member is read as either.
  const kinds: ('boolean' | 'number')[] = [];
  if (types.includes('boolean')) kinds.push('boolean');
  if (types.includes('integer') || types.includes('number')) kinds.push('number');
  if (kinds.length === 0) return;
  members.forEach((member, index) => {
    let reading = '';
    for (const kind of kinds) reading ||= yaml11Reading(member, kind);
    if (reading)
      problems.push({
        pointer: appendPointer(appendPointer(pointer, 'enum'), String(index)),
        message: `enum member ${JSON.stringify(member)} is a text, which no value of type ${types.filter((type) => type !== 'null').join(' or ')} equals${reading}`,
      });
  });
}
