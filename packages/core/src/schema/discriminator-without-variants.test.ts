import { describe, expect, it } from 'vitest';
import { openapi30 } from '../../test/support/specs.js';
import { loadApi } from '../index.js';

// A discriminator on a schema that has no name, no mapping and no oneOf/anyOf members (as
// bundlers leave Azure's and Mailchimp's: 144 schemas in 9 APIs.guru specs) selects no
// variant: it cannot refuse every value of its property, with "must be one of " and an empty
// list, while the schema's own keywords accept it (probe 303).
describe('a discriminator with no variant to select', () => {
  it('leaves the value to the schema itself', async () => {
    const api = await loadApi(
      openapi30({
        Package: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string' },
            flow: {
              type: 'object',
              discriminator: { propertyName: 'type' },
              properties: { type: { type: 'string' }, name: { type: 'string' } },
            },
          },
        },
      }),
    );
    expect(
      api.validate('Package', { id: 'a', flow: { type: 'MappingDataFlow', name: 'x' } }),
    ).toEqual([]);
    expect(api.validate('Package', { id: 'a', flow: { name: 'x' } })).toEqual([]);
    // The schema's own keywords still apply.
    expect(api.validate('Package', { id: 'a', flow: { type: 5 } }).map((p) => p.pointer)).toEqual([
      '/flow/type',
    ]);
  });
});

// Review 306: with no variant to name, the members' refusal is the problem, never the
// discriminator's "must be one of " with an empty list (`cat` is a value the members take).
describe('a discriminator whose members have no names', () => {
  it('reports what the members refuse, not an empty list of values', async () => {
    const api = await loadApi(
      openapi30({
        Pet: {
          oneOf: [
            {
              type: 'object',
              required: ['kind', 'lives'],
              properties: { kind: { type: 'string', enum: ['cat'] }, lives: { type: 'integer' } },
            },
            {
              type: 'object',
              required: ['kind', 'barks'],
              properties: { kind: { type: 'string', enum: ['dog'] }, barks: { type: 'boolean' } },
            },
          ],
          discriminator: { propertyName: 'kind' },
        },
      }),
    );
    expect(api.validate('Pet', { kind: 'dog', barks: true })).toEqual([]);
    const problems = api.validate('Pet', { kind: 'cat', lives: 'nine' });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.message).not.toMatch(/^must be one of $/);
  });
});
