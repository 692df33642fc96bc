import { describe, expect, it } from 'vitest';
import { loadApi } from '../index.js';
import { TableMismatchError } from './provisioning-errors.js';
import { quotedName, shownJson, shownName, shownText } from './shown-name.js';
import { ValidationError } from './validation-error.js';

// Every character a message must not hold as is, one of each kind.
const unsafe = [
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u061c',
  '\u200f',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2067',
];

describe('names in messages', () => {
  it('shows a name as it is unless it holds a control, a separator or a bidi control', () => {
    expect(shownName('café ∑ 😀 "quoted" \\')).toBe('café ∑ 😀 "quoted" \\');
    for (const character of unsafe) {
      const shown = shownName(`a${character}b`);
      expect(shown, JSON.stringify(character)).toMatch(/^"a\\(u[0-9a-f]{4}|[nr])b"$/);
      expect(shown).not.toContain(character);
      // JSON's own escapes read back to the name; ours spell the code point.
      expect(JSON.parse(shown)).toBe(`a${character}b`);
    }
    expect(quotedName('plain')).toBe('"plain"');
    expect(shownText('/a\nb/c\u202e')).toBe('/a\\u000ab/c\\u202e');
  });

  it('shows a name, text or value too long for a message by its two ends', () => {
    const name = `${'a'.repeat(600)}${'b'.repeat(1_000_000)}${'c'.repeat(600)}`;
    for (const shown of [shownName(name), quotedName(name)]) {
      expect(shown.length).toBeLessThan(1_100);
      expect(shown).toMatch(
        /^"?a{480}…\[1,000,240 characters left out, digest [0-9a-f]{8}\]…c{480}"?$/,
      );
    }
    const text = `/${'p'.repeat(100_000)}/q`;
    expect(shownText(text)).toMatch(
      /^\/p{3979}…\[92,043 characters left out, digest [0-9a-f]{8}\]…p{3978}\/q$/,
    );
    expect(shownJson(['v'.repeat(50_000)]).length).toBeLessThan(8_100);
    // Names and texts within the bounds are shown whole.
    expect(shownName('n'.repeat(1_000))).toBe('n'.repeat(1_000));
    expect(shownText('t'.repeat(8_000))).toBe('t'.repeat(8_000));
    // Neither end splits a surrogate pair.
    const emoji = `x${'😀'.repeat(2_000)}`;
    expect(shownName(emoji).isWellFormed()).toBe(true);
    expect(shownName(`${'😀'.repeat(2_000)}`).isWellFormed()).toBe(true);
  });

  it('shows two long names that differ only in the middle apart, the same name alike', () => {
    const name = (middle: string) => `${'a'.repeat(600)}${middle}${'c'.repeat(600)}`;
    const names = [name('b'), name('d'), name('bb'), name('b'.repeat(5_000)), name('🙂')];
    for (const show of [shownName, quotedName, shownText]) {
      const shown = names.map((each) => show(each.repeat(show === shownText ? 8 : 1)));
      expect(new Set(shown).size, show.name).toBe(names.length);
      expect(show(names[0]!), show.name).toBe(show(name('b')));
      for (const each of shown)
        expect(each.length).toBeLessThan(show === shownText ? 8_100 : 1_100);
    }
  });

  it('escapes a lone surrogate, which no UTF-8 text (a log line, a response) can hold: two names would show alike', () => {
    for (const lone of ['\udc00', '\ud800', '\udbff']) {
      const shown = shownName(`k${lone}`);
      expect(shown).toBe(`"k\\u${lone.codePointAt(0)!.toString(16)}"`);
      expect(shown.isWellFormed()).toBe(true);
      expect(JSON.parse(shown)).toBe(`k${lone}`);
      expect(shownText(`/m/k${lone}`).isWellFormed()).toBe(true);
      expect(shownJson(`k${lone}`).isWellFormed()).toBe(true);
    }
    // A pair is one character, shown as it is.
    expect(shownName('k😀')).toBe('k😀');
    const error = new ValidationError('Invalid X', [
      {
        pointer: '/m/k\udc00',
        keyword: 'propertyNames',
        message: 'is a name holding a lone surrogate',
      },
    ]);
    expect(error.message).toBe('Invalid X: /m/k\\udc00 is a name holding a lone surrogate');
    expect(error.problems[0]?.pointer).toBe('/m/k\udc00');
  });

  it('escapes the pointers a ValidationError message lists, and keeps them exact in problems', () => {
    const pointer = '/a\nb\u202e';
    const error = new ValidationError('Invalid X', [
      { pointer, keyword: 'additionalProperties', message: 'is not a property of this schema' },
    ]);
    expect(error.message).toBe('Invalid X: /a\\u000ab\\u202e is not a property of this schema');
    expect(error.problems[0]?.pointer).toBe(pointer);
  });

  it('escapes the table and differences a TableMismatchError message names, and keeps them in its data', () => {
    const difference = 'column "a\nb" is missing';
    const error = new TableMismatchError('t\u2028', [difference]);
    expect(error.message).not.toMatch(/[\n\u2028]/);
    expect(error.message).toContain('column "a\\u000ab" is missing');
    expect(error.differences).toEqual([difference]);
    expect(error.table).toBe('t\u2028');
  });

  it("lists a discriminator's values, and a variant's own ones, by the first 50 and their count", async () => {
    const lions = Array.from({ length: 51 }, (_, index) => `Lion${index}`);
    const extendsCat = { allOf: [{ $ref: '#/components/schemas/Cat' }] };
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'lists', version: '1.0.0' },
      paths: {},
      components: {
        schemas: {
          Pet: {
            type: 'object',
            required: ['kind'],
            properties: { kind: { type: 'string' } },
            discriminator: {
              propertyName: 'kind',
              mapping: Object.fromEntries(
                ['Cat', 'Dog', ...lions].map((name) => [name, `#/components/schemas/${name}`]),
              ),
            },
          },
          Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }] },
          Dog: { allOf: [{ $ref: '#/components/schemas/Pet' }] },
          ...Object.fromEntries(lions.map((name) => [name, extendsCat])),
        },
      },
    });
    // The 53 mapped, and Pet's own name; a Cat's own: itself, the 51 lions and Pet.
    const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');
    expect(api.validate('Pet', { kind: 'Fox' }).map((problem) => problem.message)).toEqual([
      `must be one of ${quoted(['Cat', 'Dog', ...lions.slice(0, 48)])}, … (54 in all)`,
    ]);
    expect(api.validate('Cat', { kind: 'Dog' }).map((problem) => problem.message)).toEqual([
      `must name Cat, a schema it extends or one extending it, not a sibling: one of ${quoted(['Cat', ...lions.slice(0, 49)])}, … (53 in all)`,
    ]);
  });

  it("lists a spec's schemas and an enum's values by the first 50 and their count, however many the spec has", async () => {
    const values = Array.from({ length: 1_000 }, (_, index) => `v${index}`);
    const schemas = Object.fromEntries(
      Array.from({ length: 2_000 }, (_, index) => [`S${index}`, { type: 'string' }]),
    );
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'lists', version: '1.0.0' },
      paths: {},
      components: { schemas: { ...schemas, Code: { type: 'string', enum: values } } },
    });
    const [problem] = api.validate('Code', 'nope');
    expect(problem?.message).toBe(
      `must be one of ${values
        .slice(0, 50)
        .map((value) => `"${value}"`)
        .join(', ')}, … (1,000 in all)`,
    );
    expect(() => api.validate('Missing', 'x')).toThrow(
      `The spec has no schema Missing (schemas: ${Object.keys(schemas).slice(0, 50).join(', ')}, … (2,001 in all))`,
    );
    // Up to 50, every one.
    const small = await loadApi({
      openapi: '3.0.3',
      info: { title: 'lists', version: '1.0.0' },
      paths: {},
      components: { schemas: { Code: { type: 'string', enum: values.slice(0, 50) } } },
    });
    expect(small.validate('Code', 'nope')[0]?.message).toBe(
      `must be one of ${values
        .slice(0, 50)
        .map((value) => `"${value}"`)
        .join(', ')}`,
    );
  });

  it('shows a value of any kind as JSON, escaping what JSON leaves as it is', () => {
    expect(shownJson('a\u2028b\u202e')).toBe('"a\\u2028b\\u202e"');
    expect(shownJson({ k: ['\u2066'] })).toBe('{"k":["\\u2066"]}');
    expect(shownJson(undefined)).toBe('undefined');
    expect(shownJson(1.5)).toBe('1.5');
  });
});
