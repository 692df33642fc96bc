import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createMemoryBackend } from '@macaron/backend-memory';
import { ItemNotFoundError, loadApi, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { defineEndpoints, UserNotFoundError } from './my-endpoint.js';

const spec = fileURLToPath(new URL('../apis/myserver.yaml', import.meta.url));

async function setUp() {
  const backend = createMemoryBackend();
  const api = await loadApi(spec, { backend });
  return { backend, ...defineEndpoints(api) };
}

describe('the README example on the memory backend', () => {
  it('counts views and saves them', async () => {
    const { backend, PersistentProfile, myEndpoint } = await setUp();
    await PersistentProfile.create({ profile_id: 'ann', name: 'Ann' });
    expect((await myEndpoint('ann')).toJSON()).toEqual({
      profile_id: 'ann',
      name: 'Ann',
      view_count: 1,
    });
    expect((await myEndpoint('ann')).view_count).toBe(2);
    expect(backend.readItem('some-dynamodb-table-name', { profile_id: 'ann' })).toEqual({
      profile_id: 'ann',
      name: 'Ann',
      view_count: 2,
    });
  });

  it('answers USER_NOT_FOUND (404) in PyMacaron error JSON for an unknown user', async () => {
    const { myEndpoint } = await setUp();
    const error = await myEndpoint('bob').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserNotFoundError);
    expect((error as UserNotFoundError).toErrorJSON()).toEqual({
      error: 'USER_NOT_FOUND',
      error_description: 'This user does not exist',
      user_message: 'No such user',
      status: 404,
    });
  });

  it('throws ItemNotFoundError from load() and refuses invalid profiles', async () => {
    const { PersistentProfile } = await setUp();
    await expect(PersistentProfile.load('nobody')).rejects.toBeInstanceOf(ItemNotFoundError);
    await expect(
      PersistentProfile.create({ profile_id: 'x', name: 'X', view_count: -1 }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await PersistentProfile.exists('x')).toBe(false);
  });

  it('is the code the README shows', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const source = await readFile(new URL('./my-endpoint.ts', import.meta.url), 'utf8');
    expect(readme).toContain(source.trim());
  });
});
