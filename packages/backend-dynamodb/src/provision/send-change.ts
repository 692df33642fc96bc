import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WriteOutcomeUnknownError } from '@macaron/core';
import { shownName } from '@macaron/core/backend';
import type { MetadataBearer } from '@smithy/types';
import {
  type DynamoDbCommand,
  installMacaronMiddleware,
} from '../operations/macaron-middleware.js';
import { trackRequest } from '../operations/request-state.js';

/**
 * How a request that changes a table (CreateTable, DeleteTable, UpdateTable, UpdateTimeToLive)
 * ended. The SDK retries such a request when an attempt fails, and an attempt that failed after
 * the request was sent (a lost connection, a 500) may have been applied: a retry then meets the
 * change made (the table there, gone, its index or TTL on), which does not say who made it, and
 * when no attempt after it succeeds (the retries fail too, or none is made: `maxAttempts: 1`, a
 * retry quota spent, an answer the SDK does not retry), whether the change was made is unknown.
 * `answerLost` tells; on success too, where a retry is answered so with the change made
 * (DynamoDB deletes a table already DELETING without an error).
 */
export type SentChange<Output> =
  | { readonly ok: true; readonly output: Output; readonly answerLost: boolean }
  | { readonly ok: false; readonly error: unknown; readonly answerLost: boolean };

/** Sends one change through Macaron's middleware, which notes an attempt whose answer was lost. */
export async function sendChange<Input extends object, Output extends MetadataBearer>(
  client: DynamoDBClient,
  command: DynamoDbCommand<Input, Output>,
): Promise<SentChange<Output>> {
  // `report`: the SDK retries as before (a change applied twice is refused, not repeated).
  const state = trackRequest(command.input, 'report');
  installMacaronMiddleware(client);
  try {
    const output = await client.send(command);
    return { ok: true, output, answerLost: state.ambiguousAttempt };
  } catch (error) {
    return { ok: false, error, answerLost: state.ambiguousAttempt };
  }
}

/**
 * A change whose request got no answer to an attempt, and no attempt after it succeeded: it may
 * have been made. `change` says what, e.g. `the table was created`.
 */
export function changeOutcomeUnknown(
  operation: string,
  table: string,
  change: string,
  cause: unknown,
  // What completes the change: ensureTables would create a table whose deletion is unknown.
  { completing = 'ensureTables completes what is missing' }: { completing?: string } = {},
): WriteOutcomeUnknownError {
  return new WriteOutcomeUnknownError(
    `${operation} on table ${shownName(table)}: an attempt failed after the request was sent, and no attempt after it succeeded, so whether ${change} is unknown; planTables tells (${completing})`,
    { cause },
  );
}

/**
 * A table that `createTables` found there on a retry of its CreateTable whose earlier attempt
 * got no answer: created by that attempt, or by another process meanwhile; which is unknown.
 */
export function createdOrFound(table: string, cause: unknown): WriteOutcomeUnknownError {
  return new WriteOutcomeUnknownError(
    `createTables: CreateTable on table ${shownName(table)} got no answer to an attempt that may have created it, and its retry found the table there: whether this call created it or another process had is unknown`,
    { cause },
  );
}
