import type { FastifyReply } from 'fastify';

// Fastify marks a reply whose status was set (`reply.code`, `reply.status`, `statusCode =`)
// with a symbol it does not export, one per copy of Fastify: found by its description, once
// per reply prototype (a process may hold two copies). Where it is missing, an explicit 200
// reads as no choice, as it did before.
const hasStatusCodeDescription = 'fastify.reply.hasStatusCode';
const markers = new WeakMap<object, symbol | null>();

function statusMarker(reply: FastifyReply): symbol | null {
  const prototype = Object.getPrototypeOf(reply) as object | null;
  if (prototype === null) return null;
  let marker = markers.get(prototype);
  if (marker === undefined) {
    marker =
      Object.getOwnPropertySymbols(reply).find(
        (symbol) => symbol.description === hasStatusCodeDescription,
      ) ?? null;
    markers.set(prototype, marker);
  }
  return marker;
}

/**
 * The status the handler set on the reply, or `undefined` when it set none: one other than
 * 200 however it was set (`reply.raw.statusCode` included), and 200 when Fastify says it was.
 */
export function chosenStatus(reply: FastifyReply): number | undefined {
  const status = reply.statusCode;
  if (status !== 200) return status;
  const marker = statusMarker(reply);
  return marker !== null && (reply as unknown as Record<symbol, unknown>)[marker] === true
    ? status
    : undefined;
}
