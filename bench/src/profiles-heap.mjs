// Heap of the profiles service (apps/profiles, built) under load, sampled every 10 s: is it
// flat after warm-up, or does something keyed by callers' input grow? Three processes, so
// that only the service's heap is measured: the engine (dynalite), the service (with
// heap-sampler.mjs preloaded), and this one, which sends the load: gets of known and of
// unknown ids, patches, creates, and list pages with cursors, on 16 keep-alive connections.
// Usage: node src/profiles-heap.mjs [seconds=300]
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { jsonRequests } from '../../apps/profiles/load/json-requests.mjs';

const seconds = Number(process.argv[2] ?? 300);
const connections = 16;
const secret = 'heap-profile-secret-0123456789-abcdefghij';
const samplesFile = `/tmp/profiles-heap-${process.pid}.jsonl`;
rmSync(samplesFile, { force: true });

function start(args, env, ready) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.at(-1)} exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (ready(text)) resolve(text);
    });
  });
  return { child, line };
}

const engine = start(
  ['--no-warnings', fileURLToPath(new URL('engine.mjs', import.meta.url))],
  {},
  (text) => text.startsWith('{'),
);
const { endpoint } = JSON.parse(await engine.line);
const port = 20000 + (process.pid % 20000);
const service = start(
  [
    '--no-warnings',
    '--expose-gc',
    '--import',
    fileURLToPath(new URL('heap-sampler.mjs', import.meta.url)),
    fileURLToPath(new URL('../../apps/profiles/dist/main.js', import.meta.url)),
  ],
  {
    DYNAMODB_ENDPOINT: endpoint,
    PORT: String(port),
    JWT_SECRET: secret,
    HEAP_SAMPLES_FILE: samplesFile,
  },
  (text) => text.startsWith('Profiles service on'),
);
await service.line;

const { SignJWT } = await import(
  fileURLToPath(
    new URL('../../apps/profiles/node_modules/jose/dist/webapi/index.js', import.meta.url),
  )
);
const token = await new SignJWT({ sub: 'heap' })
  .setProtectedHeader({ alg: 'HS256' })
  .setIssuer('macaron-profiles')
  .setAudience('macaron-profiles')
  .setIssuedAt()
  .setExpirationTime('1h')
  .sign(new TextEncoder().encode(secret));
const agent = new Agent({ keepAlive: true, maxSockets: connections });

const send = jsonRequests({ host: '127.0.0.1', port, agent, token });

// A fixed set of profiles; creates go to fresh ids (the store grows, in the engine's process).
const ids = Array.from({ length: 200 }, (_, index) => `seed${index}`);
for (const id of ids) {
  const created = await send('POST', '/profiles', { profile_id: id, name: `Seed ${id}` });
  if (created.status !== 201) throw new Error(`seeding ${id}: ${created.status}`);
}
const statuses = {};
let requests = 0;
let created = 0;
const deadline = Date.now() + seconds * 1000;
async function worker(number) {
  let cursor;
  while (Date.now() < deadline) {
    const draw = Math.random();
    const id = ids[Math.floor(Math.random() * ids.length)];
    let reply;
    if (draw < 0.5) reply = await send('GET', `/profiles/${id}`);
    else if (draw < 0.6)
      // Ids never stored: each one new, as a caller probing the API would send them.
      reply = await send('GET', `/profiles/missing-${number}-${requests}`);
    else if (draw < 0.75)
      reply = await send('PATCH', `/profiles/${id}`, { name: `Name ${Math.random()}` });
    else if (draw < 0.85)
      reply = await send('POST', '/profiles', {
        profile_id: `w${number}-${created++}`,
        name: 'New',
      });
    else {
      reply = await send('GET', `/profiles?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
      cursor = reply.body?.cursor;
    }
    requests++;
    statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
  }
}
await Promise.all(Array.from({ length: connections }, (_, number) => worker(number)));
agent.destroy();
// One more sample after the load, then stop.
await new Promise((resolve) => setTimeout(resolve, 11_000));
service.child.kill('SIGTERM');
engine.child.stdin.end();
const samples = readFileSync(samplesFile, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
console.log(`${requests} requests in ${seconds} s; statuses ${JSON.stringify(statuses)}`);
console.log('s | heapUsed MiB (after GC) | heapTotal MiB | external MiB | rss MiB');
for (const sample of samples)
  console.log(
    [
      sample.seconds,
      mib(sample.heapUsed),
      mib(sample.heapTotal),
      mib(sample.external),
      mib(sample.rss),
    ].join(' | '),
  );
process.stdout.write(`RESULT ${JSON.stringify({ requests, statuses, samples })}\n`);
