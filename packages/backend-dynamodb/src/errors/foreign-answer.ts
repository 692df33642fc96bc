/**
 * The errors DynamoDB, and the AWS front end before it, answer with (the SDK's DynamoDB error
 * classes and AWS's common errors): a 4xx naming one of these is DynamoDB refusing the
 * request, nothing applied.
 */
const dynamoDbErrorNames = new Set([
  'AccessDeniedException',
  'BackupInUseException',
  'BackupNotFoundException',
  'ConditionalCheckFailedException',
  'ContinuousBackupsUnavailableException',
  'DuplicateItemException',
  'ExpiredTokenException',
  'ExportConflictException',
  'ExportNotFoundException',
  'GlobalTableAlreadyExistsException',
  'GlobalTableNotFoundException',
  'IdempotentParameterMismatchException',
  'ImportConflictException',
  'ImportNotFoundException',
  'IncompleteSignatureException',
  'IndexNotFoundException',
  'InvalidAction',
  'InvalidClientTokenId',
  'InvalidEndpointException',
  'InvalidExportTimeException',
  'InvalidParameterCombination',
  'InvalidParameterValue',
  'InvalidQueryParameter',
  'InvalidRestoreTimeException',
  'InvalidSignatureException',
  'ItemCollectionSizeLimitExceededException',
  'LimitExceededException',
  'MalformedQueryString',
  'MissingAction',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'MissingParameter',
  'NotAuthorized',
  'OptInRequired',
  'PointInTimeRecoveryUnavailableException',
  'PolicyNotFoundException',
  'ProvisionedThroughputExceededException',
  'ReplicaAlreadyExistsException',
  'ReplicaNotFoundException',
  'ReplicatedWriteConflictException',
  'RequestExpired',
  'RequestLimitExceeded',
  'ResourceInUseException',
  'ResourceNotFoundException',
  'SerializationException',
  'TableAlreadyExistsException',
  'TableInUseException',
  'TableNotFoundException',
  'ThrottlingException',
  'TransactionCanceledException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'UnknownOperationException',
  'UnrecognizedClientException',
  'ValidationException',
]);

// Statuses that say the request itself was refused where it was read, whoever read it: a 429
// (a throttle), a body, URL or headers too large (413, 414, 431: dynalite answers a request
// over 16 MB so, before reading it). Nothing was forwarded.
const refusedWhereRead = new Set([413, 414, 429, 431]);

/**
 * True for a 4xx answer that is not DynamoDB's own refusal (a gateway's HTML page, a body that
 * is not JSON, an error type no AWS service has): whoever sent it may have forwarded the
 * request first, so a write's outcome is unknown.
 */
export function isForeignRefusal(error: unknown): boolean {
  const { name, status } = answerOf(error);
  if (status < 400 || status >= 500 || refusedWhereRead.has(status)) return false;
  return !dynamoDbErrorNames.has(name);
}

/** A foreign refusal as a message says it: `an HTTP 400 that is not DynamoDB's (Unknown)`. */
export function foreignRefusalText(error: unknown): string {
  const { name, status } = answerOf(error);
  return `an HTTP ${status} that is not DynamoDB's (${name || 'no error type'})`;
}

function answerOf(error: unknown): { name: string; status: number } {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return { name: candidate?.name ?? '', status: candidate?.$metadata?.httpStatusCode ?? 0 };
}
