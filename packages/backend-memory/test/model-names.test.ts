import { loadApi, type MacaronError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// A schema's name is the spec's: Swagger 2.0 allows any, and loadApi takes an OpenAPI 3 name
// as written. The messages that name a model show it escaped (P-88), as SpecError's do.
const name = 'No\nte\u202e';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
const unsafe = /[\u0000-\u001f\u202e]/u;

async function notes() {
  const backend = createMemoryBackend();
  const api = await loadApi(
    {
      openapi: '3.0.3',
      info: { title: 'model names', version: '1' },
      paths: {},
      components: {
        schemas: {
          [name]: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'notes', key: 'id', version: 'rev' },
            properties: {
              id: { type: 'string' },
              rev: { type: 'integer' },
              n: { type: 'integer', maximum: 3 },
            },
          },
        },
      },
    },
    { backend },
  );
  await backend.ensureTables(api.tables());
  return api.persistent<{ id: string; rev?: number; n?: number }>(name);
}

const failure = (attempt: () => unknown) =>
  Promise.resolve()
    .then(attempt)
    .then(
      () => undefined,
      (caught: unknown) => caught as MacaronError,
    );

describe('[P-88] a model name in messages', () => {
  it('is escaped in the errors of its objects and calls, and kept exactly in their data', async () => {
    const Note = await notes();
    await Note.create({ id: 'a', n: 1 });
    const errors = [
      await failure(() => Note.load('missing')),
      await failure(() => Note.create({ id: 'a' })),
      await failure(() => Note.create({ id: 'b', n: 1.5 })),
      await failure(() => Note.load({ id: 'a', other: 1 })),
      await failure(() => Note.load(1)),
      await failure(() => Note.saveMany([{ id: 'c' }])),
      await failure(() => Note.update('a', { add: { n: 5 } })),
      await failure(() => Note.update('a', { set: { n: 'x' as unknown as number } })),
      await failure(() => Note.query({ partition: 'a', index: 'byNothing' })),
      await failure(async () => {
        const first = await Note.load('a');
        const second = await Note.load('a');
        await first.save();
        await second.save();
      }),
      await failure(async () => {
        const loaded = await Note.load('a');
        loaded.id = 'moved';
        await loaded.save();
      }),
      await failure(() => new Note(1 as unknown as { id: string })),
      await failure(() => Note.fromJSON({ id: 1 })),
    ];
    const messages = errors.map((error) => error?.message ?? 'no error');
    expect(messages).not.toContain('no error');
    expect(messages.filter((message) => unsafe.test(message))).toEqual([]);
    expect(messages[0]).toContain('"No\\nte\\u202e"');
    expect(errors[0]).toMatchObject({ code: 'ITEM_NOT_FOUND', location: { model: name } });
  });
});
