import { types } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UnsupportedOperationError } from '@macaron/core';
import type { DeserializeMiddleware, InitializeMiddleware, MiddlewareStack } from '@smithy/types';
import { answerBytes } from '../operations/raw-answer.js';
import { fromAttributeValue } from '../values/attribute-value.js';

/**
 * The DocumentClient the derived toolbox tables send with: the backend's client (same
 * configuration, credentials, middleware and connections), translating values as the backend
 * does, so that what an entity writes and reads is what Macaron writes and reads.
 *
 * - Numbers are read exactly: a number as a `number`, an integer beyond 2^53 as a `bigint`,
 *   and a decimal no JavaScript number holds is a `BackendError` (the SDK's default would
 *   round it silently; `wrapNumbers: true` gives objects toolbox's `number()` refuses).
 * - Numbers are written with their digits, a `number` beyond 2^53 refused (use a `bigint`),
 *   as Macaron refuses it; undefined values are left out, as the backend leaves them out.
 */
export function toolboxDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  // from() stores its translation settings on the configuration object of the client it wraps:
  // it gets a copy, so the user's client, and any DocumentClient of theirs on it, keep their own.
  // lib-dynamodb refuses a client made with `cacheMiddleware: true` (a handler cached by command
  // class would skip its commands' own middleware): the copy caches none, the user's client
  // still does.
  const base = {
    config: { ...client.config, cacheMiddleware: false },
    middlewareStack: client.middlewareStack,
  } as unknown as DynamoDBClient;
  const documentClient = DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true },
    unmarshallOptions: { wrapNumbers: readExactNumber },
  });
  // The DocumentClient types a number set by its first member: a set read as `{1,
  // 9007199254740993n}` would be written with every member as a `number`, and refused. A set
  // holding a bigint is given to it bigint first, which writes every member with its digits.
  // In each command's own stack, before the DocumentClient marshalls its input (serialize).
  const send = documentClient.send.bind(documentClient) as (...args: unknown[]) => unknown;
  const bigintFirst: InitializeMiddleware<object, object> = (next) => (args) =>
    next({ ...args, input: withBigintFirstSets(args.input) as object });
  documentClient.send = ((
    command: { middlewareStack?: MiddlewareStack<object, object> },
    ...rest: unknown[]
  ) => {
    command.middlewareStack?.add(bigintFirst, {
      step: 'initialize',
      name: 'macaronBigintFirstSets',
      override: true,
    });
    // Before the SDK's deserializer (low priority: inside it), which sees the answer's bytes.
    command.middlewareStack?.add(refuseProtoMembers, {
      step: 'deserialize',
      priority: 'low',
      name: 'macaronRefuseProtoMembers',
      override: true,
    });
    return send(command, ...rest);
  }) as typeof documentClient.send;
  return documentClient;
}

// The value with each set of numbers that holds a bigint rebuilt bigint first; the rest as it is.
function withBigintFirstSets(value: unknown): unknown {
  if (types.isSet(value)) {
    const members = [...value];
    const bigint = members.findIndex((member) => typeof member === 'bigint');
    if (
      bigint <= 0 ||
      members.some((member) => typeof member !== 'number' && typeof member !== 'bigint')
    )
      return value;
    return new Set([members[bigint], ...members.filter((_, index) => index !== bigint)]);
  }
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const next = withBigintFirstSets(item);
      changed ||= next !== item;
      return next;
    });
    return changed ? items : value;
  }
  if (
    value === null ||
    typeof value !== 'object' ||
    Object.getPrototypeOf(value) !== Object.prototype
  )
    return value;
  let copy: Record<string, unknown> | undefined;
  for (const [name, inner] of Object.entries(value)) {
    const next = withBigintFirstSets(inner);
    if (next === inner) continue;
    // A copy, names as data (`__proto__` included): the caller's objects stay as they were.
    copy ??= Object.defineProperties({}, Object.getOwnPropertyDescriptors(value));
    Object.defineProperty(copy, name, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy ?? value;
}

// The backend's own reading of a number: one rule for both.
function readExactNumber(text: string): number | bigint {
  return fromAttributeValue({ N: text }) as number | bigint;
}

// The reads of an entity (and of a table's commands): their answers carry items.
const itemReads = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);

// A member named `__proto__` in a JSON answer: a quote right after `{` or `,` (spaces aside)
// opens a member name, never text inside a string, where every quote is escaped.
const protoMember = /[{,]\s*"__proto__"\s*:/;

/**
 * Refuses the answer of a read that holds a map member named `__proto__` (which Macaron writes
 * and loads, P-89): the SDK and the DocumentClient's unmarshalling would drop it and give the map
 * another prototype, so the item read, or put back, would silently lack it. Writes are left
 * alone: refusing their answer would hide a write that was done.
 */
const refuseProtoMembers: DeserializeMiddleware<object, object> = (next, context) => (args) =>
  next(args).then(async (result) => {
    if (!itemReads.has(context.commandName ?? '')) return result;
    const response = result.response as { statusCode?: number; body?: unknown };
    if (response.statusCode === undefined || response.statusCode >= 300) return result;
    const bytes = await answerBytes(response);
    if (bytes !== undefined && protoMember.test(bytes.toString('utf8')))
      throw new UnsupportedOperationError(
        `${(context.commandName ?? 'a read').replace(/Command$/, '')} through a dynamodb-toolbox entity or table read an item holding a member named __proto__, which the DocumentClient would drop silently: read it with Macaron, which keeps it`,
      );
    return result;
  });
