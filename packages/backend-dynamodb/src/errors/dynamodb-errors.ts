import {
  AccessDeniedError,
  BackendError,
  ConditionFailedError,
  InvalidRequestError,
  MacaronError,
  TableMismatchError,
  TableNotFoundError,
  ThrottledError,
  TransactionCanceledError,
  type TransactionCancelReason,
  UnreachableError,
  UnsupportedOperationError,
  ValidationError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { shownName, shownText } from '@macaron/core/backend';
import { foreignRefusalText, isForeignRefusal } from './foreign-answer.js';

const throttlingNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  // Too many control-plane operations at once; an item a write in another Region modifies.
  'LimitExceededException',
  'ReplicatedWriteConflictException',
]);

// Credentials DynamoDB does not accept: it refused the request before reading or writing.
const refusedCredentials = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'MissingAuthenticationTokenException',
]);

const ambiguousCodes = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNABORTED',
]);
const ambiguousNames = new Set(['TimeoutError', 'RequestTimeout', 'AbortError']);
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // An address that never answered the connect (a route that drops packets): as a `connect`
  // failure only, like the others; on a connected socket it is ambiguous.
  'ETIMEDOUT',
]);

/**
 * True for a failure to open the connection (`connect`), to find the host (`getaddrinfo`), or
 * to connect within the request handler's `connectionTimeout`: nothing was sent. The same codes
 * on a connected socket come after the request was written.
 */
function neverConnected(error: SdkError | undefined): boolean {
  // Node connects to each address of a host in turn (autoSelectFamily): when all refuse, one
  // AggregateError holds their failures, without a syscall of its own.
  const attempts = (error as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(attempts) && attempts.length > 0)
    return attempts.every((attempt) => neverConnected(attempt as SdkError));
  if (error?.name === 'TimeoutError')
    return /did not establish a connection|without establishing a connection/i.test(
      error.message ?? '',
    );
  return (
    unreachableCodes.has(error?.code ?? '') &&
    (error?.syscall === 'connect' || error?.syscall === 'getaddrinfo')
  );
}

/**
 * Why no connection was made, for a message: the system's code (`ECONNREFUSED`), those of the
 * attempts of a host's every address, or the request handler's `connectionTimeout`, whose
 * error carries no code (it read `(undefined)`).
 */
function unreachableReason(error: SdkError | undefined): string {
  // The attempts first: Node's AggregateError takes its first attempt's code as its own.
  const attempts = (error as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(attempts) && attempts.length > 0)
    return [...new Set(attempts.map((attempt) => unreachableReason(attempt as SdkError)))].join(
      ', ',
    );
  if (typeof error?.code === 'string' && error.code !== '') return error.code;
  if (error?.name === 'TimeoutError')
    return "no connection within the request handler's connectionTimeout";
  return error?.name || 'no connection';
}

/**
 * True when the request handler stopped waiting for the answer (its `requestTimeout` with
 * `throwOnRequestTimeout`, its `socketTimeout`, HTTP/2's stream timeout), the connection sound.
 * Not a reset or a broken pipe, which it also names `TimeoutError` (`read ECONNRESET`).
 */
function handlerTimedOut(error: unknown): boolean {
  const { name, message } = (error ?? {}) as SdkError;
  return name === 'TimeoutError' && /requestTimeout|timed out/i.test(message ?? '');
}

// The data-plane reads: the only requests whose timeout reaches `toMacaronError` unwrapped
// (a write's is reported as an unknown outcome; provisioning's may have changed a table).
const readOperations = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

/** Name of the error our middleware throws when a write may have been applied. */
export const outcomeUnknownName = 'MacaronWriteOutcomeUnknown';

/** Name of the error our middleware throws for a 2xx that is not DynamoDB's answer (no body, not a JSON object). */
export const emptyAnswerName = 'MacaronEmptyAnswer';

interface SdkError {
  $metadata?: { httpStatusCode?: number };
  name?: string;
  code?: string;
  syscall?: string;
  message?: string;
  CancellationReasons?: { Code?: string; Message?: string }[];
}

