import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { createTokenVerifier } from '../auth/token-verifier.js';
import { sendError } from '../errors/error-reply.js';
import { RouteNotFoundError } from '../errors/http-errors.js';
import { requestExcerpt } from '../errors/request-excerpt.js';
import { bindHandlers, routeName } from '../routes/bind-handlers.js';
import { registerOperations, routeKey } from '../routes/register-operation.js';
import { specOperations } from '../spec/spec-operations.js';
import { parseJsonBody } from '../validation/parse-json-body.js';
import type { MacaronFastifyOptions } from './plugin-options.js';

const jsonSubtypes = /^application\/[\w.+-]+\+json$/;

/**
 * The fastify plugin that serves a Macaron API: one route per operation of the spec, bound
 * to its handler, with request validation, bearer auth, model serialisation and PyMacaron's
 * error JSON. Registration fails when the handlers and the spec's operations disagree.
 */
export const macaronFastify: FastifyPluginAsync<MacaronFastifyOptions> = async (
  instance: FastifyInstance,
  options: MacaronFastifyOptions,
) => {
  const { api } = options;
  const operations = specOperations(api);
  const bound = bindHandlers(operations, options.handlers ?? {});

  const needAuth = bound.filter(({ operation }) => operation.auth !== 'none');
  if (needAuth.length > 0 && !options.auth) {
    throw new TypeError(
      `These operations require a bearer token, but the plugin has no auth option:\n${needAuth
        .map(({ operation }) => `  - ${routeName(operation)}`)
        .join('\n')}`,
    );
  }
  const verifier = options.auth ? createTokenVerifier(options.auth) : undefined;
  const basePath =
    api.dialect === 'swagger2' && typeof api.document.basePath === 'string'
      ? api.document.basePath
      : '';

  // Only JSON bodies: anything else is answered 415 by fastify, then formatted below.
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
  instance.addContentTypeParser(jsonSubtypes, { parseAs: 'string' }, parseJsonBody);

  const hooks = { errorFormatter: options.errorFormatter, onError: options.onError };
  instance.setErrorHandler((error, request, reply) => sendError(error, request, reply, hooks));
  try {
    instance.setNotFoundHandler((request, reply) =>
      sendError(
        new RouteNotFoundError(
          `No operation matches ${requestExcerpt(`${request.method} ${request.url.split('?')[0]}`)}`,
        ),
        request,
        reply,
        hooks,
      ),
    );
  } catch {
    // The application set a not-found handler for this prefix first: it keeps it.
  }

  const specRoutes = new Set(
    bound.map(({ operation }) => routeKey(operation.method, operation.path, basePath)),
  );
  registerOperations(instance, bound, {
    api,
    basePath,
    verifier,
    bodyLimit: options.bodyLimit,
    validateResponses: options.validateResponses ?? true,
    specRoutes,
  });
  if (options.ping !== false && !specRoutes.has(routeKey('GET', '/ping', ''))) {
    instance.get('/ping', async (_request, reply) =>
      reply.type('application/json; charset=utf-8').send('{}'),
    );
  }
};
