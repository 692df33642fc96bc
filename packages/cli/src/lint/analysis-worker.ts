import { type MessagePort, workerData } from 'node:worker_threads';

/** What `findSpecProblemsSync` hands to this worker. */
interface AnalysisRequest {
  source: string | object;
  port: MessagePort;
  signal: Int32Array;
}

const { source, port, signal } = workerData as AnalysisRequest;
try {
  // Imported here so that a failing import is reported too, instead of leaving the caller waiting.
  const { findSpecProblems } = await import('./find-spec-problems.js');
  port.postMessage({ findings: await findSpecProblems(source) });
} catch (error) {
  port.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  // The message is queued on the port before the waiting thread wakes up to read it.
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
  port.close();
}
