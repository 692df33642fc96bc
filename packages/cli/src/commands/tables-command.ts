import { posix, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MacaronError, type TableDescriptor, TableMismatchError } from '@macaron/core';
import { shownText } from '@macaron/core/backend';
import { CliError, UsageError } from '../cli/cli-error.js';
import type { CliIo } from '../cli/cli-io.js';
import type { Command, CommandInput, CommandOption } from '../cli/command.js';
import { withProgress } from '../cli/progress.js';
import { refuseSpecAsOutput } from '../cli/spec-output.js';
import { type TerminalStyle, terminalStyle } from '../cli/terminal-style.js';
import { writeOutputFile } from '../cli/write-output.js';
import {
  macaronConfigFile,
  macaronConfigOption,
  readMacaronConfig,
} from '../config/macaron-config.js';
import { displayPath, loadSpecApi, resolveSpecFile } from '../spec/spec-file.js';
import { unconfiguredModels } from '../spec/unconfigured-models.js';
import type { PlannedChange } from '../tables/plan-tables.js';
import {
  checkDatabaseUrl,
  loadPostgresBackend,
  type PostgresBackendModule,
  withPostgres,
} from '../tables/postgres-connection.js';
import { sortedTables } from '../tables/sorted-tables.js';
import {
  type ConnectionOptions,
  checkEndpoint,
  isLoopbackEndpoint,
} from '../tables/table-endpoint.js';

// The AWS SDK and the backend take a second to load: only the commands that talk to DynamoDB load them.
const dynamoDb = () => import('../tables/dynamodb-connection.js');
const backend = () => import('@macaron/backend-dynamodb');

const prefixOption: CommandOption = {
  type: 'string',
  value: 'PREFIX',
  description: 'Prefix of every table name, e.g. staging- (as loadApi’s tablePrefix)',
  allowsEmpty: true,
};

const connectionOptions: Record<string, CommandOption> = {
  endpoint: {
    type: 'string',
    value: 'URL',
    description: 'DynamoDB endpoint, e.g. http://localhost:8000 for a local engine',
  },
  region: {
    type: 'string',
    value: 'REGION',
    description:
      'AWS region (default: AWS_REGION, then AWS_DEFAULT_REGION, then the AWS configuration; us-east-1 for an --endpoint on this machine when none gives one)',
  },
  'database-url': {
    type: 'string',
    value: 'URL',
    description:
      'PostgreSQL instead of DynamoDB: a postgres:// URL (needs @macaron/backend-postgres and pg)',
  },
  prefix: prefixOption,
  'macaron-config': macaronConfigOption,
};

async function specTables(input: CommandInput): Promise<TableDescriptor[]> {
  const spec = resolveSpecFile(input.io, input.positionals[0]!);
  const prefix = typeof input.options.prefix === 'string' ? input.options.prefix : '';
  // Checked here as loadApi checks it, to say which option is wrong (a usage error, exit 2).
  if (!/^[A-Za-z0-9_.-]*$/.test(prefix))
    throw new UsageError(
      `--prefix may hold only A-Z a-z 0-9 _ - . (as table names), not ${JSON.stringify(prefix)} (see macaron tables --help)`,
    );
  const config = readMacaronConfig(input.io, input.options['macaron-config']);
  const api = await loadSpecApi(input.io, spec, { ...config, tablePrefix: prefix });
  const tables = api.tables();
  // Said when the config gives tables (a schema it leaves out is likely misspelt) and other
  // tables are there; with none, noTables says why. Without one, tables are given in code.
  if (tables.length > 0 && config.persist !== undefined)
    for (const { message } of unconfiguredModels(api, config.persist))
      input.io.stderr.write(`note: ${message}.\n`);
  return tables;
}

/** The `--database-url` given (checked), or undefined for DynamoDB. */
function databaseUrl(input: CommandInput): string | undefined {
  const { endpoint, region } = input.options;
  const url = input.options['database-url'];
  if (typeof url !== 'string') return undefined;
  if (endpoint !== undefined || region !== undefined)
    throw new UsageError(
      '--database-url is for PostgreSQL, --endpoint and --region for DynamoDB: give one or the other',
    );
  return checkDatabaseUrl(url);
}

function connection(input: CommandInput): ConnectionOptions {
  const { endpoint, region } = input.options;
  return {
    ...(typeof endpoint === 'string' ? { endpoint: checkEndpoint(endpoint) } : {}),
    ...(typeof region === 'string' ? { region } : {}),
  };
}

