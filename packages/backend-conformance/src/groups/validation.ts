import { InvalidKeyError, InvalidRequestError, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { expectError, pointersOf } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { EverythingShape, NoteShape } from '../fixtures/fixture-models.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** P-11 to P-15 and P-84: validation before any write: values, numbers, strings, keys, item size. */
export function describeValidation(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('validation before writing', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    /** Saves an invalid Note and checks that the error lists the pointers and nothing landed. */
    async function expectInvalidNote(data: Record<string, unknown>, pointers: string[]) {
      const { models, stored } = fixture();
      const error = await expectError(
        new models.Note(data as Partial<NoteShape>).save(),
        ValidationError,
      );
      expect(pointersOf(error)).toEqual([...pointers].sort());
      expect(await stored(models.Note, { note_id: String(data.note_id) })).toBeUndefined();
      return error;
    }

    /** Saves an invalid Everything and checks the pointers and that nothing landed. */
    async function expectInvalidEverything(data: Record<string, unknown>, pointers: string[]) {
      const { models, stored } = fixture();
      const error = await expectError(
        new models.Everything({ id: 'e1', ...data } as Partial<EverythingShape>).save(),
        ValidationError,
      );
      expect(pointersOf(error)).toEqual([...pointers].sort());
      expect(await stored(models.Everything, { id: 'e1' })).toBeUndefined();
      return error;
    }

    it('[P-11] an invalid object is a ValidationError listing every problem with its pointer', async () => {
      const error = await expectInvalidNote(
        {
          note_id: 'n1',
          text: 5,
          count: 'many',
          details: { inner: { depth: 1.5 } },
          lines: [
            { sku: 'a', qty: 1 },
            { sku: 'b', qty: 'two' },
          ],
          meta: { colour: 3 },
        },
        ['/count', '/details/inner/depth', '/lines/1/qty', '/meta/colour', '/text'],
      );
      for (const problem of error.problems) {
        expect(typeof problem.keyword).toBe('string');
        expect(typeof problem.message).toBe('string');
      }
    });

    it('[P-105] a list of holes, however long, is a ValidationError at its first hole, found at once; nothing is written', async () => {
      const { models, stored } = fixture();
      const { Note } = models;
      // Costs nothing to make; walked hole by hole, each of these took minutes or the heap.
      const holes = () => new Array(2 ** 32 - 1);
      const holedLater = () => Object.assign(new Array(2 ** 32 - 1), { 0: 'a', 1: 'b' });
      await expectInvalidNote({ note_id: 'h1', text: 't', tags: holes() }, ['/tags/0']);
      await expectInvalidNote({ note_id: 'h1', text: 't', tags: holedLater() }, ['/tags/2']);
      await expectError(Note.create({ note_id: 'h1', text: 't', tags: holes() }), ValidationError);
      expect(() => Note.fromJSON({ note_id: 'h1', text: 't', tags: holes() })).toThrow(
        ValidationError,
      );
      await Note.create({ note_id: 'h2', text: 'kept' });
      for (const changes of [{ set: { tags: holes() } }, { append: { tags: holes() } }])
        await expectError(Note.update('h2', changes as never), ValidationError);
      expect(await stored(Note, { note_id: 'h2' })).toEqual({ note_id: 'h2', text: 'kept' });
    });

    it('[P-11] an invalid save over a stored item leaves the item unchanged', async () => {
      const { models, stored } = fixture();
      await models.Note.create({ note_id: 'n1', text: 'valid', count: 1 });
      const note = await models.Note.load('n1');
      (note as unknown as Record<string, unknown>).count = 'not a number';
      note.text = 'changed';
      const error = await expectError(note.save(), ValidationError);
      expect(pointersOf(error)).toEqual(['/count']);
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 'valid',
        count: 1,
      });
    });

    it('[P-11] create of an invalid object is a ValidationError and writes nothing', async () => {
      const { models, stored } = fixture();
      const invalid = { note_id: 'n1', text: 'x', tags: ['ok', 7] } as unknown as NoteShape;
      const error = await expectError(models.Note.create(invalid), ValidationError);
      expect(pointersOf(error)).toEqual(['/tags/1']);
      await expectError(new models.Note(invalid).create(), ValidationError);
      expect(await stored(models.Note, { note_id: 'n1' })).toBeUndefined();
    });

    it('[P-12] a missing required property is a problem with keyword required at its pointer', async () => {
      const error = await expectInvalidNote({ note_id: 'n1' }, ['/text']);
      expect(error.problems[0]?.keyword).toBe('required');
      const { models } = fixture();
      const keyless = await expectError(
        new models.Note({ text: 'no key' }).save(),
        ValidationError,
      );
      expect(keyless.problems.map((problem) => [problem.pointer, problem.keyword])).toEqual([
        ['/note_id', 'required'],
      ]);
    });

    it("[P-12] null where the schema does not allow it is left out (PyMacaron's rule)", async () => {
      const { models, stored } = fixture();
      await new models.Note({
        note_id: 'n1',
        text: 'x',
        count: null,
        details: { title: null },
      } as unknown as NoteShape).save();
      expect(await stored(models.Note, { note_id: 'n1' })).toEqual({
        note_id: 'n1',
        text: 'x',
        details: {},
      });
      await expectInvalidNote({ note_id: 'n2', text: null }, ['/text']);
    });

    it('[P-12] enum, format and integer range problems are reported at their pointers', async () => {
      await expectInvalidEverything(
        {
          color: 'purple',
          level: 4,
          day: '2024-02-30',
          moment: 'yesterday',
          email: 'not-an-email',
          uuid: 'not-a-uuid',
          small: 2 ** 31,
          big: 2n ** 63n,
        },
        ['/big', '/color', '/day', '/email', '/level', '/moment', '/small', '/uuid'],
      );
    });

    it('[P-13] NaN is a ValidationError and nothing is written', async () => {
      await expectInvalidNote({ note_id: 'n1', text: 'x', rating: Number.NaN }, ['/rating']);
      await expectInvalidEverything({ lines: [{ sku: 'a', qty: 1, price: Number.NaN }] }, [
        '/lines/0/price',
      ]);
    });

    it('[P-13] Infinity and -Infinity are ValidationErrors', async () => {
      await expectInvalidEverything(
        { precise: Number.POSITIVE_INFINITY, matrix: [[1], [Number.NEGATIVE_INFINITY]] },
        ['/matrix/1/0', '/precise'],
      );
    });

    it('[P-13] -0 is a ValidationError: its sign cannot be stored', async () => {
      await expectInvalidNote({ note_id: 'n1', text: 'x', rating: -0 }, ['/rating']);
    });

    it('[P-13] an integer beyond 2^53 given as a number is a ValidationError (use a bigint)', async () => {
      await expectInvalidEverything({ big: 2 ** 60, huge: 2 ** 53 + 2, precise: 1e20 }, [
        '/big',
        '/huge',
        '/precise',
      ]);
    });

    it('[P-13] magnitudes below 1e-130 and bigints of more than 38 significant digits are ValidationErrors', async () => {
      await expectInvalidEverything(
        { precise: 1e-131, huge: 10n ** 38n + 1n, matrix: [[-1e-200]] },
        ['/huge', '/matrix/0/0', '/precise'],
      );
    });

    it('[P-13] a Proxy around a Uint8Array or a Set (nothing inside: every read of it throws) is a ValidationError on a binary property, in a free value and in an update; nothing is written', async () => {
      const { models, stored } = fixture();
      const proxied = () => new Proxy(new Uint8Array([1, 2]), {});
      await expectInvalidNote(
        {
          note_id: 'n1',
          text: 'x',
          data: proxied(),
          undeclared: { deep: [proxied()], set: new Proxy(new Set(['a']), {}) },
        },
        ['/data', '/undeclared/deep/0', '/undeclared/set'],
      );
      await expectInvalidEverything({ blob: proxied() }, ['/blob']);
      await models.Note.create({ note_id: 'n2', text: 'x' });
      await expectError(
        models.Note.update({ note_id: 'n2' }, { set: { data: proxied() } }),
        ValidationError,
      );
      expect(await stored(models.Note, { note_id: 'n2' })).toEqual({ note_id: 'n2', text: 'x' });
    });

    it('[P-14] a string holding a lone surrogate is a ValidationError', async () => {
      await expectInvalidNote(
        { note_id: 'n1', text: 'broken \uD800 here', tags: ['ok', 'end\uD83D'] },
        ['/tags/1', '/text'],
      );
      await expectInvalidNote({ note_id: 'n2', text: 'x', details: { title: '\uDC00' } }, [
        '/details/title',
      ]);
    });

    it('[P-14] a map key holding a lone surrogate is a ValidationError', async () => {
      const { models, stored } = fixture();
      await expectError(
        new models.Note({ note_id: 'n1', text: 'x', meta: { 'key\uD800': 'value' } }).save(),
        ValidationError,
      );
      expect(await stored(models.Note, { note_id: 'n1' })).toBeUndefined();
    });

    it('[P-14] an attribute or map key named "" is an InvalidRequestError at any depth (DynamoDB refuses the name) and nothing is written', async () => {
      const { models, stored } = fixture();
      const { Note } = models;
      const error = await expectError(
        new Note({ note_id: 'n1', text: 'x', meta: { '': 'value', other: 'kept' } }).save(),
        InvalidRequestError,
      );
      expect(error.message).toContain('/meta/ is an empty name');
      expect(await stored(Note, { note_id: 'n1' })).toBeUndefined();
      await Note.create({ note_id: 'n2', text: 'x' });
      await expectError(Note.update('n2', { set: { meta: { '': 'v' } } }), InvalidRequestError);
      expect((await stored(Note, { note_id: 'n2' }))?.meta).toBeUndefined();
      // In a batch past one chunk, before any chunk is written: not a BatchIncompleteError.
      const notes = Array.from({ length: 30 }, (_, index) => ({
        note_id: `b${index}`,
        text: 'x',
        ...(index === 27 ? { meta: { '': 'v' } } : {}),
      }));
      const batch = await expectError(Note.saveMany(notes), InvalidRequestError);
      expect(batch.message).toContain('item 27');
      expect(await stored(Note, { note_id: 'b0' })).toBeUndefined();
    });

    it('[P-14] a name past 65,535 bytes is an InvalidRequestError at any depth (DynamoDB refuses it) and nothing is written; one at the limit is stored', async () => {
      const { models, stored } = fixture();
      const { Note } = models;
      const longest = 'n'.repeat(65_535);
      await new Note({ note_id: 'n1', text: 'x', meta: { [longest]: 'v' } }).save();
      expect(Object.keys((await stored(Note, { note_id: 'n1' }))?.meta as object)).toEqual([
        longest,
      ]);
      const error = await expectError(
        new Note({ note_id: 'n2', text: 'x', meta: { [`${longest}é`]: 'v' } }).save(),
        InvalidRequestError,
      );
      expect(error.message).toContain('longer than 65535 bytes');
      expect(await stored(Note, { note_id: 'n2' })).toBeUndefined();
      await expectError(
        Note.update('n1', { set: { meta: { [`${longest}n`]: 'v' } } }),
        InvalidRequestError,
      );
      await expectError(
        Note.saveMany([{ note_id: 'n3', text: 'x', meta: { [`${longest}n`]: 'v' } }]),
        InvalidRequestError,
      );
      expect(await stored(Note, { note_id: 'n3' })).toBeUndefined();
      // Measured in UTF-8: 21,846 characters of three bytes (U+4E2D) are 65,538 bytes.
      await expectError(
        new Note({ note_id: 'n4', text: 'x', meta: { ['\u4e2d'.repeat(21_846)]: 'v' } }).save(),
        InvalidRequestError,
      );
      expect(await stored(Note, { note_id: 'n4' })).toBeUndefined();
    });

    it('[P-84] an object whose key or index key value is empty is a ValidationError at its pointer', async () => {
      const { Note, Message, Tile } = fixture().models;
      const empty = [
        [Note.create({ note_id: '', text: 'x' }), '/note_id'],
        [Message.create({ channel: 'general', sent: '' }), '/sent'],
        [Tile.create({ layer: 'base', code: new Uint8Array(0) }), '/code'],
        [Message.create({ channel: 'general', sent: 'a', author: '', score: 1 }), '/author'],
        [Note.saveMany([{ note_id: '', text: 'x' }]), '/0/note_id'],
      ] as const;
      for (const [write, pointer] of empty) {
        const error = await expectError(write, ValidationError);
        expect(pointersOf(error)).toEqual([pointer]);
      }
      expect((await Note.scan()).items).toEqual([]);
      expect((await Message.scan()).items).toEqual([]);
      expect((await Tile.scan()).items).toEqual([]);
    });

    it("[P-84] key values beyond DynamoDB's limits (partition 2048 bytes, sort 1024 bytes) are refused", async () => {
      const { models, stored } = fixture();
      const { Note, Message } = models;
      const longest = { partition: 'é'.repeat(1024), sort: 'é'.repeat(512) };
      await Note.create({ note_id: longest.partition, text: 'at the limit' });
      await Message.create({ channel: longest.partition, sent: longest.sort });
      expect((await stored(Note, { note_id: longest.partition }))?.text).toBe('at the limit');
      expect(await Message.exists({ channel: longest.partition, sent: longest.sort })).toBe(true);
      const partition = await expectError(
        Note.create({ note_id: `${longest.partition}x`, text: 'too long' }),
        ValidationError,
      );
      expect(pointersOf(partition)).toEqual(['/note_id']);
      const sort = await expectError(
        Message.create({ channel: 'general', sent: `${longest.sort}x` }),
        ValidationError,
      );
      expect(pointersOf(sort)).toEqual(['/sent']);
      await expectError(Note.load(`${longest.partition}x`), InvalidKeyError);
      await expectError(
        Message.load({ channel: 'general', sent: `${longest.sort}x` }),
        InvalidKeyError,
      );
      expect((await Message.query({ partition: 'general' })).items).toEqual([]);
      // Three bytes a character (U+4E2D): 683 are 2,049 bytes, 342 are 1,026, though a UTF-16
      // count (683, 342) or two bytes a unit (1,366, 684) puts them within the limits.
      const wide = { partition: '\u4e2d'.repeat(683), sort: '\u4e2d'.repeat(342) };
      const widePartition = await expectError(
        Note.create({ note_id: wide.partition, text: 'too long' }),
        ValidationError,
      );
      expect(pointersOf(widePartition)).toEqual(['/note_id']);
      const wideSort = await expectError(
        Message.create({ channel: 'general', sent: wide.sort }),
        ValidationError,
      );
      expect(pointersOf(wideSort)).toEqual(['/sent']);
      await expectError(Note.load(wide.partition), InvalidKeyError);
      await expectError(Message.load({ channel: 'general', sent: wide.sort }), InvalidKeyError);
      expect((await Message.query({ partition: 'general' })).items).toEqual([]);
    });

    it('[P-15] an item larger than capabilities.maxItemBytes is a ValidationError', async () => {
      const { models, stored, backend } = fixture();
      const text = 'x'.repeat(backend.capabilities.maxItemBytes);
      const error = await expectError(
        new models.Note({ note_id: 'n1', text }).save(),
        ValidationError,
      );
      expect(error.problems.map((problem) => [problem.pointer, problem.keyword])).toEqual([
        ['', 'maxItemBytes'],
      ]);
      expect(await stored(models.Note, { note_id: 'n1' })).toBeUndefined();
    });

    it('[P-15] an item is measured in UTF-8 bytes: fewer characters than maxItemBytes, more bytes, is a ValidationError', async () => {
      const { models, stored, backend } = fixture();
      // Three bytes a character (U+4E2D): 0.35 of the limit in characters, 1.05 of it in bytes.
      const text = '\u4e2d'.repeat(Math.floor(backend.capabilities.maxItemBytes * 0.35));
      const error = await expectError(
        new models.Note({ note_id: 'n1', text }).save(),
        ValidationError,
      );
      expect(error.problems.map((problem) => [problem.pointer, problem.keyword])).toEqual([
        ['', 'maxItemBytes'],
      ]);
      expect(await stored(models.Note, { note_id: 'n1' })).toBeUndefined();
    });

    it.skipIf(options.engineDifferences?.includes('items-limited-to-405000-bytes') === true)(
      '[P-15] an item just under capabilities.maxItemBytes is stored and read back (skipped where the engine refuses items from 405,000 bytes)',
      async () => {
        const { models, stored, backend } = fixture();
        const text = 'y'.repeat(backend.capabilities.maxItemBytes - 1024);
        await new models.Note({ note_id: 'n1', text }).save();
        expect((await stored(models.Note, { note_id: 'n1' }))?.text).toBe(text);
        expect((await models.Note.load('n1')).text).toBe(text);
      },
    );
  });
}
