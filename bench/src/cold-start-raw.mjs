// The floor of a DynamoDB cold start: the raw DocumentClient's first GetCommand (canned), with
// the same marks as the Macaron child.
const marks = { start: performance.now() };
const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
marks.awsSdk = performance.now();
const { DynamoDBDocumentClient, GetCommand } = await import('@aws-sdk/lib-dynamodb');
marks.documentClient = performance.now();
const { cannedBodies, cannedClientConfig, cannedHandler } = await import('./canned-client.mjs');
const client = new DynamoDBClient(cannedClientConfig(cannedHandler(cannedBodies())));
const documents = DynamoDBDocumentClient.from(client);
const { Item } = await documents.send(
  new GetCommand({ TableName: 'profiles', Key: { owner: 'owner-q', profile_id: 'p-000007' } }),
);
marks.firstObject = performance.now();
if (Item.profile_id !== 'p-000007') throw new Error('read the wrong item');
process.stdout.write(`RESULT ${JSON.stringify({ marks })}\n`);
