import { SpecError } from '../errors/spec-error.js';
import { maxSpecFileBytes, specText } from './spec-file-read.js';

/** How long a server has to answer a `$ref` by URL, whole: 30 seconds. */
export const specFetchTimeoutMs = 30_000;

/** The bounds of `boundedSpecFetch` (tests make them small). */
export interface SpecFetchBounds {
  /** The time the whole answer may take, in milliseconds. */
  readonly timeoutMs: number;
  /** The most bytes the answer may have. */
  readonly maxBytes: number;
}

const defaultBounds: SpecFetchBounds = {
  timeoutMs: specFetchTimeoutMs,
  maxBytes: maxSpecFileBytes,
};

/**
 * A `fetch` for redocly's resolver (its `customFetch`) that fetches a spec file a `$ref` names
 * by URL within bounds: the answer whole within `timeoutMs` (a server that never answers, or
 * dribbles, held the load for ever: fetch's own limits are 5 minutes between two bytes) and
 * no larger than `maxBytes` (it read a 1 GB answer whole, to fail on a string too long for
 * V8), stopped as soon as it passes. Its text is read as a file's (see `specText`).
 */
export function boundedSpecFetch(
  bounds: SpecFetchBounds = defaultBounds,
  inner: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const signal = AbortSignal.timeout(bounds.timeoutMs);
    const timedOut = () =>
      refusal(
        url,
        `did not answer in full within ${bounds.timeoutMs / 1000} s: a $ref by URL is read within that time`,
      );
    try {
      const response = await inner(input, { ...init, signal });
      if (!response.ok || !response.body) return response;
      const declared = Number(response.headers.get('content-length'));
      if (declared > bounds.maxBytes) {
        await response.body.cancel();
        throw tooLarge(url, bounds, `its answer says ${declared} bytes`);
      }
      const chunks: Uint8Array[] = [];
      let length = 0;
      const reader = response.body.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        length += read.value.byteLength;
        if (length > bounds.maxBytes) {
          await reader.cancel();
          throw tooLarge(url, bounds, 'its answer went on past that');
        }
        chunks.push(read.value);
      }
      const text = specText(url, Buffer.concat(chunks, length));
      const type = response.headers.get('content-type');
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        ...(type ? { headers: { 'content-type': type } } : {}),
      });
    } catch (error) {
      if (signal.aborted) throw timedOut();
      throw error;
    }
  };
}

function tooLarge(url: string, bounds: SpecFetchBounds, how: string): SpecError {
  return refusal(
    url,
    `is larger than the ${bounds.maxBytes} bytes a spec file may have (${how}): not read further`,
  );
}

function refusal(url: string, message: string): SpecError {
  return new SpecError('Cannot read the spec', [
    { file: url, pointer: '', message: `${url} ${message}` },
  ]);
}
