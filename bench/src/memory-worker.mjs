// Macaron's memory backend beside a bare Map doing the same copies, one of them per fresh process.
// Usage: node memory-worker.mjs '{"library":"map"|"memory-backend"|"memory-model","size":"full"}'
import { measure } from './measure.mjs';
import { memoryOperations } from './memory-subjects.mjs';
import { memorySizes } from './sizes.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
const size = memorySizes[config.size ?? 'full'];
const operations = await memoryOperations(config.library);
const results = {};
for (const [name, operation] of Object.entries(operations)) {
  // CPU time: every call is pure CPU, and other load on the machine does not count.
  const { cpuUs } = await measure(operation, { ...size, concurrency: 1 });
  results[name] = { sequential: cpuUs };
}
process.stdout.write(
  `RESULT ${JSON.stringify({ library: config.library, mode: 'memory', results })}\n`,
);
