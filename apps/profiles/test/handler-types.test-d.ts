// Compiled by `pnpm typecheck` (tsc): each @ts-expect-error must be an error, or tsc fails.
// Proves that the handlers generated from apis/profiles.yaml type their values and results.
import type { Handlers, Profile } from '../src/api.generated.js';

declare const profile: Profile;

export const wrongParameterName: Handlers['getProfile'] = ({ params }) => {
  // @ts-expect-error the path parameter is profile_id, not id
  void params.id;
  return profile;
};

export const wrongQueryType: Handlers['listProfiles'] = ({ query }) => {
  // @ts-expect-error limit is an integer (defaulted, always present), not a string
  const limit: string = query.limit;
  return { items: [profile], cursor: limit };
};

export const wrongBodyField: Handlers['createProfile'] = ({ body }) => {
  // @ts-expect-error NewProfile has no view_count: a client cannot set it
  void body.view_count;
  return profile;
};

// @ts-expect-error the 200 response of getProfile is a Profile, not a ProfilePage
export const wrongResponse: Handlers['getProfile'] = () => ({ items: [profile] });

// @ts-expect-error a Profile needs name, view_count and created_at
export const incompleteResponse: Handlers['updateProfile'] = () => ({ profile_id: 'ann' });

// @ts-expect-error delete answers 204 without a body
export const bodyOn204: Handlers['deleteProfile'] = async () => profile;

// A handler map without one of the spec's operations does not compile.
// @ts-expect-error deleteProfile is missing
export const missing: Handlers = {
  listProfiles: () => ({ items: [] }),
  createProfile: () => profile,
  getProfile: () => profile,
  updateProfile: () => profile,
};

export const right: Handlers = {
  listProfiles: async ({ query }) => ({ items: [profile], cursor: String(query.limit) }),
  createProfile: ({ body }) => ({ ...profile, ...body }),
  getProfile: ({ params }) => ({ ...profile, profile_id: params.profile_id }),
  updateProfile: ({ body }) => ({ ...profile, name: body.name ?? profile.name }),
  deleteProfile: async () => undefined,
};
