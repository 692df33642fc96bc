import { fileURLToPath } from 'node:url';
import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import {
  NotProfileOwnerError,
  profileHandlers,
  UserExistsError,
  UserNotFoundError,
} from './profile-handlers.js';

const spec = fileURLToPath(new URL('../apis/profiles.yaml', import.meta.url));
const at = new Date('2026-11-26T10:00:00.000Z');
const owner = 'user-ann';

async function setUp() {
  const api = await loadApi(spec, { backend: createMemoryBackend() });
  return Object.assign(
    profileHandlers(api, () => at),
    { api },
  );
}

describe('profile handlers on the memory backend', () => {
  it('creates a profile with no views yet', async () => {
    const handlers = await setUp();
    const created = await handlers.createProfile({ profile_id: 'ann', name: 'Ann' }, owner);
    expect(created.toJSON()).toEqual({
      profile_id: 'ann',
      name: 'Ann',
      view_count: 0,
      created_at: '2026-11-26T10:00:00.000Z',
      owner,
    });
  });

  it('counts one view per get', async () => {
    const handlers = await setUp();
    await handlers.createProfile({ profile_id: 'ann', name: 'Ann' }, owner);
    expect((await handlers.getProfile('ann')).view_count).toBe(1);
    expect((await handlers.getProfile('ann')).view_count).toBe(2);
  });

  it('answers USER_NOT_FOUND for an unknown profile, on get, update and delete', async () => {
    const handlers = await setUp();
    await expect(handlers.getProfile('nobody')).rejects.toBeInstanceOf(UserNotFoundError);
    await expect(handlers.updateProfile('nobody', { name: 'X' }, owner)).rejects.toBeInstanceOf(
      UserNotFoundError,
    );
    await expect(handlers.deleteProfile('nobody', owner)).rejects.toBeInstanceOf(UserNotFoundError);
    const error = await handlers.getProfile('nobody').catch((caught: unknown) => caught);
    expect((error as UserNotFoundError).toErrorJSON()).toMatchObject({
      error: 'USER_NOT_FOUND',
      status: 404,
    });
  });

  it('refuses a second profile with the same id', async () => {
    const handlers = await setUp();
    await handlers.createProfile({ profile_id: 'ann', name: 'Ann' }, owner);
    await expect(
      handlers.createProfile({ profile_id: 'ann', name: 'Other' }, owner),
    ).rejects.toBeInstanceOf(UserExistsError);
  });

  it('changes and removes fields, and refuses invalid values', async () => {
    const handlers = await setUp();
    await handlers.createProfile(
      { profile_id: 'ann', name: 'Ann', email: 'ann@example.com' },
      owner,
    );
    expect(
      (await handlers.updateProfile('ann', { name: 'Annie', tags: ['x'] }, owner)).toJSON(),
    ).toMatchObject({ name: 'Annie', tags: ['x'], email: 'ann@example.com' });
    expect((await handlers.updateProfile('ann', { email: null }, owner)).email).toBeUndefined();
    await expect(
      handlers.updateProfile('ann', { email: 'not an email' }, owner),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('lists profiles a page at a time', async () => {
    const handlers = await setUp();
    for (const id of ['a', 'b', 'c'])
      await handlers.createProfile({ profile_id: id, name: id }, owner);
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
    await handlers.createProfile({ profile_id: 'ann', name: 'Ann' }, owner);
    await handlers.deleteProfile('ann', owner);
    await expect(handlers.getProfile('ann')).rejects.toBeInstanceOf(UserNotFoundError);
  });

  it('stores the owner given by the caller, whatever the body says', async () => {
    const handlers = await setUp();
    const body = { profile_id: 'ann', name: 'Ann', owner: 'mallory' } as never;
    expect((await handlers.createProfile(body, owner)).owner).toBe(owner);
  });

  it('lets only the owner change or delete a profile: others get NOT_PROFILE_OWNER', async () => {
    const handlers = await setUp();
    await handlers.createProfile({ profile_id: 'ann', name: 'Ann' }, owner);
    const refused = await handlers
      .updateProfile('ann', { name: 'Hijacked' }, 'user-bob')
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(NotProfileOwnerError);
    expect((refused as NotProfileOwnerError).toErrorJSON()).toMatchObject({
      error: 'NOT_PROFILE_OWNER',
      status: 403,
    });
    await expect(handlers.deleteProfile('ann', 'user-bob')).rejects.toBeInstanceOf(
      NotProfileOwnerError,
    );
    expect((await handlers.getProfile('ann')).toJSON()).toMatchObject({ name: 'Ann', owner });
    await handlers.deleteProfile('ann', owner);
  });

  it('lets nobody change or delete a profile without an owner', async () => {
    const handlers = await setUp();
    await handlers.api.persistent('Profile').create({
      profile_id: 'demo',
      name: 'Demo',
      view_count: 0,
      created_at: at.toISOString(),
    });
    for (const caller of [owner, 'demo', 'undefined', '']) {
      await expect(handlers.updateProfile('demo', { name: 'X' }, caller)).rejects.toBeInstanceOf(
        NotProfileOwnerError,
      );
      await expect(handlers.deleteProfile('demo', caller)).rejects.toBeInstanceOf(
        NotProfileOwnerError,
      );
    }
    expect((await handlers.getProfile('demo')).name).toBe('Demo');
  });
});
