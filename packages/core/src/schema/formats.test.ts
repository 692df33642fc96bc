import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { problemKeys, schemaNode } from '../../test/support/specs.js';
import { integerRanges, matchesStringFormat } from './formats.js';
import { validateValue } from './validate-value.js';

const cases: Record<string, { valid: string[]; invalid: string[] }> = {
  date: {
    valid: ['2024-02-29', '2000-02-29', '2023-02-28', '1999-12-31', '2024-04-30'],
    invalid: [
      '2023-02-29',
      '1900-02-29',
      '2100-02-29',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '2024-1-01',
      '24-01-01',
      '2024-01-01T00:00:00Z',
      '',
    ],
  },
  'date-time': {
    valid: [
      '2024-02-29T12:30:00Z',
      '2024-02-29T12:30:00.123Z',
      '2024-02-29T12:30:00+02:00',
      '2024-02-29T12:30:00.5-05:30',
      '2024-01-01T00:00:00+23:59',
      '2024-02-29t12:30:00z',
      '2016-12-31T23:59:60Z',
      // The same leap second in other offsets.
      '2017-01-01T00:59:60+01:00',
      '2016-12-31T18:59:60-05:00',
      '2016-12-31T23:59:60.5z',
    ],
    invalid: [
      // A 61st second anywhere but at 23:59 UTC.
      '2024-01-01T12:00:60Z',
      '2016-12-31T23:59:60+01:00',
      '2016-12-31T23:58:60Z',
      '2024-01-01T00:00:00',
      '2024-01-01T24:00:00Z',
      '2024-01-01T12:60:00Z',
      '2024-01-01T12:00:61Z',
      '2024-01-01T12:00:00+24:00',
      '2024-01-01T12:00:00+02:60',
      '2024-01-01T12:00:00+0200',
      '2023-02-29T12:00:00Z',
      '2024-01-01',
      '2024-01-01T12:00Z',
    ],
  },
  time: {
    valid: [
      '00:00:00',
      '23:59:59',
      '23:59:59.5Z',
      '08:30:00+02:00',
      '08:30:00-11:30',
      '23:59:60Z',
      '23:59:60',
      '05:29:60+05:30',
    ],
    invalid: [
      '24:00:00',
      '12:60:00',
      '12:00:61',
      '12:00',
      '12:00:00+25:00',
      '12:00:00+02:60',
      '12:00:60Z',
      '23:59:60+00:01',
    ],
  },
  email: {
    valid: ['ada@example.com', 'a.b+tag@sub.example.org'],
    invalid: ['ada', 'ada@', '@example.com', 'a b@example.com', 'ada@example', 'a@b@example.com'],
  },
  uuid: {
    valid: ['123e4567-e89b-12d3-a456-426614174000', 'ABCDEF01-2345-6789-ABCD-EF0123456789'],
    invalid: [
      '123e4567e89b12d3a456426614174000',
      '123e4567-e89b-12d3-a456-42661417400',
      '123e4567-e89b-12d3-a456-4266141740000',
      'g23e4567-e89b-12d3-a456-426614174000',
    ],
  },
  uri: {
    valid: ['https://example.com/a?b=1#c', 'urn:isbn:0451450523', 'mailto:ada@example.com'],
    invalid: ['example.com/path', '/relative/path', '', 'http://'],
  },
  hostname: {
    valid: [
      'example.com',
      'a-b.example',
      'localhost',
      'xn--bcher-kva.example',
      `${'a'.repeat(63)}.com`,
    ],
    invalid: [
      '-a.com',
      'a-.com',
      'a..b',
      'a_b.com',
      '',
      `${'a'.repeat(64)}.com`,
      `${'abcdefghi.'.repeat(26)}com`,
    ],
  },
  ipv4: {
    valid: ['192.168.0.1', '0.0.0.0', '255.255.255.255', '10.0.0.10'],
    invalid: ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.-4', ' 1.2.3.4'],
  },
  ipv6: {
    valid: [
      '::1',
      '::',
      '2001:db8::1',
      'fe80::',
      '::ffff:192.0.2.1',
      '2001:0db8:0000:0000:0000:0000:0000:0001',
    ],
    invalid: [
      '1::2::3',
      '12345::',
      '1.2.3.4',
      'g::1',
      '',
      '::1]/x',
      '[::1]',
      // A zone (RFC 4007) is no part of RFC 4291's address.
      'fe80::1%eth0',
      'fe80::1%1',
      '::ffff:1.2.3.4%x',
    ],
  },
  byte: {
    valid: ['', 'AQID', 'YQ==', 'YWI=', 'YWJj', '+/+/'],
    invalid: ['YQ=', 'YQ', 'not base64!', 'YW Jj', 'YQ==YQ=='],
  },
};

