import {
  capabilitiesProblem,
  checkOptionNames,
  optionNames,
  quotedName,
} from '@macaron/core/backend';

const connections = ['pool', 'connectionString', 'connection', 'pglite', 'client'] as const;
const settings = ['poolSize', 'capabilities', 'maxAttempts'] as const;
const backendOptionNames = optionNames(...connections, ...settings);

// What each way of connecting must be: a wrong one would otherwise reach node-postgres's
// defaults (PG* variables, localhost:5432), an unintended database.
const connectionChecks: Record<
  (typeof connections)[number],
  [(value: unknown) => boolean, string]
> = {
  pool: [(value) => hasMethods(value, ['connect', 'end', 'on']), 'a node-postgres Pool'],
  connectionString: [
    (value) => typeof value === 'string' && value.trim() !== '',
    'a non-empty string',
  ],
  connection: [
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'node-postgres pool options',
  ],
  pglite: [(value) => hasMethods(value, ['query', 'transaction']), 'a PGlite database'],
  client: [(value) => hasMethods(value, ['query', 'transaction', 'close']), 'a SqlClient'],
};

/**
 * Checks `createPostgresBackend`'s options before anything connects: exactly one way to
 * reach PostgreSQL, of the right kind, and no option the backend does not know (a typo).
 */
export function checkBackendOptions(options: unknown): void {
  const expected = `one of ${connections.join(', ')}`;
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`createPostgresBackend takes an options object with ${expected}`);
  const given = options as Record<string, unknown>;
  checkOptionNames(given, backendOptionNames, 'createPostgresBackend', TypeError);
  const names = Object.keys(given).filter((name) => given[name] !== undefined);
  const chosen = connections.filter((name) => names.includes(name));
  if (chosen.length !== 1)
    throw new TypeError(
      `createPostgresBackend takes exactly ${expected}${chosen.length > 1 ? `, not ${chosen.join(' and ')}` : ''}`,
    );
  const connection = chosen[0]!;
  const [valid, kind] = connectionChecks[connection];
  if (!valid(given[connection]))
    throw new TypeError(`createPostgresBackend option ${connection} must be ${kind}`);
  // A single client (`new pg.Client()`, or one a pool lent) has a pool's connect, end and on,
  // with other meanings: it connects once, and lends nothing. Every request would fail.
  if (connection === 'pool' && isSingleClient(given.pool))
    throw new TypeError(
      'createPostgresBackend option pool must be a node-postgres Pool, not a Client (one connection, which the backend cannot lend to concurrent requests and transactions): give new pg.Pool({ … }), with max: 1 for a single connection',
    );
  if (connection === 'connection') {
    const unknown = Object.keys(given.connection as object).find(
      (name) => !connectionOptions.has(name),
    );
    if (unknown !== undefined)
      throw new TypeError(
        `createPostgresBackend option connection has no ${quotedName(unknown)}: node-postgres would ignore it and connect with its defaults (for an option this check does not know, give a pg Pool as pool)`,
      );
  }
  const url =
    connection === 'connectionString'
      ? given.connectionString
      : connection === 'connection'
        ? (given.connection as { connectionString?: unknown }).connectionString
        : undefined;
  if (typeof url === 'string') {
    if (!readsAsConnectionString(url))
      throw new TypeError(
        'createPostgresBackend: the connection string is not one node-postgres reads (a port beyond 65535, a host no URL holds?); it is not shown here, as it may hold a password',
      );
    if (connection === 'connection') {
      const options = given.connection as Record<string, unknown>;
      const replaced = optionsTheStringReplaces(url).find(([name]) => options[name] !== undefined);
      if (replaced !== undefined)
        throw new TypeError(
          `createPostgresBackend option connection: its ${quotedName(replaced[0])} would be ignored: ${replaced[1]}; give it in one place only`,
        );
    }
    const schemaParameter = schemaParameterOf(url);
    if (schemaParameter !== undefined)
      throw new TypeError(
        `createPostgresBackend: the connection string's ${schemaParameter} parameter is not node-postgres's: it would be ignored and the tables made and used in the role's default schema; name the schema with options=-c%20search_path%3D<schema> in the connection string, or ALTER ROLE … SET search_path`,
      );
  }
  if (given.poolSize !== undefined && connection !== 'connectionString')
    throw new TypeError('createPostgresBackend option poolSize goes with connectionString');
  for (const name of ['poolSize', 'maxAttempts'] as const)
    if (
      given[name] !== undefined &&
      !(Number.isSafeInteger(given[name]) && (given[name] as number) >= 1)
    )
      throw new TypeError(
        `createPostgresBackend option ${name} must be a whole number of at least 1`,
      );
  const problem =
    given.capabilities === undefined ? undefined : capabilitiesProblem(given.capabilities, true);
  if (problem) throw new TypeError(`createPostgresBackend option ${problem}`);
}

