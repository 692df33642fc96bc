import { describe, expect, it } from 'vitest';
import { openapi30, thrown } from '../../test/support/specs.js';
import { SpecError } from '../errors/spec-error.js';
import { loadApi } from '../index.js';
import { checkSpec } from './compile-spec.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('a schema that applies itself to the value it checks', () => {
  const spec = openapi30({
    Self: { allOf: [ref('Self')] },
    Ping: { allOf: [ref('Pong')] },
    Pong: { anyOf: [ref('Ping'), { type: 'string' }] },
    Never: { not: ref('Never') },
    Holder: { type: 'object', properties: { inner: ref('Self') } },
    // Recursion through a property or an item holds a smaller value: usable.
    Tree: {
      type: 'object',
      properties: { children: { type: 'array', items: ref('Tree') }, next: ref('Tree') },
    },
    Kept: { allOf: [ref('Tree')] },
  });

  it('is unusable, with a SpecError naming its pointer, never a stack overflow', async () => {
    const api = await loadApi(spec);
    for (const name of ['Self', 'Ping', 'Pong', 'Never', 'Holder']) {
      const error = thrown(() => api.validate(name, {}));
      expect(error, name).toBeInstanceOf(SpecError);
      expect((error as SpecError).problems[0]?.message, name).toContain('applies itself');
    }
    expect(api.validate('Tree', { children: [{ next: {} }] })).toEqual([]);
    expect(api.validate('Kept', { children: [] })).toEqual([]);
  });

  it('is listed by checkSpec, at the schemas where a cycle closes', async () => {
    const problems = await checkSpec(spec);
    expect(problems.map((problem) => problem.pointer).sort()).toEqual([
      '/components/schemas/Never',
      '/components/schemas/Ping',
      '/components/schemas/Pong',
      '/components/schemas/Self',
    ]);
  });

  it('is refused at load when it is persisted', async () => {
    const error = await loadApi(
      openapi30({
        Loop: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'loops', key: 'id' },
          properties: { id: { type: 'string' } },
          allOf: [ref('Loop')],
        },
      }),
    ).then(
      (api) => thrown(() => api.persistent('Loop')),
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(SpecError);
  });
});
