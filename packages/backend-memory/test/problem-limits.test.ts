import { loadApi, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// A modest request must not become a ValidationError of hundreds of thousands of problems
// (tens of MB once serialised or logged): saveMany stops at 1,000, as one value's
// validation does, and writes nothing.
const spec = {
  openapi: '3.0.3',
  info: { title: 'problem limits', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id', 'text'],
        'x-persist': { table: 'notes', key: 'id' },
        properties: { id: { type: 'string' }, text: { type: 'string' } },
      },
    },
  },
};

async function notes() {
  const backend = createMemoryBackend();
  const api = await loadApi(spec, { backend });
  await backend.ensureTables(api.tables());
  return api.persistent<{ id: string; text: string }>('Note');
}

describe('saveMany past 1,000 problems', () => {
  it('stops at 1,000 for 100,000 invalid objects, and writes none of them', async () => {
    const Note = await notes();
    const objects = Array.from({ length: 100_000 }, (_, index) => ({ id: `n${index}`, text: 1 }));
    const error = await Note.saveMany(objects as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    const { problems } = error as ValidationError;
    expect(problems.length).toBe(1000);
    expect(problems[0]).toMatchObject({ pointer: '/0/text', keyword: 'type' });
    expect(problems.at(-1)).toMatchObject({ pointer: '/999/text', keyword: 'type' });
    expect((await Note.scan({})).items).toEqual([]);
  });

  it('stops at 1,000 for values that are not objects', async () => {
    const Note = await notes();
    const error = await Note.saveMany(new Array(100_000).fill(7) as never).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.length).toBe(1000);
  });
});
