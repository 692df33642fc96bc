import { describe, expect, it } from 'vitest';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { NoteShape } from '../fixtures/fixture-models.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** A note with nested objects, lists, a list of objects, a map and bytes. */
function deepNote(note_id = 'n1'): NoteShape {
  return {
    note_id,
    text: 'original',
    tags: ['a', 'b'],
    data: new Uint8Array([1, 2, 3]),
    details: { title: 'T', inner: { depth: 1, labels: ['x'] } },
    lines: [{ sku: 'A', qty: 1 }],
    meta: { k: 'v' },
  };
}

/** Changes every nested part of a note in place. */
function mutate(note: NoteShape): void {
  note.text = 'mutated';
  note.tags?.push('c');
  if (note.data) note.data[0] = 99;
  if (note.details?.inner) {
    note.details.inner.depth = 42;
    note.details.inner.labels?.push('y');
  }
  if (note.lines?.[0]) note.lines[0].qty = 1000;
  if (note.meta) note.meta.k = 'changed';
}

/** P-73 to P-75: reads and writes never alias the stored item. */
export function describeAliasing(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('no aliasing between objects and the store', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    const storedNote = (note_id = 'n1') => fixture().stored(fixture().models.Note, { note_id });

    it('[P-73] changing a loaded object, deep inside too, does not change the store', async () => {
      const { Note } = fixture().models;
      await Note.create(deepNote());
      const loaded = await Note.load('n1');
      mutate(loaded);
      expect(await storedNote()).toEqual(deepNote());
      expect((await Note.load('n1')).toJSON()).toEqual(new Note(deepNote()).toJSON());
    });

    it('[P-73] changing the sets of a loaded object (strings, numbers, bytes), their binary members or values deeper than three levels does not change the store', async () => {
      const { Note } = fixture().models;
      // Sets as another client stores them (P-90): loaded objects hold them as Sets.
      const item = () => ({
        note_id: 's1',
        text: 't',
        tags: new Set(['a', 'b']),
        scores: new Set([1, 2n ** 70n]),
        blobs: new Set([new Uint8Array([1, 2]), new Uint8Array([3])]),
        deep: { a: { b: { c: { d: { e: ['x', { f: 'g' }] } } } } },
      });
      await fixture().seed(Note, item());
      const loaded = (await Note.load('s1')) as unknown as ReturnType<typeof item>;
      loaded.tags.add('injected');
      loaded.scores.delete(1);
      for (const member of loaded.blobs) member[0] = 99;
      loaded.blobs.add(new Uint8Array([9]));
      (loaded.deep.a.b.c.d.e[1] as { f: string }).f = 'changed';
      loaded.deep.a.b.c.d.e.push('y');
      expect(await storedNote('s1')).toEqual(item());
      expect((await Note.load('s1')).toJSON()).toEqual(new Note(item() as never).toJSON());
    });

    it('[P-74] changing an object after save or create does not change the store', async () => {
      const { Note } = fixture().models;
      const saved = new Note(deepNote());
      await saved.save();
      mutate(saved);
      expect(await storedNote()).toEqual(deepNote());
      const created = await Note.create(deepNote('n2'));
      mutate(created);
      expect(await storedNote('n2')).toEqual(deepNote('n2'));
    });

    it('[P-74] changing the data given to create or to the constructor does not change the store', async () => {
      const { Note } = fixture().models;
      const data = deepNote();
      await Note.create(data);
      mutate(data);
      expect(await storedNote()).toEqual(deepNote());
      const input = deepNote('n2');
      const object = new Note(input);
      mutate(input);
      await object.save();
      expect(await storedNote('n2')).toEqual(deepNote('n2'));
    });

    it('[P-75] two loads give independent objects', async () => {
      const { Note } = fixture().models;
      await Note.create(deepNote());
      const first = await Note.load('n1');
      const second = await Note.load('n1');
      expect(first).not.toBe(second);
      mutate(first);
      expect(second.toJSON()).toEqual(new Note(deepNote()).toJSON());
    });

    it('[P-75] changing query, scan and getMany results does not change the store or later reads', async () => {
      const { Note, Message } = fixture().models;
      await Note.create(deepNote());
      await Message.create({ channel: 'general', sent: 'a', body: 'stored' });
      const queried = await Message.query({ partition: 'general' });
      for (const item of queried.items) item.body = 'mutated';
      const scanned = await Note.scan();
      for (const item of scanned.items) mutate(item);
      const [one, two] = await Note.getMany(['n1', 'n1']);
      expect(one).not.toBe(two);
      if (one) mutate(one);
      expect(two?.toJSON()).toEqual(new Note(deepNote()).toJSON());
      expect(await storedNote()).toEqual(deepNote());
      expect((await Message.query({ partition: 'general' })).items[0]?.body).toBe('stored');
    });

    it('[P-75] changing the object returned by update does not change the store', async () => {
      const { Note } = fixture().models;
      await Note.create(deepNote());
      const updated = await Note.update('n1', { set: { text: 'updated' } });
      mutate(updated);
      expect(await storedNote()).toEqual({ ...deepNote(), text: 'updated' });
    });
  });
}
