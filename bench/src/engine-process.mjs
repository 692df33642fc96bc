// dynalite in a process of its own (engine.mjs), with the workload's table: what the
// end-to-end measurements talk to over loopback HTTP.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { pageSize, profile, profilesKeySchema, queryPages } from './workload.mjs';

/** Starts the engine; resolves once it listens. */
export async function startEngine() {
  const child = spawn(
    process.execPath,
    ['--no-warnings', fileURLToPath(new URL('engine.mjs', import.meta.url))],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const line = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the engine exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  return { endpoint: JSON.parse(line).endpoint, pid: child.pid, stop: () => child.stdin.end() };
}

/** A client of the engine's endpoint, as every library is given one. */
export function engineClientConfig(endpoint) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}

/** (Re)creates the workload's table: string partition key `owner`, sort key `profile_id`. */
export async function createProfilesTable(client, table) {
  await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      ...profilesKeySchema,
    }),
  );
}

/** Items every read operation finds in the engine (written through a library itself). */
export function seedItems() {
  const items = [];
  for (let index = 0; index < queryPages * pageSize; index++) items.push(profile('owner-q', index));
  for (let index = 0; index < 1000; index++) items.push(profile(`owner-s${index % 10}`, index));
  return items;
}
