import { quotedName } from '@macaron/core/backend';
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
  /** fastify's request log level (`LOG_LEVEL`); off when unset. */
  logLevel: string | undefined;
  /** How long a stop waits for requests in flight before closing their connections (`MACARON_STOP_TIMEOUT_MS`). */
  stopTimeoutMs: number;
}

/** pino's levels, which fastify's logger takes. */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the configuration; throws one clear message for a bad value, naming the variable and
 * quoting the value (so stray spaces show), except secrets and DATABASE_URL (it may hold a
 * password). An empty variable is as if unset, except the secrets and keys, where an empty one
 * is refused (more likely a missing secret than a wish for a random one).
 */
export function readServiceConfig(environment: NodeJS.ProcessEnv): ServiceConfig {
  const read = (name: string) => environment[name] || undefined;
  const backend = read('MACARON_BACKEND') ?? 'dynamodb';
  if (backend !== 'dynamodb' && backend !== 'memory' && backend !== 'postgres') {
    throw new Error(`MACARON_BACKEND must be dynamodb, memory or postgres, not ${quoted(backend)}`);
  }
  const port = decimalInteger('PORT', read('PORT'), 8080, 65535);
  const host = read('HOST') ?? '127.0.0.1';
  if (host.trim() !== host)
    throw new Error(`HOST must have no surrounding spaces: ${quoted(host)}`);
  const endpoint = read('DYNAMODB_ENDPOINT');
  if (endpoint !== undefined && endpoint !== 'aws') checkDynamoDbEndpoint(endpoint);
  // The endpoints the SDK itself reads with DYNAMODB_ENDPOINT=aws (open-storage names them).
  if (endpoint === 'aws' && environment.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== 'true') {
    for (const variable of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL']) {
      const url = read(variable);
      if (url !== undefined) checkNoUserinfo(variable, url);
    }
  }
  const jwtSecret = environment.JWT_SECRET;
  // Bytes, as the plugin counts them; the message never repeats the secret.
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret, 'utf8') < minJwtSecretBytes) {
    throw new Error(
      `JWT_SECRET must be at least ${minJwtSecretBytes} bytes (it has ${Buffer.byteLength(jwtSecret, 'utf8')}); make one with \`openssl rand -base64 32\``,
    );
  }
  const databaseUrl = read('DATABASE_URL');
  if (backend === 'postgres' && databaseUrl !== undefined) checkDatabaseUrl(databaseUrl);
  const tablePrefix = read('MACARON_TABLE_PREFIX') ?? '';
  // As core's loadApi checks it, but naming the variable.
  if (!/^[A-Za-z0-9_.-]*$/.test(tablePrefix))
    throw new Error(
      `MACARON_TABLE_PREFIX may hold only A-Z a-z 0-9 _ - . (as table names), not ${quoted(tablePrefix)}`,
    );
  const logLevel = read('LOG_LEVEL');
  if (logLevel !== undefined && !logLevels.includes(logLevel))
    throw new Error(`LOG_LEVEL must be one of ${logLevels.join(', ')}, not ${quoted(logLevel)}`);
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
    dynamoDbEndpoint: endpoint !== 'aws' ? endpoint : undefined,
    useAws: endpoint === 'aws',
    tablePrefix,
    host,
    port,
    jwtSecret,
    jwtIssuer: read('JWT_ISSUER') ?? 'macaron-profiles',
    jwtAudience: read('JWT_AUDIENCE') ?? 'macaron-profiles',
    cursorKey,
    previousCursorKeys,
    logLevel,
    // A timer holds 2^31 - 1 ms at most: Node fires a longer one at once, cutting every request.
    stopTimeoutMs: decimalInteger(
      'MACARON_STOP_TIMEOUT_MS',
      read('MACARON_STOP_TIMEOUT_MS'),
      10_000,
      2_147_483_647,
    ),
  };
}

/**
 * The one line for a listen that failed (`app.listen`'s error), naming HOST or PORT, quoting
 * the value and saying what to write instead of the bare system error.
 */
export function listenFailure(error: unknown, config: Pick<ServiceConfig, 'host' | 'port'>): Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  const host = `HOST ${quoted(config.host)}`;
  const port = `PORT ${quoted(String(config.port))}`;
  const message = (() => {
    switch (code) {
      case 'EADDRINUSE':
        return `${port} is in use on ${host} (another process listens there): choose another port, or PORT=0 for any free one`;
      case 'EACCES':
        return `${port} needs privileges this process lacks on ${host}: choose a port from 1024, or PORT=0 for any free one`;
      case 'EADDRNOTAVAIL':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'EAI_NONAME':
        return `${host} is not an address of this machine (${code}): write one of its addresses or names, as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`;
      default: {
        const detail = error instanceof Error ? error.message : String(error);
        return `cannot listen on ${host}, ${port}: ${detail.split('\n')[0]}`;
      }
    }
  })();
  return new Error(message, { cause: error });
}

/**
 * JSON's quotes: surrounding spaces show, and control, line-break and bidi characters are
 * escaped (core's `quotedName`), so the one line shows the value as it is.
 */
function quoted(value: string): string {
  return quotedName(value);
}

// Digits only: Number() would take 1e4, 0x4718, 18184.0 and ' 80 '.
function decimalInteger(
  name: string,
  value: string | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > max)
    throw new Error(`${name} must be a decimal integer from 0 to ${max}, not ${quoted(value)}`);
  return number;
}

function checkDynamoDbEndpoint(endpoint: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(endpoint).protocol;
  } catch {}
  // new URL() drops surrounding spaces; the SDK might not.
  if ((protocol !== 'http:' && protocol !== 'https:') || endpoint.trim() !== endpoint)
    throw new Error(
      `DYNAMODB_ENDPOINT must be an http:// or https:// URL (as http://127.0.0.1:8000) or aws, not ${quoted(endpoint)}`,
    );
  checkNoUserinfo('DYNAMODB_ENDPOINT', endpoint);
}

// The AWS SDK signs with the AWS credentials and never sends a URL's user or password: one
// there would be ignored, and echoed by the banner and the start-up errors. Not repeated here.
function checkNoUserinfo(variable: string, endpoint: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {}
  if (url !== undefined && (url.username !== '' || url.password !== ''))
    throw new Error(
      `${variable} must hold no user or password: the AWS SDK never sends them (value not shown)`,
    );
}

// Named here, never repeated: the URL may hold a password.
function checkDatabaseUrl(url: string): void {
  // new URL() drops them, node-postgres reads them: another server or database than meant.
  if (url.trim() !== url)
    throw new Error(
      'DATABASE_URL must have no surrounding spaces (value not shown: it may hold a password)',
    );
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
