#!/usr/bin/env node
// The AWS SDK warns on every run under Node 20 about its releases of 2027; a CLI run is not
// the place for it (the process is the CLI's own, so this setting touches nothing else).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { runCli } = await import('./cli/run-cli.js');
process.exitCode = await runCli(process.argv.slice(2));
