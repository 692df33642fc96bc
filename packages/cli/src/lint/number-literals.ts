import { pointerToken } from '../spec/pointer-token.js';
import type { SpecFinding } from './spec-finding.js';

/** A number of a spec document that JSON or a double cannot hold as the spec wrote it. */
export interface NumberLiteral {
  /** JSON pointer of the number. */
  readonly pointer: string;
  /** The number as the parser read it: NaN, ±Infinity, or an integer beyond 2^53. */
  readonly value: number;
}

/**
 * Every number of a document (keywords, enums, defaults, extensions, examples) that is not
 * finite (YAML's `.nan`, `.inf`), which JSON cannot hold, and every integer beyond 2^53, which
 * the parser may have rounded (2^53 + 1 reads as 2^53), but in examples (which nothing
 * validates with), nor an int64 bound at or past the int64 range (9223372036854775807 reads as 2^63, which the
 * int64 range itself refuses: rounded harmlessly).
 */
export function unreadableNumbers(document: unknown): NumberLiteral[] {
  const found: NumberLiteral[] = [];
  const seen = new Set<unknown>();
  // `example`: inside an example, where only a non-finite number matters (JSON would write it
  // as null: compile refuses it); nothing validates with an example's other numbers.
  const walk = (
    value: unknown,
    pointer: string,
    key: string,
    holder: unknown,
    names: boolean,
    example = false,
  ) => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) found.push({ pointer, value });
      else if (
        !example &&
        Number.isInteger(value) &&
        !Number.isSafeInteger(value) &&
        !isInt64RangeBound(holder, key, value)
      )
        found.push({ pointer, value });
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    for (const [name, item] of Object.entries(value)) {
      // A keyword of a schema (not a property so named) holding an example.
      const inExample = example || (!names && (name === 'example' || name === 'examples'));
      walk(
        item,
        `${pointer}/${pointerToken(name)}`,
        name,
        value,
        namingKeywords.has(name),
        inExample,
      );
    }
  };
  walk(document, '', '', undefined, false);
  return found;
}

// Keywords whose members are names, not keywords: `properties: { example: … }` is a property.
export const namingKeywords: ReadonlySet<string> = new Set([
  'properties',
  'patternProperties',
  'definitions',
  'schemas',
  '$defs',
  'dependentSchemas',
  'parameters',
  'responses',
  'headers',
  'mapping',
]);

const boundKeywords = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);
const int64Limit = 2 ** 63;

// A bound of an int64 schema at or past the int64 range: however it rounds, the range decides.
function isInt64RangeBound(holder: unknown, key: string, value: number): boolean {
  return (
    boundKeywords.has(key) &&
    typeof holder === 'object' &&
    holder !== null &&
    (holder as { format?: unknown }).format === 'int64' &&
    Math.abs(value) >= int64Limit
  );
}

/** How a non-finite number reads in a message: as YAML writes it. */
export function yamlNumber(value: number): string {
  return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
}

/**
 * Lint findings for `unreadableNumbers`: a non-finite number is an error (`schema`: compiled
 * to JSON it would be `null`, and mean something else); an integer beyond 2^53 a warning
 * (`int64`) in a spec given as an object, whose numbers JavaScript rounded before Macaron read
 * them (`readFrom`): those of a file are read as written (see `isNumberLiteral`).
 */
export function numberLiteralFindings(
  document: unknown,
  readFrom: 'file' | 'object' = 'object',
): SpecFinding[] {
  const found = unreadableNumbers(document);
  // A file's integer literals are read as written: only those that are no number are findings.
  const unread = readFrom === 'file' ? found.filter(({ value }) => !Number.isFinite(value)) : found;
  return unread.map(({ pointer, value }) =>
    Number.isFinite(value)
      ? {
          rule: 'int64',
          pointer,
          message: `${value} is beyond 2^53, where a JavaScript number may have rounded what was meant (9007199254740993 is 9007199254740992): check the value is exact, or write the spec in a file (YAML or JSON), whose numbers Macaron reads as written`,
        }
      : {
          rule: 'schema',
          pointer,
          message: `${yamlNumber(value)} is no number JSON can hold: macaron compile refuses it, and validation cannot use it as meant; give a finite number or leave the keyword out`,
        },
  );
}

/**
 * Whether the source text at a finding's place is a number literal (YAML's or JSON's: decimal,
 * with a fraction or an exponent, hexadecimal, octal): Macaron reads those of a file as written,
 * beyond 2^53 too (see `writtenSpecValue`), so an `int64` finding of `unreadableNumbers` there
 * says nothing. Anything else (a schema's text) is no literal.
 */
export function isNumberLiteral(text: string): boolean {
  return /^[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|0x[\da-fA-F]+|0o[0-7]+)$/.test(text.trim());
}
