// What a user of the published packages writes: the main APIs of each, as the READMEs use them.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbBackend } from '@macaron/backend-dynamodb';
import { startLocalDynamoDb } from '@macaron/backend-dynamodb/local';
import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi, MacaronError } from '@macaron/core';
import { macaronFastify, macaronServerOptions, type OperationContext } from '@macaron/fastify';
import Fastify from 'fastify';

interface Profile {
  profile_id: string;
  name: string;
  view_count?: number;
}

class UserNotFoundError extends MacaronError {
  static override code = 'USER_NOT_FOUND';
  static override status = 404;
}

export async function main(): Promise<void> {
  const api = await loadApi('apis/profiles.yaml', { backend: createMemoryBackend() });
  const Profiles = api.persistent<Profile>('Profile');
  const ann = await Profiles.load('ann');
  ann.view_count = (ann.view_count ?? 0) + 1;
  await ann.save();
  await Profiles.update('ann', { add: { view_count: 1 } });
  const page = await Profiles.query({ partition: 'ann', limit: 20 });
  console.log(page.items.length, page.cursor);

  const engine = await startLocalDynamoDb();
  const dynamodb = createDynamoDbBackend({ client: new DynamoDBClient({}) });
  await dynamodb.ensureTables?.(api.tables());
  await engine.stop();

  const app = Fastify({ ...macaronServerOptions(), logger: false });
  await app.register(macaronFastify, {
    api,
    handlers: {
      async getProfile({ params }: OperationContext<{ profile_id: string }>) {
        if (!(await Profiles.exists(params.profile_id)))
          throw new UserNotFoundError('No such user');
        return Profiles.load(params.profile_id);
      },
    },
    auth: { secret: process.env.JWT_SECRET ?? '', issuer: 'issuer', audience: 'audience' },
  });
}
