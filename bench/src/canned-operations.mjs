// The workload's operations of a library on the canned client (client-side CPU mode), or of a
// memory subject (`map`, `memory-backend`, `memory-model`): what profile-worker.mjs and
// allocations.mjs measure.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { cannedConfigFor } from './canned-client.mjs';
import { memoryOperations } from './memory-subjects.mjs';
import { operations } from './operations.mjs';

export async function cannedOperations(name) {
  if (['map', 'memory-backend', 'memory-model'].includes(name)) return memoryOperations(name);
  const { createLibrary } = await import(`./libraries/${name}.mjs`);
  const clientConfig = await cannedConfigFor(createLibrary, 'profiles');
  return operations(
    await createLibrary({
      client: new DynamoDBClient(clientConfig),
      clientConfig,
      table: 'profiles',
    }),
  );
}
