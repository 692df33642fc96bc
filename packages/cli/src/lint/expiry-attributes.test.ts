import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { expiryFindings } from './expiry-attributes.js';
import { findSpecProblems } from './find-spec-problems.js';
import { lintSpec } from './lint-spec.js';

/** A spec whose Session expires by `expiresAt` (or `attribute`), declared as `expiry`. */
function sessions(expiry: Record<string, unknown>, attribute = 'expiresAt', openapi = '3.0.3') {
  return {
    openapi,
    info: { title: 'sessions', version: '1' },
    paths: {},
    components: {
      schemas: {
        Session: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'sessions', key: 'id', ttl: attribute },
          properties: { id: { type: 'string' }, [attribute]: expiry },
        },
      },
    },
  };
}

const pointer = '/components/schemas/Session/properties/expiresAt';

describe('expiry', () => {
  it('warns at an int32 expiry attribute, which ends in 2038', async () => {
    expect(await findSpecProblems(sessions({ type: 'integer', format: 'int32' }))).toEqual([
      {
        rule: 'expiry',
        pointer,
        message:
          'the expiry attribute expiresAt of Session (x-persist ttl) allows no value above 2147483647 (2038-01-19T03:14:07.000Z in seconds since the epoch): an item cannot be given a later expiry (an int32 ends there). Allow larger values: format int64, or no format',
      },
    ]);
  });

  it.each([
    [{ type: 'integer', maximum: 4_000_000_000 }, 'above 4000000000 (2096-10-02T07:06:40.000Z'],
    [{ type: 'number', exclusiveMaximum: 3e9 }, 'above 2999999999 (2065-01-24T05:19:59.000Z'],
    [{ allOf: [{ type: 'integer', format: 'int32' }], description: 'seconds' }, 'above 2147483647'],
    // The last second before 2100; the tightest of several bounds; the largest whole number
    // below a fractional exclusive bound; a bound no date can show.
    [{ type: 'integer', maximum: 4_102_444_799 }, 'above 4102444799 (2099-12-31T23:59:59.000Z'],
    [
      { type: 'integer', format: 'int32', maximum: 2e9 },
      'above 2000000000 (2033-05-18T03:33:20.000Z',
    ],
    [{ type: 'number', exclusiveMaximum: 2_999_999_999.5 }, 'above 2999999999 ('],
    [{ type: 'integer', maximum: -1e17 }, 'above -100000000000000000 (out of range in seconds'],
  ])('warns at an expiry attribute of %j, bounded before 2100', async (expiry, shown) => {
    const api = await loadApi(sessions(expiry));
    const [finding] = expiryFindings(api);
    expect(finding?.message).toContain(shown);
  });

  it.each([
    [{ type: 'integer', format: 'int64' }, 'expiresAtMs', 'its name'],
    [
      { type: 'integer', description: 'Expiry, in milliseconds since the epoch' },
      'expiresAt',
      'its description',
    ],
    [{ type: 'integer', description: 'epoch ms' }, 'expiresAt', 'its description'],
    [
      { type: 'integer', description: 'Milliseconds since the epoch' },
      'expiresAt',
      'its description',
    ],
    [{ type: 'integer', description: 'Epoch MILLIS' }, 'expiresAt', 'its description'],
    // `ms` opening a sentence.
    [{ type: 'integer', description: 'Ms since the epoch' }, 'expiresAt', 'its description'],
    [
      { type: 'integer', description: 'Expiry. Ms since the epoch' },
      'expiresAt',
      'its description',
    ],
    [{ type: 'integer', example: 1_733_600_000_000 }, 'expiresAt', 'its example 1733600000000'],
    [{ type: 'integer', minimum: 1e12 }, 'expiresAt', 'its minimum 1000000000000'],
    [{ type: 'integer', default: 1e11 }, 'expiresAt', 'its default 100000000000'],
    [{ type: 'integer' }, 'expires_ms', 'its name'],
    [{ type: 'integer', description: 'in milli seconds' }, 'expiresAt', 'its description'],
    [
      { type: 'integer', exclusiveMinimum: 1e12 },
      'expiresAt',
      'its exclusiveMinimum 1000000000000',
    ],
    [{ type: 'integer', enum: [1_733_600_000_000] }, 'expiresAt', 'its enum 1733600000000'],
    // OpenAPI 3.1's JSON Schema keywords.
    [
      { type: 'integer', examples: [1, 1_733_600_000_000] },
      'expiresAt',
      'its examples 1733600000000',
    ],
    [{ type: 'integer', const: 1_733_600_000_000 }, 'expiresAt', 'its const 1733600000000'],
  ])('warns at an expiry attribute in milliseconds: %j named %s', async (expiry, name, why) => {
    const [finding] = expiryFindings(await loadApi(sessions(expiry, name, '3.1.0')));
    expect(finding?.rule).toBe('expiry');
    expect(finding?.message).toContain(`reads as milliseconds since the epoch (${why})`);
    expect(finding?.message).toContain('never expires there');
  });

  it.each([
    [{ type: 'integer' }, 'expiresAt'],
    [{ type: 'integer', format: 'int64', example: 1_733_600_000 }, 'expiresAt'],
    [{ type: 'number', maximum: 1e10, description: 'seconds since the epoch' }, 'expiresAt'],
    [{ type: 'integer', description: 'when the items of the session expire' }, 'items'],
    [{ type: 'integer', maximum: 4_102_444_800 }, 'expiresAt'],
    // MS in capitals is Microsoft, not milliseconds.
    [{ type: 'integer', description: 'seconds, as the MS Graph API gives them' }, 'expiresAt'],
    // Nor is `Ms` within a sentence.
    [{ type: 'integer', description: 'seconds, as Ms Office writes them' }, 'expiresAt'],
  ])('says nothing of an expiry attribute in seconds: %j named %s', async (expiry, name) => {
    expect(expiryFindings(await loadApi(sessions(expiry, name)))).toEqual([]);
  });

  it('reads a bound beyond 2^53 as written (exact, a bigint)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'macaron-expiry-'));
    try {
      const file = join(folder, 'api.json');
      await writeFile(
        file,
        JSON.stringify(sessions({ type: 'integer', format: 'int64', minimum: 1 })).replace(
          '"minimum":1',
          '"minimum":9007199254740993',
        ),
      );
      const [finding] = expiryFindings(await loadApi(file));
      expect(finding?.message).toContain('(its minimum 9007199254740993)');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('reports a schema that several models expire by once, and reads past models that persist nothing', async () => {
    const spec = sessions({ $ref: '#/components/schemas/Expiry' }) as any;
    spec.components.schemas.Address = { type: 'object', properties: { city: { type: 'string' } } };
    spec.components.schemas.Expiry = { type: 'integer', format: 'int32' };
    spec.components.schemas.Token = {
      ...spec.components.schemas.Session,
      'x-persist': { table: 'tokens', key: 'id', ttl: 'expiresAt' },
    };
    // Address first: a model that persists nothing is passed over, not the end of the rule.
    const { Address, ...rest } = spec.components.schemas;
    spec.components.schemas = { Address, ...rest };
    const findings = expiryFindings(await loadApi(spec));
    expect(findings.map((finding) => finding.pointer)).toEqual(['/components/schemas/Expiry']);
    // Named by the first model that expires by it.
    expect(findings[0]?.message).toContain('the expiry attribute expiresAt of Session ');
  });

  it('is a warning in the recommended configuration, as macaron/expiry', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'macaron-expiry-'));
    try {
      const file = join(folder, 'api.json');
      await writeFile(file, JSON.stringify(sessions({ type: 'integer', format: 'int32' })));
      const problems = await lintSpec(file, { preset: 'recommended' });
      expect(
        problems
          .filter((problem) => problem.rule === 'macaron/expiry')
          .map(({ severity }) => severity),
      ).toEqual(['warn']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
