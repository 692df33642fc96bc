import { type LocalDynamoDb, startLocalDynamoDb } from '@macaron/backend-dynamodb/local';

let engine: Promise<LocalDynamoDb> | undefined;

/**
 * The DynamoDB that blocks and commands reach when the README points at "your" DynamoDB
 * (AWS, or `localhost:8000`): an in-process dynalite on a free port, started once, on demand.
 */
export async function localDynamoDbEndpoint(): Promise<string> {
  engine ??= startLocalDynamoDb();
  return (await engine).endpoint;
}

/**
 * The environment through which the AWS SDK finds that engine, as it would find any other
 * (its documented variables: a client created with `new DynamoDBClient({})` uses them).
 */
export async function localDynamoDbEnvironment(): Promise<NodeJS.ProcessEnv> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: await localDynamoDbEndpoint(),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'readme-blocks',
    AWS_SECRET_ACCESS_KEY: 'readme-blocks',
  };
}

/** Stops the engine, if it was started. */
export async function stopLocalDynamoDb(): Promise<void> {
  const running = engine;
  engine = undefined;
  await (await running)?.stop();
}
