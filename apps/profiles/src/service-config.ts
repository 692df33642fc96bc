/** RFC 7518 §3.2: an HS256 secret has at least as many bytes as the hash (32). */
export const minJwtSecretBytes = 32;
/** Core's minimum for cursor key material (`loadApi`'s `cursorKey`). */
export const minCursorKeyLength = 32;

/** How the service runs, read from the environment once at start-up. */
export interface ServiceConfig {
  /** `dynamodb` (default) or `memory`. */
  backend: 'dynamodb' | 'memory' | 'postgres';
  /** A PostgreSQL server to use instead of the embedded PGlite (`DATABASE_URL`, with `MACARON_BACKEND=postgres`). */
  databaseUrl: string | undefined;
  /** A DynamoDB endpoint to use instead of the embedded engine (`DYNAMODB_ENDPOINT`). */
  dynamoDbEndpoint: string | undefined;
  /** Use AWS itself: `DYNAMODB_ENDPOINT=aws` resolves everything as the AWS SDK does. */
  useAws: boolean;
  /** Table name prefix (`MACARON_TABLE_PREFIX`). */
  tablePrefix: string;
  /** HTTP host and port (`HOST`, `PORT`). */
  host: string;
  port: number;
  /** HS256 secret for bearer tokens (`JWT_SECRET`, 32 bytes or more); a random one, printed as a demo token, when unset. */
  jwtSecret: string | undefined;
  /** Expected token issuer and audience (`JWT_ISSUER`, `JWT_AUDIENCE`). */
  jwtIssuer: string;
  jwtAudience: string;
  /**
   * Key of the pagination cursors (`MACARON_CURSOR_KEY`, 32 characters or more): every instance
   * of one service needs the same one. A random one per process when unset.
   */
  cursorKey: string | undefined;
  /** Former cursor keys still accepted while rotating (`MACARON_PREVIOUS_CURSOR_KEYS`, comma-separated). */
  previousCursorKeys: string[];
}

/** Reads the configuration; throws one clear message for a bad value. */
export function readServiceConfig(environment: NodeJS.ProcessEnv): ServiceConfig {
  const backend = environment.MACARON_BACKEND ?? 'dynamodb';
  if (backend !== 'dynamodb' && backend !== 'memory' && backend !== 'postgres') {
    throw new Error(`MACARON_BACKEND must be dynamodb, memory or postgres, not ${backend}`);
  }
  const port = Number(environment.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not ${environment.PORT}`);
  const endpoint = environment.DYNAMODB_ENDPOINT;
  const jwtSecret = environment.JWT_SECRET;
  // Bytes, as the plugin counts them; the message never repeats the secret.
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret, 'utf8') < minJwtSecretBytes) {
    throw new Error(
      `JWT_SECRET must be at least ${minJwtSecretBytes} bytes (it has ${Buffer.byteLength(jwtSecret, 'utf8')}); make one with \`openssl rand -base64 32\``,
    );
  }
  const databaseUrl = environment.DATABASE_URL || undefined;
  if (backend === 'postgres' && databaseUrl !== undefined) checkDatabaseUrl(databaseUrl);
  const cursorKey = environment.MACARON_CURSOR_KEY;
  if (cursorKey !== undefined) checkCursorKey(cursorKey, 'MACARON_CURSOR_KEY');
  const previousCursorKeys = (environment.MACARON_PREVIOUS_CURSOR_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  for (const [index, key] of previousCursorKeys.entries()) {
    checkCursorKey(key, `MACARON_PREVIOUS_CURSOR_KEYS (key ${index + 1})`);
  }
  if (previousCursorKeys.length > 0 && cursorKey === undefined) {
    throw new Error('MACARON_PREVIOUS_CURSOR_KEYS needs MACARON_CURSOR_KEY, the current key');
  }
  return {
    backend,
    databaseUrl,
    dynamoDbEndpoint: endpoint && endpoint !== 'aws' ? endpoint : undefined,
    useAws: endpoint === 'aws',
    tablePrefix: environment.MACARON_TABLE_PREFIX ?? '',
    host: environment.HOST ?? '127.0.0.1',
    port,
    jwtSecret,
    jwtIssuer: environment.JWT_ISSUER ?? 'macaron-profiles',
    jwtAudience: environment.JWT_AUDIENCE ?? 'macaron-profiles',
    cursorKey,
    previousCursorKeys,
  };
}

// Named here, never repeated: the URL may hold a password.
function checkDatabaseUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error('DATABASE_URL must be a URL, as postgres://user:password@host:5432/db');
  }
  // node-postgres reads `socket:/run/postgresql?db=app` as a Unix socket's.
  if (protocol !== 'postgres:' && protocol !== 'postgresql:' && protocol !== 'socket:')
    throw new Error(
      `DATABASE_URL must be a postgres://, postgresql:// or socket: URL, not ${protocol}//…`,
    );
}

function checkCursorKey(key: string, variable: string): void {
  if (key.length < minCursorKeyLength) {
    throw new Error(
      `${variable} must be at least ${minCursorKeyLength} characters (it has ${key.length}); make one with \`openssl rand -base64 32\``,
    );
  }
}
