import type { FastifyReply } from 'fastify';

// Fastify marks a reply whose status was set (`reply.code`, `reply.status`, `statusCode =`)
// with a symbol it does not export; the symbol's description finds it on the first reply.
// Without it (another Fastify), an explicit 200 reads as no choice, as it did before.
const hasStatusCodeDescription = 'fastify.reply.hasStatusCode';
let hasStatusCode: symbol | null | undefined;

/** The status the handler set on the reply, or `undefined` when it set none. */
export function chosenStatus(reply: FastifyReply): number | undefined {
  if (hasStatusCode === undefined) {
    hasStatusCode =
      Object.getOwnPropertySymbols(reply).find(
        (symbol) => symbol.description === hasStatusCodeDescription,
      ) ?? null;
  }
  if (hasStatusCode === null) return reply.statusCode === 200 ? undefined : reply.statusCode;
  return (reply as unknown as Record<symbol, unknown>)[hasStatusCode] === true
    ? reply.statusCode
    : undefined;
}
