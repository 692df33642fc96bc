import type { MiddlewareStack } from '@smithy/types';
import { handleAmbiguousAttempt, reportAmbiguousOutcome } from './ambiguous-writes.js';
import { keepAnswer, restoreItems } from './keep-proto-attributes.js';

interface Sender {
  // biome-ignore lint/suspicious/noExplicitAny: any client's stack, whatever its commands
  readonly middlewareStack: MiddlewareStack<any, any>;
}

const installed = new WeakSet<object>();

/**
 * Adds Macaron's middleware to a client's stack, once (a DocumentClient shares its base
 * client's stack). Each one acts only on the requests the backend marked with
 * `trackRequest`, and lets every other command of the client through untouched. On the
 * client, not on each command: the SDK then sorts its stack as for any command, and a client
 * made with `cacheMiddleware: true`, which ignores a command's own middleware after the first
 * of its class, runs it for every request.
 */
export function installMacaronMiddleware(client: Sender): void {
  const stack = client.middlewareStack;
  if (installed.has(stack)) return;
  installed.add(stack);
  stack.add(reportAmbiguousOutcome, {
    step: 'initialize',
    priority: 'high',
    name: 'macaronReportAmbiguousOutcome',
    override: true,
  });
  stack.add(restoreItems, {
    step: 'initialize',
    priority: 'low',
    name: 'macaronRestoreItems',
    override: true,
  });
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
