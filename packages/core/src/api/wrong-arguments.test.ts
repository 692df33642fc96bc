import { describe, expect, it } from 'vitest';
import { fixturePath, openapi30, rejection, thrown } from '../../test/support/specs.js';
import { formatKey, InvalidRequestError } from '../errors/persistence-errors.js';
import { shownJson } from '../errors/shown-name.js';
import { loadApi } from '../index.js';
import { checkOptionNames, optionNames } from '../persist/option-names.js';
import { pageLimitProblem } from '../persist/read-request.js';

// What a JavaScript caller, or a value from JSON, may pass where a name or options belong.
const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;
let deep: Record<string, unknown> = {};
for (let level = 0; level < 100_000; level++) deep = { a: deep };
const revoked = Proxy.revocable({}, {});
revoked.revoke();

describe('public entry points given the wrong thing', () => {
  it('shows any value in a message: a bigint, a cyclic or too deep object, a throwing getter', () => {
    expect(shownJson(10n)).toBe('10n');
    expect(shownJson(Symbol('s\n'))).toBe('Symbol(s\\u000a)');
    expect(shownJson(() => 1)).toBe('a function');
    for (const value of [
      cyclic,
      deep,
      revoked.proxy,
      {
        get a() {
          throw new Error('getter');
        },
      },
    ])
      expect(typeof shownJson(value)).toBe('string');
  });

  it('shows a bigint of a million digits by its size, not written out (0.85 s, a megabyte)', () => {
    const huge = 10n ** 900_000n;
    expect(shownJson(huge)).toBe('a bigint of 127 digits or more');
    expect(shownJson(-huge)).toBe('a negative bigint of 127 digits or more');
    expect(formatKey({ id: huge })).toBe('{id=a bigint of 127 digits or more}');
    expect(pageLimitProblem('query()', huge)).toMatch(/, not a bigint of 127 digits or more$/);
    // Below 127 digits, written out as before.
    expect(shownJson(10n ** 125n)).toBe(`${10n ** 125n}n`);
    expect(pageLimitProblem('query()', 2n ** 64n)).toMatch(
      /, not the bigint 18446744073709551616$/,
    );
    // 126 digits written out, 127 by size, on either side of zero.
    const largest = 10n ** 126n - 1n;
    expect(shownJson(largest)).toBe(`${largest}n`);
    expect(shownJson(-largest)).toBe(`${-largest}n`);
    expect(shownJson(largest + 1n)).toBe('a bigint of 127 digits or more');
    expect(shownJson(-largest - 1n)).toBe('a negative bigint of 127 digits or more');
    expect(formatKey({ id: -3n })).toBe('{id=-3n}');
  });

  it.each([[undefined], [null], [42], [true], [10n], [Symbol('s')], [['Profile']], [{}], [cyclic]])(
    'api.model/persistent/schema/validate given the name %s: InvalidRequestError',
    async (name) => {
      const api = await loadApi(fixturePath('profile/openapi30.yaml'));
      for (const call of [
        () => api.model(name as never),
        () => api.persistent(name as never),
        () => api.schema(name as never),
        () => api.validate(name as never, {}),
      ]) {
        const error = thrown(call);
        expect(error, String(error)).toBeInstanceOf(InvalidRequestError);
        expect((error as Error).message).toContain('schema');
      }
    },
  );

  it.each([10n, cyclic, deep])(
    'api.schemaAt given a pointer that JSON cannot show: InvalidRequestError',
    async (pointer) => {
      const api = await loadApi(fixturePath('profile/openapi30.yaml'));
      expect(thrown(() => api.schemaAt(pointer as never))).toBeInstanceOf(InvalidRequestError);
    },
  );

  it.each([10n, cyclic, deep])(
    'loadApi given a tablePrefix that JSON cannot show: the TypeError about tablePrefix',
    async (tablePrefix) => {
      const error = await rejection(
        loadApi(fixturePath('no-such-file.yaml'), { tablePrefix } as never),
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain('tablePrefix');
    },
  );

  it.each([[null], [42], ['x'], [['a']]])(
    'options that are no object (%j): the error of the call, naming it',
    async (options) => {
      const load = await rejection(loadApi(fixturePath('no-such-file.yaml'), options as never));
      expect(load).toBeInstanceOf(TypeError);
      expect((load as Error).message).toMatch(/^loadApi options must be an object/);
      const api = await loadApi(fixturePath('profile/openapi30.yaml'));
      const validate = thrown(() => api.validate('Profile', {}, options as never));
      expect(validate).toBeInstanceOf(InvalidRequestError);
      expect((validate as Error).message).toMatch(/^validate options must be an object/);
      expect(
        thrown(() => checkOptionNames(options as never, optionNames('a'), 'f')),
      ).toBeInstanceOf(InvalidRequestError);
    },
  );

  it.each([null, 42, 'x', {}])(
    'loadApi given the backend %j: a TypeError that reads right',
    async (backend) => {
      const error = await rejection(
        loadApi(fixturePath('profile/openapi30.yaml'), { backend } as never),
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^The given backend /);
    },
  );

  it.each([[10n], [cyclic], [deep], [{ table: 'profiles', key: 10n }]])(
    'api.persistent given an annotation JSON cannot write: InvalidRequestError',
    async (annotation) => {
      const api = await loadApi(
        openapi30({
          Note: {
            type: 'object',
            'x-persist': { table: 'notes', key: 'id' },
            required: ['id'],
            properties: { id: { type: 'string' } },
          },
        }),
      );
      const error = thrown(() => api.persistent('Note', annotation as never));
      expect(error, String(error)).toBeInstanceOf(InvalidRequestError);
    },
  );
});
