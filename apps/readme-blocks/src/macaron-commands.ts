import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { localDynamoDbEndpoint } from './local-dynamodb.js';
import { localDatabaseUrl } from './local-postgres.js';
import { repositoryRoot } from './repository.js';

const cli = join(repositoryRoot, 'packages/cli/dist/bin.js');
// The endpoint the CLI README's examples use: a DynamoDB engine on this machine.
const documentedEndpoint = 'http://localhost:8000';
// The database they use: the shell's DATABASE_URL, a PostgreSQL server here.
const documentedDatabaseUrl = '"$DATABASE_URL"';

/**
 * Runs a `macaron …` command with the built CLI in the scratch project. Its local DynamoDB
 * endpoint is an in-process dynalite on a free port (port 8000 may be taken here), its
 * `"$DATABASE_URL"` a PostgreSQL server on a free loopback port.
 */
export async function runMacaron(
  project: string,
  command: string,
): Promise<{ code: number | null; output: string }> {
  let args = command.split(/\s+/).slice(1);
  if (args.includes(documentedEndpoint)) {
    const endpoint = await localDynamoDbEndpoint();
    args = args.map((arg) => (arg === documentedEndpoint ? endpoint : arg));
  }
  if (args.includes(documentedDatabaseUrl)) {
    const url = await localDatabaseUrl();
    args = args.map((arg) => (arg === documentedDatabaseUrl ? url : arg));
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}
