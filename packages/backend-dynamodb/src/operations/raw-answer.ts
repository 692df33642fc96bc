import { types } from 'node:util';
import type { DeserializeMiddleware } from '@smithy/types';
import { emptyAnswerName } from '../errors/dynamodb-errors.js';
import { answerShapeProblem } from './answer-shape.js';
import { type RequestState, requestState } from './request-state.js';

// The answer's bytes, seen before the SDK parses them, for three things:
// - an empty 2xx body, which the SDK reads as `{}` (see `keepAnswer`);
// - speed: the answers that carry items are parsed here with `JSON.parse`, and the SDK is
//   handed `{}`. Their attribute values are already the SDK's shape (`{ S: "…" }`,
//   `{ N: "…" }`; bytes stay base64 text, which `fromAttributeValue` decodes), so the SDK's
//   schema-driven walk after its own `JSON.parse` was work the backend's conversion repeats;
// - an attribute named `__proto__` of a top-level item, which the SDK (@smithy/core 3.41) reads
//   as undefined (its in-place map transform defines the key before reading its value), and
//   `JSON.parse` reads as an own property.

// The commands whose answers carry items, keys or attribute values, and nothing but JSON's own
// types beside them (no timestamps, which the SDK makes `Date`s).
const parsedHere = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
]);

// `{}`: what the SDK is given to parse for an answer read here.
const emptyObject = new TextEncoder().encode('{}');

// Answers that never carry an item: a put or a transaction that returns no values.
function carriesNoItems(commandName: string | undefined, input: object): boolean {
  if (commandName === 'TransactWriteItemsCommand') return true;
  return (
    commandName === 'PutItemCommand' &&
    ((input as { ReturnValues?: string }).ReturnValues ?? 'NONE') === 'NONE'
  );
}

/**
 * Between the transport and the SDK's deserializer: sees the answer's bytes. DynamoDB answers
 * every request with a JSON object, `{}` at the least; the SDK reads an empty body as `{}` too,
 * so an empty 2xx (a proxy's 200, 202 or 204, say) would read as no item, no page, a batch with
 * nothing left unprocessed, or a delete that found nothing. It is refused as not DynamoDB's
 * answer: a write then has an unknown outcome, a read fails. An answer that carries items is
 * parsed here, for `fillParsedAnswer`, and refused the same way when it is not a JSON object
 * (cut short, say) or its item fields are not shaped as DynamoDB sends them.
 */
export const keepAnswer: DeserializeMiddleware<object, object> = (next, context) => (args) => {
  const state = requestState(args.input);
  if (state === undefined) return next(args);
  const itemless = carriesNoItems(context.commandName, args.input);
  return next(args).then(async (result) => {
    const response = result.response as {
      statusCode?: number;
      body?: unknown;
      headers?: Record<string, string | undefined>;
    };
    const status = response.statusCode;
    if (status === undefined || status < 200 || status >= 300) return result;
    const length = response.headers?.['content-length'];
    if (length === '0') throw emptyAnswer();
    // An answer without items is read here only when its length is not said (chunked).
    if (itemless && length !== undefined) return result;
    const bytes = await answerBytes(response);
    if (bytes === undefined) return result;
    if (bytes.length === 0) throw emptyAnswer();
    if (itemless || !parsedHere.has(context.commandName ?? '')) return result;
    state.parsedAnswer = dynamoDbAnswer(bytes);
    response.body = emptyObject;
    return result;
  });
};

/**
 * After the SDK's deserializer, inside the stack (so that the application's own middleware
 * sees the whole output): the fields of an answer `keepAnswer` parsed, set on the output the
 * SDK made of `{}`. `__proto__` is not one of DynamoDB's fields: never set as one.
 */
export function fillParsedAnswer(output: unknown, state: RequestState): void {
  const parsed = state.parsedAnswer;
  if (parsed === undefined || output === null || typeof output !== 'object') return;
  state.parsedAnswer = undefined;
  // A `null` field is left out, as the SDK leaves it out.
  for (const name of Object.keys(parsed))
    if (name !== '__proto__' && name !== '$metadata' && parsed[name] !== null)
      (output as Record<string, unknown>)[name] = parsed[name];
}

// A 2xx whose body is not DynamoDB's: ambiguous for a write (`isAmbiguousFailure`).
function notDynamoDbAnswer(what: string): Error {
  return Object.assign(new Error(`the answer was a 2xx ${what}, not DynamoDB's`), {
    name: emptyAnswerName,
    $metadata: { httpStatusCode: 200 },
  });
}

function emptyAnswer(): Error {
  return notDynamoDbAnswer('with an empty body');
}

// The answer's bytes. A stream is read whole, and the body becomes its bytes for the SDK; a
// request handler of the application's may give bytes or text instead. Undefined for any
// other body, which is left to the SDK.
export async function answerBytes(response: { body?: unknown }): Promise<Buffer | undefined> {
  const body = response.body;
  if (isStream(body)) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk as Uint8Array);
    const bytes = Buffer.concat(chunks);
    response.body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return bytes;
  }
  if (types.isUint8Array(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body === undefined || body === null || (body as { length?: number }).length === 0)
    return Buffer.alloc(0);
  return undefined;
}

function isStream(body: unknown): body is AsyncIterable<unknown> {
  return typeof (body as AsyncIterable<unknown> | undefined)?.[Symbol.asyncIterator] === 'function';
}

// The answer as a JSON object whose item fields are shaped as DynamoDB sends them.
function dynamoDbAnswer(bytes: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw notDynamoDbAnswer('whose body is not JSON (cut short?)');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw notDynamoDbAnswer('whose body is not a JSON object');
  const problem = answerShapeProblem(parsed as Record<string, unknown>);
  if (problem !== undefined)
    throw notDynamoDbAnswer(`whose ${problem} is not as DynamoDB sends it`);
  return parsed as Record<string, unknown>;
}
