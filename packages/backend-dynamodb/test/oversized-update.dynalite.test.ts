import { loadApi, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';

// An update whose own values pass the 400 KB item limit can only leave an item above it: it is
// refused before anything is sent, with the error and message every backend gives (P-15). It
// went to DynamoDB, whose refusal said it otherwise, one round trip later.

const spec = {
  openapi: '3.0.3',
  info: { title: 'oversized update', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id' },
        properties: { id: { type: 'string' }, text: { type: 'string' }, more: { type: 'string' } },
      },
    },
  },
};

type Note = { id: string; text?: string; more?: string };

const limit = 400 * 1024;

async function failureOf(attempt: Promise<unknown>): Promise<unknown> {
  return attempt.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('an update whose own values pass the item limit (dynalite)', () => {
  const local = useLocalEngine();

  it('is refused before it is sent, through update() and backend.updateItem, as on the other backends', async () => {
    const client = local().newClient();
    const sent: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'countSent' },
    );
    const backend = createDynamoDbBackend({ client });
    const api = await loadApi(spec, { backend, tablePrefix: 'oversized-' });
    await backend.ensureTables(api.tables());
    const Note = api.persistent<Note>('Note');
    await Note.create({ id: 'a', text: 'short' });
    sent.length = 0;
    const half = 'x'.repeat(limit / 2);
    const error = await failureOf(Note.update('a', { set: { text: half, more: half } }));
    expect(error).toBeInstanceOf(ValidationError);
    // The message the memory backend's test (update-requests.test.ts) sees, word for word.
    expect((error as Error).message).toBe(
      `Invalid update of Note: / would be at least ${limit + 11} bytes, above the ${limit}-byte item limit`,
    );
    const direct = await failureOf(
      backend.updateItem({
        model: Note.descriptor,
        key: { id: 'a' },
        operations: [
          { action: 'set', path: 'text', value: half },
          { action: 'set', path: ['m', 'k'], value: half },
        ],
      }),
    );
    expect(direct).toBeInstanceOf(ValidationError);
    expect((direct as Error).message).toBe(
      `Update: item too large: / would be at least ${2 + 1 + 4 + 1 + limit} bytes, above the ${limit}-byte item limit`,
    );
    expect(sent).toEqual([]);
    expect((await Note.get('a'))?.toJSON()).toEqual({ id: 'a', text: 'short' });
  });

  it('is held to a lowered capabilities.maxItemBytes before it is sent; an update growing an item past it goes to the engine (P-15)', async () => {
    const client = local().newClient();
    const sent: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'countSent' },
    );
    const lowered = 1000;
    const backend = createDynamoDbBackend({ client, capabilities: { maxItemBytes: lowered } });
    const api = await loadApi(spec, { backend, tablePrefix: 'oversized-lowered-' });
    await backend.ensureTables(api.tables());
    const Note = api.persistent<Note>('Note');
    await Note.create({ id: 'a', text: 'x'.repeat(600) });
    sent.length = 0;
    // "id" + "a" and "more": 7 bytes beside the value, 1001 in all.
    const error = await failureOf(Note.update('a', { set: { more: 'y'.repeat(lowered - 6) } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(
      `Invalid update of Note: / would be at least ${lowered + 1} bytes, above the ${lowered}-byte item limit`,
    );
    const direct = await failureOf(
      backend.transactWrite([
        {
          kind: 'update',
          model: Note.descriptor,
          key: { id: 'a' },
          operations: [{ action: 'set', path: 'more', value: 'y'.repeat(lowered - 6) }],
        },
      ]),
    );
    expect((direct as Error).message).toBe(
      `Update: item too large: / would be at least ${lowered + 1} bytes, above the ${lowered}-byte item limit`,
    );
    expect(sent).toEqual([]);
    // Values that fit on their own, leaving an item past the lowered limit: the engine's to
    // hold (updates-held-to-the-engine-item-limit), and it takes them.
    await Note.update('a', { set: { more: 'y'.repeat(600) } });
    expect((await Note.get('a'))?.toJSON()).toEqual({
      id: 'a',
      text: 'x'.repeat(600),
      more: 'y'.repeat(600),
    });
  });
});
