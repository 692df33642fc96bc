/** How the service runs, read from the environment once at start-up. */
export interface ServiceConfig {
  /** `dynamodb` (default) or `memory`. */
  backend: 'dynamodb' | 'memory';
  /** A DynamoDB endpoint to use instead of the embedded engine (`DYNAMODB_ENDPOINT`). */
  dynamoDbEndpoint: string | undefined;
  /** Use AWS itself: `DYNAMODB_ENDPOINT=aws` resolves everything as the AWS SDK does. */
  useAws: boolean;
  /** Table name prefix (`MACARON_TABLE_PREFIX`). */
  tablePrefix: string;
  /** HTTP host and port (`HOST`, `PORT`). */
  host: string;
  port: number;
  /** HS256 secret for bearer tokens (`JWT_SECRET`); a random one, printed as a demo token, when unset. */
  jwtSecret: string | undefined;
  /** Expected token issuer and audience (`JWT_ISSUER`, `JWT_AUDIENCE`). */
  jwtIssuer: string;
  jwtAudience: string;
}

/** Reads the configuration; throws one clear message for a bad value. */
export function readServiceConfig(environment: NodeJS.ProcessEnv): ServiceConfig {
  const backend = environment.MACARON_BACKEND ?? 'dynamodb';
  if (backend !== 'dynamodb' && backend !== 'memory') {
    throw new Error(`MACARON_BACKEND must be dynamodb or memory, not ${backend}`);
  }
  const port = Number(environment.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not ${environment.PORT}`);
  const endpoint = environment.DYNAMODB_ENDPOINT;
  return {
    backend,
    dynamoDbEndpoint: endpoint && endpoint !== 'aws' ? endpoint : undefined,
    useAws: endpoint === 'aws',
    tablePrefix: environment.MACARON_TABLE_PREFIX ?? '',
    host: environment.HOST ?? '127.0.0.1',
    port,
    jwtSecret: environment.JWT_SECRET,
    jwtIssuer: environment.JWT_ISSUER ?? 'macaron-profiles',
    jwtAudience: environment.JWT_AUDIENCE ?? 'macaron-profiles',
  };
}
