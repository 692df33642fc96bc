import { type Api, MacaronError, type PersistentModelClass } from '@macaron/core';

export interface Profile {
  profile_id: string;
  name: string;
  email?: string;
  view_count?: number;
}

export class UserNotFoundError extends MacaronError {
  static override code = 'USER_NOT_FOUND';
  static override status = 404;
}

export function defineEndpoints(api: Api) {
  // PyMacaron form of x-persist: table and key are given in code.
  const PersistentProfile: PersistentModelClass<Profile> = api.persistent<Profile>('Profile', {
    table: 'some-dynamodb-table-name',
    key: 'profile_id',
  });

  async function myEndpoint(userId: string) {
    if (!(await PersistentProfile.exists(userId))) {
      throw new UserNotFoundError('This user does not exist', { userMessage: 'No such user' });
    }
    const profile = await PersistentProfile.load(userId); // ItemNotFoundError if gone
    profile.view_count = (profile.view_count ?? 0) + 1;
    await profile.save();
    return profile; // serialised with toJSON()
  }

  return { PersistentProfile, myEndpoint };
}
