import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { startLocalDynamoDb } from '@macaron/backend-dynamodb/local';
import { describe, expect, it, onTestFinished } from 'vitest';
import { silentServer } from './start-service.js';

const script = fileURLToPath(new URL('../load/run-load.mjs', import.meta.url));

/** Runs the load script with `environment` added: its exit code and what it printed. */
function load(environment: Record<string, string>, timeout = 20_000) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [script],
      { env: { ...process.env, ...environment }, timeout },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number | null) : 0, output: stdout + stderr }),
    );
  });
}

describe('the load script refuses settings that would send no request', () => {
  for (const [name, value] of [
    ['LOAD_SECONDS', 'abc'],
    ['LOAD_SECONDS', '-5'],
    ['LOAD_CONNECTIONS', '0'],
    ['LOAD_PROFILES', '1.5'],
  ] as const) {
    it(`${name}=${value}: one line naming it, exit 1, no PASS`, async () => {
      const { code, output } = await load({ [name]: value });
      expect(code).toBe(1);
      expect(output.trim()).toBe(
        `load: ${name} must be a whole number above 0, not ${JSON.stringify(value)}`,
      );
    });
  }
});

// README (Load test): it stores where the service would, read from the same variables, in
// tables of its own that it deletes at the end where they would outlive it.
describe('the load script stores where MACARON_BACKEND, DATABASE_URL and DYNAMODB_ENDPOINT say', () => {
  const short = { LOAD_SECONDS: '1', LOAD_CONNECTIONS: '2', LOAD_PROFILES: '3' };

  it('refuses a bad MACARON_BACKEND in one line naming it, as the service does', async () => {
    const { code, output } = await load({ MACARON_BACKEND: 'mongodb', ...short });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      'load: MACARON_BACKEND must be dynamodb, memory or postgres, not "mongodb"',
    );
  });

  it('runs on PostgreSQL (PGlite) with MACARON_BACKEND=postgres', async () => {
    const { code, output } = await load({ MACARON_BACKEND: 'postgres', ...short }, 60_000);
    expect(output).toMatch(
      /^load: storing in an embedded PostgreSQL \(PGlite, in memory\), tables load_\w+_profiles$/m,
    );
    expect(output).toContain('load: PASS');
    expect(code).toBe(0);
  }, 60_000);

  it("runs on the DYNAMODB_ENDPOINT given, in tables of its own, deleted at the end: the service's are untouched", async () => {
    const engine = await startLocalDynamoDb();
    onTestFinished(() => engine.stop());
    // The service's table, with a profile whose id the load script seeds too.
    await engine.client.send(
      new CreateTableCommand({
        TableName: 'profiles',
        KeySchema: [{ AttributeName: 'profile_id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'profile_id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // CreateTable answers while the table is CREATING, dynalite's too: a put sent at once may
    // find no table on a busy host.
    await waitUntilTableExists(
      { client: engine.client, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.1 },
      { TableName: 'profiles' },
    );
    const theirs = { profile_id: { S: 'seed0' }, view_count: { N: '5' } };
    await engine.client.send(new PutItemCommand({ TableName: 'profiles', Item: theirs }));
    const { code, output } = await load({ DYNAMODB_ENDPOINT: engine.endpoint, ...short }, 60_000);
    expect(output).toMatch(
      new RegExp(
        `^load: storing in DynamoDB at ${engine.endpoint.replaceAll('.', '\\.')}, tables load_\\w+_profiles$`,
        'm',
      ),
    );
    expect(output).toContain('load: PASS');
    expect(code).toBe(0);
    expect((await engine.client.send(new ListTablesCommand({}))).TableNames).toEqual(['profiles']);
    const scanned = await engine.client.send(new ScanCommand({ TableName: 'profiles' }));
    expect(scanned.Items).toEqual([theirs]);
  }, 60_000);

  it('names DYNAMODB_ENDPOINT in one line when it never answers', async () => {
    const silent = await silentServer();
    onTestFinished(() => silent.close());
    const endpoint = `http://127.0.0.1:${silent.port}`;
    const { code, output } = await load({ DYNAMODB_ENDPOINT: endpoint, ...short });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      `load: cannot start: DYNAMODB_ENDPOINT "${endpoint}": DynamoDB did not answer within 5 s (ListTables): is it a DynamoDB endpoint, and is it up? Nothing was written`,
    );
  });
});
