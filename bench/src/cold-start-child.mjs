// Process start to the first loaded object: imports, loadApi on the spec file (YAML bundled
// through @redocly/openapi-core, or the compiled JSON that needs no redocly), the persistent
// class, and one load() answered by a canned GetItem.
// Usage: node cold-start-child.mjs path/to/api.yaml|api.json   (prints one RESULT line)
const marks = { start: performance.now() };
const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
marks.awsSdk = performance.now();
const { loadApi } = await import('@macaron/core');
marks.core = performance.now();
const { createDynamoDbBackend } = await import('@macaron/backend-dynamodb');
marks.backend = performance.now();
const { cannedBodies, cannedClientConfig, cannedHandler } = await import('./canned-client.mjs');
const client = new DynamoDBClient(cannedClientConfig(cannedHandler(cannedBodies())));
const api = await loadApi(process.argv[2], { backend: createDynamoDbBackend({ client }) });
marks.loadApi = performance.now();
const Profile = api.persistent('Profile');
const loaded = await Profile.load({ owner: 'owner-q', profile_id: 'p-000007' });
marks.firstObject = performance.now();
if (loaded.profile_id !== 'p-000007') throw new Error('loaded the wrong object');
process.stdout.write(`RESULT ${JSON.stringify({ marks, schemas: api.modelNames().length })}\n`);
