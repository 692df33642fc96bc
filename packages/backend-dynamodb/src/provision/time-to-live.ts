import {
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { sendTracked } from '../operations/macaron-middleware.js';
import { errorName, toBackendError } from './provision-errors.js';
import type { ProvisionChange } from './provision-options.js';
import { changeOutcomeUnknown, sendChange } from './send-change.js';

/**
 * How an engine answers an operation it does not implement. dynalite (4.x) has no
 * UpdateTimeToLive: it answers HTTP 400 `com.amazon.coral.service#UnknownOperationException`,
 * which the SDK surfaces with that name. DynamoDB itself never gives this answer to an
 * operation of its API, so it means "this engine has no TTL", not a failure of the request.
 */
const unknownOperation = 'UnknownOperationException';

/** The TTL state of a table: DynamoDB's status and attribute, or `unsupported` by the engine. */
export interface TimeToLiveState {
  /** `ENABLED`, `ENABLING`, `DISABLED`, `DISABLING`, or `unsupported` by the engine. */
  status: string;
  /** The expiry attribute, when TTL is enabled or being enabled. */
  attribute?: string;
}

/** The TTL state of a table (DescribeTimeToLive). */
export async function describeTimeToLive(
  client: DynamoDBClient,
  table: string,
): Promise<TimeToLiveState> {
  try {
    // An empty answer is a failure, not "DISABLED".
    const output = await sendTracked(client, new DescribeTimeToLiveCommand({ TableName: table }));
    const description = output.TimeToLiveDescription;
    const state: TimeToLiveState = { status: description?.TimeToLiveStatus ?? 'DISABLED' };
    if (description?.AttributeName !== undefined) state.attribute = description.AttributeName;
    return state;
  } catch (error) {
    if (errorName(error) === unknownOperation) return { status: 'unsupported' };
    throw toBackendError(error, 'DescribeTimeToLive', table);
  }
}

/** True when TTL is on (or turning on) for `attribute`. */
export function hasTimeToLive(state: TimeToLiveState, attribute: string): boolean {
  return (
    (state.status === 'ENABLED' || state.status === 'ENABLING') && state.attribute === attribute
  );
}

// A table name DynamoDB refuses (names have 3 characters at least): the probe changes nothing.
const probeTableName = '-';

/**
 * Whether the engine implements UpdateTimeToLive, asked without changing anything: an
 * UpdateTimeToLive of an invalid table name. DynamoDB answers it with an error of the
 * request (ValidationException, or AccessDeniedException to read-only credentials); an
 * engine without the operation (dynalite) answers UnknownOperationException first.
 */
export async function engineCanEnableTimeToLive(client: DynamoDBClient): Promise<boolean> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: probeTableName,
        TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      }),
    );
    return true;
  } catch (error) {
    if (errorName(error) === unknownOperation) return false;
    // Any other answer of the service means it knows the operation; no answer is a failure.
    if ((error as { $fault?: unknown } | null)?.$fault !== undefined) return true;
    throw toBackendError(error, 'UpdateTimeToLive', probeTableName);
  }
}

/** The change enabling TTL on `attribute` is reported as: done, or not possible on the engine. */
export function timeToLiveChange(
  table: string,
  attribute: string,
  supported: boolean,
): ProvisionChange {
  return supported
    ? { table, action: 'ttl-enabled', detail: attribute }
    : {
        table,
        action: 'ttl-unsupported',
        detail: `the engine has no UpdateTimeToLive; items will not expire by ${attribute}`,
      };
}

/**
 * Enables TTL on `attribute` (UpdateTimeToLive). On an engine without TTL (dynalite) the
 * change is reported as `ttl-unsupported` instead of failing: items there never expire.
 * Returns `undefined` when another process enabled it first (see below).
 */
export async function enableTimeToLive(
  client: DynamoDBClient,
  table: string,
  attribute: string,
): Promise<ProvisionChange | undefined> {
  const sent = await sendChange(
    client,
    new UpdateTimeToLiveCommand({
      TableName: table,
      TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
    }),
  );
  if (sent.ok) return timeToLiveChange(table, attribute, true);
  const { error, answerLost } = sent;
  if (errorName(error) === unknownOperation) return timeToLiveChange(table, attribute, false);
  // Replicas starting together each find TTL off and each turn it on: DynamoDB refuses the
  // ones that come second (ValidationException: TimeToLive is already enabled, or modified
  // multiple times within a fixed interval). TTL on by this attribute is what was asked. After
  // an attempt of this call's whose answer was lost, that attempt may have turned it on.
  const now = await describeTimeToLive(client, table).catch(() => undefined);
  if (now && hasTimeToLive(now, attribute))
    return answerLost
      ? { ...timeToLiveChange(table, attribute, true), madeBy: 'unknown' }
      : undefined;
  if (answerLost)
    throw changeOutcomeUnknown('UpdateTimeToLive', table, 'time to live was turned on', error);
  throw toBackendError(error, 'UpdateTimeToLive', table);
}