/** True for a failure of the connection after the request may have reached DynamoDB. */
export function isAmbiguousFailure(error: unknown): boolean {
  const candidate = error as SdkError & { $metadata?: { httpStatusCode?: number } };
  // A 5xx answer ("the request may or may not have been processed") is as ambiguous as a lost
  // connection; so is a 2xx whose body could not be read (cut short by a proxy): the write was
  // applied, or the answer was not DynamoDB's.
  const status = candidate?.$metadata?.httpStatusCode ?? 0;
  if (neverConnected(candidate)) return false;
  return (
    status >= 500 ||
    (status >= 200 && status < 300) ||
    ambiguousCodes.has(candidate?.code ?? '') ||
    // A host or network unreachable on a connected socket (its retransmissions given up): the
    // request was written, and may have been applied.
    (unreachableCodes.has(candidate?.code ?? '') && !neverConnected(candidate)) ||
    ambiguousNames.has(candidate?.name ?? '') ||
    /socket hang up/i.test(candidate?.message ?? '')
  );
}

// A Map: the engine's reason codes are never looked up on an object's prototype.
const cancellationCodes = new Map([
  ['ConditionalCheckFailed', 'CONDITION_FAILED'],
  ['TransactionConflict', 'TRANSACTION_CONFLICT'],
  ['ProvisionedThroughputExceeded', 'THROTTLED'],
  ['ThrottlingError', 'THROTTLED'],
  ['ItemCollectionSizeLimitExceeded', 'ITEM_COLLECTION_TOO_LARGE'],
  ['ValidationError', 'INVALID_REQUEST'],
]);

// DynamoDB's (and dynalite's, moto's) words for a key that does not fit the table's key schema.
const keySchemaMismatch =
  /key element does not match the schema|missing the key|missed key schema element|required keys was not given a value|type mismatch for key|condition parameter type does not match schema type/i;
// An item's attribute of another type than an index of the table takes as its key:
// `Type mismatch for Index Key region Expected: S Actual: N IndexName: byRegion`. The name is
// the spec's, written as it is: whole up to ` Expected:`, spaces and line breaks included.
const indexKeyTypeMismatch =
  /type mismatch for index key (.+?) Expected:(?:.*?IndexName:\s*([^\s,]+))?|type mismatch for index key\s+(\S+)(?:.*?IndexName:\s*([^\s,]+))?/is;

/**
 * Translates an AWS SDK error into the `MacaronError` that says what it means for the
 * caller; the SDK error stays as `cause`. No AWS SDK error type reaches the user.
 */
