import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { AlreadyExistsError, loadApi, MacaronError } from '@macaron/core';
import { SignJWT } from 'jose';
import { type Profile, typed } from './api.generated.js';
import { openStorage, type Storage } from './open-storage.js';
import { buildProfilesServer } from './profiles-server.js';
import { readServiceConfig } from './service-config.js';

// The spec compiled at build time (`macaron compile`): loads without the bundler, for a fast start.
const spec = fileURLToPath(new URL('./profiles.api.json', import.meta.url));

async function main(): Promise<void> {
  const config = readServiceConfig(process.env);
  let storage: Storage | undefined;
  try {
    storage = await openStorage(config, process.env);
    const api = await loadApi(spec, { backend: storage.backend, tablePrefix: config.tablePrefix });
    await storage.backend.ensureTables?.(api.tables());
    await createDemoProfile(typed(api).persistent('Profile'));

    const secret = config.jwtSecret ?? randomBytes(32).toString('base64url');
    const auth = {
      secret,
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      algorithms: ['HS256'],
    };
    const app = await buildProfilesServer({
      api,
      auth,
      ...(process.env.LOG_LEVEL ? { logLevel: process.env.LOG_LEVEL } : {}),
    });
    const address = await app.listen({ host: config.host, port: config.port });
    const token = config.jwtSecret
      ? '$TOKEN'
      : await demoToken(secret, config.jwtIssuer, config.jwtAudience);

    console.log(`Profiles service on ${address}, storing in ${storage.description}.`);
    console.log('Try:');
    console.log(`  curl -s ${address}/profiles/demo`);
    console.log(
      `  curl -s -X POST ${address}/profiles -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' -d '{"profile_id":"ann","name":"Ann"}'`,
    );
    console.log(`  curl -s ${address}/profiles`);
    console.log('Ctrl-C stops it.');

    const stop = async (signal: string) => {
      console.log(`\n${signal}: finishing requests in flight, then stopping.`);
      await app.close(); // waits for requests in flight
      await storage?.stop();
      console.log('Stopped.');
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    await storage?.stop().catch(() => {});
    const message =
      MacaronError.isInstance(error) || error instanceof Error ? error.message : String(error);
    console.error(`profiles: cannot start: ${message.split('\n')[0]}`);
    process.exitCode = 1;
  }
}

async function createDemoProfile(Profiles: {
  create(data: Partial<Profile>): Promise<unknown>;
}): Promise<void> {
  try {
    await Profiles.create({
      profile_id: 'demo',
      name: 'Demo Profile',
      view_count: 0,
      created_at: new Date().toISOString(),
      tags: ['demo'],
    });
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
  }
}

// A token for the curl lines when the secret was generated here: valid for a day.
function demoToken(secret: string, issuer: string, audience: string): Promise<string> {
  return new SignJWT({ sub: 'demo' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('1d')
    .sign(new TextEncoder().encode(secret));
}

await main();
