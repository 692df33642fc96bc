import type {
  DynamoDBClient,
  DynamoDBClientResolvedConfig,
  ServiceInputTypes,
  ServiceOutputTypes,
} from '@aws-sdk/client-dynamodb';
import type { Command, MetadataBearer, MiddlewareStack } from '@smithy/types';
import { handleAttempt } from './ambiguous-writes.js';
import { keepAnswer } from './raw-answer.js';
import { protocolRevision, trackRequest } from './request-state.js';

interface Sender {
  // biome-ignore lint/suspicious/noExplicitAny: any client's stack, whatever its commands
  readonly middlewareStack: MiddlewareStack<any, any> | undefined;
}

const installed = new WeakSet<object>();

/**
 * Adds Macaron's two middleware to a client's stack, once (a DocumentClient shares its base
 * client's stack): inside the SDK's retry loop, each attempt's handling (the answer's fields
 * set on the output where the second parsed them; ambiguous attempts of writes); before its
 * deserializer, the answer's bytes. Each acts only on the requests the backend marked with
 * `trackRequest`, and lets every other command of the client through untouched; what happens
 * after the SDK is done (`settledError`) the backend does itself.
 * On the client, not on each command, and as few as can be: the SDK sorts its whole stack for
 * every request, and a client made with `cacheMiddleware: true`, which ignores a command's own
 * middleware after the first of its class, runs these for every request.
 */
export function installMacaronMiddleware(client: Sender): void {
  const stack = client.middlewareStack;
  // A stand-in client of the application's tests (an object with `send` alone) has no stack.
  if (stack === undefined || installed.has(stack)) return;
  installed.add(stack);
  stack.add(handleAttempt, {
    step: 'finalizeRequest',
    priority: 'low',
    name: `macaronHandleAttempt${protocolRevision}`,
    override: true,
  });
  stack.add(keepAnswer, {
    step: 'deserialize',
    priority: 'low',
    name: `macaronKeepAnswer${protocolRevision}`,
    override: true,
  });
  // A client with cacheMiddleware keeps the handlers it resolved before: resolved again with these.
  const cached = client as { handlers?: unknown };
  if (cached.handlers !== undefined) cached.handlers = undefined;
}

/** One of the DynamoDB client's commands. */
export type DynamoDbCommand<Input extends object, Output extends MetadataBearer> = Command<
  ServiceInputTypes,
  Input,
  ServiceOutputTypes,
  Output,
  DynamoDBClientResolvedConfig
>;

/**
 * Sends one of provisioning's reads through Macaron's middleware, tracked, so that an empty
 * answer (a proxy's, not DynamoDB's) is a failure rather than "nothing there".
 */
export function sendTracked<Input extends object, Output extends MetadataBearer>(
  client: DynamoDBClient,
  command: DynamoDbCommand<Input, Output>,
): Promise<Output> {
  trackRequest(command.input, undefined);
  installMacaronMiddleware(client);
  return client.send(command);
}
