// The embedded engine in a process of its own (dynalite on loopback): prints its endpoint,
// then serves until its parent closes stdin or stops it.
import { startLocalDynamoDb } from '@macaron/backend-dynamodb/local';

const engine = await startLocalDynamoDb();
process.stdout.write(`${JSON.stringify({ endpoint: engine.endpoint })}\n`);
const stop = async () => {
  await engine.stop();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
