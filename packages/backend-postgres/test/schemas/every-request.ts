import type { Api } from '@macaron/core';
import { expect } from 'vitest';

/** A spec of one table `notes` (with an index), as the schema tests use it. */
export const notesSpec = {
  openapi: '3.0.3',
  info: { title: 'schema-qualified', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['owner', 'id'],
        'x-persist': {
          table: 'notes',
          key: 'owner',
          sort: 'id',
          indexes: { byTag: { key: 'tag', sort: 'id' } },
        },
        properties: {
          owner: { type: 'string' },
          id: { type: 'string' },
          tag: { type: 'string' },
          count: { type: 'integer' },
        },
      },
    },
  },
};
export type Note = { owner: string; id: string; tag?: string; count?: number };

/**
 * Every kind of request on `notes` under partition `owner`, each checked against what the ones
 * before wrote: `seen` is the item saved before this runs (`{ owner, id: 'seen' }`), which a
 * read of another schema's table would find absent.
 */
export async function everyRequest(api: Api, owner: string): Promise<void> {
  const Note = api.persistent<Note>('Note');
  expect((await Note.load({ owner, id: 'seen' })).count).toBe(1);
  await Note.create({ owner, id: 'a', tag: `t-${owner}`, count: 1 });
  const updated = await Note.update({ owner, id: 'a' }, { add: { count: 2 } });
  expect(updated.count).toBe(3);
  await Note.saveMany([
    { owner, id: 'b', tag: `t-${owner}` },
    { owner, id: 'c', tag: `t-${owner}` },
  ]);
  expect(
    (
      await Note.getMany([
        { owner, id: 'b' },
        { owner, id: 'z' },
      ])
    ).map((note) => note?.id),
  ).toEqual(['b', undefined]);
  await api.transaction((t) => {
    t.delete(Note, { owner, id: 'b' });
    t.update(Note, { owner, id: 'c' }, { set: { count: 9 } });
  });
  expect(
    (await Note.query({ partition: owner })).items.map((note) => [note.id, note.count ?? null]),
  ).toEqual([
    ['a', 3],
    ['c', 9],
    ['seen', 1],
  ]);
  expect(
    (await Note.query({ index: 'byTag', partition: `t-${owner}` })).items.map((note) => note.id),
  ).toEqual(['a', 'c']);
  expect((await Note.scan()).items.filter((note) => note.owner === owner)).toHaveLength(3);
  await Note.delete({ owner, id: 'a' });
  expect(await Note.exists({ owner, id: 'a' })).toBe(false);
}