describe('string formats', () => {
  for (const [format, { valid, invalid }] of Object.entries(cases)) {
    describe(format, () => {
      it.each(valid)('accepts %j', (value) => {
        expect(matchesStringFormat(format, value)).toBe(true);
      });
      it.each(invalid)('rejects %j', (value) => {
        expect(matchesStringFormat(format, value)).toBe(false);
      });
    });
  }

  it('ignores formats it does not know', () => {
    expect(matchesStringFormat('password', 'anything')).toBe(true);
    expect(matchesStringFormat('x-custom', '')).toBe(true);
  });

  it('[P-12] reports a format problem at the value’s pointer', () => {
    const node = schemaNode({
      type: 'object',
      properties: { born: { type: 'string', format: 'date' } },
    });
    expect(problemKeys(validateValue(node, { born: '2023-02-29' }))).toEqual([
      { pointer: '/born', keyword: 'format' },
    ]);
    expect(validateValue(node, { born: '2024-02-29' })).toEqual([]);
  });
});

// The date and time formats are read digit by digit; these regular expressions (with the range
// checks below) are what they must answer, on any string near the formats' shape.
const reference: Record<string, (value: string) => boolean> = {
  date: (value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return match !== null && realDate(match[1]!, match[2]!, match[3]!);
  },
  'date-time': (value) => {
    const match =
      /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/.exec(
        value,
      );
    return (
      match !== null &&
      realDate(match[1]!, match[2]!, match[3]!) &&
      Number(match[4]) < 24 &&
      Number(match[5]) < 60 &&
      Number(match[6]) < 61 &&
      (match[9] === undefined || (Number(match[9]) < 24 && Number(match[10]) < 60)) &&
      leapSecondInUtc(match[4]!, match[5]!, match[6]!, match[8]!)
    );
  },
  time: (value) => {
    const match = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))?$/.exec(value);
    return (
      match !== null &&
      Number(match[1]) < 24 &&
      Number(match[2]) < 60 &&
      Number(match[3]) < 61 &&
      (match[6] === undefined || (Number(match[6]) < 24 && Number(match[7]) < 60)) &&
      leapSecondInUtc(match[1]!, match[2]!, match[3]!, match[5] ?? 'Z')
    );
  },
};

// Second 60 only at 23:59 UTC: the time, minus its offset (`Z`, or `±hh:mm`).
function leapSecondInUtc(hour: string, minute: string, second: string, zone: string): boolean {
  if (second !== '60') return true;
  const offset = /^[Zz]$/.test(zone)
    ? 0
    : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const utc = (((Number(hour) * 60 + Number(minute) - offset) % 1440) + 1440) % 1440;
  return utc === 1439;
}

