import { TextDecoder, types } from 'node:util';
import { BackendError } from '@macaron/core';
import type { BuildMiddleware, MiddlewareStack } from '@smithy/types';

/*
 * Attributes named `__proto__`, which items written by others may hold, are the one name the
 * serializers of @aws-sdk/client-dynamodb before 3.1169 drop from a request (they build each map
 * on a `{}`, where `map['__proto__'] = …` sets a prototype): at every depth up to 3.948 at least,
 * nested ones up to 3.1000 at least. The peer range asks for 3.1169, but only npm's default
 * install enforces it: pnpm and yarn install an older SDK with a warning, `npm install
 * --legacy-peer-deps` without one, and the write would store the item without the attribute.
 * So a request whose input holds such names (a write's item; a read's filter or a write's
 * condition comparing with such a map) is checked once serialised, before it is sent.
 */

// A member named `__proto__` in compact JSON (the SDK's `JSON.stringify`): its opening quote
// follows the `{` or `,` before every member. Inside a string, a quote is escaped (`\"`), so
// `{"` and `,"` are never in one: a name that merely ends in `"__proto__` (`"a\"__proto__":`)
// or a string value holding `"__proto__":` is not counted, and cannot hide a member dropped.
const protoMember = /[{,]"__proto__":/g;

function protoMembers(text: string): number {
  return text.match(protoMember)?.length ?? 0;
}

/**
 * After every serialize-step middleware, before anything is signed or sent: a request whose
 * body holds fewer `__proto__` members than the `expected` its input holds is refused,
 * nothing sent. Only members named exactly `__proto__` are counted (see `protoMember`): not a
 * string value holding the text, nor a longer name ending in it.
 */
function checkProtoNames(expected: number): BuildMiddleware<object, object> {
  return (next) => async (args) => {
    const body = (args.request as { body?: unknown }).body;
    const text =
      typeof body === 'string'
        ? body
        : types.isUint8Array(body)
          ? new TextDecoder().decode(body)
          : undefined;
    // JSON (awsJson1_0, DynamoDB's protocol); another encoding is not counted.
    if (text?.startsWith('{') && protoMembers(text) < expected)
      throw new BackendError(
        'The AWS SDK dropped an attribute named __proto__ from the request: its serializer is older than @aws-sdk/client-dynamodb 3.1169, which @macaron/backend-dynamodb needs (npm ls @aws-sdk/client-dynamodb). Nothing was sent',
        { notSent: true },
      );
    return next(args);
  };
}

/** How many members named `__proto__` a command input holds, at any depth. */
function protoNames(value: unknown): number {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const member of value) count += protoNames(member);
    return count;
  }
  for (const name of Object.keys(value)) {
    if (name === '__proto__') count += 1;
    count += protoNames((value as Record<string, unknown>)[name]);
  }
  return count;
}

/**
 * Checks the serialised request (a write's, or a read's whose filter holds a map) whose input
 * may hold members named `__proto__`
 * (`takeProtoNamesMarshalled` counted some since the last request): counted exactly in the
 * input, and checked on that command alone, so that every other request walks nothing and
 * resolves no more middleware than before. True when the check was added to the command's own
 * stack: such a command must be sent so that its own stack is resolved (see `DynamoDbStorage.send`),
 * which a client made with `cacheMiddleware: true` does only for a call given options.
 */
export function guardProtoNames(command: { input: object }): boolean {
  const expected = protoNames(command.input);
  if (expected === 0) return false;
  // biome-ignore lint/suspicious/noExplicitAny: any command's stack, whatever its input
  const stack = (command as { middlewareStack?: MiddlewareStack<any, any> }).middlewareStack;
  if (stack === undefined) return false;
  stack.add(checkProtoNames(expected), {
    step: 'build',
    priority: 'low',
    name: 'macaronCheckProtoNames',
    override: true,
  });
  return true;
}
