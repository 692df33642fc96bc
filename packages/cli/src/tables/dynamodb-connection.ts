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

// The SDK's words for a region that is no hostname label (`region = eu_west 3` in the AWS
// configuration), said as one line of the command's.
function regionRefused(error: unknown): CliError | undefined {
  const message = (error as { message?: unknown } | undefined)?.message;
  const why = typeof message === 'string' ? /^Region not accepted: (.*?)\.?$/.exec(message) : null;
  if (!why) return undefined;
  return new CliError(
    `the AWS configuration's region is refused by the SDK (${why[1]}): pass --region or correct it`,
    1,
    { cause: error },
  );
}

/**
 * The region the SDK's own configuration gives (the profile's `region` in the AWS config and
 * credentials files, AWS_PROFILE and AWS_CONFIG_FILE heeded; not an EC2 instance's metadata),
 * as a client made without one resolves it; undefined when it gives none.
 */
async function configuredRegion(): Promise<string | undefined> {
  const probe = new DynamoDBClient({});
  // Asked for a local engine only, so the instance metadata is not: off EC2, where
  // 169.254.169.254 drops packets, the SDK would wait for its timeout (about a second).
  const unset = process.env[instanceMetadataOff] === undefined;
  if (unset) process.env[instanceMetadataOff] = 'true';
  try {
    return await probe.config.region();
  } catch (error) {
    if (error instanceof Error && /region is missing/i.test(error.message)) return undefined;
    throw regionRefused(error) ?? error;
  } finally {
    if (unset) delete process.env[instanceMetadataOff];
    probe.destroy();
  }
}

// The variable the SDK reads before it asks an EC2 instance's metadata for its region.
const instanceMetadataOff = 'AWS_EC2_METADATA_DISABLED';

// A local engine takes any region, but moto keeps each region's tables apart: the region the
// service's own client finds is the one used, us-east-1 when it finds none. (Elsewhere the
// client resolves it itself, as without --endpoint: a request signed for another region than
// the endpoint's is refused.) The SDK would take AWS_REGION's '' before its configuration.
async function localRegion(io: CliIo): Promise<string> {
  return (io.env.AWS_REGION === '' ? undefined : await configuredRegion()) ?? 'us-east-1';
}

/**
 * A DynamoDB client for the tables commands. Without a region given (--region, AWS_REGION,
 * AWS_DEFAULT_REGION), the SDK's configuration gives it; a local endpoint gets `us-east-1`
 * when that gives none, and dummy credentials without AWS credentials in the environment (local
 * engines accept any).
 */
export async function createDynamoDbClient(
  io: CliIo,
  options: ConnectionOptions,
): Promise<DynamoDBClient> {
  const endpoint = checkEndpoint(options.endpoint);
  const local = isLoopbackEndpoint(endpoint);
  const given = givenRegion(io, options);
  // The SDK refuses it on the first request without naming where it came from (a space pasted
  // into a CI variable, say): refused here, by its source.
  if (given !== undefined && !hostLabel.test(given.region))
    throw new CliError(
      `${given.source} is ${JSON.stringify(given.region)}, not an AWS region (letters, digits and hyphens, as eu-west-1)`,
    );
  const region = given?.region ?? (local ? await localRegion(io) : undefined);
  // The SDK itself would take AWS_REGION's '' as the region, and fail on every request.
  if (region === undefined && io.env.AWS_REGION === '')
    throw new CliError('no AWS region: AWS_REGION is set but empty: pass --region or set it');
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
    const refused = regionRefused(cause);
    if (refused) return refused;
  }
  return undefined;
}
