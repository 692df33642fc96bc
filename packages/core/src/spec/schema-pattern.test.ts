import { describe, expect, it } from 'vitest';
import { openapi30, thrown } from '../../test/support/specs.js';
import { SpecError } from '../errors/spec-error.js';
import { loadApi } from '../index.js';
import { checkSpec, compileSpec } from './compile-spec.js';
import { compilePattern, patternText, UnusablePattern } from './schema-pattern.js';

// A spec as real services publish them: a persisted schema next to one with Java's \p{Print}.
const spec = openapi30({
  Profile: {
    type: 'object',
    required: ['profile_id'],
    'x-persist': { table: 'profiles', key: 'profile_id' },
    properties: {
      profile_id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9\\-\\_\\.]{0,126}$' },
    },
  },
  Printable: {
    type: 'object',
    properties: { label: { type: 'string', pattern: '^\\p{Print}+$' } },
  },
  Envelope: { type: 'object', properties: { inner: { $ref: '#/components/schemas/Printable' } } },
});
const badPointer = '/components/schemas/Printable/properties/label/pattern';

function expectUnusable(run: () => unknown): void {
  const error = thrown(run);
  expect(error).toBeInstanceOf(SpecError);
  expect((error as SpecError).problems).toEqual([
    expect.objectContaining({
      pointer: badPointer,
      message: expect.stringContaining('\\p{Print}'),
    }),
  ]);
}

describe('compilePattern', () => {
  it('uses Unicode mode when it can', () => {
    expect(compilePattern('^\\p{Lu}', '/p').flags).toBe('u');
  });

  it('falls back to non-Unicode mode only when Unicode mode alone rejects the pattern', () => {
    const pattern = compilePattern('[\\w-.]', '/p');
    expect(pattern).not.toBeInstanceOf(UnusablePattern);
    expect(pattern.test('.')).toBe(true);
  });

  it('refuses a fallback that would read \\p{…} as the letters p{…}', () => {
    // V8 compiles /^\p{Print}+$/ without the flag: it then matches "p{Print}}", never "abc".
    expect(/^p{Print}+$/.test('p{Print}}')).toBe(true);
    const pattern = compilePattern('^\\p{Print}+$', '/p');
    expect(pattern).toBeInstanceOf(UnusablePattern);
    expect((pattern as UnusablePattern).problem.message).toContain('Invalid property name');
  });

  it.each(['\\A[a-z]+\\Z', '^\\d+\\z$', '^\\pL\\-$', '^\\a\\-$'])(
    'refuses a fallback that would read an escaped letter of another dialect as the letter: %s',
    (source) => {
      expect(compilePattern(source, '/p')).toBeInstanceOf(UnusablePattern);
    },
  );

  it('reads a pattern with needless escapes in Unicode mode, by code points', () => {
    // `\_` and `\,` need no escape: Unicode mode refuses them, and non-Unicode mode would read
    // `[^…]` and `.` by UTF-16 units, an emoji as two characters.
    const pattern = compilePattern('^[^<>\\_]{1,3}\\,.$', '/p');
    expect(pattern).not.toBeInstanceOf(UnusablePattern);
    expect(pattern.flags).toBe('u');
    expect(pattern.test('😀😀😀,😀')).toBe(true);
    expect(pattern.test('a_,b')).toBe(false);
    expect(pattern.test('😀😀😀😀,a')).toBe(false); // four characters
    expect(compilePattern('^[\\w\\-\\_]+$', '/p').test('a-b_c')).toBe(true);
    // Messages show the spec's text; `source` is the spelling it runs, which rebuilds it.
    expect(patternText(pattern)).toBe('^[^<>\\_]{1,3}\\,.$');
    expect(pattern.source).toBe('^[^<>\\u{5f}]{1,3}\\u{2c}.$');
    expect(String(pattern)).toBe('/^[^<>\\u{5f}]{1,3}\\u{2c}.$/u');
    expect('a_b'.split(compilePattern('\\_', '/p'))).toEqual(['a', 'b']);
    expect([...'a_b_'.matchAll(new RegExp(compilePattern('\\_', '/p'), 'gu'))]).toHaveLength(2);
    expect(compilePattern('^\\-\\@$', '/p').test('-@')).toBe(true);
  });

  it('gives a source and a text that rebuild the pattern (new RegExp(p.source, p.flags), a literal)', () => {
    for (const written of ['^[\\w\\-\\_]+$', '^[^<>\\_]{1,3}\\,.$', '^\\-\\@$', '^[a-z]+$']) {
      const pattern = compilePattern(written, '/p');
      const rebuilt = new RegExp(pattern.source, pattern.flags);
      const literal = String(pattern);
      const fromLiteral = new RegExp(literal.slice(1, literal.lastIndexOf('/')), pattern.flags);
      for (const value of ['a-b_c', '😀_,x', '-@', 'abc', 'a b'])
        for (const copy of [rebuilt, fromLiteral])
          expect(copy.test(value), `${written} ${value}`).toBe(pattern.test(value));
      expect(patternText(pattern)).toBe(written);
    }
  });

  it.each(['^[0-9]{,3}$', '^[[:alnum:]\\_]+$', '^\\d{,2}\\_$'])(
    "refuses a fallback that would read another dialect's construct as text: %s",
    (source) => {
      expect(compilePattern(source, '/p')).toBeInstanceOf(UnusablePattern);
    },
  );

  it('reads an escaped backslash before p{ as no property escape', () => {
    const pattern = compilePattern('^\\\\p{2}\\_$', '/p');
    expect(pattern).not.toBeInstanceOf(UnusablePattern);
    expect(pattern.test('\\pp_')).toBe(true);
  });
});

