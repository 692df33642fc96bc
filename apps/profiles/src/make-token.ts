import { bearerToken } from './bearer-token.js';
import { readServiceConfig } from './service-config.js';

// `node dist/make-token.js <subject>`: prints a day-long token for `subject`, signed with the
// JWT_SECRET (and JWT_ISSUER, JWT_AUDIENCE) of the environment, as the service checks it.
async function main(): Promise<void> {
  const subject = process.argv[2];
  if (process.argv.length !== 3 || !subject) {
    console.error(
      'usage: make-token <subject>   (with the service’s JWT_SECRET in the environment)',
    );
    process.exit(2);
  }
  try {
    const config = readServiceConfig(process.env);
    if (config.jwtSecret === undefined) {
      console.error(
        'make-token: JWT_SECRET is not set: a service started without it generated its own, and printed a token for it',
      );
      process.exit(1);
    }
    const issuer = {
      secret: config.jwtSecret,
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
    };
    console.log(await bearerToken(issuer, subject));
  } catch (error) {
    console.error(`make-token: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

await main();