export function toMacaronError(
  error: unknown,
  operation: string,
  table: string,
  // What the messages HTTP clients may get say of where: the operation alone, unless the
  // caller (provisioning, which no client drives) names the table too.
  visibleWhere = operation,
  // Whether the spec declares an index of this name on the tables of the request.
  declaresIndex: (index: string) => boolean = () => true,
): MacaronError {
  if (MacaronError.isInstance(error)) return error;
  const sdk = error as SdkError;
  const name = sdk?.name ?? '';
  const where = `${operation} on ${table}`;
  // Errors of status 4xx reach HTTP clients with their message: the operation, not the table
  // (its physical name, a prefix naming a stage or a tenant, is the deployment's).
  if (name === 'ConditionalCheckFailedException')
    return new ConditionFailedError(`${visibleWhere}: the condition did not hold`, {
      cause: error,
    });
  if (name === 'TransactionCanceledException') {
    // An update that would grow an item past 400 KB: DynamoDB cancels the transaction with a
    // ValidationError reason; P-15's ValidationError, as for the update alone and on every backend.
    const failed = (sdk.CancellationReasons ?? []).filter(
      (reason) => reason.Code !== undefined && reason.Code !== 'None',
    );
    if (
      failed.length > 0 &&
      failed.every(
        (reason) => reason.Code === 'ValidationError' && /item size/i.test(reason.Message ?? ''),
      )
    )
      return new ValidationError(
        `${visibleWhere}: an item would exceed the 400 KB item limit; nothing was applied`,
        [{ pointer: '', keyword: 'maxItemBytes', message: 'would exceed the 400 KB item limit' }],
        { cause: error },
      );
    // Only actions DynamoDB found invalid (an operand of the wrong type for an update, say):
    // the InvalidRequestError the update alone gets, as memory and PostgreSQL answer it.
    if (failed.length > 0 && failed.every((reason) => reason.Code === 'ValidationError'))
      return new InvalidRequestError(
        `${visibleWhere} was refused by DynamoDB: ${shownText(failed.map((reason) => reason.Message ?? reason.Code).join('; '))}; nothing was applied`,
        { cause: error },
      );
    const reasons: TransactionCancelReason[] = [];
    (sdk.CancellationReasons ?? []).forEach((reason, index) => {
      if (reason.Code && reason.Code !== 'None') {
        reasons.push({
          index,
          code: cancellationCodes.get(reason.Code) ?? reason.Code.toUpperCase(),
          message: reason.Message ?? reason.Code,
        });
      }
    });
    return new TransactionCanceledError(reasons, { cause: error });
  }
  // A single write to an item a transaction is writing: refused, nothing applied; the SDK
  // does not retry it. Contention, as PostgreSQL's serialization failures are.
  if (name === 'TransactionConflictException')
    return new ThrottledError(
      `${where} met a transaction in progress on the item and was refused; nothing was applied: retry it`,
      { cause: error },
    );
  // A 429 whatever its body says (a gateway's or a proxy's HTML page names no exception).
  if (throttlingNames.has(name) || sdk?.$metadata?.httpStatusCode === 429)
    return new ThrottledError(`${where} was throttled beyond every retry`, { cause: error });
  if (name === outcomeUnknownName) {
    const cause = (error as { connectionError?: unknown }).connectionError ?? error;
    const what =
      (cause as { name?: unknown } | null)?.name === emptyAnswerName
        ? (cause as Error).message
        : isForeignRefusal(cause)
          ? `the answer was ${foreignRefusalText(cause)}, which does not say whether the request was forwarded`
          : handlerTimedOut(cause)
            ? "no answer came within the request handler's timeout after the request was sent"
            : 'the connection failed after the request was sent';
    return new WriteOutcomeUnknownError(
      `${where}: ${what}, so the write may or may not have been applied; read the item before retrying`,
      { cause },
    );
  }
  // An update that grows an item past 400 KB: the same ValidationError a whole-item write gets (P-15).
  if (name === 'ValidationException' && /item size/i.test(sdk.message ?? '')) {
    return new ValidationError(
      `${visibleWhere}: the item would exceed the 400 KB item limit`,
      [{ pointer: '', keyword: 'maxItemBytes', message: 'would exceed the 400 KB item limit' }],
      { cause: error },
    );
  }
  // A query or scan naming an index the table does not have: the spec's, not the request's,
  // since core checks index names against the spec. Nothing was read.
  if (
    name === 'ValidationException' &&
    /does not have the specified index/i.test(sdk.message ?? '')
  )
    return new TableNotFoundError(
      `${where}: the index does not exist (create it with ensureTables)`,
      { cause: error },
    );
  // An index DynamoDB is still building (just added by ensureTables): a state of the server
  // that passes, not a request to mend. Nothing was read.
  if (
    name === 'ValidationException' &&
    /backfilling global secondary index/i.test(sdk.message ?? '')
  )
    return new ThrottledError(
      `${where}: the index is still being built (backfilling); read through it once DynamoDB lists it ACTIVE`,
      { cause: error },
    );
  // Core checks the values of the indexes the spec declares before sending them: a value
  // of another type for one of those means the index was made for another spec. An index the
  // spec does not declare (made by a newer version of the service, during a rolling deploy)
  // refuses the item's value: the request is refused, not the table.
  const indexMismatch =
    name === 'ValidationException' ? indexKeyTypeMismatch.exec(sdk.message ?? '') : null;
  if (indexMismatch) {
    const attribute = indexMismatch[1] ?? indexMismatch[3];
    const index = indexMismatch[2] ?? indexMismatch[4];
    // DynamoDB leaves an item without an index's key out of the index. An engine that reads
    // the absent attribute as present (dynalite, for names of Object.prototype members such as
    // `constructor`) refuses it: the engine's limit, not a table made for another spec.
    if (/Actual:\s*undefined/i.test(sdk.message ?? ''))
      return new UnsupportedOperationError(
        `${visibleWhere}: this engine refuses an item without the index key ${shownName(attribute ?? '')}, which DynamoDB leaves out of the index (dynalite reads an absent attribute named like an Object.prototype member as present; see docs/engines.md); nothing was written`,
        { cause: error },
      );
    if (index !== undefined && !declaresIndex(index))
      return new InvalidRequestError(
        `${visibleWhere}: the item's ${shownName(attribute ?? '')} is not of the type the table's index ${shownName(index)} takes as its key (an index the spec does not declare)`,
        { cause: error },
      );
    return new TableMismatchError(table, [`${operation}: ${sdk.message}`], { cause: error });
  }
  // Core checks every key against the spec before sending it, so a key the engine finds
  // missing or mistyped means the table was made for another spec.
  if (name === 'ValidationException' && keySchemaMismatch.test(sdk.message ?? ''))
    return new TableMismatchError(table, [`${operation}: ${sdk.message}`], { cause: error });
  if (name === 'ValidationException')
    return new InvalidRequestError(
      `${visibleWhere} was refused by DynamoDB: ${shownText(sdk.message ?? '')}`,
      {
        cause: error,
      },
    );
  // DynamoDB answered that it applied nothing (P-108: notApplied).
  if (name === 'ResourceNotFoundException') {
    return new TableNotFoundError(
      `${where}: the table or index does not exist (create it with ensureTables)`,
      { cause: error, notApplied: true },
    );
  }
  // No credentials to sign with (the provider chain found none, or failed): nothing was sent.
  if (name === 'CredentialsProviderError')
    return new AccessDeniedError(
      `${where} was not sent: the client found no credentials to sign it with (${shownText(sdk.message ?? name)})`,
      { cause: error, notSent: true },
    );
  // IAM refused the request before DynamoDB read or wrote anything.
  if (refusedCredentials.has(name))
    return new AccessDeniedError(
      `${where} was refused: DynamoDB does not accept the client's credentials (${name}); nothing was read or written`,
      { cause: error, notApplied: true },
    );
  if (name === 'AccessDeniedException')
    return new AccessDeniedError(
      `${where} was refused: ${shownText(sdk.message ?? 'access denied')}; nothing was read or written`,
      { cause: error, notApplied: true },
    );
  if (neverConnected(sdk))
    return new UnreachableError(
      `${where}: DynamoDB cannot be reached (${unreachableReason(sdk)}); nothing was sent`,
      {
        cause: error,
      },
    );
  // A read whose answer did not come within the request handler's timeout (its `requestTimeout`
  // with `throwOnRequestTimeout`, its `socketTimeout`), past the SDK's retries: the engine did
  // not answer in time, and a read applied nothing. THROTTLED (503), as PostgreSQL's
  // statement_timeout, lock timeout and query_timeout on a read are. A write's is
  // `WriteOutcomeUnknownError`, above.
  if (readOperations.has(operation) && handlerTimedOut(error))
    return new ThrottledError(
      `${where}: no answer within the request handler's timeout (requestTimeout), after the SDK's retries; nothing was written`,
      { cause: error },
    );
  // An answer the SDK finds no DynamoDB error type in (`Unknown`) or cannot parse: the endpoint
  // is another HTTP server (a wrong port), or a proxy answered for DynamoDB.
  const status = sdk?.$metadata?.httpStatusCode;
  if ((name === 'Unknown' || name === 'SyntaxError') && status !== undefined) {
    const body =
      name === 'SyntaxError'
        ? 'a body that is not JSON'
        : sdk?.message && sdk.message !== 'UnknownError'
          ? `an error of no DynamoDB type (${shownText(sdk.message)})`
          : 'no DynamoDB error in it';
    return new BackendError(
      `${where} failed: the endpoint answered HTTP ${status} with ${body} (is it a DynamoDB endpoint?)`,
      { cause: error },
    );
  }
  return new BackendError(
    `${where} failed: ${name || 'error'}${sdk?.message ? `: ${shownText(sdk.message)}` : ''}`,
    { cause: error },
  );
}
