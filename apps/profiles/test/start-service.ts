import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** A running `dist/main.js`: its URL, everything it printed, and how to stop it. */
export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  /** The embedded engine's endpoint, when the process started one. */
  engineEndpoint: string | undefined;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the service as `pnpm start` does, with `environment` added, on a free port. */
export async function startService(environment: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      PORT: '0',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  while (!output.includes('Ctrl-C stops it.')) {
    if (child.exitCode !== null) throw new Error(`the service exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = /Profiles service on (http:\/\/\S+),/.exec(output)?.[1];
  if (url === undefined) throw new Error(`no URL in: ${output}`);
  return {
    child,
    url,
    engineEndpoint: /\(dynalite, in memory\) at (http:\/\/[^\s]+?)\.?$/m.exec(output)?.[1],
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}

/** Runs the service expecting it to refuse to start: its exit code and what it printed. */
export async function failedStart(
  environment: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, PORT: '0', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    // It started after all: stop it, and let the caller's expectations fail.
    if (output.includes('Ctrl-C stops it.')) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'close');
  return { code: code as number | null, output };
}

/**
 * A server on 127.0.0.1 that accepts connections and never answers (a wrong port, a hung
 * proxy): its port, and how to close it.
 */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
