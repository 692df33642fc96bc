import { loadApi, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';
import { createRawAccess } from './raw-document-client.js';

const spec = {
  swagger: '2.0',
  info: { title: 'pymacaron', version: '1' },
  paths: {},
  definitions: {
    Profile: {
      type: 'object',
      required: ['profile_id'],
      'x-persist': 'myserver.db.profile.PersistentProfile',
      properties: {
        profile_id: { type: 'string' },
        name: { type: 'string' },
        view_count: { type: 'integer' },
        score: { type: 'number' },
        verified: { type: 'boolean' },
        nickname: { type: 'string', 'x-nullable': true },
        address: {
          type: 'object',
          properties: {
            city: { type: 'string' },
            lines: { type: 'array', items: { type: 'string' } },
          },
        },
        badges: {
          type: 'array',
          items: {
            type: 'object',
            properties: { label: { type: 'string' }, level: { type: 'integer' } },
          },
        },
        created_at: { type: 'string', format: 'date-time' },
      },
    },
  },
};

const local = useLocalEngine();
let counter = 0;

async function setUp() {
  const backend = createDynamoDbBackend({
    client: local().engine.client,
    capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
  });
  const api = await loadApi(spec, { backend, tablePrefix: `interop${++counter}-` });
  const Profile = api.persistent('Profile', { table: 'profiles', key: 'profile_id' });
  await backend.ensureTables(api.tables());
  return { Profile, table: api.tables()[0]!.name, raw: createRawAccess(local().rawClient) };
}

const plain = {
  profile_id: 'p1',
  name: 'Zoë 😀',
  view_count: 41,
  score: 0.1,
  verified: true,
  nickname: null,
  address: { city: 'Paris', lines: ['1 rue', 'B'] },
  badges: [{ label: 'early', level: 2 }],
  created_at: '2016-05-01T10:00:00Z',
};

describe("interop with pymacaron-dynamodb's plain items", () => {
  it('loads an item written by another client (the raw SDK client) as a model object', async () => {
    const { Profile, table, raw } = await setUp();
    await raw.put(table, plain);
    const profile = await Profile.load('p1');
    expect(profile).toBeInstanceOf(Profile);
    expect(profile.toJSON()).toEqual(plain);
    profile.view_count = (profile.view_count as number) + 1;
    await profile.save();
    expect(await raw.get(table, { profile_id: 'p1' })).toEqual({ ...plain, view_count: 42 });
  });

  it('saves objects that read back with another client (the raw SDK client) as their plain JSON', async () => {
    const { Profile, table, raw } = await setUp();
    const { nickname: _null, ...withoutNull } = plain;
    await Profile.create(withoutNull);
    expect(await raw.get(table, { profile_id: 'p1' })).toEqual(withoutNull);
  });

  it('keeps numbers exact both ways', async () => {
    const { Profile, table, raw } = await setUp();
    await raw.put(table, { profile_id: 'n', score: 1234.5678, view_count: 9_007_199_254_740_991 });
    const loaded = await Profile.load('n');
    expect([loaded.score, loaded.view_count]).toEqual([1234.5678, 9_007_199_254_740_991]);
    await Profile.update('n', { add: { view_count: -1 } });
    expect((await raw.get(table, { profile_id: 'n' }))?.view_count).toBe(9_007_199_254_740_990);
  });

  it('an update that would grow the item past 400 KB is a ValidationError and changes nothing', async () => {
    const { Profile, table, raw } = await setUp();
    await Profile.create({ profile_id: 'big', name: 'small' });
    const error = await Profile.update('big', { set: { name: 'x'.repeat(410 * 1024) } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((problem) => problem.keyword)).toEqual([
      'maxItemBytes',
    ]);
    expect(await raw.get(table, { profile_id: 'big' })).toEqual({
      profile_id: 'big',
      name: 'small',
    });
  });
});
