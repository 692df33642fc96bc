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
          { stdio: ['pipe', 'pipe', 'inherit'] },
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
