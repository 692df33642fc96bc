/**
 * What in an answer the backend parsed itself (`keepAnswer`) is not what DynamoDB sends, for
 * the fields the backend reads items and keys from; undefined when they are all as DynamoDB
 * sends them. The SDK's parse checked their shapes; the attribute values inside are checked as
 * they are read (`fromAttributeValue`). A `null` field is taken as absent, as the SDK took it.
 */
export function answerShapeProblem(answer: Record<string, unknown>): string | undefined {
  for (const field of ['Item', 'Attributes', 'LastEvaluatedKey'])
    if (!absentOr(answer[field], isRecord)) return field;
  if (!absentOr(answer.Items, (items) => isListOf(items, isRecord))) return 'Items';
  if (
    !absentOr(answer.Responses, (tables) =>
      isRecordOf(tables, (items) => isListOf(items, isRecord)),
    )
  )
    return 'Responses';
  if (
    !absentOr(answer.UnprocessedKeys, (tables) =>
      isRecordOf(tables, (request) => isRecord(request) && isListOf(request.Keys, isRecord)),
    )
  )
    return 'UnprocessedKeys';
  if (
    !absentOr(answer.UnprocessedItems, (tables) =>
      isRecordOf(tables, (requests) => isListOf(requests, isWriteRequest)),
    )
  )
    return 'UnprocessedItems';
  return undefined;
}

function absentOr(value: unknown, test: (value: unknown) => boolean): boolean {
  return value === undefined || value === null || test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isListOf(value: unknown, test: (member: unknown) => boolean): boolean {
  return Array.isArray(value) && value.every(test);
}

function isRecordOf(value: unknown, test: (member: unknown) => boolean): boolean {
  return isRecord(value) && Object.values(value).every(test);
}

function isWriteRequest(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const put = value.PutRequest;
  const remove = value.DeleteRequest;
  return isRecord(put) ? isRecord(put.Item) : isRecord(remove) && isRecord(remove.Key);
}
