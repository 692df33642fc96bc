import { readFileSync } from 'node:fs';

// Timing helpers shared by the workers: warm-up, calibrated samples, medians.

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// CPU time this process used (all its threads: the main one, GC and compiler threads), in µs.
function cpuMicroseconds() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Runs `count` calls of `operation(index, lane)` on `concurrency` lanes; returns the elapsed
 * wall-clock ms and the process's CPU ms over the run.
 */
export async function run(operation, count, concurrency, lanes) {
  let next = 0;
  const cpuStarted = cpuMicroseconds();
  const started = performance.now();
  await Promise.all(
    lanes.slice(0, concurrency).map(async (lane) => {
      while (next < count) await operation(next++, lane);
    }),
  );
  const wallMs = performance.now() - started;
  return { wallMs, cpuMs: (cpuMicroseconds() - cpuStarted) / 1000 };
}

/** The CPU time another process of this machine has used, in µs (Linux `/proc`, 10 ms ticks). */
export function processCpuMicroseconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted after the command name's closing bracket.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / 100;
}

/**
 * µs per call of `operation` at `concurrency`, wall-clock (`us`) and CPU (`cpuUs`): a warm-up
 * of `warmupMs`, then `samples` runs sized to last about `sampleMs` each; medians of the samples.
 */
export async function measure(
  operation,
  { concurrency, warmupMs, sampleMs, samples, minCalls, otherCpuMicroseconds },
) {
  const lanes = Array.from({ length: concurrency }, () => ({}));
  let calls = 0;
  let elapsed = 0;
  // Warm up until both the time and a minimum number of calls are reached.
  while (elapsed < warmupMs || calls < minCalls) {
    const batch = Math.max(concurrency, calls || concurrency);
    elapsed += (await run(operation, batch, concurrency, lanes)).wallMs;
    calls += batch;
  }
  const perSample = Math.max(minCalls, concurrency, Math.round((sampleMs * calls) / elapsed));
  const wall = [];
  const cpu = [];
  // Another process's CPU (the engine's) is read in clock ticks: summed over all samples.
  const otherStarted = otherCpuMicroseconds?.();
  for (let sample = 0; sample < samples; sample++) {
    const { wallMs, cpuMs } = await run(operation, perSample, concurrency, lanes);
    wall.push((wallMs * 1000) / perSample);
    cpu.push((cpuMs * 1000) / perSample);
  }
  const otherCpuUs =
    otherStarted === undefined
      ? undefined
      : (otherCpuMicroseconds() - otherStarted) / (perSample * samples);
  return { us: median(wall), cpuUs: median(cpu), otherCpuUs, calls: perSample * samples };
}
