import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Api,
  type ErrorDefinition,
  loadApi,
  MacaronError,
  type PersistentModelClass,
  type StorageBackend,
} from '@macaron/core';
import { expect } from 'vitest';

/** The spec of the catalogue: plain, composite-key, strict, versioned and odd-named models. */
export function createBadInputSpec(): Record<string, unknown> {
  const string = { type: 'string' };
  const integer = { type: 'integer' };
  return {
    openapi: '3.0.3',
    info: { title: 'Macaron bad-input catalogue', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'things', key: 'id' },
          properties: {
            id: string,
            label: string,
            count: integer,
            score: { type: 'number' },
            big: { type: 'integer', format: 'int64' },
            tags: { type: 'array', items: string },
            unique: { type: 'array', items: string, uniqueItems: true },
            blob: { type: 'string', format: 'binary' },
            meta: { type: 'object', additionalProperties: string },
            free: {},
          },
        },
        Pair: {
          type: 'object',
          required: ['p', 's'],
          'x-persist': { table: 'pairs', key: 'p', sort: 's' },
          properties: { p: string, s: integer, note: string },
        },
        Strict: {
          type: 'object',
          required: ['id'],
          additionalProperties: false,
          'x-persist': { table: 'stricts', key: 'id' },
          properties: { id: string, label: string },
        },
        Versioned: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'versioned', key: 'id', version: 'revision' },
          properties: { id: string, balance: integer, revision: integer },
        },
        // DynamoDB reserved words and names with `.`, `#`, `:` and spaces: valid, plain names.
        Odd: {
          type: 'object',
          required: ['name'],
          'x-persist': { table: 'odd', key: 'name' },
          properties: {
            name: string,
            status: string,
            size: integer,
            data: string,
            'a.b': string,
            'h#x': string,
            'c:d': string,
            'with space': string,
          },
        },
      },
    },
  };
}

type AnyModel = PersistentModelClass<Record<string, unknown>>;

/** What each case works with: the catalogue's API on fresh tables holding the seed items. */
export interface CatalogueContext {
  /** The loaded API. */
  api: Api;
  /** The models of the spec. */
  Thing: AnyModel;
  Pair: AnyModel;
  Strict: AnyModel;
  Versioned: AnyModel;
  Odd: AnyModel;
  /** The table prefix of this case. */
  prefix: string;
  /** The API again on the same tables, through the same backend, with other options. */
  reopen(options: { cursorSecret?: string }): Promise<Api>;
}

let counter = 0;

/** Loads the spec on fresh tables and writes the seed items every case starts from. */
export async function openCatalogue(backend: StorageBackend): Promise<CatalogueContext> {
  counter += 1;
  const prefix = `bi${counter}${Math.random().toString(36).slice(2, 8)}-`;
  const load = (cursorSecret?: string) =>
    loadApi(createBadInputSpec(), {
      backend,
      tablePrefix: prefix,
      ...(cursorSecret === undefined ? {} : { cursorSecret }),
    });
  const api = await load();
  const model = (name: string) => api.persistent(name) as AnyModel;
  const context: CatalogueContext = {
    api,
    Thing: model('Thing'),
    Pair: model('Pair'),
    Strict: model('Strict'),
    Versioned: model('Versioned'),
    Odd: model('Odd'),
    prefix,
    reopen: ({ cursorSecret }) => load(cursorSecret),
  };
  await backend.ensureTables?.(api.tables());
  await context.Thing.create({ id: 'seed', label: 'original', count: 1, tags: ['a'] });
  for (const s of [1, 2, 3, 4]) await context.Pair.create({ p: 'a', s, note: `n${s}` });
  await context.Pair.create({ p: 'b', s: 1 });
  await context.Strict.create({ id: 'strict', label: 'original' });
  await context.Versioned.create({ id: 'v', balance: 10 });
  await context.Odd.create({ name: 'odd', status: 'on' });
  return context;
}

/** Every item of every table of the catalogue, read raw with a Scan (sorted: scan order is the engine's). */
export async function snapshot(
  client: DynamoDBClient,
  api: Api,
): Promise<Record<string, string[]>> {
  const documents = DynamoDBDocumentClient.from(client, {
    unmarshallOptions: { wrapNumbers: true },
  });
  const result: Record<string, string[]> = {};
  for (const table of api.tables()) {
    const items: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: table.name,
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) items.push(stableJson(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    result[table.name] = items.sort();
  }
  return result;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_name, inner: unknown) => {
    if (inner instanceof Set) return { set: [...inner].map(String).sort() };
    if (inner instanceof Uint8Array) return { bytes: Buffer.from(inner).toString('base64') };
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const record = inner as Record<string, unknown>;
      if ('value' in record && Object.keys(record).length === 1) return String(record.value);
      return Object.fromEntries(
        Object.keys(record)
          .sort()
          .map((key) => [key, record[key]]),
      );
    }
    return inner;
  });
}

/** An error class with its stable code, as `MacaronError` subclasses declare it. */
export type TypedErrorClass = (abstract new (
  ...args: any[]
) => MacaronError) &
  Pick<ErrorDefinition, 'code'>;

/** Runs an attempt that must fail with exactly this class and its stable code. */
export async function expectTypedError(
  attempt: () => Promise<unknown> | unknown,
  type: TypedErrorClass,
): Promise<MacaronError> {
  let caught: unknown;
  let returned: unknown;
  let succeeded = false;
  try {
    returned = await attempt();
    succeeded = true;
  } catch (error) {
    caught = error;
  }
  expect(succeeded, `expected ${type.name}, but it succeeded with ${String(returned)}`).toBe(false);
  expect(caught).toBeInstanceOf(type);
  expect(MacaronError.isInstance(caught)).toBe(true);
  expect((caught as MacaronError).code).toBe(type.code);
  return caught as MacaronError;
}
