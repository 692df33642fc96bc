import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  AccessDeniedError,
  BackendError,
  InvalidRequestError,
  loadApi,
  TableMismatchError,
  TableNotFoundError,
  ThrottledError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { waitForTableActive, waitForTableGone } from '../src/provision/wait-for-table.js';
import { counterSchema } from './counter-schema.js';
import { useLocalEngine } from './local-engine.js';

const local = useLocalEngine();

/**
 * A client of the engine (no retries) that records the commands it sends and, while
 * `describeTable.failing` names an error, answers every DescribeTable with it, as AWS answers
 * one throttled, denied or sent with expired credentials.
 */
function recordingClient(failing?: string) {
  const client = local().newClient({ maxAttempts: 1 });
  const sent: string[] = [];
  // `status`: the HTTP status of the answer; none for a failure before anything was sent.
  const describeTable: { failing: string | undefined; status?: number | undefined } = {
    failing,
    status: 400,
  };
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName));
      if (describeTable.failing && context.commandName === 'DescribeTableCommand')
        throw Object.assign(new Error(describeTable.failing), {
          name: describeTable.failing,
          $metadata:
            describeTable.status === undefined ? {} : { httpStatusCode: describeTable.status },
        });
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return { client, sent, describeTable };
}

describe('a table that was never created', () => {
  it('[P-106] every operation is TableNotFoundError (a BackendError); saveMany throws it whole, as refused', async () => {
    const backend = createDynamoDbBackend({ client: local().engine.client });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'missing', version: '1.0.0' },
        paths: {},
        components: { schemas: { Counter: counterSchema } },
      },
      { backend, tablePrefix: 'never_created_' },
    );
    const Counter = api.persistent<{ id: string; count?: number }>('Counter');
    const attempts = [
      () => Counter.load('a'),
      () => Counter.exists('a'),
      () => Counter.create({ id: 'a' }),
      () => Counter.query({ partition: 'a' }),
      () => Counter.scan(),
      () => Counter.loadMany(['a', 'b']),
      // Refused before anything was written: the refusal, not a batch whose chunk is unconfirmed.
      () => Counter.saveMany([{ id: 'a' }, { id: 'b' }]),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableNotFoundError);
      expect(BackendError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'TABLE_NOT_FOUND', status: 500 });
    }
  });

  it('[P-106] an index the spec gained since the table was made: its queries and scans are TableNotFoundError, not a 400', async () => {
    const backend = createDynamoDbBackend({ client: local().engine.client });
    const spec = (indexes?: object) => ({
      openapi: '3.0.3',
      info: { title: 'missing index', version: '1.0.0' },
      paths: {},
      components: {
        schemas: {
          Counter: { ...counterSchema, 'x-persist': { table: 'counters', key: 'id', indexes } },
        },
      },
    });
    const before = await loadApi(spec(), { backend, tablePrefix: 'index_later_' });
    await backend.ensureTables(before.tables());
    const after = await loadApi(spec({ byLabel: { key: 'label' } }), {
      backend,
      tablePrefix: 'index_later_',
    });
    const Counter = after.persistent<{ id: string; label?: string }>('Counter');
    await Counter.create({ id: 'a', label: 'x' });
    for (const attempt of [
      () => Counter.query({ index: 'byLabel', partition: 'x' }),
      () => Counter.scan({ index: 'byLabel' }),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableNotFoundError);
      expect((error as Error).message).toContain('the index does not exist');
    }
  });

  it('[P-106] a table made for another key: every keyed operation is TableMismatchError (409, not a 400 naming the table); saveMany throws it whole', async () => {
    const backend = createDynamoDbBackend({ client: local().engine.client });
    const spec = (key: string, type: string) => ({
      openapi: '3.0.3',
      info: { title: 'mismatch', version: '1.0.0' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: [key],
            'x-persist': { table: 'things', key },
            properties: { [key]: { type }, label: { type: 'string' } },
          },
        },
      },
    });
    const made = await loadApi(spec('id', 'string'), { backend, tablePrefix: 'other_key_' });
    await backend.ensureTables(made.tables());
    for (const [key, value] of [
      ['thing_id', 'a'],
      ['id', 1],
    ] as const) {
      const api = await loadApi(spec(key, typeof value === 'string' ? 'string' : 'integer'), {
        backend,
        tablePrefix: 'other_key_',
      });
      const Thing = api.persistent<Record<string, unknown>>('Thing');
      for (const attempt of [
        () => Thing.load(value),
        () => Thing.create({ [key]: value }),
        () => Thing.query({ partition: value }),
        () => Thing.loadMany([value]),
        () => Thing.saveMany([{ [key]: value }]),
        () => Thing.delete(value),
        () => Thing.update(value, { set: { label: 'x' } }),
      ]) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TableMismatchError);
        expect(error).toMatchObject({ code: 'TABLE_MISMATCH', table: 'other_key_things' });
      }
    }
  });

  describe('the requests DynamoDB itself accepts on a table made for another key', () => {
    const spec = (sort?: string) => ({
      openapi: '3.0.3',
      info: { title: 'key change', version: '1.0.0' },
      paths: {},
      components: {
        schemas: {
          Item: {
            type: 'object',
            required: ['id', ...(sort ? [sort] : [])],
            'x-persist': { table: 'items', key: 'id', ...(sort ? { sort } : {}) },
            properties: { id: { type: 'string' }, s: { type: 'string' }, note: { type: 'string' } },
          },
        },
      },
    });
    const stored = async (prefix: string) =>
      local().rawClient.send(
        new GetItemCommand({ TableName: `${prefix}items`, Key: { id: { S: 'a' } } }),
      );

    // A spec that gained a sort key: the item it puts still holds the table's own key (`id`),
    // so DynamoDB takes it, over the old item.
    async function keyedById(prefix: string) {
      const backend = createDynamoDbBackend({ client: local().engine.client });
      const before = await loadApi(spec(), { backend, tablePrefix: prefix });
      await backend.ensureTables(before.tables());
      await before.persistent('Item').create({ id: 'a', s: 'x', note: 'precious' });
    }

    it('[P-106] puts, batch writes and scans are TableMismatchError too, and the old item stays', async () => {
      await keyedById('sort_added_');
      const backend = createDynamoDbBackend({ client: local().engine.client });
      const api = await loadApi(spec('s'), { backend, tablePrefix: 'sort_added_' });
      const Item = api.persistent<Record<string, unknown>>('Item');
      for (const attempt of [
        () => new Item({ id: 'a', s: 'y' }).save(),
        () => Item.saveMany([{ id: 'a', s: 'z' }]),
        () => Item.scan(),
        () => Item.query({ partition: 'a' }),
      ]) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TableMismatchError);
        expect((error as TableMismatchError).differences).toEqual([
          'sort key: table has none, spec has s (S)',
        ]);
      }
      expect((await stored('sort_added_')).Item?.note).toEqual({ S: 'precious' });
    });

    it('checkTableKeys: false sends no DescribeTable, and leaves such a put to DynamoDB', async () => {
      await keyedById('unchecked_');
      const { client, sent } = recordingClient();
      const backend = createDynamoDbBackend({ client, checkTableKeys: false });
      const api = await loadApi(spec('s'), { backend, tablePrefix: 'unchecked_' });
      await new (api.persistent<Record<string, unknown>>('Item'))({ id: 'a', s: 'y' }).save();
      expect(sent).toEqual(['PutItemCommand']);
      expect((await stored('unchecked_')).Item?.note).toBeUndefined();
      expect(() => createDynamoDbBackend({ client, checkTableKeys: 'no' as never })).toThrow(
        'checkTableKeys must be true or false',
      );
    });

    it('without permission to describe the table, requests go on unchecked, and DescribeTable is not asked again', async () => {
      await keyedById('denied_');
      const { client, sent } = recordingClient('AccessDeniedException');
      const backend = createDynamoDbBackend({ client });
      const api = await loadApi(spec(), { backend, tablePrefix: 'denied_' });
      const Item = api.persistent<Record<string, unknown>>('Item');
      expect((await Item.load('a'))?.note).toBe('precious');
      expect((await Item.load('a'))?.note).toBe('precious');
      expect(sent).toEqual(['DescribeTableCommand', 'GetItemCommand', 'GetItemCommand']);
    });

    it('while DescribeTable fails otherwise: a table never found fitting is read, not written (nothing sent), with the error that says whether a retry mends it; one found mismatched stays refused', async () => {
      await keyedById('throttled_');
      const { client, sent, describeTable } = recordingClient('ThrottlingException');
      const backend = createDynamoDbBackend({ client });
      const api = await loadApi(spec('s'), { backend, tablePrefix: 'throttled_' });
      const Item = api.persistent<Record<string, unknown>>('Item');
      expect((await Item.scan()).items).toHaveLength(1);
      for (const [name, status, refusal] of [
        ['ThrottlingException', 400, ThrottledError],
        ['InternalServerError', 500, ThrottledError],
        // What the put itself would get: a retry does not mend refused credentials.
        ['ExpiredTokenException', 400, AccessDeniedError],
        // No credentials to sign with: nothing sent, as refused credentials.
        ['CredentialsProviderError', undefined, AccessDeniedError],
        // Never sent otherwise (no region, a certificate the client does not trust).
        ['Error', undefined, BackendError],
        // A firewall's or a proxy's refusal: not "try again" either.
        ['Forbidden', 403, BackendError],
      ] as const) {
        Object.assign(describeTable, { failing: name, status });
        const error = await new Item({ id: 'a', s: 'y' }).save().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(refusal);
        expect((error as Error).message).toContain(name);
        expect((error as Error).message).toContain('nothing was written');
        if (refusal === BackendError) {
          // Never sent: a batch is refused whole with the same error, not left unconfirmed.
          expect(error).toMatchObject({ code: 'BACKEND_ERROR', notSent: true });
          const batch = await Item.saveMany([{ id: 'a', s: 'y' }]).catch(
            (caught: unknown) => caught,
          );
          expect(batch).toBeInstanceOf(BackendError);
          expect(batch).toMatchObject({ code: 'BACKEND_ERROR', notSent: true });
        }
      }
      expect(sent.filter((command) => command === 'PutItemCommand')).toEqual([]);
      // It answers: the mismatch is found, and kept while DescribeTable fails again.
      Object.assign(describeTable, { failing: undefined, status: 400 });
      await expect(new Item({ id: 'a', s: 'y' }).save()).rejects.toBeInstanceOf(TableMismatchError);
      describeTable.failing = 'ThrottlingException';
      await expect(Item.saveMany([{ id: 'a', s: 'z' }])).rejects.toBeInstanceOf(TableMismatchError);
      await expect(Item.scan()).rejects.toBeInstanceOf(TableMismatchError);
      expect(sent.filter((command) => command === 'PutItemCommand')).toEqual([]);
      expect((await stored('throttled_')).Item?.note).toEqual({ S: 'precious' });
    });

    it('a client that cannot sign its requests (its credential provider fails): a write is a BackendError that says why, not "try again"', async () => {
      const client = local().newClient({
        maxAttempts: 1,
        credentials: () => Promise.reject(new Error('no credentials in the environment')),
      });
      const api = await loadApi(spec(), {
        backend: createDynamoDbBackend({ client }),
        tablePrefix: 'unsigned_',
      });
      const error = await api
        .persistent<Record<string, unknown>>('Item')
        .create({ id: 'a' })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BackendError);
      expect(error).toMatchObject({ code: 'BACKEND_ERROR', status: 500 });
      expect((error as Error).message).toContain('no credentials in the environment');
    });

    it('a client that cannot send at all (no region), the tables unchecked: a write is a BackendError marked notSent, and saveMany throws it whole, not a batch left unconfirmed', async () => {
      const client = local().newClient({
        maxAttempts: 1,
        region: (): Promise<string> => Promise.reject(new Error('no region configured')),
      });
      const api = await loadApi(spec(), {
        backend: createDynamoDbBackend({ client, checkTableKeys: false }),
        tablePrefix: 'regionless_',
      });
      const Item = api.persistent<Record<string, unknown>>('Item');
      for (const write of [
        () => Item.create({ id: 'a' }),
        () => Item.saveMany([{ id: 'a' }, { id: 'b' }]),
      ]) {
        const error = await write().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(BackendError);
        expect(error).toMatchObject({ code: 'BACKEND_ERROR', notSent: true });
        expect((error as Error).message).toContain('no region configured');
        expect((error as Error).message).toContain('the request was not sent');
      }
    });

    it('a table that fits is described once, by the first of the calls that start together', async () => {
      await keyedById('fits_');
      const { client, sent } = recordingClient();
      const backend = createDynamoDbBackend({ client });
      const api = await loadApi(spec(), { backend, tablePrefix: 'fits_' });
      const Item = api.persistent<Record<string, unknown>>('Item');
      await Promise.all([Item.load('a'), Item.load('a'), Item.exists('a')]);
      await Item.load('a');
      expect(sent.filter((command) => command === 'DescribeTableCommand')).toHaveLength(1);
      expect(sent).toHaveLength(5);
    });
  });

  describe('an index key value of another type than the table takes', () => {
    const spec = (indexes?: object, region: object = { type: 'string' }) => ({
      openapi: '3.0.3',
      info: { title: 'rolling', version: '1.0.0' },
      paths: {},
      components: {
        schemas: {
          Memo: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'memos', key: 'id', ...(indexes ? { indexes } : {}) },
            properties: { id: { type: 'string' }, region },
          },
        },
      },
    });

    it('for an index the spec does not declare (a newer version made it): InvalidRequestError naming the attribute and the index; for one it declares otherwise: TableMismatchError', async () => {
      const backend = createDynamoDbBackend({ client: local().engine.client });
      const newer = await loadApi(spec({ byRegion: { key: 'region' } }), {
        backend,
        tablePrefix: 'rolling_',
      });
      await backend.ensureTables(newer.tables());
      // The older version: no index, and `region` any value (its schema does not type it).
      const older = await loadApi(spec(undefined, {}), { backend, tablePrefix: 'rolling_' });
      const Memo = older.persistent<Record<string, unknown>>('Memo');
      for (const attempt of [
        () => Memo.create({ id: 'a', region: 5 }),
        () => Memo.saveMany([{ id: 'b', region: true }]),
      ]) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as Error).message).toContain('region');
        expect((error as Error).message).toContain('byRegion');
        expect((error as Error).message).not.toContain('rolling_');
      }
      // A spec that declares the index on a number: the index was made for another spec.
      const retyped = await loadApi(spec({ byRegion: { key: 'region' } }, { type: 'number' }), {
        backend,
        tablePrefix: 'rolling_',
      });
      const error = await retyped
        .persistent<Record<string, unknown>>('Memo')
        .create({ id: 'c', region: 5 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableMismatchError);
    });

    it.each([
      ['with bidi controls', 'reg\u202eion\u2066', 'reg\\u202eion\\u2066', 'rolling_names_'],
      // Whole, though it holds a space and a line break: the engine's message has it whole.
      [
        'with a space and a line break',
        'reg ion\n\u202e',
        'reg ion\\n\\u202e',
        'rolling_spaced_names_',
      ],
    ])(
      'names the attribute (%s) of an index the spec does not declare whole and escaped (P-88): the newer spec named it',
      async (_, attribute, shown, tablePrefix) => {
        const named = (withIndex: boolean) => ({
          openapi: '3.0.3',
          info: { title: 'rolling names', version: '1.0.0' },
          paths: {},
          components: {
            schemas: {
              Memo: {
                type: 'object',
                required: ['id'],
                'x-persist': {
                  table: 'memos',
                  key: 'id',
                  ...(withIndex ? { indexes: { byRegion: { key: attribute } } } : {}),
                },
                properties: {
                  id: { type: 'string' },
                  [attribute]: withIndex ? { type: 'string' } : {},
                },
              },
            },
          },
        });
        const backend = createDynamoDbBackend({ client: local().engine.client });
        const newer = await loadApi(named(true), { backend, tablePrefix });
        await backend.ensureTables(newer.tables());
        const older = await loadApi(named(false), { backend, tablePrefix });
        const error = await older
          .persistent<Record<string, unknown>>('Memo')
          .create({ id: 'a', [attribute]: 5 })
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as Error).message).toContain('byRegion');
        expect((error as Error).message).not.toMatch(/[\u202e\u2066]/u);
        expect((error as Error).message).toContain(`the item's "${shown}" is not of the type`);
      },
    );
  });

  describe('an index made otherwise than the spec says (by hand, CloudFormation, Terraform)', () => {
    const spec = (table: string, keys: object, indexes: object) => ({
      openapi: '3.0.3',
      info: { title: 'their indexes', version: '1.0.0' },
      paths: {},
      components: {
        schemas: {
          Note: {
            type: 'object',
            required: ['owner', 'id'],
            'x-persist': { table, ...keys, indexes },
            properties: {
              owner: { type: 'string' },
              id: { type: 'string' },
              label: { type: 'string' },
              text: { type: 'string' },
              count: { type: 'integer' },
            },
          },
        },
      },
    });
    const gsi = (name: string, key: string, projection: object) => ({
      IndexName: name,
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' as const }],
      Projection: projection,
    });
    const attribute = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
    // dynalite deletes a table after answering: a table made again under its name at once
    // may meet it still there (ResourceInUseException), so the deletion is waited for.
    async function dropped(name: string) {
      await local().rawClient.send(new DeleteTableCommand({ TableName: name }));
      await waitForTableGone(local().rawClient, name, { timeoutMs: 10_000, pollIntervalMs: 20 });
    }

    async function made(input: Omit<CreateTableCommandInput, 'BillingMode'>) {
      await local().rawClient.send(
        new CreateTableCommand({ ...input, BillingMode: 'PAY_PER_REQUEST' }),
      );
      await waitForTableActive(local().rawClient, input.TableName!, {
        timeoutMs: 10_000,
        pollIntervalMs: 20,
      });
    }
    const stored = async (table: string, key: Record<string, string>) =>
      (
        await local().rawClient.send(
          new GetItemCommand({
            TableName: table,
            Key: Object.fromEntries(
              Object.entries(key).map(([name, value]) => [name, { S: value }]),
            ),
          }),
        )
      ).Item;

    it('[P-106] projecting less than the whole item (KEYS_ONLY, INCLUDE), or keyed otherwise: its queries and scans are TableMismatchError, so that no partial object is read and saved back; the rest goes on', async () => {
      await made({
        TableName: 'their_notes',
        AttributeDefinitions: ['id', 'label', 'text', 'owner_name'].map(attribute),
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          gsi('byLabel', 'label', { ProjectionType: 'KEYS_ONLY' }),
          gsi('byText', 'text', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['label'] }),
          gsi('byOwner', 'owner_name', { ProjectionType: 'ALL' }),
        ],
      });
      const backend = createDynamoDbBackend({ client: local().engine.client });
      const api = await loadApi(
        spec(
          'their_notes',
          { key: 'id' },
          { byLabel: { key: 'label' }, byText: { key: 'text' }, byOwner: { key: 'owner' } },
        ),
        { backend },
      );
      const Note = api.persistent<Record<string, unknown>>('Note');
      await Note.create({ owner: 'o', id: 'a', label: 'x', text: 't', count: 5 });
      for (const [index, partition, difference] of [
        ['byLabel', 'x', 'index byLabel: table projects KEYS_ONLY, spec needs ALL'],
        ['byText', 't', 'index byText: table projects INCLUDE, spec needs ALL'],
        [
          'byOwner',
          'o',
          'index byOwner partition key: table has owner_name (S), spec has owner (S)',
        ],
      ] as const) {
        for (const attempt of [
          () => Note.query({ index, partition }),
          () => Note.scan({ index }),
          () => Note.queryAll({ index, partition })[Symbol.asyncIterator]().next(),
        ]) {
          const error = await attempt().catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(TableMismatchError);
          expect(error).toMatchObject({ code: 'TABLE_MISMATCH', status: 409 });
          expect((error as TableMismatchError).differences).toEqual([difference]);
        }
      }
      // The table itself, and reads that do not go through those indexes, go on.
      const note = await Note.load('a');
      expect(note?.count).toBe(5);
      await note!.save();
      expect((await Note.scan()).items).toHaveLength(1);
      expect((await stored('their_notes', { id: 'a' }))?.count).toEqual({ N: '5' });
    });

    it('[P-106] a local index of the name the spec gives is read through when it projects ALL, refused when it projects less', async () => {
      const lsiTable = (name: string, projection: object) =>
        made({
          TableName: name,
          AttributeDefinitions: ['owner', 'id', 'label'].map(attribute),
          KeySchema: [
            { AttributeName: 'owner', KeyType: 'HASH' },
            { AttributeName: 'id', KeyType: 'RANGE' },
          ],
          LocalSecondaryIndexes: [
            {
              IndexName: 'byLabel',
              KeySchema: [
                { AttributeName: 'owner', KeyType: 'HASH' },
                { AttributeName: 'label', KeyType: 'RANGE' },
              ],
              Projection: projection,
            },
          ],
        });
      await lsiTable('their_local_all', { ProjectionType: 'ALL' });
      await lsiTable('their_local_keys', { ProjectionType: 'KEYS_ONLY' });
      const backend = createDynamoDbBackend({ client: local().engine.client });
      for (const table of ['their_local_all', 'their_local_keys']) {
        const api = await loadApi(
          spec(table, { key: 'owner', sort: 'id' }, { byLabel: { key: 'owner', sort: 'label' } }),
          { backend },
        );
        const Note = api.persistent<Record<string, unknown>>('Note');
        await Note.create({ owner: 'o', id: 'a', label: 'x', count: 5 });
        const read = await Note.query({ index: 'byLabel', partition: 'o' }).catch(
          (caught: unknown) => caught,
        );
        if (table === 'their_local_all')
          expect((read as { items: { count?: number }[] }).items[0]?.count).toBe(5);
        else
          expect(read).toMatchObject({
            code: 'TABLE_MISMATCH',
            differences: ['index byLabel: table projects KEYS_ONLY, spec needs ALL'],
          });
      }
    });

    it('an index missing when first described is described again when read through: made since with KEYS_ONLY, it is refused; a mismatch found stays refused while DescribeTable fails; a table found keyed otherwise at it is refused for every request', async () => {
      const name = 'their_later_index';
      const keyedById = {
        TableName: name,
        AttributeDefinitions: ['id', 'label'].map(attribute),
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
      };
      await made({ ...keyedById, AttributeDefinitions: [attribute('id')] });
      const { client, describeTable } = recordingClient();
      const backend = createDynamoDbBackend({ client });
      const api = await loadApi(spec(name, { key: 'id' }, { byLabel: { key: 'label' } }), {
        backend,
      });
      const Note = api.persistent<Record<string, unknown>>('Note');
      await Note.create({ owner: 'o', id: 'a', label: 'x', count: 5 });
      await expect(Note.query({ index: 'byLabel', partition: 'x' })).rejects.toBeInstanceOf(
        TableNotFoundError,
      );
      // Made again, the index with it, projecting keys only.
      await dropped(name);
      await made({
        ...keyedById,
        GlobalSecondaryIndexes: [gsi('byLabel', 'label', { ProjectionType: 'KEYS_ONLY' })],
      });
      await Note.create({ owner: 'o', id: 'a', label: 'x', count: 5 });
      await expect(Note.query({ index: 'byLabel', partition: 'x' })).rejects.toMatchObject({
        code: 'TABLE_MISMATCH',
        differences: ['index byLabel: table projects KEYS_ONLY, spec needs ALL'],
      });
      describeTable.failing = 'ThrottlingException';
      await expect(Note.scan({ index: 'byLabel' })).rejects.toBeInstanceOf(TableMismatchError);
      describeTable.failing = undefined;
      // Made again for another key: found at the index's next check, then refused for all.
      await dropped(name);
      await made({
        TableName: name,
        AttributeDefinitions: ['owner', 'label'].map(attribute),
        KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' as const }],
        GlobalSecondaryIndexes: [gsi('byLabel', 'label', { ProjectionType: 'ALL' })],
      });
      for (const attempt of [
        () => Note.query({ index: 'byLabel', partition: 'x' }),
        () => Note.create({ owner: 'o', id: 'b' }),
        () => Note.scan(),
      ])
        await expect(attempt()).rejects.toMatchObject({
          code: 'TABLE_MISMATCH',
          differences: ['partition key: table has owner (S), spec has id (S)'],
        });
    });

    it('an index refused is described again at each query through it: once rebuilt, it is read; while DescribeTable fails, a table never described is not read through an index (ThrottledError, nothing sent)', async () => {
      const rebuilt = {
        TableName: 'their_rebuilt',
        AttributeDefinitions: ['id', 'label'].map(attribute),
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
      };
      await made({
        ...rebuilt,
        GlobalSecondaryIndexes: [gsi('byLabel', 'label', { ProjectionType: 'KEYS_ONLY' })],
      });
      const { client, sent, describeTable } = recordingClient('ThrottlingException');
      const backend = createDynamoDbBackend({ client });
      const api = await loadApi(
        spec('their_rebuilt', { key: 'id' }, { byLabel: { key: 'label' } }),
        {
          backend,
        },
      );
      const Note = api.persistent<Record<string, unknown>>('Note');
      const unknown = await Note.query({ index: 'byLabel', partition: 'x' }).catch(
        (caught: unknown) => caught,
      );
      expect(unknown).toBeInstanceOf(ThrottledError);
      expect((unknown as Error).message).toContain('nothing was read through it');
      expect(sent).toEqual(['DescribeTableCommand']);
      expect((await Note.scan()).items).toEqual([]);
      describeTable.failing = undefined;
      await Note.create({ owner: 'o', id: 'a', label: 'x', count: 5 });
      for (let attempt = 0; attempt < 2; attempt++)
        await expect(Note.query({ index: 'byLabel', partition: 'x' })).rejects.toBeInstanceOf(
          TableMismatchError,
        );
      expect(sent.filter((command) => command === 'QueryCommand')).toEqual([]);
      // Made again with the whole item projected (dynalite cannot swap an index in place): the
      // next query through it is described again, and read.
      await dropped('their_rebuilt');
      await made({
        ...rebuilt,
        GlobalSecondaryIndexes: [gsi('byLabel', 'label', { ProjectionType: 'ALL' })],
      });
      await Note.create({ owner: 'o', id: 'a', label: 'x', count: 5 });
      expect((await Note.query({ index: 'byLabel', partition: 'x' })).items[0]?.count).toBe(5);
      const described = sent.filter((command) => command === 'DescribeTableCommand').length;
      await Note.query({ index: 'byLabel', partition: 'x' });
      expect(sent.filter((command) => command === 'DescribeTableCommand')).toHaveLength(described);
    });
  });
});
