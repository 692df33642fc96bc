import type { MiddlewareStack } from '@smithy/types';
import { handleAmbiguousAttempt } from './ambiguous-writes.js';
import { keepAnswer } from './raw-answer.js';

interface Sender {
  // biome-ignore lint/suspicious/noExplicitAny: any client's stack, whatever its commands
  readonly middlewareStack: MiddlewareStack<any, any>;
}

const installed = new WeakSet<object>();

/**
 * Adds Macaron's two middleware to a client's stack, once (a DocumentClient shares its base
 * client's stack): inside the SDK's retry loop, the handling of ambiguous attempts; before
 * its deserializer, the answer's bytes. Each acts only on the requests the backend marked
 * with `trackRequest`, and lets every other command of the client through untouched; what
 * happens after the SDK is done (`settledError`, `restoreItems`) the backend does itself.
 * On the client, not on each command, and as few as can be: the SDK sorts its whole stack for
 * every request, and a client made with `cacheMiddleware: true`, which ignores a command's own
 * middleware after the first of its class, runs these for every request.
 */
export function installMacaronMiddleware(client: Sender): void {
  const stack = client.middlewareStack;
  if (installed.has(stack)) return;
  installed.add(stack);
  stack.add(handleAmbiguousAttempt, {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'macaronHandleAmbiguousAttempt',
    override: true,
  });
  stack.add(keepAnswer, {
    step: 'deserialize',
    priority: 'low',
    name: 'macaronKeepAnswer',
    override: true,
  });
  // A client with cacheMiddleware keeps the handlers it resolved before: resolved again with these.
  const cached = client as { handlers?: unknown };
  if (cached.handlers !== undefined) cached.handlers = undefined;
}
