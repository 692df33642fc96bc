import { describe, expect, it } from 'vitest';
import { isNumberLiteral, numberLiteralFindings, unreadableNumbers } from './number-literals.js';

describe('number literals', () => {
  it('finds non-finite numbers and integers beyond 2^53 anywhere, with their pointers', () => {
    const document = {
      components: {
        schemas: {
          N: { maximum: Number.POSITIVE_INFINITY, multipleOf: Number.NaN, minimum: -1e300 },
          'a/b': { enum: [2 ** 53 + 2, 1, 2 ** 53 - 1], example: { id: 2 ** 60 } },
          // Not reported: examples (nothing validates with them), and an int64 bound at or past
          // the int64 range, which the range itself holds (rounded harmlessly).
          I: { format: 'int64', maximum: 2 ** 63, minimum: -(2 ** 64) },
          // A property named example is no example.
          P: { properties: { example: { maximum: 2 ** 60 } } },
        },
      },
    };
    expect(unreadableNumbers(document).map((found) => found.pointer)).toEqual([
      '/components/schemas/N/maximum',
      '/components/schemas/N/multipleOf',
      '/components/schemas/N/minimum',
      '/components/schemas/a~1b/enum/0',
      '/components/schemas/P/properties/example/maximum',
    ]);
    const findings = numberLiteralFindings(document);
    expect(findings.map((finding) => finding.rule)).toEqual([
      'schema',
      'schema',
      'int64',
      'int64',
      'int64',
    ]);
    expect(findings[0]!.message).toMatch(/^\.inf is no number JSON can hold/);
    expect(findings[1]!.message).toMatch(/^\.nan is no number JSON can hold/);
  });

  it('tells a number literal from other source text', () => {
    for (const literal of [
      '9007199254740993',
      '-9223372036854775808',
      '+1',
      '1e17',
      '1.5E+17',
      '.5',
      '12345678901234567890.0',
      '0x20000000000001',
      '0o777',
      ' 1.7976931348623157e+308 ',
    ])
      expect([literal, isNumberLiteral(literal)]).toEqual([literal, true]);
    for (const text of ['{ type: integer }', '.inf', '"9007199254740993"', '1_000', ''])
      expect([text, isNumberLiteral(text)]).toEqual([text, false]);
  });
});
