import { CliError, UsageError } from '../cli/cli-error.js';
import type { Command } from '../cli/command.js';
import { terminalStyle } from '../cli/terminal-style.js';

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * `macaron dynamodb-local [--port N]`: the embedded engine (dynalite, in memory) on a loopback
 * port until Ctrl-C, for `tables create --endpoint` and for a service in development.
 */
export const dynamodbLocalCommand: Command = {
  name: 'dynamodb-local',
  arguments: '',
  positionals: 0,
  summary:
    'Start the embedded DynamoDB engine (dynalite, in memory) on a port and print its endpoint; Ctrl-C stops it.',
  details:
    'Pass the endpoint to the other commands: macaron tables create <spec> --endpoint <endpoint>.\nIt listens on 127.0.0.1 only, accepts any credentials, and keeps its tables in memory: they go when it stops.\nNeeds the dynalite package (npm install --save-dev dynalite).',
  options: {
    port: {
      type: 'string',
      short: 'p',
      value: 'PORT',
      description: 'Port to listen on (default 8000; 0 picks a free one)',
    },
  },
  async run({ options, io }) {
    // Decimal digits only: Number() would also read ' 8', '0x1F40' and '8e3' as ports.
    const port =
      options.port === undefined
        ? 8000
        : /^[0-9]{1,5}$/.test(String(options.port))
          ? Number(options.port)
          : Number.NaN;
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new UsageError(
        `--port must be a port number (0 to 65535), not ${JSON.stringify(options.port)}`,
      );
    // Loaded only here: the other commands never load the engine or the AWS SDK for it.
    const { startLocalDynamoDb } = await import('@macaron/backend-dynamodb/local');
    let engine: Awaited<ReturnType<typeof startLocalDynamoDb>>;
    try {
      engine = await startLocalDynamoDb({ port });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      const inUse =
        (error as { code?: string }).code === 'EADDRINUSE' ||
        cause?.code === 'EADDRINUSE' ||
        /EADDRINUSE/.test(String((error as Error).message));
      throw new CliError(
        inUse
          ? `port ${port} is in use: pick another with --port (0 picks a free one)`
          : `the engine did not start: ${(error as Error).message.split('\n')[0]}`,
        1,
        { cause: error },
      );
    }
    // Listening for Ctrl-C before the endpoint is printed: whoever reads it may stop us at once.
    const signalled = untilSignalled();
    // The endpoint alone on stdout, for a script (`macaron dynamodb-local > endpoint.txt &`);
    // the note for a person on stderr.
    const style = terminalStyle(io.stderr, io.env);
    io.stdout.write(`${engine.endpoint}\n`);
    io.stderr.write(
      `${style.dim(`DynamoDB (dynalite, in memory) at ${engine.endpoint}: use --endpoint ${engine.endpoint}; Ctrl-C stops it`)}\n`,
    );
    await signalled;
    await engine.stop();
    return 0;
  },
};
