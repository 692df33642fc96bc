import type { FastifyRequest, RequestPayload } from 'fastify';

/**
 * Refuses a request's body with `error`: at once where the headers say one follows, else (HTTP/2
 * without a `content-length`, which RFC 9113 §8.1.1 does not require) at its first byte. A stream
 * that ends without one (an empty DATA frame or trailers only, as Node's client ends a request)
 * is no body, as `Content-Length: 0` over HTTP/1.1, and the request goes on without it.
 */
export function refuseBody(
  request: FastifyRequest,
  payload: RequestPayload,
  done: (error: Error | null, payload?: RequestPayload) => void,
  error: Error,
): void {
  if (request.raw.httpVersionMajor !== 2 || request.headers['content-length'] !== undefined) {
    done(error);
    return;
  }
  let finished = false;
  const finish = (failure: Error | null) => {
    if (finished) return;
    finished = true;
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    if (failure) {
      payload.resume();
      done(failure);
    } else done(null, payload);
  };
  const onData = (chunk: Buffer | string) => {
    if (chunk.length > 0) finish(error);
  };
  const onEnd = () => finish(null);
  // A stream that fails (the client went away) is the request's fault: a 400.
  const onError = (failure: Error & { statusCode?: unknown }) => {
    if (!(typeof failure.statusCode === 'number' && failure.statusCode >= 400))
      failure.statusCode = 400;
    finish(failure);
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
}
