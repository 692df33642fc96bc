import { bearerToken } from './bearer-token.js';
import { readServiceConfig } from './service-config.js';

// `node dist/make-token.js <subject>`: prints a day-long token for `subject`, signed with the
// JWT_SECRET (and JWT_ISSUER, JWT_AUDIENCE) of the environment, as the service checks it.
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    console.log(usage);
    return;
  }
  // An option is never a subject (`--help` would get a token for "--help"); a subject that
  // starts with a dash comes after `--`.
  const afterDashes = args[0] === '--';
  const words = afterDashes ? args.slice(1) : args;
  const subject = words[0];
  if (words.length !== 1 || !subject || (!afterDashes && subject.startsWith('-'))) {
    console.error(usage);
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

const usage =
  'usage: make-token <subject>   (with the service’s JWT_SECRET in the environment; -- <subject> for one that starts with -)';

await main();
