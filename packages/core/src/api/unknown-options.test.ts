import { describe, expect, it } from 'vitest';
import { fixturePath, openapi30, rejection, thrown } from '../../test/support/specs.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { checkSpec, compileSpec, loadApi, validateValue } from '../index.js';
import { batchRetrySettings } from '../persist/persistence-context.js';
import { unconstrained } from '../schema/schema-node.js';
import { ValidationSession } from '../schema/validate-value.js';

const spec = () => fixturePath('profile/openapi30.yaml');

describe('options of loadApi, compileSpec, checkSpec and validation (P-110)', () => {
  it.each([
    [{ cursorkey: 'a-cursor-key-of-at-least-32-characters' }, 'cursorkey'],
    [{ tableprefix: 'dev-' }, 'tableprefix'],
    [{ Backend: {} }, 'Backend'],
    [{ batchRetry: { attempt: 2 } }, 'attempt'],
  ])(
    'loadApi refuses %j with a TypeError naming the key, before reading the spec',
    async (options, name) => {
      const error = await rejection(loadApi(fixturePath('no-such-file.yaml'), options as never));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain(JSON.stringify(name));
      expect((error as Error).message).toContain('options: ');
    },
  );

  it.each([
    [{ attempts: 0 }, 'attempts'],
    [{ attempts: 1.5 }, 'attempts'],
    [{ attempts: '3' }, 'attempts'],
    [{ baseDelayMs: -1 }, 'baseDelayMs'],
    [{ maxDelayMs: Number.NaN }, 'maxDelayMs'],
  ])(
    'loadApi refuses batchRetry %j, a setting that is no count or delay',
    async (batchRetry, name) => {
      const error = await rejection(loadApi(spec(), { batchRetry: batchRetry as never }));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain(`batchRetry.${name}`);
    },
  );

  it('takes a batchRetry setting given as undefined as its default, not as no bound', () => {
    // Spread over the defaults, `attempts: undefined` left batches retrying without end.
    expect(batchRetrySettings({ attempts: undefined, baseDelayMs: 0 })).toEqual({
      attempts: 8,
      baseDelayMs: 0,
      maxDelayMs: 2000,
    });
    expect(batchRetrySettings(undefined).attempts).toBe(8);
  });

  it("takes a macaron.config.json as it is, its `$schema` included (the CLI's README passes it)", async () => {
    const config = { $schema: 'https://example.com/macaron.config.schema.json', compat: undefined };
    await expect(loadApi(spec(), { ...config })).resolves.toBeDefined();
    await expect(compileSpec(spec(), { ...config })).resolves.toBeDefined();
    expect(await checkSpec(spec(), { ...config })).toEqual([]);
  });

  it('loadApi takes its options given as undefined', async () => {
    await expect(
      loadApi(spec(), { cursorKey: undefined, backend: undefined }),
    ).resolves.toBeDefined();
  });

  it('compileSpec and checkSpec refuse an option they do not take with a TypeError', async () => {
    for (const call of [compileSpec, checkSpec]) {
      const error = await rejection(call(spec(), { compt: 'pymacaron' } as never));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain('"compt" (options: compat, persist, $schema)');
    }
  });

  it('validation refuses an option it does not take with an InvalidRequestError', async () => {
    const api = await loadApi(spec());
    const name = api.modelNames()[0]!;
    const attempts = [
      () => api.validate(name, {}, { directon: 'request' } as never),
      () => api.model(name).fromJSON({}, { directon: 'request' } as never),
      () => validateValue(unconstrained, 1, '', { directon: 'request' } as never),
    ];
    for (const attempt of attempts) {
      const error = thrown(attempt);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toContain('"directon"');
    }
  });

  it.each([
    [{ direction: 'Request' }, 'direction'],
    [{ direction: 'requests' }, 'direction'],
    [{ direction: null }, 'direction'],
    [{ level: '3' }, 'level'],
    [{ level: -1 }, 'level'],
    [{ level: 1.5 }, 'level'],
    [{ level: Number.NaN }, 'level'],
    [{ session: {} }, 'session'],
    [{ session: 'x' }, 'session'],
    // An object that JSON cannot write: refused all the same.
    [
      {
        session: (() => {
          const cyclic: Record<string, unknown> = {};
          cyclic.self = cyclic;
          return cyclic;
        })(),
      },
      'session',
    ],
  ])(
    'validation refuses %j, a value its option does not take, with an InvalidRequestError',
    async (options, option) => {
      const api = await loadApi(
        openapi30({
          User: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string', readOnly: true }, d: { type: 'object' } },
          },
        }),
      );
      const attempts = [
        () => api.validate('User', { d: {} }, options as never),
        () => api.model('User').fromJSON({ d: {} }, options as never),
        () => validateValue(unconstrained, 1, '', options as never),
      ];
      for (const attempt of attempts) {
        const error = thrown(attempt);
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as Error).message).toContain(`option ${option} `);
      }
    },
  );

  it('validation refuses a level given as a bigint, which JSON cannot write, with an InvalidRequestError', () => {
    const error = thrown(() => validateValue(unconstrained, 1, '', { level: 3n } as never));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain('option level 3n ');
  });

  it('validation takes each value its options take', async () => {
    const api = await loadApi(
      openapi30({
        User: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', readOnly: true } },
        },
      }),
    );
    expect(api.validate('User', {}, { direction: 'request' })).toEqual([]);
    expect(api.validate('User', {}, { direction: 'response' })).toHaveLength(1);
    expect(api.validate('User', {}, { direction: undefined, level: 0 })).toHaveLength(1);
    const session = new ValidationSession();
    expect(api.validate('User', {}, { direction: 'request', session, level: 3 })).toEqual([]);
  });
});
