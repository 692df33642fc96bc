import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import { UnsupportedMediaTypeError } from '../errors/http-errors.js';
import { requestExcerpt } from '../errors/request-excerpt.js';
import type { SpecBody } from '../spec/spec-operations.js';
import { bodyMediaType } from './body-media-type.js';
import { carriesBody } from './carries-body.js';
import { refuseBody } from './refuse-body.js';

/**
 * A preParsing hook that refuses (415), before its bytes are read, a body whose Content-Type
 * names none of the JSON media types the operation declares, nor a range of them: OpenAPI
 * gives no schema to read it by. A body without a Content-Type is left to the parsers.
 */
export function refuseUndeclaredMediaType(body: SpecBody) {
  const accepted = body.mediaTypes.map(({ mediaType }) => mediaType).join(', ');
  return (
    request: FastifyRequest,
    _reply: FastifyReply,
    payload: RequestPayload,
    done: (error: Error | null, payload?: RequestPayload) => void,
  ): void => {
    const contentType = request.headers['content-type'];
    if (
      contentType === undefined ||
      !carriesBody(request) ||
      bodyMediaType(body.mediaTypes, contentType) !== undefined
    ) {
      done(null, payload);
      return;
    }
    refuseBody(
      request,
      payload,
      done,
      new UnsupportedMediaTypeError(
        `The request body's media type ${JSON.stringify(requestExcerpt(contentType))} is not one this operation accepts: ${accepted}`,
      ),
    );
  };
}