describe('a pattern JavaScript cannot run', () => {
  it('does not stop the spec: loadApi, compileSpec and the other schemas work', async () => {
    const api = await loadApi(spec);
    expect(api.validate('Profile', { profile_id: 'a-b_c.d' })).toEqual([]);
    expect(api.validate('Profile', { profile_id: '-x' }).map((p) => p.keyword)).toEqual([
      'pattern',
    ]);
    expect(api.persistent('Profile').descriptor.name).toBe('Profile');
    expect(api.tables().map((table) => table.name)).toEqual(['profiles']);
    expect(api.schema('Printable').name).toBe('Printable'); // introspection (generate) works
    const compiled = await compileSpec(spec);
    expect((await loadApi(compiled)).modelNames()).toContain('Printable');
  });

  it('makes a schema unusable where the pattern is a patternProperties name or under the 3.1 keywords', async () => {
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 'patterns', version: '1' },
      paths: {},
      components: {
        schemas: {
          ByName: { type: 'object', patternProperties: { '\\p{Print}': { type: 'string' } } },
          Tuple: { type: 'array', prefixItems: [{ type: 'string', pattern: '\\p{Print}' }] },
          Names: { type: 'object', propertyNames: { pattern: '\\p{Print}' } },
          Rest: {
            type: 'object',
            unevaluatedProperties: { type: 'string', pattern: '\\p{Print}' },
          },
          RestItems: { type: 'array', unevaluatedItems: { type: 'string', pattern: '\\p{Print}' } },
        },
      },
    });
    for (const name of ['ByName', 'Tuple', 'Names', 'Rest', 'RestItems'])
      expect(() => api.validate(name, {}), name).toThrow(SpecError);
  });

  it('gives the verdict Unicode mode gives where a pattern escapes what needs none', async () => {
    const api = await loadApi(
      openapi30({
        Label: {
          type: 'object',
          properties: { text: { type: 'string', maxLength: 3, pattern: '^[^<>\\_]{1,3}$' } },
        },
      }),
    );
    // Three code points, as maxLength counts them.
    expect(api.validate('Label', { text: '😀😀😀' })).toEqual([]);
    expect(api.validate('Label', { text: '<' })).toEqual([
      { pointer: '/text', keyword: 'pattern', message: 'must match ^[^<>\\_]{1,3}$' },
    ]);
  });

  it('makes each schema that uses it throw SpecError naming its pointer', async () => {
    const api = await loadApi(spec);
    expectUnusable(() => api.model('Printable'));
    expectUnusable(() => api.model('Envelope'));
    expectUnusable(() => api.validate('Printable', { label: 'abc' }));
    expectUnusable(() => api.schemaAt('/components/schemas/Envelope'));
  });

  it('is one of the problems checkSpec lists for linters', async () => {
    expect(await checkSpec(spec)).toEqual([
      expect.objectContaining({ pointer: badPointer, message: expect.stringContaining('pattern') }),
    ]);
  });

  it('makes a persisted schema that uses it throw when made persistent', async () => {
    const api = await loadApi(
      openapi30({
        Tag: {
          type: 'object',
          required: ['tag'],
          'x-persist': { table: 'tags', key: 'tag' },
          properties: { tag: { type: 'string', pattern: '[a-' } },
        },
      }),
    );
    const error = thrown(() => api.persistent('Tag'));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems[0]?.pointer).toBe(
      '/components/schemas/Tag/properties/tag/pattern',
    );
  });
});
