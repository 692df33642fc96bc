import type { Api } from '@macaron/core';
import { type BearerAuthOptions, macaronFastify, macaronServerOptions } from '@macaron/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Handlers } from './api.generated.js';
import { callerSubject } from './caller-subject.js';
import { profileHandlers } from './profile-handlers.js';

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
  // Errors fastify raises before routing (a URL that does not decode…) in PyMacaron's JSON too.
  const app = Fastify({
    ...macaronServerOptions(),
    logger: options.logLevel ? { level: options.logLevel } : false,
  });
  const profiles = profileHandlers(options.api);
  // Typed from the spec (`pnpm generate`): parameters, bodies and responses, with no casts.
  const handlers: Handlers = {
    listProfiles: ({ query }) => profiles.listProfiles(query.limit, query.cursor),
    // Writes act for the token's subject: it owns what it creates, and only what it owns.
    createProfile: ({ body, auth }) => profiles.createProfile({ ...body }, callerSubject(auth)),
    // fastify answers HEAD with the GET handler; a HEAD counts no view.
    getProfile: ({ params, request }) =>
      profiles.getProfile(params.profile_id, request.method !== 'HEAD'),
    updateProfile: ({ params, body, auth }) =>
      profiles.updateProfile(params.profile_id, { ...body }, callerSubject(auth)),
    deleteProfile: ({ params, auth }) =>
      profiles.deleteProfile(params.profile_id, callerSubject(auth)),
  };
  await app.register(macaronFastify, { api: options.api, auth: options.auth, handlers });
  return app;
}