// node-postgres's pool and client options (pg 8: PoolConfig, ClientConfig, and the defaults
// either reads). A name outside them is a typo that node-postgres would ignore, connecting
// with its defaults instead (PG* variables, localhost): give a Pool of your own for others.
const connectionOptions = new Set([
  ...['user', 'database', 'password', 'port', 'host', 'connectionString', 'keepAlive', 'stream'],
  ...['statement_timeout', 'ssl', 'enableChannelBinding', 'sslnegotiation', 'query_timeout'],
  ...['lock_timeout', 'keepAliveInitialDelayMillis', 'idle_in_transaction_session_timeout'],
  ...['application_name', 'fallback_application_name', 'connectionTimeoutMillis', 'types'],
  ...['options', 'client_encoding', 'pipeline', 'max', 'min', 'idleTimeoutMillis', 'log'],
  ...['Promise', 'allowExitOnIdle', 'maxUses', 'maxLifetimeSeconds', 'Client', 'onConnect'],
  ...['verify', 'binary', 'parseInputDatesAsUTC'],
]);

// node-postgres's clients (pure JavaScript and native) hold the parameters they connect with;
// its pools do not.
function isSingleClient(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'connectionParameters' in value;
}

// Query parameters other drivers read as the schema (Prisma's schema, JDBC's currentSchema,
// search_path): node-postgres passes them on as unknown options, which it ignores.
const schemaParameters = new Set(['schema', 'currentschema', 'search_path', 'searchpath']);
function schemaParameterOf(connectionString: string): string | undefined {
  const url = urlAsNodePostgresReads(connectionString);
  if (url === undefined) return undefined;
  for (const name of url.searchParams.keys())
    if (schemaParameters.has(name.toLowerCase())) return `?${name}=`;
  return undefined;
}

// The TLS parameters of a connection string: any of them makes node-postgres build the
// connection's `ssl` from the string alone, as `sslnegotiation=direct` does (`ssl: true`).
const tlsParameters = ['ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey'];

// The TLS parameters among a connection string's, as node-postgres reads them (the last of a
// parameter given twice).
function tlsParametersOf(parameters: URLSearchParams): string[] {
  return [...new Set(parameters.keys())].filter(
    (name) =>
      tlsParameters.includes(name) ||
      (name === 'sslnegotiation' && parameters.getAll(name).at(-1) === 'direct'),
  );
}

/**
 * The connection options node-postgres takes from a connection string rather than from the
 * options beside it (pg 8 reads the string over them, by pg-connection-string's parse), each
 * with why: a URL's user, password, host, port and database even when it leaves them empty (a
 * password function beside `postgres://app@host/db`, as for IAM tokens, is dropped for none),
 * its parameters, and `ssl` when it has a TLS parameter.
 */
function optionsTheStringReplaces(connectionString: string): [string, string][] {
  const fromString = (name: string): [string, string] => [
    name,
    `node-postgres takes the ${name} from the connectionString, even one that has none (then its default or PG* variable)`,
  ];
  if (connectionString.startsWith('/')) return ['host', 'database'].map(fromString);
  const url = urlAsNodePostgresReads(connectionString);
  // Not a string node-postgres reads (refused before): its host and credentials at least.
  if (url === undefined) return ['user', 'password', 'host', 'port', 'database'].map(fromString);
  const parameters = [...url.searchParams.keys()];
  const tls = tlsParametersOf(url.searchParams);
  const socket = url.protocol === 'socket:';
  return [
    ...['user', 'password', 'host', 'database'].map(fromString),
    ...(socket ? ['client_encoding'] : ['port']).map(fromString),
    ...parameters.map((name): [string, string] => [
      name,
      `the connectionString's ${quotedName(name)} parameter replaces it`,
    ]),
    ...(tls.length > 0
      ? [
          [
            'ssl',
            `node-postgres makes the connection's TLS settings from the connectionString's ${tls.join(', ')} alone: give the certificate authority there too (sslrootcert=<file>), or leave the TLS parameters out of the string`,
          ] as [string, string],
        ]
      : []),
  ];
}

/**
 * Whether node-postgres reads the text as a connection string, as pg-connection-string parses
 * it (a socket path, or a URL against `postgres://base`, with spaces and stray `%` escaped and
 * an empty host allowed). Read otherwise, every request would fail as a 500 that cannot say
 * whether it was sent, rather than here.
 */
function readsAsConnectionString(text: string): boolean {
  return text.startsWith('/') || urlAsNodePostgresReads(text) !== undefined;
}

/**
 * The URL pg-connection-string reads a connection string as (not a socket path): spaces and
 * stray `%` escaped, against `postgres://base`, and with a placeholder host where it has none
 * (`postgres://app@/db?host=…`); its parameters are the string's. Undefined when it reads none.
 */
function urlAsNodePostgresReads(text: string): URL | undefined {
  let escaped = text;
  try {
    if (/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(escaped))
      escaped = encodeURI(escaped).replace(/%25(\d\d)/g, '%$1');
  } catch {
    // A lone surrogate: no URL holds it.
    return undefined;
  }
  for (const candidate of [escaped, escaped.replace('@/', '@___DUMMY___/')])
    if (URL.canParse(candidate, 'postgres://base')) return new URL(candidate, 'postgres://base');
  return undefined;
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
  );
}
