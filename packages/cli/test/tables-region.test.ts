import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { type LocalDynamoDb, startLocalDynamoDb } from '@macaron/backend-dynamodb/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';
import { profilesSpec } from './sample-specs.js';

// The region a `tables` command signs for, seen in the credential scope of its requests'
// Authorization header by a relay to dynalite.

const folder = temporaryFolder({
  'profiles.yaml': profilesSpec,
  'aws-config': '[default]\nregion = eu-west-3\n\n[profile paris]\nregion = eu-west-3\n',
  'aws-config-elsewhere': '[default]\nregion = ap-south-2\n\n[profile paris]\nregion = eu-west-3\n',
  'aws-config-misspelt': '[default]\nregion = eu_west 3\n',
  'aws-credentials': '[paris]\naws_access_key_id = someone\naws_secret_access_key = secret\n',
});
let engine: LocalDynamoDb;

beforeAll(async () => {
  engine = await startLocalDynamoDb();
});
afterAll(async () => {
  await engine?.stop();
  folder.remove();
});

// No configuration but the one a test gives, and no instance metadata (a CI host on EC2 would
// answer with its own region).
const noConfiguration = {
  AWS_CONFIG_FILE: folder.file('no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: folder.file('no-aws-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** An HTTP relay to the engine, on `host`, recording the region of each request's signature. */
async function signatureRecorder(host: string) {
  const regions: string[] = [];
  const target = new URL(engine.endpoint);
  const relay = createServer((incoming, answer) => {
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/dynamodb\/aws4_request/.exec(
      String(incoming.headers.authorization),
    );
    regions.push(scope?.[1] ?? `unsigned: ${incoming.headers.authorization}`);
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (reply) => {
        answer.writeHead(reply.statusCode ?? 500, reply.headers);
        reply.pipe(answer);
      },
    );
    forwarded.on('error', () => incoming.socket.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => relay.listen(0, host, resolve));
  const { port } = relay.address() as AddressInfo;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    regions,
    close: () => {
      relay.closeAllConnections();
      return new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

async function planThrough(host: string, env: Record<string, string>) {
  const recorder = await signatureRecorder(host);
  try {
    const run = await runMacaron(
      ['tables', 'plan', 'profiles.yaml', '--endpoint', recorder.endpoint],
      { cwd: folder.path, env: { ...noConfiguration, ...env } },
    );
    return { run, regions: [...new Set(recorder.regions)], endpoint: recorder.endpoint };
  } finally {
    await recorder.close();
  }
}

const misspeltRegion =
  'macaron: the AWS configuration\'s region is refused by the SDK (region="eu_west 3" is not a valid hostname component): pass --region or correct it\n';

// An address of this machine that is not a loopback one: an endpoint there is not local.
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry !== undefined && !entry.internal && entry.family === 'IPv4')?.address;

describe('macaron tables --endpoint on this machine, without --region or AWS_REGION', () => {
  it("signs for the AWS configuration's region, as the service's own client would", async () => {
    const { run, regions } = await planThrough('127.0.0.1', {
      AWS_CONFIG_FILE: folder.file('aws-config'),
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(regions).toEqual(['eu-west-3']);
  });

  it("signs for AWS_PROFILE's region", async () => {
    const { run, regions } = await planThrough('127.0.0.1', {
      AWS_CONFIG_FILE: folder.file('aws-config-elsewhere'),
      AWS_SHARED_CREDENTIALS_FILE: folder.file('aws-credentials'),
      AWS_PROFILE: 'paris',
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(regions).toEqual(['eu-west-3']);
  });

  it("says the AWS configuration's region is refused, in one line, before any request", async () => {
    const { run, regions } = await planThrough('127.0.0.1', {
      AWS_CONFIG_FILE: folder.file('aws-config-misspelt'),
    });
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: misspeltRegion });
    expect(regions).toEqual([]);
  });

  it('signs for us-east-1 when nothing gives a region, or AWS_REGION is set but empty', async () => {
    const environments: Record<string, string>[] = [
      {},
      { AWS_REGION: '', AWS_CONFIG_FILE: folder.file('aws-config') },
    ];
    for (const env of environments) {
      const { run, regions } = await planThrough('127.0.0.1', env);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(regions).toEqual(['us-east-1']);
    }
  });

  it("does not ask an EC2 instance's metadata for the region (off EC2, it may take its timeout)", async () => {
    // A metadata service on this machine, answering ap-east-1 to whoever asks.
    const asked: string[] = [];
    const metadata = createServer((incoming, answer) => {
      asked.push(`${incoming.method} ${incoming.url}`);
      answer.end(incoming.method === 'PUT' ? 'token' : 'ap-east-1');
    });
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = metadata.address() as AddressInfo;
      const { AWS_EC2_METADATA_DISABLED: _asked, ...withMetadata } = noConfiguration;
      const recorder = await signatureRecorder('127.0.0.1');
      try {
        const run = await runMacaron(
          ['tables', 'plan', 'profiles.yaml', '--endpoint', recorder.endpoint],
          {
            cwd: folder.path,
            env: { ...withMetadata, AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}` },
          },
        );
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect([...new Set(recorder.regions)]).toEqual(['us-east-1']);
      } finally {
        await recorder.close();
      }
      expect(asked).toEqual([]);
    } finally {
      metadata.closeAllConnections();
      await new Promise<void>((resolve) => metadata.close(() => resolve()));
    }
  });

  it('signs for --region, then AWS_REGION, then AWS_DEFAULT_REGION, before the configuration', async () => {
    for (const [env, region] of [
      [{ AWS_REGION: 'eu-north-1', AWS_DEFAULT_REGION: 'sa-east-1' }, 'eu-north-1'],
      [{ AWS_DEFAULT_REGION: 'sa-east-1' }, 'sa-east-1'],
    ] as const) {
      const { run, regions } = await planThrough('127.0.0.1', {
        ...env,
        AWS_CONFIG_FILE: folder.file('aws-config'),
      });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(regions).toEqual([region]);
    }
  });
});

describe.skipIf(externalAddress === undefined)(
  'macaron tables --endpoint elsewhere, without --region or AWS_REGION (needs a network interface besides loopback)',
  () => {
    const credentials = { AWS_ACCESS_KEY_ID: 'someone', AWS_SECRET_ACCESS_KEY: 'secret' };

    it("signs for the AWS configuration's region, not us-east-1", async () => {
      const { run, regions } = await planThrough(externalAddress!, {
        ...credentials,
        AWS_CONFIG_FILE: folder.file('aws-config'),
      });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(regions).toEqual(['eu-west-3']);
    });

    it("says the AWS configuration's region is refused, in one line, before any request", async () => {
      const { run, regions } = await planThrough(externalAddress!, {
        ...credentials,
        AWS_CONFIG_FILE: folder.file('aws-config-misspelt'),
      });
      expect(run).toMatchObject({ code: 1, stdout: '', stderr: misspeltRegion });
      expect(regions).toEqual([]);
    });

    it('says no region is given when nothing gives one, before any request', async () => {
      const { run, regions } = await planThrough(externalAddress!, credentials);
      expect(run).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'macaron: no AWS region: pass --region or set AWS_REGION\n',
      });
      expect(regions).toEqual([]);
    });

    it('says AWS_REGION is empty when nothing else gives a region, before any request', async () => {
      const { run, regions } = await planThrough(externalAddress!, {
        ...credentials,
        AWS_REGION: '',
        AWS_CONFIG_FILE: folder.file('aws-config'),
      });
      expect(run).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'macaron: no AWS region: AWS_REGION is set but empty: pass --region or set it\n',
      });
      expect(regions).toEqual([]);
    });
  },
);
