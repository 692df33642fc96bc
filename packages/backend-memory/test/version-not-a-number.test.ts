import { InvalidRequestError, loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// An update the engine refuses for an operand's type is read back to see whether the version's
// own increment was refused (another client's "3" in it: P-24, the conformance suite) or the
// caller's change was: only the first is said to be the version's.

const spec = {
  openapi: '3.0.3',
  info: { title: 'version not a number', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id', version: 'revision' },
        properties: { id: { type: 'string' }, revision: { type: 'integer' } },
      },
    },
  },
};

it("an update refused for the caller's own add, at a version that is a number, is the engine's refusal, not the version's", async () => {
  const api = await loadApi(spec, { backend: createMemoryBackend() });
  const Note = api.persistent<Record<string, unknown>>('Note');
  // An undeclared property (the schema is open) holding text.
  await Note.create({ id: 'n1', count: 'x' });
  const refused = await Note.update('n1', { add: { count: 1 } }).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(InvalidRequestError);
  expect((refused as Error).message).toBe(
    'An operand in the update expression has an incorrect data type',
  );
  expect({ ...(await Note.load('n1')) }).toEqual({ id: 'n1', count: 'x', revision: 1 });
});