// Runs a DynamoDB operation, turning failures into one line: unreachable endpoint, mismatch, …
async function withDynamoDb<T>(
  input: CommandInput,
  label: string,
  operation: (client: DynamoDBClient) => Promise<T>,
): Promise<T> {
  const options = connection(input);
  const { connectionProblem, createDynamoDbClient } = await dynamoDb();
  const client = await createDynamoDbClient(input.io, options);
  try {
    return await withProgress(input.io, label, () => operation(client));
  } catch (error) {
    const problem = connectionProblem(error, options);
    if (problem) throw problem;
    if (MacaronError.isInstance(error))
      throw new CliError(error.message.split('\n')[0]!, 1, { cause: error });
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.endsWith('Exception'))
      throw new CliError(`DynamoDB refused: ${name}: ${(error as Error).message}`, 1, {
        cause: error,
      });
    throw error;
  } finally {
    client.destroy();
  }
}

// Tables given in code come from a config file: one in another directory is not read.
const noTablesReason = `no schema has a full x-persist annotation, and no ${macaronConfigFile} gives one in its persist (it is read from the working directory, or from --macaron-config FILE)`;

function noTables(io: CliIo): number {
  io.stderr.write(`The spec has no tables: ${noTablesReason}.\n`);
  return 0;
}

/** A change create makes (or reports): anything but a difference, which refuses the plan. */
type Planned = PlannedChange & { action: Exclude<PlannedChange['action'], 'differs'> };

function isPlanned(change: PlannedChange): change is Planned {
  return change.action !== 'differs';
}

// What a `rename` change renames: an index, or the primary key (no detail).
function renamedName(change: PlannedChange): string {
  return change.detail === undefined ? 'primary key' : `index ${change.detail}`;
}

function planLine(change: Planned, style: TerminalStyle): string {
  switch (change.action) {
    case 'create':
      return `${style.green('+ create')} ${change.table} (${change.detail})`;
    case 'add-index':
      return `${style.yellow('~ add index')} ${change.detail} to ${change.table}`;
    case 'rebuild-index':
      return `${style.yellow('~ rebuild index')} ${change.detail} of ${change.table}`;
    case 'rename':
      return `${style.yellow('~ rename')} ${renamedName(change)} of ${change.table} (an earlier version's name)`;
    case 'enable-ttl':
      return `${style.yellow('~ enable TTL')} on ${change.table} (${change.detail})`;
    case 'ttl-unsupported':
      return `${style.dim('- TTL')} on ${change.table} (${change.detail}): the engine has no TTL; items will not expire`;
    case 'unchanged':
      return `${style.dim('= unchanged')} ${change.table}`;
  }
}

/**
 * The refusal of a plan whose tables differ from the spec where create cannot change them: one
 * line, as every refusal is, naming each difference. For one table it is create's refusal
 * (core's `TableMismatchError`) word for word.
 */
function differingTables(changes: readonly PlannedChange[]): CliError | undefined {
  const differences = new Map<string, string[]>();
  for (const change of changes)
    if (change.action === 'differs')
      differences.set(change.table, [
        ...(differences.get(change.table) ?? []),
        shownText(change.detail!),
      ]);
  if (differences.size === 0) return undefined;
  if (differences.size === 1) {
    const [[table, details]] = [...differences] as [[string, string[]]];
    return new CliError(new TableMismatchError(table, details).message);
  }
  const tables = [...differences].map(
    ([table, details]) => `Table ${table} differs from the spec: ${details.join('; ')}.`,
  );
  return new CliError(
    `${tables.join(' ')} Provisioning cannot change this in place: migrate the data to a new table, or change the table by hand`,
  );
}

const tablesPlan: Command = {
  name: 'tables plan',
  arguments: '<spec>',
  positionals: 1,
  summary:
    'Show what `tables create` would do, from DescribeTable (or the PostgreSQL catalog); changes nothing.',
  details:
    'Exits 1 when a table differs from the spec in a way create cannot fix (keys, index keys): one line on stderr naming each difference, as create refuses it.',
  options: connectionOptions,
  async run(input) {
    const url = databaseUrl(input);
    const tables = await specTables(input);
    if (tables.length === 0) return noTables(input.io);
    const changes = await planned(input, url, tables);
    // create would refuse, changing nothing: so does the plan, nothing on stdout.
    const refusal = differingTables(changes);
    if (refusal) throw refusal;
    const style = terminalStyle(input.io.stdout, input.io.env);
    for (const change of changes)
      if (isPlanned(change)) input.io.stdout.write(`${planLine(change, style)}\n`);
    const count = (actions: string[]) =>
      new Set(changes.filter((change) => actions.includes(change.action)).map((c) => c.table)).size;
    input.io.stdout.write(
      `Plan: ${count(['create'])} to create, ${count(['add-index', 'rebuild-index', 'rename', 'enable-ttl'])} to change, ${count(['unchanged'])} unchanged.\n`,
    );
    return 0;
  },
};

