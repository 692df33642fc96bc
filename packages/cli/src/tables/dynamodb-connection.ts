import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CliError } from '../cli/cli-error.js';
import type { CliIo } from '../cli/cli-io.js';
import {
  type ConnectionOptions,
  checkEndpoint,
  isLoopbackEndpoint,
  redactUrl,
} from './table-endpoint.js';

// A variable set but empty counts as unset, as the AWS SDK reads it: a CI job's
// `AWS_REGION: ${{ vars.REGION }}` whose variable is not defined sets it to ''.
function setting(io: CliIo, name: string): string | undefined {
  const value = io.env[name];
  return value === '' ? undefined : value;
}

// The region given, and where: --region, then the variables (the SDK's configuration is not read here).
function givenRegion(
  io: CliIo,
  options: ConnectionOptions,
): { region: string; source: string } | undefined {
  if (options.region !== undefined) return { region: options.region, source: '--region' };
  for (const source of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const region = setting(io, source);
    if (region !== undefined) return { region, source };
  }
  return undefined;
}

// What the SDK takes as a region: one hostname label.
const hostLabel = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/**
 * A DynamoDB client for the tables commands. A local endpoint without AWS credentials in
 * the environment gets dummy ones (local engines accept any), and region `us-east-1`.
 */
export function createDynamoDbClient(io: CliIo, options: ConnectionOptions): DynamoDBClient {
  const endpoint = checkEndpoint(options.endpoint);
  const local = isLoopbackEndpoint(endpoint);
  const given = givenRegion(io, options);
  const region = given?.region ?? (endpoint !== undefined ? 'us-east-1' : undefined);
  // The SDK itself would take AWS_REGION's '' as the region, and fail on every request.
  if (region === undefined && io.env.AWS_REGION === '')
    throw new CliError('no AWS region: AWS_REGION is set but empty: pass --region or set it');
  // The SDK refuses it on the first request without naming where it came from (a space pasted
  // into a CI variable, say): refused here, by its source.
  if (given !== undefined && !hostLabel.test(given.region))
    throw new CliError(
      `${given.source} is ${JSON.stringify(given.region)}, not an AWS region (letters, digits and hyphens, as eu-west-1)`,
    );
  const hasCredentials =
    setting(io, 'AWS_ACCESS_KEY_ID') !== undefined || setting(io, 'AWS_PROFILE') !== undefined;
  return new DynamoDBClient({
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(local && !hasCredentials
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
}

const unreachableCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  TimeoutError: 'timed out',
};

/** The SDK error at the root of a failure: Macaron errors keep it as `cause`. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 10; ) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/**
 * One clear line for a failure to talk to DynamoDB at all: unreachable endpoint, missing
 * region or credentials. Undefined for any other failure.
 */
export function connectionProblem(
  error: unknown,
  options: ConnectionOptions,
): CliError | undefined {
  const where = options.endpoint === undefined ? 'the AWS endpoint' : redactUrl(options.endpoint);
  for (const cause of causes(error)) {
    const { code, name, message } = cause as { code?: unknown; name?: unknown; message?: unknown };
    const reason =
      (typeof code === 'string' ? unreachableCodes[code] : undefined) ??
      (typeof name === 'string' ? unreachableCodes[name] : undefined);
    if (reason)
      return new CliError(`cannot reach DynamoDB at ${where}: ${reason}`, 1, { cause: error });
    if (name === 'CredentialsProviderError')
      return new CliError(
        'no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
        1,
        { cause: error },
      );
    if (typeof message === 'string' && /region is missing/i.test(message))
      return new CliError('no AWS region: pass --region or set AWS_REGION', 1, { cause: error });
  }
  return undefined;
}
