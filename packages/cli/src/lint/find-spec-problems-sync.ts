import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { SpecFinding } from './spec-finding.js';

const timeoutMs = 120_000;

/**
 * `findSpecProblems`, synchronously: redocly runs lint rules synchronously, while loading a
 * spec is asynchronous. The analysis runs in a worker thread and this thread waits for it.
 */
export function findSpecProblemsSync(source: string | object): SpecFinding[] {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./analysis-worker.js', import.meta.url), {
    workerData: { source, port: port2, signal },
    // Not the parent's flags: under `node -e …` they would run the parent's script again.
    execArgv: [],
    transferList: [port2],
  });
  worker.unref();
  try {
    if (Atomics.wait(signal, 0, 0, timeoutMs) === 'timed-out')
      throw new Error(`Macaron's spec analysis did not finish within ${timeoutMs / 1000} s`);
    const reply = receiveMessageOnPort(port1)?.message as
      | { findings: SpecFinding[] }
      | { error: string }
      | undefined;
    if (!reply) throw new Error("Macaron's spec analysis ended without an answer");
    if ('error' in reply) throw new Error(`Macaron's spec analysis failed: ${reply.error}`);
    return reply.findings;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
