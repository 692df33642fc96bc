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

  it('is refused when it is made persistent', async () => {
    const api = await loadApi(
      openapi30({
        Loop: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'loops', key: 'id' },
          properties: { id: { type: 'string' } },
          allOf: [ref('Loop')],
        },
      }),
    );
    expect(thrown(() => api.persistent('Loop'))).toBeInstanceOf(SpecError);
  });
});

describe('a discriminator whose variants extend it through allOf', () => {
  const spec = openapi30({
    Pet: {
      type: 'object',
      required: ['petType'],
      properties: { petType: { type: 'string' } },
      discriminator: {
        propertyName: 'petType',
        mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' },
      },
      oneOf: [ref('Cat'), ref('Dog')],
    },
    Cat: { allOf: [ref('Pet'), { type: 'object', properties: { meow: { type: 'boolean' } } }] },
    Dog: { allOf: [ref('Pet'), { type: 'object', properties: { bark: { type: 'boolean' } } }] },
  });

  it('is usable: values are checked by their variant, or by the members without the property', async () => {
    expect(await checkSpec(spec)).toEqual([]);
    const api = await loadApi(spec);
    expect(api.validate('Pet', { petType: 'cat', meow: true })).toEqual([]);
    expect(api.validate('Dog', { petType: 'dog', bark: 3 })).toEqual([
      expect.objectContaining({ pointer: '/bark', keyword: 'type' }),
    ]);
    // Without the discriminator's property, the members decide; none loops back to Pet's.
    expect(api.validate('Pet', { meow: 1 }).map((problem) => problem.pointer)).toEqual([
      '/petType',
      '/petType',
    ]);
  });
});

describe('a discriminator in a tree of its own schema', () => {
  const spec = openapi30({
    Shape: {
      type: 'object',
      discriminator: { propertyName: 'kind' },
      oneOf: [ref('Circle'), ref('Group')],
    },
    Circle: {
      type: 'object',
      required: ['r'],
      properties: { kind: { type: 'string' }, r: { type: 'number' } },
    },
    Group: {
      type: 'object',
      required: ['items'],
      properties: { kind: { type: 'string' }, items: { type: 'array', items: ref('Shape') } },
    },
  });

  it('checks every value below a dispatch in full: only the value dispatched skips its parent', async () => {
    const api = await loadApi(spec);
    const problems = (value: unknown) =>
      api.validate('Shape', value).map((problem) => `${problem.pointer} ${problem.keyword}`);
    expect(problems({ kind: 'Group', items: [{}] })).toEqual(['/items/0/kind discriminator']);
    expect(problems({ items: [{}] })).toEqual(['/kind discriminator']);
    expect(
      problems({ kind: 'Group', items: [{ kind: 'Group', items: [{ kind: 'Circle', r: 'x' }] }] }),
    ).toEqual(['/items/0/items/0/r type']);
    expect(problems({ kind: 'Group', items: [{ kind: 'Circle', r: 1 }] })).toEqual([]);
  });
});
