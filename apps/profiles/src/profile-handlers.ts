import {
  AlreadyExistsError,
  type Api,
  ConditionFailedError,
  ItemNotFoundError,
  MacaronError,
} from '@macaron/core';
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

/**
 * Only a profile's owner may change or delete it (403). A profile without an owner (the demo
 * profile, or one written straight to the table) is changed by nobody through the API.
 */
export class NotProfileOwnerError extends MacaronError {
  static override code = 'NOT_PROFILE_OWNER';
  static override status = 403;
}

const notOwner = (id: string, cause: unknown) =>
  new NotProfileOwnerError(`Profile ${id} belongs to another subject, or to none`, {
    userMessage: 'Only the owner of this profile may change it',
    cause,
  });

const notFound = (id: string, cause: unknown) =>
  new UserNotFoundError(`No profile ${id}`, { userMessage: 'This user does not exist', cause });

/** The service's endpoints, as plain functions of their inputs: the only code PyMacaron asks you to write. */
export function profileHandlers(api: Api, now: () => Date = () => new Date()) {
  const Profiles = typed(api).persistent('Profile');
  // Checked by the store in the same write as the change: no window between check and write.
  const ownedBy = (caller: string) => ({ condition: { attr: 'owner' as const, eq: caller } });

  return {
    /** Creates a profile owned by `owner`, the caller's subject; the body cannot choose it. */
    async createProfile(body: NewProfile, owner: string) {
      const { profile_id, name, email, tags } = body;
      try {
        return await Profiles.create({
          profile_id,
          name,
          ...(email !== undefined ? { email } : {}),
          ...(tags !== undefined ? { tags } : {}),
          view_count: 0,
          created_at: now().toISOString(),
          owner,
        });
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

    /**
     * Gets a profile and counts the view, atomically: concurrent gets never lose a count. A
     * HEAD request (`countView` false) reads it without counting: it must change nothing.
     */
    async getProfile(profileId: string, countView = true) {
      try {
        if (!countView) return await Profiles.load(profileId);
        return await Profiles.update(profileId, { add: { view_count: 1 } });
      } catch (error) {
        if (error instanceof ItemNotFoundError) throw notFound(profileId, error);
        throw error;
      }
    },

    async listProfiles(limit: number, cursor?: string) {
      // An empty cursor is a cursor, and not a valid one: never the first page again.
      const page = await Profiles.scan({ limit, ...(cursor !== undefined ? { cursor } : {}) });
      return { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) };
    },

    /** Changes name, email (null removes it) and tags, if `caller` owns the profile. */
    async updateProfile(profileId: string, changes: ProfileChanges, caller: string) {
      const { name, email, tags } = changes;
      const set = {
        ...(name !== undefined ? { name } : {}),
        ...(typeof email === 'string' ? { email } : {}),
        ...(tags !== undefined ? { tags } : {}),
      };
      try {
        return await Profiles.update(
          profileId,
          {
            ...(Object.keys(set).length > 0 ? { set } : {}),
            ...(email === null ? { remove: ['email' as const] } : {}),
          },
          ownedBy(caller),
        );
      } catch (error) {
        // update() tells a missing profile (ItemNotFoundError) from a failed condition.
        if (error instanceof ItemNotFoundError) throw notFound(profileId, error);
        if (error instanceof ConditionFailedError) throw notOwner(profileId, error);
        throw error;
      }
    },

    /** Deletes the profile, if `caller` owns it. */
    async deleteProfile(profileId: string, caller: string) {
      try {
        if (!(await Profiles.delete(profileId, ownedBy(caller)))) {
          throw notFound(profileId, undefined);
        }
      } catch (error) {
        // The owner condition also fails on a missing profile: tell the two apart.
        if (error instanceof ConditionFailedError) {
          if (await Profiles.exists(profileId)) throw notOwner(profileId, error);
          throw notFound(profileId, error);
        }
        throw error;
      }
    },
  };
}
