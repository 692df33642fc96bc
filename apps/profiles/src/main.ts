// First: before any module that makes an AWS SDK client.
import './node-support-notice.js';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { AlreadyExistsError, loadApi, MacaronError } from '@macaron/core';
import { quotedName } from '@macaron/core/backend';
import { type Profile, typed } from './api.generated.js';
import { bearerToken } from './bearer-token.js';
import { openStorage, type Storage } from './open-storage.js';
import { buildProfilesServer } from './profiles-server.js';
import { listenFailure, readServiceConfig } from './service-config.js';

// The spec compiled at build time (`macaron compile`): loads without the bundler, for a fast start.
const spec = fileURLToPath(new URL('./profiles.api.json', import.meta.url));

async function main(): Promise<void> {
  let storage: Storage | undefined;
  try {
    // Configured by the environment only: an argument (`pnpm start --port 9000`) would otherwise
    // be ignored, and the service start where it was not asked to.
    const args = process.argv.slice(2);
    if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
      console.log(usage);
      return;
    }
    if (args.length > 0) {
      throw new Error(
        `it takes no arguments (${args.map((arg) => quotedName(arg)).join(' ')}): it is configured by environment variables, as PORT=9000 (README: Configuration)`,
      );
    }
    const config = readServiceConfig(process.env);
    storage = await openStorage(config, process.env);
    // A generated key makes cursors work within this process only: instances behind one
    // load balancer must share MACARON_CURSOR_KEY (README: Cursor keys).
    const cursorKey = config.cursorKey ?? randomBytes(32).toString('base64');
    const api = await loadApi(spec, {
      backend: storage.backend,
      tablePrefix: config.tablePrefix,
      cursorKey,
      previousCursorKeys: config.previousCursorKeys,
    });
    // A failure here is the storage's: the line names the variable that said where it is.
    try {
      // An endpoint that accepts connections and never answers: one line within seconds.
      await storage.checkAnswers?.();
      await storage.backend.ensureTables?.(api.tables());
      await createDemoProfile(typed(api).persistent('Profile'));
    } catch (error) {
      if (storage.source === undefined) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${storage.source}: ${message}`, { cause: error });
    }

    // 32 random bytes: the HS256 minimum (RFC 7518 §3.2), which the plugin enforces.
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
      ...(config.logLevel ? { logLevel: config.logLevel } : {}),
    });
    // A port in use or a HOST that is no address here: one line naming the variable.
    const address = await app.listen({ host: config.host, port: config.port }).catch((error) => {
      throw listenFailure(error, config);
    });
    // Listening for signals before the banner says Ctrl-C stops it. pnpm and npx each forward
    // the terminal's Ctrl-C, so one Ctrl-C may come as two or three signals at once: only a
    // signal well after the first is a second one, which stops at once.
    let stopping: Promise<void> | undefined;
    let firstSignalAt = 0;
    let forced = false;
    // A client holding a request half sent would otherwise hold the stop until it goes.
    const closeConnections = (why: string) => {
      if (forced) return;
      forced = true;
      console.log(why);
      app.server.closeAllConnections();
    };
    const stop = (signal: string) => {
      if (stopping) {
        // A monotonic clock: a step of the wall clock between two signals sent at once would
        // make the second a "second Ctrl-C".
        if (performance.now() - firstSignalAt > repeatedSignalMs)
          closeConnections(`${signal} again: closing the connections of requests in flight.`);
        return stopping;
      }
      firstSignalAt = performance.now();
      stopping = (async () => {
        console.log(`\n${signal}: finishing requests in flight, then stopping.`);
        const deadline = setTimeout(
          () =>
            closeConnections(
              `Requests still in flight after ${config.stopTimeoutMs / 1000} s: closing their connections.`,
            ),
          config.stopTimeoutMs,
        );
        try {
          await app.close(); // waits for requests in flight, until the deadline
          clearTimeout(deadline);
          await storage?.stop();
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          console.error(`profiles: stopping failed: ${message.split('\n')[0]}`);
          process.exit(1);
        }
        console.log('Stopped.');
        // A clean stop exits 0 (for process managers as for pnpm), and at once: were the
        // process left to end when its event loop drains, Node would first remove the signal
        // handlers, and a Ctrl-C forwarded late by pnpm or npx would then kill it by signal
        // (pnpm reports that as ELIFECYCLE). Until exit() the handlers take any late one.
        process.exit(0);
      })();
      return stopping;
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));

    // With the application's own secret, no token is printed: the line that makes one is.
    const token = config.jwtSecret
      ? '$TOKEN'
      : await bearerToken(
          { secret, issuer: config.jwtIssuer, audience: config.jwtAudience },
          demoSubject,
        );

    console.log(`Profiles service on ${address}, storing in ${storage.description}.`);
    if (process.env.DATABASE_URL && config.backend !== 'postgres')
      console.log('DATABASE_URL is ignored: MACARON_BACKEND is not postgres.');
    const generated = [
      ...(config.jwtSecret ? [] : ['JWT_SECRET']),
      ...(config.cursorKey ? [] : ['MACARON_CURSOR_KEY']),
    ];
    if (generated.length > 0) {
      console.log(
        `Generated for this process only: ${generated.join(', ')} (README: Configuration).`,
      );
    }
    // Double quotes: the shell expands $TOKEN in them.
    const authorization = `-H "Authorization: Bearer ${token}"`;
    const json = `-H 'Content-Type: application/json'`;
    // Every indented line is a command to paste (no shell comment: an interactive zsh reads
    // `#` as a command).
    if (config.jwtSecret) {
      console.log(
        'Try (the first line makes a token with the JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE of the shell it runs in):',
      );
      console.log(`  export TOKEN="$(node ${shellQuoted(makeToken)} ${demoSubject})"`);
    } else console.log('Try:');
    console.log(`  curl -s ${address}/profiles/demo`);
    console.log(
      `  curl -s -X POST ${address}/profiles ${authorization} ${json} -d '{"profile_id":"ann","name":"Ann"}'`,
    );
    console.log(
      `  curl -s -X PATCH ${address}/profiles/ann ${authorization} ${json} -d '{"name":"Annie"}'`,
    );
    console.log(`  curl -s ${address}/profiles`);
    console.log(
      `A profile belongs to the subject (sub) of the token that created it${config.jwtSecret ? '' : ` (here ${demoSubject})`}: only it may change or delete it. The demo profile has no owner: nobody may.`,
    );
    console.log('Ctrl-C stops it.');
  } catch (error) {
    await storage?.stop().catch(() => {});
    const message =
      MacaronError.isInstance(error) || error instanceof Error ? error.message : String(error);
    console.error(`profiles: cannot start: ${message.split('\n')[0]}`);
    process.exitCode = 1;
  }
}

// The demo profile has no owner, so nobody may change or delete it through the API.
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

// What --help prints: the service reads its environment only (apps/profiles/README.md).
const usage = [
  'The profiles service: node dist/main.js (or pnpm start), configured by environment variables',
  '(apps/profiles/README.md, Configuration), every one optional:',
  '  MACARON_BACKEND (dynamodb, memory or postgres), DATABASE_URL, DYNAMODB_ENDPOINT,',
  '  MACARON_TABLE_PREFIX, HOST, PORT, JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, MACARON_CURSOR_KEY,',
  '  MACARON_PREVIOUS_CURSOR_KEYS, LOG_LEVEL, MACARON_STOP_TIMEOUT_MS',
].join('\n');

// Signals closer than this to the first are one Ctrl-C forwarded again by pnpm or npx.
const repeatedSignalMs = 1_000;

// The subject of the demo token: the owner of the profiles created with it.
const demoSubject = 'newcomer';

// Prints a token signed with the environment's JWT_SECRET (`pnpm make-token <subject>`).
const makeToken = fileURLToPath(new URL('./make-token.js', import.meta.url));

// A word any POSIX shell reads back as `text`: single quotes, each ' written '\''.
function shellQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

await main();