// The plan of the tables, on PostgreSQL when `url` is given, else on DynamoDB.
async function planned(
  input: CommandInput,
  url: string | undefined,
  tables: readonly TableDescriptor[],
): Promise<PlannedChange[]> {
  if (url !== undefined) {
    const { planPostgresTables } = await import('../tables/plan-postgres-tables.js');
    return withPostgres(input.io, url, 'Reading tables', (backend) =>
      planPostgresTables(backend, tables),
    );
  }
  const { planTables } = await import('../tables/plan-tables.js');
  return withDynamoDb(input, 'Reading tables', (client) => planTables(client, tables));
}

// What `tables create` prints for a PostgreSQL database: what ensureTables changed (it
// refuses, changing nothing, when a table differs).
async function createPostgresTables(
  input: CommandInput,
  url: string,
  tables: readonly TableDescriptor[],
): Promise<number> {
  const { ensurePostgresTables } = await import('../tables/plan-postgres-tables.js');
  const changes = await withPostgres(input.io, url, 'Creating tables', (backend) =>
    ensurePostgresTables(backend, tables),
  );
  const style = terminalStyle(input.io.stdout, input.io.env);
  for (const change of changes) {
    const line =
      change.action === 'create'
        ? `${style.green('created')} ${change.table}`
        : change.action === 'add-index'
          ? `${style.green('added index')} ${change.detail} to ${change.table}`
          : change.action === 'rebuild-index'
            ? `${style.green('rebuilt index')} ${change.detail} of ${change.table}`
            : change.action === 'rename'
              ? `${style.green('renamed')} ${renamedName(change)} of ${change.table}`
              : change.action === 'ttl-unsupported'
                ? `${style.yellow('no TTL')} on ${change.table}: PostgreSQL has no expiry; items will not expire by ${change.detail}`
                : `${style.dim('unchanged')} ${change.table}`;
    input.io.stdout.write(`${line}\n`);
  }
  return 0;
}

const tablesCreate: Command = {
  name: 'tables create',
  arguments: '<spec>',
  positionals: 1,
  summary:
    'Create the tables of the spec, add missing indexes and TTL, and wait until they are ACTIVE. Idempotent.',
  details:
    'Billing is on demand. A table whose keys differ from the spec is an error; nothing is changed then. With --database-url, the PostgreSQL tables of @macaron/backend-postgres.',
  options: connectionOptions,
  async run(input) {
    const url = databaseUrl(input);
    const tables = await specTables(input);
    if (tables.length === 0) return noTables(input.io);
    if (url !== undefined) return createPostgresTables(input, url, tables);
    const { ensureTables } = await backend();
    const changes = await withDynamoDb(input, 'Creating tables', (client) =>
      ensureTables(client, tables, { pollIntervalMs: 500 }),
    );
    const style = terminalStyle(input.io.stdout, input.io.env);
    const { withUnchangedTables } = await import('../tables/ttl-only-tables.js');
    const shown = withUnchangedTables(changes, (table) => ({
      table,
      action: 'unchanged' as const,
    }));
    for (const change of shown) {
      const line =
        change.action === 'created'
          ? `${style.green('created')} ${change.table}`
          : change.action === 'index-added'
            ? `${style.green('added index')} ${change.detail} to ${change.table}`
            : change.action === 'ttl-enabled'
              ? `${style.green('enabled TTL')} on ${change.table} (${shownText(change.detail ?? '')})`
              : change.action === 'ttl-unsupported'
                ? `${style.yellow('no TTL')} on ${change.table}: ${shownText(change.detail ?? '')}`
                : `${style.dim('unchanged')} ${change.table}`;
      input.io.stdout.write(`${line}${madeByWords(change)}\n`);
    }
    return 0;
  },
};

