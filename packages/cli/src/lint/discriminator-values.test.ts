import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { discriminatorValueFindings } from './discriminator-values.js';
import { findSpecProblems } from './find-spec-problems.js';

// Without a mapping, a discriminator selects a variant by its schema name (or the value it
// declares with `x-ms-discriminator-value`, as Azure's specs do): a property whose enum lists
// none of those refuses every value (probe 325 found such specs among APIs.guru's, before
// `x-ms-discriminator-value` was read). `declared`: the variant declares its value.
function azureLike(
  kind: Record<string, unknown>,
  mapping?: Record<string, string>,
  declared = false,
) {
  return {
    openapi: '3.0.1',
    info: { title: 'alerts', version: '1' },
    paths: {},
    components: {
      schemas: {
        Criteria: {
          type: 'object',
          required: ['odata.type'],
          discriminator: { propertyName: 'odata.type', ...(mapping ? { mapping } : {}) },
          properties: { 'odata.type': kind },
        },
        SingleCriteria: {
          allOf: [{ $ref: '#/components/schemas/Criteria' }],
          ...(declared
            ? { 'x-ms-discriminator-value': 'Microsoft.Azure.Monitor.SingleCriteria' }
            : {}),
          type: 'object',
          properties: { single: { type: 'string' } },
        },
      },
    },
  };
}

const values = {
  type: 'string',
  enum: ['Microsoft.Azure.Monitor.SingleCriteria', 'Microsoft.Azure.Monitor.MultipleCriteria'],
};

describe('discriminator-values', () => {
  it('warns at a discriminator whose property allows no value naming a variant', async () => {
    const findings = await findSpecProblems(azureLike(values));
    expect(findings).toEqual([
      {
        rule: 'discriminator-values',
        pointer: '/components/schemas/Criteria/discriminator',
        message:
          'the discriminator of Criteria selects a variant by the value of odata.type ("Criteria", "SingleCriteria": its mapping, else each variant\'s x-ms-discriminator-value or schema name), but its schema allows only "Microsoft.Azure.Monitor.SingleCriteria", "Microsoft.Azure.Monitor.MultipleCriteria": every value is refused. Map those values to the variants in discriminator.mapping',
      },
    ]);
  });

  it('takes a const, and the property of an allOf part', async () => {
    const spec = azureLike({});
    const schemas = spec.components.schemas as Record<string, Record<string, unknown>>;
    schemas.Kinds = { type: 'object', properties: { 'odata.type': { const: 'Other' } } };
    schemas.Criteria = {
      ...schemas.Criteria,
      properties: {},
      allOf: [{ $ref: '#/components/schemas/Kinds' }],
    };
    const findings = await findSpecProblems({ ...spec, openapi: '3.1.0' });
    expect(findings.map(({ rule, pointer }) => `${rule} ${pointer}`)).toEqual([
      'discriminator-values /components/schemas/Criteria/discriminator',
    ]);
    expect(findings[0]?.message).toContain('but its schema allows only "Other"');
  });

  it('escapes the values it lists that are not text as it escapes names (line separators, bidi controls)', async () => {
    const findings = await findSpecProblems(
      azureLike({ enum: [{ kind: 'a\u202eb\u2028c' }, ['\u2066']] }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(
      'allows only {"kind":"a\\u202eb\\u2028c"}, ["\\u2066"]: every value is refused',
    );
    expect(findings[0]?.message).not.toMatch(/[\u2028\u202e\u2066]/u);
  });

  it('does not say a nullable property refuses every value: null selects no variant and is taken', async () => {
    const findings = await findSpecProblems(
      azureLike({ type: 'string', nullable: true, enum: [...values.enum, null] }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(
      'allows only "Microsoft.Azure.Monitor.SingleCriteria", "Microsoft.Azure.Monitor.MultipleCriteria", null: every value but null is refused',
    );
  });

  it('says nothing where a value names a variant, or the property allows any', async () => {
    for (const spec of [
      azureLike({ type: 'string', enum: ['SingleCriteria', 'Other'] }),
      azureLike({ type: 'string' }),
      azureLike(values, { 'Microsoft.Azure.Monitor.SingleCriteria': 'SingleCriteria' }),
      // The variant declares the value it is selected by, as Azure's specs do.
      azureLike(values, undefined, true),
    ])
      expect(await findSpecProblems(spec)).toEqual([]);
  });
});

describe('a discriminator of many variants', () => {
  // Microsoft Graph's `entity` is inherited by thousands of schemas: the parent was checked
  // again from each of them, reading its whole mapping each time (quadratic: 20,000 variants
  // took minutes). No timed assertion: the test timeout fails such a run.
  it('is checked once, under the first name that reaches it', async () => {
    const count = 20_000;
    const schemas: Record<string, unknown> = {
      Entity: {
        type: 'object',
        required: ['kind'],
        discriminator: { propertyName: 'kind' },
        properties: { kind: { type: 'string', enum: ['none of them'] } },
      },
    };
    for (let index = 0; index < count; index++)
      schemas[`Variant${index}`] = {
        allOf: [{ $ref: '#/components/schemas/Entity' }],
        type: 'object',
        properties: { note: { type: 'string' } },
      };
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'graph', version: '1' },
      paths: {},
      components: { schemas },
    });
    const findings = discriminatorValueFindings(api);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'discriminator-values',
      pointer: '/components/schemas/Entity/discriminator',
    });
    expect(findings[0]?.message).toMatch(/^the discriminator of Entity selects a variant/);
  });
});
