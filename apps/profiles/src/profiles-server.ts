import type { Api } from '@macaron/core';
import { type BearerAuthOptions, macaronFastify } from '@macaron/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { callerSubject } from './caller-subject.js';
import { type NewProfile, type ProfileChanges, profileHandlers } from './profile-handlers.js';

/** What the HTTP server needs. */
export interface ProfilesServerOptions {
  /** The loaded profiles API, on its backend. */
  api: Api;
  /** Bearer token verification for the operations that change profiles. */
  auth: BearerAuthOptions;
  /** Fastify's logger: off unless asked for. */
  logLevel?: string;
}

/** The profiles service: every operation of apis/profiles.yaml bound to its handler. */
export async function buildProfilesServer(
  options: ProfilesServerOptions,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logLevel ? { level: options.logLevel } : false });
  const profiles = profileHandlers(options.api);
  await app.register(macaronFastify, {
    api: options.api,
    auth: options.auth,
    handlers: {
      listProfiles: ({ query }) =>
        profiles.listProfiles(query.limit as number, query.cursor as string | undefined),
      // Writes act for the token's subject: it owns what it creates, and only what it owns.
      createProfile: ({ body, auth }) =>
        profiles.createProfile({ ...(body as NewProfile) }, callerSubject(auth)),
      getProfile: ({ params }) => profiles.getProfile(params.profile_id as string),
      updateProfile: ({ params, body, auth }) =>
        profiles.updateProfile(
          params.profile_id as string,
          { ...(body as ProfileChanges) },
          callerSubject(auth),
        ),
      deleteProfile: ({ params, auth }) =>
        profiles.deleteProfile(params.profile_id as string, callerSubject(auth)),
    },
  });
  return app;
}
