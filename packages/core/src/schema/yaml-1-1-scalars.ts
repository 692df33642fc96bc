// PyMacaron read specs with PyYAML, which follows YAML 1.1: `yes`, `off`, `1_000` were a boolean
// and a number there, and are text to the YAML 1.2 parsers Macaron's tools use. A spec moved
// over unchanged keeps them: a problem with such a text says how YAML 1.1 read it.
const booleans = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((text) => [text, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((text) => [text, false] as const),
]);
const groupedNumber = /^[-+]?[0-9][0-9_]*(\.[0-9_]*)?$/;

/**
 * `; YAML 1.1 (PyMacaron's) read "yes" as true, …` for a text YAML 1.1 read as a boolean (or,
 * with `number`, a number written with `_`), else ''.
 */
export function yaml11Reading(value: unknown, expected: 'boolean' | 'number'): string {
  if (typeof value !== 'string') return '';
  let read: string | undefined;
  if (expected === 'boolean' && booleans.has(value)) read = String(booleans.get(value));
  if (expected === 'number' && groupedNumber.test(value) && value.includes('_'))
    read = String(Number(value.replaceAll('_', '')));
  return read === undefined
    ? ''
    : `; YAML 1.1 (which PyMacaron read specs with) read ${value} as ${read}, YAML 1.2 reads the text ${JSON.stringify(value)}: write ${read}`;
}
