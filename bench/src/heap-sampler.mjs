// Preloaded into a process (`node --expose-gc --import ./heap-sampler.mjs …`): every
// HEAP_SAMPLE_SECONDS (10) it collects garbage (where --expose-gc allows) and appends the
// live heap to HEAP_SAMPLES_FILE as a JSON line: seconds since start, heapUsed, heapTotal,
// external and rss in bytes. The timer does not keep the process alive.
import { appendFileSync } from 'node:fs';

const file = process.env.HEAP_SAMPLES_FILE;
if (file) {
  const started = performance.now();
  const every = Number(process.env.HEAP_SAMPLE_SECONDS ?? 10) * 1000;
  const sample = () => {
    globalThis.gc?.();
    const { heapUsed, heapTotal, external, rss } = process.memoryUsage();
    const seconds = Math.round((performance.now() - started) / 1000);
    appendFileSync(file, `${JSON.stringify({ seconds, heapUsed, heapTotal, external, rss })}\n`);
  };
  setInterval(sample, every).unref();
}
