#!/usr/bin/env node
import { fileURLToPath } from 'node:url';

// The AWS SDK warns on every run under Node 20 about its releases of 2027; a CLI run is not
// the place for it (the process is the CLI's own, so this setting touches nothing else).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// @macaron/core is a peer dependency every command needs (even --help loads it): an install
// that left peers out (yarn 1, npm's --legacy-peer-deps) gets one line saying what to install,
// not a stack trace. Only this package's own import of it: any other failure is shown as it is.
const builtFiles = fileURLToPath(new URL('.', import.meta.url));
function missingCore(error: unknown): boolean {
  if ((error as { code?: unknown } | undefined)?.code !== 'ERR_MODULE_NOT_FOUND') return false;
  const found = /Cannot find package '@macaron\/core' imported from (.+)$/m.exec(
    (error as Error).message,
  );
  return found !== null && found[1]!.startsWith(builtFiles);
}

// A reader that stops early (`macaron lint spec.yaml | head`) closes the pipe: what is left to
// print has nowhere to go, which is no failure of the command. It finishes without printing
// it, and exits with its own code (1 when lint found errors), not with Node's stack trace.
// Output that could not be written otherwise (`> file` on a full disk) is a failure: one
// line, as every failure is, and never exit 0, with what it wrote cut short.
let outputLost = false;
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' || outputLost) return;
    outputLost = true;
    if (stream === process.stdout)
      process.stderr.write(`macaron: cannot write the output: ${error.message.split('\n')[0]}\n`);
    if (!process.exitCode) process.exitCode = 1;
  });

const loaded = await import('./cli/run-cli.js').catch((error: unknown) => {
  if (!missingCore(error)) throw error;
  process.stderr.write(
    'macaron: @macaron/cli needs @macaron/core installed beside it (a peer dependency: npm install @macaron/core)\n',
  );
  return undefined;
});
const code = loaded === undefined ? 1 : await loaded.runCli(process.argv.slice(2));
process.exitCode = code === 0 && outputLost ? 1 : code;
