import { fileURLToPath } from 'node:url';
import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi, MacaronError } from '@macaron/core';
import { defineEndpoints } from './my-endpoint.js';

const spec = fileURLToPath(new URL('../apis/myserver.yaml', import.meta.url));
const api = await loadApi(spec, { backend: createMemoryBackend() });
const { PersistentProfile, myEndpoint } = defineEndpoints(api);

await PersistentProfile.create({ profile_id: 'ann', name: 'Ann', email: 'ann@example.com' });
console.log('Saved profile "ann" in the in-memory backend.');

for (let visit = 1; visit <= 2; visit++) {
  const profile = await myEndpoint('ann');
  console.log(`myEndpoint('ann') #${visit} -> ${JSON.stringify(profile)}`);
}

try {
  await myEndpoint('bob');
} catch (error) {
  if (!MacaronError.isInstance(error)) throw error;
  console.log(`myEndpoint('bob') -> HTTP ${error.status} ${JSON.stringify(error.toErrorJSON())}`);
}
