import type { SpecFinding } from './spec-finding.js';

const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

/** A number of a spec document that JSON or a double cannot hold as the spec wrote it. */
export interface NumberLiteral {
  /** JSON pointer of the number. */
  readonly pointer: string;
  /** The number as the parser read it: NaN, ±Infinity, or an integer beyond 2^53. */
  readonly value: number;
}

/**
 * Every number of a document (keywords, enums, defaults, examples, extensions) that is not
 * finite (YAML's `.nan`, `.inf`), which JSON cannot hold, or an integer beyond 2^53, which
 * the parser may have rounded (2^53 + 1 reads as 2^53).
 */
export function unreadableNumbers(document: unknown): NumberLiteral[] {
  const found: NumberLiteral[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, pointer: string) => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))
        found.push({ pointer, value });
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    for (const [key, item] of Object.entries(value)) walk(item, `${pointer}/${escapeToken(key)}`);
  };
  walk(document, '');
  return found;
}

/** The message of a number the source shows was rounded: what it says and what was read. */
export function roundedMessage(written: string): string {
  return `${written.trim()} is read as ${BigInt(Number(written))}: numbers beyond 2^53 are rounded when the spec is read, and validation compares with the rounded one; keep it within 2^53 where that matters`;
}

/** How a non-finite number reads in a message: as YAML writes it. */
export function yamlNumber(value: number): string {
  return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
}

/**
 * Lint findings for `unreadableNumbers`: a non-finite number is an error (`schema`: compiled
 * to JSON it would be `null`, and mean something else); an integer beyond 2^53 a warning
 * (`int64`: int64 bounds such as 9223372036854775807 are common, and rounded harmlessly).
 */
export function numberLiteralFindings(document: unknown): SpecFinding[] {
  return unreadableNumbers(document).map(({ pointer, value }) =>
    Number.isFinite(value)
      ? {
          rule: 'int64',
          pointer,
          message: `${value} is beyond 2^53, where a number read from the spec may be rounded (9007199254740993 reads as 9007199254740992): check the value is exact, or keep it within 2^53`,
        }
      : {
          rule: 'schema',
          pointer,
          message: `${yamlNumber(value)} is no number JSON can hold: macaron compile refuses it, and validation cannot use it as meant; give a finite number or leave the keyword out`,
        },
  );
}

/**
 * Whether the source text of a number is read exactly: `true` for a literal a double holds
 * exactly (-9223372036854775808 is -2^63, 1e17 is 10^17), `false` for one it rounds,
 * `undefined` for text that is no number literal (then nothing tells).
 */
export function readExactly(text: string): boolean | undefined {
  const literal = text.trim();
  const parts = /^[-+]?(\d+)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(literal);
  const read = Number(literal);
  if (!parts || !Number.isInteger(read)) return undefined;
  // The written value is digits × 10^exponent, compared without rounding.
  const fraction = parts[2] ?? '';
  const digits = BigInt(`${parts[1]}${fraction}`) * (literal.startsWith('-') ? -1n : 1n);
  const exponent = Number(parts[3] ?? 0) - fraction.length;
  return exponent >= 0
    ? BigInt(read) === digits * 10n ** BigInt(exponent)
    : BigInt(read) * 10n ** BigInt(-exponent) === digits;
}
