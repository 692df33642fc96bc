import { fileURLToPath } from 'node:url';
import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { profileHandlers, UserExistsError, UserNotFoundError } from './profile-handlers.js';

const spec = fileURLToPath(new URL('../apis/profiles.yaml', import.meta.url));
const at = new Date('2026-11-26T10:00:00.000Z');

async function setUp() {
  const api = await loadApi(spec, { backend: createMemoryBackend() });
  return profileHandlers(api, () => at);
}

describe('profile handlers on the memory backend', () => {
  it('creates a profile with no views yet', async () => {
    const handlers = await setUp();
    const created = await handlers.createProfile({ profile_id: 'ann', name: 'Ann' });
    expect(created.toJSON()).toEqual({
      profile_id: 'ann',
      name: 'Ann',
      view_count: 0,
      created_at: '2026-11-26T10:00:00.000Z',
    });
  });

  it('counts one view per get', async () => {
    const handlers = await setUp();
    await handlers.createProfile({ profile_id: 'ann', name: 'Ann' });
    expect((await handlers.getProfile('ann')).view_count).toBe(1);
    expect((await handlers.getProfile('ann')).view_count).toBe(2);
  });

  it('answers USER_NOT_FOUND for an unknown profile, on get, update and delete', async () => {
    const handlers = await setUp();
    await expect(handlers.getProfile('nobody')).rejects.toBeInstanceOf(UserNotFoundError);
    await expect(handlers.updateProfile('nobody', { name: 'X' })).rejects.toBeInstanceOf(
      UserNotFoundError,
    );
    await expect(handlers.deleteProfile('nobody')).rejects.toBeInstanceOf(UserNotFoundError);
    const error = await handlers.getProfile('nobody').catch((caught: unknown) => caught);
    expect((error as UserNotFoundError).toErrorJSON()).toMatchObject({
      error: 'USER_NOT_FOUND',
      status: 404,
    });
  });

  it('refuses a second profile with the same id', async () => {
    const handlers = await setUp();
    await handlers.createProfile({ profile_id: 'ann', name: 'Ann' });
    await expect(
      handlers.createProfile({ profile_id: 'ann', name: 'Other' }),
    ).rejects.toBeInstanceOf(UserExistsError);
  });

  it('changes and removes fields, and refuses invalid values', async () => {
    const handlers = await setUp();
    await handlers.createProfile({ profile_id: 'ann', name: 'Ann', email: 'ann@example.com' });
    expect(
      (await handlers.updateProfile('ann', { name: 'Annie', tags: ['x'] })).toJSON(),
    ).toMatchObject({ name: 'Annie', tags: ['x'], email: 'ann@example.com' });
    expect((await handlers.updateProfile('ann', { email: null })).email).toBeUndefined();
    await expect(handlers.updateProfile('ann', { email: 'not an email' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('lists profiles a page at a time', async () => {
    const handlers = await setUp();
    for (const id of ['a', 'b', 'c']) await handlers.createProfile({ profile_id: id, name: id });
    const first = await handlers.listProfiles(2);
    expect(first.items).toHaveLength(2);
    const second = await handlers.listProfiles(2, first.cursor);
    expect([...first.items, ...second.items].map((profile) => profile.profile_id).sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('deletes a profile', async () => {
    const handlers = await setUp();
    await handlers.createProfile({ profile_id: 'ann', name: 'Ann' });
    await handlers.deleteProfile('ann');
    await expect(handlers.getProfile('ann')).rejects.toBeInstanceOf(UserNotFoundError);
  });
});
