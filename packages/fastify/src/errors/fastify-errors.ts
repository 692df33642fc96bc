import { STATUS_CODES } from 'node:http';
import type { MacaronError } from '@macaron/core';
import type { FastifyRequest } from 'fastify';
import {
  BadRequestError,
  BadUrlError,
  HandlerTimeoutError,
  InvalidParameterError,
  RequestTooLargeError,
  UnsupportedMediaTypeError,
  UriTooLongError,
} from './http-errors.js';
import { requestExcerpt } from './request-excerpt.js';

/**
 * The `MacaronError` for a client error raised outside the operation's handler: by fastify
 * (or the HTTP layer under it) itself, a `%`-escape that does not decode, a path parameter
 * beyond `maxParamLength`, a body too large or not JSON; or by a hook of the application with
 * a 4xx `statusCode` (`@fastify/rate-limit`'s 429). Undefined for anything else. Never given
 * what a handler threw: the route answers that itself, a 500 unless it is a `MacaronError`.
 * Fastify's own messages quote the request whole, so none is kept: the URL appears only as a
 * short, escaped excerpt.
 */
export function fromFastifyError(error: unknown, url: string): MacaronError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return new BadUrlError(
        `The URL is not valid (a %-escape does not decode): ${requestExcerpt(url)}`,
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new UriTooLongError(
        `A path parameter is longer than the server accepts: ${requestExcerpt(url)}`,
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new RequestTooLargeError('The request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError('The request body must be JSON (application/json)');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new InvalidParameterError([
        { pointer: '/body', keyword: 'json', message: 'is not valid JSON' },
      ]);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new BadRequestError('The Content-Length header does not match the body', 400);
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new BadRequestError(
      `The request was refused: ${STATUS_CODES[status] ?? status}`,
      status,
      { cause: error },
    );
  }
  return undefined;
}

/**
 * The `HandlerTimeoutError` for fastify's own `handlerTimeout` firing on this request (the
 * reason it aborted `request.signal` with), undefined for anything else: an error the
 * application throws with that code is its own, whatever it says.
 */
export function fromHandlerTimeout(
  error: unknown,
  request: FastifyRequest,
): MacaronError | undefined {
  if ((error as { code?: unknown } | null)?.code !== 'FST_ERR_HANDLER_TIMEOUT') return undefined;
  // `signal` came with `handlerTimeout`: the cast reads fastify versions without it too.
  const signal = (request as { signal?: AbortSignal }).signal;
  if (signal?.reason !== error) return undefined;
  return new HandlerTimeoutError('The server did not answer in time', { cause: error });
}
