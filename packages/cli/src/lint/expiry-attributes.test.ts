import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { expiryFindings } from './expiry-attributes.js';
import { findSpecProblems } from './find-spec-problems.js';

/** A spec whose Session expires by `expiresAt` (or `attribute`), declared as `expiry`. */
function sessions(expiry: Record<string, unknown>, attribute = 'expiresAt') {
  return {
    openapi: '3.0.3',
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
    [{ type: 'integer', example: 1_733_600_000_000 }, 'expiresAt', 'its example 1733600000000'],
    [{ type: 'integer', minimum: 1e12 }, 'expiresAt', 'its minimum 1000000000000'],
    [{ type: 'integer', default: 1e11 }, 'expiresAt', 'its default 100000000000'],
  ])('warns at an expiry attribute in milliseconds: %j named %s', async (expiry, name, why) => {
    const [finding] = expiryFindings(await loadApi(sessions(expiry, name)));
    expect(finding?.rule).toBe('expiry');
    expect(finding?.message).toContain(`reads as milliseconds since the epoch (${why})`);
    expect(finding?.message).toContain('never expires there');
  });

  it.each([
    [{ type: 'integer' }, 'expiresAt'],
    [{ type: 'integer', format: 'int64', example: 1_733_600_000 }, 'expiresAt'],
    [{ type: 'number', maximum: 1e10, description: 'seconds since the epoch' }, 'expiresAt'],
    [{ type: 'integer', description: 'when the items of the session expire' }, 'items'],
  ])('says nothing of an expiry attribute in seconds: %j named %s', async (expiry, name) => {
    expect(expiryFindings(await loadApi(sessions(expiry, name)))).toEqual([]);
  });
});
