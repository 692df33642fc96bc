import {
  AlreadyExistsError,
  ConditionFailedError,
  InvalidKeyError,
  ItemNotFoundError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { expectError } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** P-1 to P-10: load, get, exists, create, save, delete, keys and conditional writes. */
export function describeCrud(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('items: load, get, exists, create, save, delete', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    it('[P-1] load returns an instance of the model class holding the stored attributes', async () => {
      const { Note } = fixture().models;
      await Note.create({ note_id: 'n1', text: 'hello', count: 3, tags: ['a', 'b'] });
      const note = await Note.load('n1');
      expect(note).toBeInstanceOf(Note);
      expect(note.toJSON()).toEqual({ note_id: 'n1', text: 'hello', count: 3, tags: ['a', 'b'] });
    });

    it('[P-1] load of a composite key returns the item with that partition and sort key', async () => {
      const { Message } = fixture().models;
      await Message.create({ channel: 'general', sent: '2024-01-01', body: 'first' });
      await Message.create({ channel: 'general', sent: '2024-01-02', body: 'second' });
      await Message.create({ channel: 'random', sent: '2024-01-01', body: 'elsewhere' });
      const message = await Message.load({ channel: 'general', sent: '2024-01-02' });
      expect(message.body).toBe('second');
      expect((await Message.load({ channel: 'random', sent: '2024-01-01' })).body).toBe(
        'elsewhere',
      );
    });

    it('[P-1] composite keys whose strings hold U+0000 name distinct items, never each other', async () => {
      const { Message } = fixture().models;
      // Joined with U+0000 without care, both keys would read `a␀sb␀sc`.
      const first = { channel: 'a\u0000sb', sent: 'c' };
      const second = { channel: 'a', sent: 'b\u0000sc' };
      await Message.create({ ...first, body: 'first' });
      await Message.create({ ...second, body: 'second' });
      expect((await Message.load(first)).body).toBe('first');
      expect((await Message.load(second)).body).toBe('second');
      await new Message({ ...second, body: 'second again' }).save();
      const [one, two] = await Message.getMany([first, second]);
      expect([one?.body, two?.body]).toEqual(['first', 'second again']);
      const firstPartition = await Message.query({ partition: first.channel });
      expect(firstPartition.items.map((message) => message.body)).toEqual(['first']);
      await Message.deleteMany([first, second]);
      expect(await Message.get(first)).toBeUndefined();
      expect(await Message.get(second)).toBeUndefined();
    });

    it('[P-1] keys equal under a collation are distinct items: é as U+00E9 and as e + U+0301, a and A', async () => {
      const { Note, Message } = fixture().models;
      // Canonically equivalent (NFC / NFD) and case-equal strings differ in their UTF-8 bytes,
      // so they name different items: a key compared under a collation would merge them.
      const ids = ['\u00e9', 'e\u0301', 'a', 'A'];
      for (const id of ids) await Note.create({ note_id: id, text: `text ${id}` });
      for (const id of ids) expect((await Note.load(id)).text, id).toBe(`text ${id}`);
      const scanned = await Note.scan({ consistent: true });
      expect(scanned.items.map((note) => note.note_id).sort()).toEqual([...ids].sort());
      // As partitions and as sort keys of a composite key too.
      for (const id of ids) {
        await Message.create({ channel: id, sent: 's', body: `partition ${id}` });
        await Message.create({ channel: 'c', sent: id, body: `sort ${id}` });
      }
      for (const id of ids) {
        const partition = await Message.query({ partition: id, consistent: true });
        expect(
          partition.items.map((message) => message.body),
          id,
        ).toEqual([`partition ${id}`]);
        expect((await Message.load({ channel: 'c', sent: id })).body, id).toBe(`sort ${id}`);
      }
      // In UTF-8 byte order: A (41) < a (61) < e + U+0301 (65 CC 81) < é (C3 A9).
      const sorted = await Message.query({ partition: 'c', consistent: true });
      expect(sorted.items.map((message) => message.sent)).toEqual(['A', 'a', 'e\u0301', '\u00e9']);
    });

    it('[P-2] load of a missing key throws ItemNotFoundError naming model, table and key', async () => {
      const { models, table, stored } = fixture();
      const error = await expectError(models.Note.load('missing'), ItemNotFoundError);
      expect(error.location).toEqual({
        model: 'Note',
        table: table('notes'),
        key: { note_id: 'missing' },
      });
      expect(await stored(models.Note, { note_id: 'missing' })).toBeUndefined();
    });

    it('[P-3] get returns undefined for a missing key and the object for a present one', async () => {
      const { Note } = fixture().models;
      expect(await Note.get('n1')).toBeUndefined();
      await Note.create({ note_id: 'n1', text: 'here' });
      const note = await Note.get('n1');
      expect(note).toBeInstanceOf(Note);
      expect(note?.text).toBe('here');
    });

    it('[P-3] exists answers true for a present key and false for a missing one', async () => {
      const { Note, Message } = fixture().models;
      await Note.create({ note_id: 'n1', text: 'here' });
      await Message.create({ channel: 'general', sent: 'a' });
      expect(await Note.exists('n1')).toBe(true);
      expect(await Note.exists('n2')).toBe(false);
      expect(await Message.exists({ channel: 'general', sent: 'a' })).toBe(true);
      expect(await Message.exists({ channel: 'general', sent: 'b' })).toBe(false);
      expect(await Message.exists({ channel: 'other', sent: 'a' })).toBe(false);
    });

    it('[P-3] strongly consistent reads see the latest write', async () => {
      const { Note, Message } = fixture().models;
      await Note.create({ note_id: 'n1', text: 'v1' });
      await Note.update('n1', { set: { text: 'v2' } });
      expect((await Note.load('n1', { consistent: true })).text).toBe('v2');
      expect((await Note.get('n1', { consistent: true }))?.text).toBe('v2');
      expect(await Note.exists('n1', { consistent: true })).toBe(true);
      expect((await Note.getMany(['n1'], { consistent: true }))[0]?.text).toBe('v2');
      await Message.create({ channel: 'general', sent: 'a' });
      const page = await Message.query({ partition: 'general', consistent: true });
      expect(page.items.map((item) => item.sent)).toEqual(['a']);
    });

    it('[P-4] save writes the object as plain attributes', async () => {
      const { models, stored } = fixture();
      const note = new models.Note({ note_id: 'n1', text: 'saved', rating: 4.5, done: false });
      expect(await note.save()).toBe(note);
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 'saved',
        rating: 4.5,
        done: false,
      });
    });

    it('[P-4] save replaces the whole item: attributes the object lacks are removed', async () => {
      const { models, stored } = fixture();
      await models.Note.create({ note_id: 'n1', text: 'full', count: 2, tags: ['x'] });
      await new models.Note({ note_id: 'n1', text: 'slim' }).save();
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({ note_id: 'n1', text: 'slim' });
    });

    it('[P-4] save of a loaded and changed object stores the change', async () => {
      const { models, stored } = fixture();
      await models.Note.create({ note_id: 'n1', text: 'before', count: 1 });
      const note = await models.Note.load('n1');
      note.text = 'after';
      note.count = 2;
      await note.save();
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 'after',
        count: 2,
      });
    });

    it('[P-5] create writes a new item, as an instance method and as a static one', async () => {
      const { models, stored } = fixture();
      const created = await models.Note.create({ note_id: 'n1', text: 'static' });
      expect(created).toBeInstanceOf(models.Note);
      expect(await new models.Note({ note_id: 'n2', text: 'instance' }).create()).toBeInstanceOf(
        models.Note,
      );
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 'static',
      });
      expect(await stored(models.Note, { note_id: 'n2' })).toEqual({
        note_id: 'n2',
        text: 'instance',
      });
    });

    it('[P-5] create on a taken key throws AlreadyExistsError and leaves the item unchanged', async () => {
      const { models, stored, table } = fixture();
      await models.Note.create({ note_id: 'n1', text: 'first' });
      const error = await expectError(
        models.Note.create({ note_id: 'n1', text: 'second' }),
        AlreadyExistsError,
      );
      expect(error.location).toEqual({
        model: 'Note',
        table: table('notes'),
        key: { note_id: 'n1' },
      });
      await expectError(
        new models.Note({ note_id: 'n1', text: 'third' }).create(),
        AlreadyExistsError,
      );
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 'first',
      });
    });

    it('[P-5] create under the same partition with another sort key is a new item', async () => {
      const { models, stored } = fixture();
      await models.Message.create({ channel: 'general', sent: 'a', body: 'one' });
      await models.Message.create({ channel: 'general', sent: 'b', body: 'two' });
      expect(await stored(models.Message, { channel: 'general', sent: 'a' })).toEqual({
        channel: 'general',
        sent: 'a',
        body: 'one',
      });
      expect(await stored(models.Message, { channel: 'general', sent: 'b' })).toEqual({
        channel: 'general',
        sent: 'b',
        body: 'two',
      });
    });

    it('[P-6] delete removes the item and returns true; false when there was none', async () => {
      const { models, stored } = fixture();
      await models.Note.create({ note_id: 'n1', text: 'x' });
      const note = await models.Note.create({ note_id: 'n2', text: 'y' });
      expect(await models.Note.delete('n1')).toBe(true);
      expect(await stored(models.Note, { note_id: 'n1' })).toBeUndefined();
      expect(await models.Note.delete('n1')).toBe(false);
      expect(await note.delete()).toBe(true);
      expect(await stored(models.Note, { note_id: 'n2' })).toBeUndefined();
      expect(await note.delete()).toBe(false);
    });

    it('[P-7] a key is the partition value alone or the key attributes by name', async () => {
      const { Note, Reading, Tile } = fixture().models;
      await Note.create({ note_id: 'n1', text: 'x' });
      expect((await Note.load('n1')).text).toBe('x');
      expect((await Note.load({ note_id: 'n1' })).text).toBe('x');
      await Reading.create({ sensor: 's1', at: -2.5, value: 1 });
      expect((await Reading.load({ sensor: 's1', at: -2.5 })).value).toBe(1);
      const code = new Uint8Array([0, 255, 7]);
      await Tile.create({ layer: 'base', code, label: 'bytes' });
      expect((await Tile.load({ layer: 'base', code: new Uint8Array([0, 255, 7]) })).label).toBe(
        'bytes',
      );
    });

    // A typed class's key may name the model's other properties as undefined (its type reads
    // `?: never` so without exactOptionalPropertyTypes), and core's untyped KeyInput takes them.
    it("[P-7] a key object's other properties left undefined are absent: every call that takes a key reads, writes and deletes the item under the key alone", async () => {
      const { models, stored } = fixture();
      const { Note, Message } = models;
      await Note.create({ note_id: 'n1', text: 'x', count: 1 });
      await Note.create({ note_id: 'n2', text: 'y' });
      const n1 = { note_id: 'n1', text: undefined, count: undefined };
      const n2 = { note_id: 'n2', other: undefined };
      expect((await Note.load(n1)).text).toBe('x');
      expect((await Note.get(n2))?.text).toBe('y');
      expect(await Note.exists(n1)).toBe(true);
      expect((await Note.update(n1, { add: { count: 1 } })).count).toBe(2);
      expect(
        (await Note.getMany([n1, n2, { note_id: 'n3', text: undefined }])).map(
          (note) => note?.text,
        ),
      ).toEqual(['x', 'y', undefined]);
      expect((await Note.loadMany([n2, n1])).map((note) => note.text)).toEqual(['y', 'x']);
      expect(await Note.delete(n1)).toBe(true);
      expect(await stored(Note, { note_id: 'n1' })).toBeUndefined();
      await Note.deleteMany([n2]);
      expect(await stored(Note, { note_id: 'n2' })).toBeUndefined();
      // A key attribute left undefined is missing, not another key.
      await Message.create({ channel: 'c', sent: 's', body: 'b' });
      await expectError(() => Message.load({ channel: 'c', sent: undefined }), InvalidKeyError);
      await expectError(() => Message.delete({ channel: 'c', sent: undefined }), InvalidKeyError);
      await expectError(
        () => Message.deleteMany([{ channel: 'c', sent: undefined }]),
        InvalidKeyError,
      );
      expect(await stored(Message, { channel: 'c', sent: 's' })).toEqual({
        channel: 'c',
        sent: 's',
        body: 'b',
      });
    });

    it('[P-7] a missing, extra, empty or wrongly typed key attribute throws InvalidKeyError', async () => {
      const { models, stored } = fixture();
      const { Note, Message, Reading, Tile } = models;
      await Note.create({ note_id: 'n1', text: 'x' });
      await expectError(() => Message.load('general'), InvalidKeyError);
      await expectError(() => Message.load({ channel: 'general' }), InvalidKeyError);
      await expectError(() => Note.load({ note_id: 'n1', other: 'y' }), InvalidKeyError);
      await expectError(() => Note.load(''), InvalidKeyError);
      await expectError(() => Note.load(5), InvalidKeyError);
      await expectError(() => Reading.load({ sensor: 's', at: '3' }), InvalidKeyError);
      await expectError(() => Reading.load({ sensor: 's', at: 2 ** 60 }), InvalidKeyError);
      await expectError(() => Tile.load({ layer: 'l', code: 'AAE=' }), InvalidKeyError);
      await expectError(() => Note.delete({ note_id: 'n1', text: 'x' }), InvalidKeyError);
      expect(await stored(Note, { note_id: 'n1' })).toEqual({ note_id: 'n1', text: 'x' });
    });

    it('[P-8] save with a condition writes only when it holds, else ConditionFailedError', async () => {
      const { models, stored } = fixture();
      await models.Note.create({ note_id: 'n1', text: 'v1', count: 1 });
      const note = await models.Note.load('n1');
      note.text = 'v2';
      await note.save({ condition: { attr: 'count', eq: 1 } });
      expect((await stored(models.Note, { note_id: 'n1' }))?.text).toBe('v2');
      note.text = 'v3';
      await expectError(note.save({ condition: { attr: 'count', eq: 2 } }), ConditionFailedError);
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 'v2',
        count: 1,
      });
    });

    it('[P-8] on a missing item comparisons fail and exists: false holds', async () => {
      const { models, stored } = fixture();
      const note = new models.Note({ note_id: 'n1', text: 'new' });
      await expectError(
        note.save({ condition: { attr: 'text', eq: 'new' } }),
        ConditionFailedError,
      );
      expect(await stored(models.Note, { note_id: 'n1' })).toBeUndefined();
      await note.save({ condition: { attr: 'note_id', exists: false } });
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({ note_id: 'n1', text: 'new' });
    });

    it('[P-8] delete with a condition deletes only when it holds, else ConditionFailedError', async () => {
      const { models, stored } = fixture();
      await models.Note.create({ note_id: 'n1', text: 'keep', count: 1 });
      await expectError(
        models.Note.delete('n1', { condition: { attr: 'count', gt: 1 } }),
        ConditionFailedError,
      );
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 'keep',
        count: 1,
      });
      expect(await models.Note.delete('n1', { condition: { attr: 'count', eq: 1 } })).toBe(true);
      expect(await stored(models.Note, { note_id: 'n1' })).toBeUndefined();
    });

    it("[P-9] PyMacaron's x-persist form stores in the table and key given in code", async () => {
      const { models, stored, table } = fixture();
      expect(models.Profile.descriptor.table.name).toBe(table('profiles'));
      await models.Profile.create({ profile_id: 'p1', name: 'Ann', view_count: 0 });
      expect(await stored(models.Profile, { profile_id: 'p1' })).toEqual({
        profile_id: 'p1',
        name: 'Ann',
        view_count: 0,
      });
      expect((await models.Profile.load('p1')).name).toBe('Ann');
    });

    it('[P-10] an item written by another client as plain attributes loads and saves unchanged', async () => {
      const { models, seed, stored } = fixture();
      const { Profile } = models;
      await seed(Profile, { profile_id: 'p1', name: 'Ann', view_count: 7 });
      // The seed example of the design: exists, load, change, save.
      expect(await Profile.exists('p1')).toBe(true);
      const profile = await Profile.load('p1');
      expect(profile.toJSON()).toEqual({ profile_id: 'p1', name: 'Ann', view_count: 7 });
      profile.view_count = (profile.view_count ?? 0) + 1;
      await profile.save();
      expect(await stored(Profile, { profile_id: 'p1' })).toEqual({
        profile_id: 'p1',
        name: 'Ann',
        view_count: 8,
      });
    });

    it('[P-10] attributes the schema does not declare are kept when loading', async () => {
      const { models, seed } = fixture();
      await seed(models.Profile, {
        profile_id: 'p1',
        name: 'Ann',
        legacy_flag: true,
        legacy_scores: [1, 2],
      });
      const profile = (await models.Profile.load('p1')) as unknown as Record<string, unknown>;
      expect(profile.legacy_flag).toBe(true);
      expect(profile.legacy_scores).toEqual([1, 2]);
    });
  });
}