// A DynamoDB change whose request's answer was lost, and that its retry found made.
function madeByWords(change: object): string {
  return (change as { madeBy?: unknown }).madeBy === 'unknown'
    ? ' (by this command, or by another process at the same time: an answer was lost)'
    : '';
}

const tablesDelete: Command = {
  name: 'tables delete',
  arguments: '<spec>',
  positionals: 1,
  summary: 'Delete the tables of the spec, and their data. Idempotent.',
  details:
    'Asks for --yes unless the DynamoDB endpoint is on this machine (a local engine); always with --database-url.',
  options: {
    ...connectionOptions,
    yes: { type: 'boolean', short: 'y', description: 'Confirm: delete the tables and their data' },
  },
  async run(input) {
    const url = databaseUrl(input);
    const tables = await specTables(input);
    // A PostgreSQL server on this machine may well be a tunnel to production: always asked.
    const local = url === undefined && isLoopbackEndpoint(connection(input).endpoint);
    if (input.options.yes !== true && !local) {
      throw new CliError(
        'tables delete removes the tables and all their data: pass --yes to confirm',
      );
    }
    if (tables.length === 0) return noTables(input.io);
    const changes =
      url !== undefined
        ? await withPostgres(input.io, url, 'Deleting tables', (postgres) =>
            postgres.deleteTables(tables),
          )
        : await withDynamoDb(input, 'Deleting tables', async (client) =>
            (await backend()).deleteTables(client, tables, { pollIntervalMs: 500 }),
          );
    const style = terminalStyle(input.io.stdout, input.io.env);
    for (const change of changes) {
      input.io.stdout.write(
        change.action === 'deleted'
          ? `${style.red('deleted')} ${change.table}${madeByWords(change)}\n`
          : `${style.dim('absent')} ${change.table}\n`,
      );
    }
    return 0;
  },
};

const tablesExport: Command = {
  name: 'tables export',
  arguments: '<spec>',
  positionals: 1,
  summary:
    'Print the tables as AWS::DynamoDB::Table resources of a CloudFormation template, as plain JSON, or as PostgreSQL DDL.',
  details:
    'Keys, global secondary indexes, on-demand billing and TTL, as tables create makes them; sorted and stable.',
  options: {
    format: {
      type: 'string',
      choices: ['cloudformation', 'json', 'sql'],
      description:
        'cloudformation (a template, default), json ({ tables: [...] }) or sql (PostgreSQL DDL, with @macaron/backend-postgres)',
    },
    prefix: prefixOption,
    'macaron-config': macaronConfigOption,
    output: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      description: 'Write to this file instead of stdout',
    },
  },
  async run(input) {
    const tables = await specTables(input);
    if (tables.length === 0) throw new CliError(`the spec has no tables: ${noTablesReason}`);
    // The spec's file name alone: the template is the same bytes whatever the working
    // directory and however the path is spelt (`./`, absolute, a CI runner's checkout folder).
    const spec = posix.basename(input.positionals[0]!.split('\\').join('/'));
    let text: string;
    if (input.options.format === 'sql') {
      // Sorted as the other formats are: the spec's order would make the DDL change with it.
      text = postgresDdl(await loadPostgresBackend('--format sql'), sortedTables(tables));
    } else {
      const { toCloudFormation, toTableDefinitions } = await import('../tables/export-tables.js');
      const document =
        input.options.format === 'json'
          ? toTableDefinitions(tables)
          : toCloudFormation(tables, `DynamoDB tables of ${spec}, exported by macaron`);
      text = `${JSON.stringify(document, null, 2)}\n`;
    }
    if (typeof input.options.output === 'string') {
      const output = resolve(input.io.cwd, input.options.output);
      const shown = displayPath(input.io, output);
      refuseSpecAsOutput(output, shown, resolveSpecFile(input.io, input.positionals[0]!));
      writeOutputFile(output, shown, text);
      input.io.stderr.write(`wrote ${shown}\n`);
    } else {
      input.io.stdout.write(text);
    }
    return 0;
  },
};

function postgresDdl(
  module: PostgresBackendModule,
  tables: Parameters<PostgresBackendModule['postgresTablesDdl']>[0],
): string {
  const ddl = module.postgresTablesDdl(tables);
  return ddl.endsWith('\n') ? ddl : `${ddl}\n`;
}

/** `macaron tables plan|create|delete|export`. */
export const tablesCommands: readonly Command[] = [
  tablesPlan,
  tablesCreate,
  tablesDelete,
  tablesExport,
];
