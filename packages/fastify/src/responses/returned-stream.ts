/** A Node.js stream, as fastify tells one: anything with `pipe` and `on`. */
interface NodeStream {
  pipe: (...args: never[]) => unknown;
  on: (...args: never[]) => unknown;
  destroy?: (...args: never[]) => unknown;
}

/** A web stream, from this realm or another (`getReader`, as fastify tells one). */
interface WebStream {
  getReader: (...args: never[]) => unknown;
  cancel: (...args: never[]) => Promise<unknown>;
}

/** A body that is a stream, or that holds one: what fastify sends as bytes, never as JSON. */
export type StreamBody = NodeStream | WebStream | Response;

/**
 * Whether a handler's result is a body fastify would stream (a Node.js `Readable`, anything
 * with `pipe` and `on`, a web `ReadableStream`, a fetch `Response`): its idiom for a body that
 * is not JSON, which a returned value never is here (JSON.stringify would write its internals:
 * a file's path, its flags).
 */
export function isStreamBody(value: unknown): value is StreamBody {
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof Response) return true;
  const stream = value as Partial<NodeStream & WebStream>;
  return (
    (typeof stream.pipe === 'function' && typeof stream.on === 'function') ||
    (typeof stream.getReader === 'function' && typeof stream.cancel === 'function')
  );
}

/** Ends a stream nothing will read, so that its file descriptor or socket is released. */
export function discardStreamBody(body: StreamBody): void {
  const stream = body instanceof Response ? body.body : body;
  if (stream === null) return;
  if ('getReader' in stream) {
    // A locked stream cannot be cancelled: whoever holds its reader ends it.
    stream.cancel().catch(() => undefined);
    return;
  }
  if (typeof stream.destroy === 'function') stream.destroy();
}
