import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The ports of the compile servers (test/compile-server.mjs), one per vitest worker. */
    compileServerPorts: number[];
  }
}

/**
 * Starts one warm compile server per worker (a test file compiles on its worker's own, so two
 * files compile at once as two tsc processes did), and stops them after the run.
 */
export default async function startCompileServers(project: TestProject): Promise<() => void> {
  const count = Math.max(1, project.config.maxWorkers);
  const servers: ChildProcess[] = [];
  const stop = () => {
    for (const server of servers) server.stdin?.end();
  };
  try {
    const ports = await Promise.all(
      Array.from({ length: count }, async () => {
        const server = spawn(
          process.execPath,
          [fileURLToPath(new URL('compile-server.mjs', import.meta.url))],
          // Without NODE_V8_COVERAGE (c8's, for the binary's runs): the coverage of the
          // compiler, megabytes c8 would read for nothing, as it did of each tsc process.
          { stdio: ['pipe', 'pipe', 'inherit'], env: withoutCoverage() },
        );
        servers.push(server);
        const [line] = (await Promise.race([
          once(server.stdout!, 'data'),
          once(server, 'exit').then(() => {
            throw new Error('a compile server stopped before it listened');
          }),
        ])) as [Buffer];
        return Number(line.toString());
      }),
    );
    project.provide('compileServerPorts', ports);
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}

function withoutCoverage(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['NODE_V8_COVERAGE'];
  return env;
}
