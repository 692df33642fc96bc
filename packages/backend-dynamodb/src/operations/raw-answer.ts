import { setOwnProperty } from '@macaron/core/backend';
import type { DeserializeMiddleware } from '@smithy/types';
import { emptyAnswerName } from '../errors/dynamodb-errors.js';
import { type RequestState, requestState } from './request-state.js';

// The answer's bytes, seen before the SDK parses them, for two things the SDK gets wrong:
// - an empty 2xx body, which it reads as `{}` (see `keepAnswer`);
// - an attribute named `__proto__` of a top-level item, which it (@smithy/core 3.41) reads as
//   undefined: its in-place map transform defines the key before reading its value. For the
//   rare answer that holds that name, the answer's JSON is kept and its items put back into
//   the output, read here with every name an own property (`restoreItems`). Other answers are
//   left to the SDK alone.

/** The outputs that carry items, keys or attribute values. */
const itemFields = [
  'Item',
  'Attributes',
  'Items',
  'LastEvaluatedKey',
  'Responses',
  'UnprocessedKeys',
  'UnprocessedItems',
];

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
 * so an empty 2xx (a proxy's 200, 202 or 204, say) would read as no item, no page, a batch with nothing left
 * unprocessed, or a delete that found nothing. It is refused as not DynamoDB's answer: a write
 * then has an unknown outcome, a read fails.
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
    if (!isStream(response.body)) {
      // A request handler of the application's may give the body as bytes or text.
      const body = response.body as { length?: number } | undefined;
      if (body === undefined || body === null || body.length === 0) throw emptyAnswer();
      return result;
    }
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Uint8Array);
    const bytes = Buffer.concat(chunks);
    if (bytes.length === 0) throw emptyAnswer();
    response.body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!itemless && bytes.includes('"__proto__"'))
      state.rawAnswer = JSON.parse(bytes.toString('utf8'));
    return result;
  });
};

// A 2xx whose body is not DynamoDB's: ambiguous for a write (`isAmbiguousFailure`).
function emptyAnswer(): Error {
  return Object.assign(new Error("the answer was a 2xx with an empty body, not DynamoDB's"), {
    name: emptyAnswerName,
    $metadata: { httpStatusCode: 200 },
  });
}

/** After the SDK's deserializer: replaces the item fields it read with the answer's own. */
export function restoreItems(output: object, state: RequestState): void {
  const raw = state.rawAnswer;
  if (!raw) return;
  for (const field of itemFields)
    if (Object.hasOwn(raw, field))
      (output as Record<string, unknown>)[field] = withBinaries(raw[field]);
}

function isStream(body: unknown): body is AsyncIterable<unknown> {
  return typeof (body as AsyncIterable<unknown> | undefined)?.[Symbol.asyncIterator] === 'function';
}

/**
 * JSON's attribute values with bytes decoded, as the SDK gives them: `{ B: base64 }` and
 * `{ BS: [base64] }` become bytes. A map or an item never holds a string directly, so an
 * attribute named `B` or `BS` is never mistaken for one.
 */
function withBinaries(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withBinaries);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const names = Object.keys(record);
  if (names.length === 1 && names[0] === 'B' && typeof record.B === 'string')
    return { B: decode(record.B) };
  if (names.length === 1 && names[0] === 'BS' && Array.isArray(record.BS))
    return { BS: record.BS.map((element) => decode(String(element))) };
  const copy: Record<string, unknown> = {};
  for (const name of names) setOwnProperty(copy, name, withBinaries(record[name]));
  return copy;
}

function decode(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}