function realDate(year: string, month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  const y = Number(year);
  const days = [
    31,
    (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1]!;
}

describe('date and time formats', () => {
  // Strings made of the formats' own characters (and a few others), so that most are near misses.
  const nearMiss = fc
    .array(fc.constantFrom(...'0123456789012345678901234567890123-:.TtZz+ x\u0660\uff10'), {
      maxLength: 32,
    })
    .map((characters) => characters.join(''));
  const mutated = (valid: string[]) =>
    fc
      .tuple(
        fc.constantFrom(...valid),
        fc.nat(),
        fc.constantFrom(...'0123456789-:.TtZz+ 9'),
        fc.boolean(),
      )
      .map(([value, at, character, insert]) => {
        const position = at % (value.length + 1);
        return value.slice(0, position) + character + value.slice(position + (insert ? 0 : 1));
      });

  for (const format of Object.keys(reference)) {
    it(`${format}: answers what the regular expression answers`, () => {
      const { valid, invalid } = cases[format]!;
      for (const value of [...valid, ...invalid])
        expect(matchesStringFormat(format, value), value).toBe(reference[format]!(value));
      fc.assert(
        fc.property(fc.oneof(nearMiss, mutated(valid), mutated(valid)), (value) => {
          expect(matchesStringFormat(format, value)).toBe(reference[format]!(value));
        }),
        { numRuns: 20_000 },
      );
    });
  }
});

describe('integer formats', () => {
  const check = (format: string, value: unknown) =>
    problemKeys(validateValue(schemaNode({ type: 'integer', format }), value));

  it('declares the int32 and int64 ranges', () => {
    expect(integerRanges.int32).toEqual([-2147483648n, 2147483647n]);
    expect(integerRanges.int64).toEqual([-9223372036854775808n, 9223372036854775807n]);
  });

  it('[P-12] int32 accepts its range and rejects one beyond each end', () => {
    expect(check('int32', 2147483647)).toEqual([]);
    expect(check('int32', -2147483648)).toEqual([]);
    expect(check('int32', 2147483648)).toEqual([{ pointer: '', keyword: 'format' }]);
    expect(check('int32', -2147483649)).toEqual([{ pointer: '', keyword: 'format' }]);
    expect(check('int32', 5n)).toEqual([]);
    expect(check('int32', 2n ** 31n)).toEqual([{ pointer: '', keyword: 'format' }]);
  });

  it('[P-12] int64 accepts its range as bigints and rejects one beyond each end', () => {
    expect(check('int64', 2n ** 63n - 1n)).toEqual([]);
    expect(check('int64', -(2n ** 63n))).toEqual([]);
    expect(check('int64', 2n ** 63n)).toEqual([{ pointer: '', keyword: 'format' }]);
    expect(check('int64', -(2n ** 63n) - 1n)).toEqual([{ pointer: '', keyword: 'format' }]);
    expect(check('int64', Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('[P-13] int64 given as a number beyond 2^53 is a problem (use a bigint)', () => {
    expect(check('int64', 2 ** 53)).toEqual([{ pointer: '', keyword: 'type' }]);
  });
});

describe('binary', () => {
  const node = schemaNode({
    type: 'object',
    properties: { avatar: { type: 'string', format: 'binary' }, name: { type: 'string' } },
  });

  it('[P-19] takes bytes as a Uint8Array', () => {
    expect(validateValue(node, { avatar: new Uint8Array([0, 255, 1]) })).toEqual([]);
    expect(validateValue(node, { avatar: new Uint8Array() })).toEqual([]);
  });

  it('refuses bytes where the property is not binary', () => {
    expect(problemKeys(validateValue(node, { name: new Uint8Array([1]) }))).toEqual([
      { pointer: '/name', keyword: 'type' },
    ]);
  });

  it('refuses a list of numbers for binary', () => {
    expect(problemKeys(validateValue(node, { avatar: [1, 2, 3] }))).toEqual([
      { pointer: '/avatar', keyword: 'type' },
    ]);
  });
});

describe("formats named like Object.prototype's members", () => {
  // Unknown formats pass (JSON Schema 2020-12 §7.2): these are names, not the prototype's.
  const names = [
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    'toString',
    'constructor',
    '__proto__',
  ];

  it('are unknown string formats: every string passes', () => {
    for (const format of names) {
      expect(matchesStringFormat(format, 'x')).toBe(true);
      expect(problemKeys(validateValue(schemaNode({ type: 'string', format }), 'x'))).toEqual([]);
    }
  });

  it('are unknown integer formats: no range', () => {
    for (const format of names) {
      expect(integerRanges[format]).toBeUndefined();
      expect(problemKeys(validateValue(schemaNode({ type: 'integer', format }), 5))).toEqual([]);
    }
  });
});

describe('formats on hostile strings', () => {
  it('email: answers what its pattern answers, in one pass', () => {
    const pattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
    const near = fc
      .array(fc.constantFrom(...'ab@@...  \t\u00a0\u2028x'), { maxLength: 12 })
      .map((characters) => characters.join(''));
    fc.assert(
      fc.property(near, (value) => {
        expect(matchesStringFormat('email', value), value).toBe(pattern.test(value));
      }),
      { numRuns: 50_000 },
    );
    // The pattern backtracks over a run of dots quadratically: minutes at this length.
    expect(matchesStringFormat('email', `a@${'.'.repeat(1_000_000)}@`)).toBe(false);
    expect(matchesStringFormat('email', `a@${'b.'.repeat(500_000)}c`)).toBe(true);
  });

  it('uri: a host of over 1,024 characters beyond ASCII is refused, as the parser reads it (no DNS name is that long)', () => {
    const label = (length: number) =>
      Array.from({ length }, (_, index) => String.fromCodePoint(0x4e00 + index)).join('');
    const long = label(30_000);
    expect(matchesStringFormat('uri', `https://${label(1_000)}.example/`)).toBe(true);
    for (const hostile of [
      `https://user@${long}/`,
      `\u0001https://${long}/`,
      `ht\ttps://${long}/`,
      `https:\n//${long}/`,
      `https://${encodeURIComponent(long)}/`,
      `HTTPS:\\\\${long}:8080/`,
      `file://${long}/notes.txt`,
    ])
      expect(matchesStringFormat('uri', hostile), JSON.stringify(hostile.slice(0, 12))).toBe(false);
    // In the path, the query, a port, a non-special scheme, a file URL without a host, or ASCII, as before.
    expect(matchesStringFormat('uri', `https://example.com/${long}?q=${long}`)).toBe(true);
    expect(matchesStringFormat('uri', `http://${'é'.repeat(60)}:8080/`)).toBe(true);
    expect(matchesStringFormat('uri', `foo://${long}/`)).toBe(true);
    expect(matchesStringFormat('uri', `file:///${long}/notes.txt`)).toBe(true);
    expect(matchesStringFormat('uri', `https://${'a'.repeat(5_000)}.example/`)).toBe(true);
  });

  it('a string over its maxLength is not matched against its pattern or format', () => {
    const node = schemaNode({
      type: 'string',
      maxLength: 8,
      pattern: '[a-z]+[0-9]',
      format: 'email',
    });
    expect(problemKeys(validateValue(node, 'a'.repeat(200_000)))).toEqual([
      { pointer: '', keyword: 'maxLength' },
    ]);
    expect(problemKeys(validateValue(node, 'abc'))).toEqual([
      { pointer: '', keyword: 'format' },
      { pointer: '', keyword: 'pattern' },
    ]);
  });
});
