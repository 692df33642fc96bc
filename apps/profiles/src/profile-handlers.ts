import { AlreadyExistsError, type Api, ItemNotFoundError, MacaronError } from '@macaron/core';
import { type NewProfile, type ProfileChanges, typed } from './api.generated.js';

// The types come from the spec: `pnpm generate` writes them, CI checks they are up to date.
export type { NewProfile, Profile, ProfileChanges } from './api.generated.js';

/** PyMacaron's USER_NOT_FOUND. */
export class UserNotFoundError extends MacaronError {
  static override code = 'USER_NOT_FOUND';
  static override status = 404;
}

/** PyMacaron-style USER_EXISTS, for a create on a taken id. */
export class UserExistsError extends MacaronError {
  static override code = 'USER_EXISTS';
  static override status = 409;
}

const notFound = (id: string, cause: unknown) =>
  new UserNotFoundError(`No profile ${id}`, { userMessage: 'This user does not exist', cause });

/** The service's endpoints, as plain functions of their inputs: the only code PyMacaron asks you to write. */
export function profileHandlers(api: Api, now: () => Date = () => new Date()) {
  const Profiles = typed(api).persistent('Profile');

  return {
    async createProfile(body: NewProfile) {
      try {
        return await Profiles.create({ ...body, view_count: 0, created_at: now().toISOString() });
      } catch (error) {
        if (error instanceof AlreadyExistsError) {
          throw new UserExistsError(`Profile ${body.profile_id} exists already`, {
            userMessage: 'This user exists already',
            cause: error,
          });
        }
        throw error;
      }
    },

    /** Gets a profile and counts the view, atomically: concurrent gets never lose a count. */
    async getProfile(profileId: string) {
      try {
        return await Profiles.update(profileId, { add: { view_count: 1 } });
      } catch (error) {
        if (error instanceof ItemNotFoundError) throw notFound(profileId, error);
        throw error;
      }
    },

    async listProfiles(limit: number, cursor?: string) {
      const page = await Profiles.scan({ limit, ...(cursor ? { cursor } : {}) });
      return { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) };
    },

    async updateProfile(profileId: string, changes: ProfileChanges) {
      const { email, ...rest } = changes;
      const set = { ...rest, ...(typeof email === 'string' ? { email } : {}) };
      try {
        return await Profiles.update(profileId, {
          ...(Object.keys(set).length > 0 ? { set } : {}),
          ...(email === null ? { remove: ['email' as const] } : {}),
        });
      } catch (error) {
        if (error instanceof ItemNotFoundError) throw notFound(profileId, error);
        throw error;
      }
    },

    async deleteProfile(profileId: string) {
      if (!(await Profiles.delete(profileId))) throw notFound(profileId, undefined);
    },
  };
}
