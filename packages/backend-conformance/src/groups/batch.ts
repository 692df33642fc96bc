import {
  BackendError,
  BatchIncompleteError,
  InvalidRequestError,
  ItemNotFoundError,
  type UnprocessedEntry,
  ValidationError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { expectError, pointersOf } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import type { NoteShape } from '../fixtures/fixture-models.js';
import { createFlakyBackend, entryKey } from '../fixtures/flaky-backend.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** Notes `b000`, `b001`, … */
function notes(count: number): NoteShape[] {
  return Array.from({ length: count }, (_, index) => ({
    note_id: `b${String(index).padStart(3, '0')}`,
    text: `note ${index}`,
    count: index,
  }));
}

/** Sortable descriptions of unprocessed entries, for exact comparison. */
function describeEntries(entries: readonly UnprocessedEntry[]): string[] {
  return entries
    .map((entry) => `${entry.action} ${entry.model} ${entry.table} ${JSON.stringify(entry.key)}`)
    .sort();
}

/** P-61 to P-67: batches keep the caller's order, chunk, retry and report what was not done. */
export function describeBatches(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('batches', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    /** The notes of `ids` as stored, read raw. */
    async function storedNotes(ids: readonly string[]) {
      const { models, stored } = fixture();
      return Promise.all(ids.map((note_id) => stored(models.Note, { note_id })));
    }

    it("[P-61] getMany keeps the caller's order, repeats duplicates and gives undefined for missing keys", async () => {
      const { Note } = fixture().models;
      await Promise.all(notes(3).map((note) => Note.create(note)));
      const found = await Note.getMany(['b002', 'missing', 'b000', 'b002', { note_id: 'b001' }]);
      expect(found.map((note) => note?.note_id)).toEqual([
        'b002',
        undefined,
        'b000',
        'b002',
        'b001',
      ]);
      expect(found[0]).toBeInstanceOf(Note);
      expect(found[0]?.toJSON()).toEqual({ note_id: 'b002', text: 'note 2', count: 2 });
      expect(await Note.getMany([])).toEqual([]);
    });

    it("[P-61] loadMany keeps the caller's order, with composite keys too", async () => {
      const { Message } = fixture().models;
      await Promise.all(
        ['a', 'b', 'c'].map((sent) => Message.create({ channel: 'general', sent, body: sent })),
      );
      await Message.create({ channel: 'other', sent: 'a', body: 'other a' });
      const loaded = await Message.loadMany([
        { channel: 'other', sent: 'a' },
        { channel: 'general', sent: 'c' },
        { channel: 'general', sent: 'a' },
      ]);
      expect(loaded.map((message) => message.body)).toEqual(['other a', 'c', 'a']);
    });

    it('[P-61] loadMany of a missing key throws ItemNotFoundError naming the first missing key', async () => {
      const { models, table } = fixture();
      await models.Note.create({ note_id: 'b000', text: 'here' });
      const error = await expectError(
        models.Note.loadMany(['b000', 'gone1', 'gone2']),
        ItemNotFoundError,
      );
      expect(error.location).toEqual({
        model: 'Note',
        table: table('notes'),
        key: { note_id: 'gone1' },
      });
    });

    it('[P-62] getMany of more keys than maxBatchGet reads them all, in order', async () => {
      const { models, backend } = fixture();
      const count = backend.capabilities.maxBatchGet + 7;
      const all = notes(count);
      await models.Note.saveMany(all);
      const ids = all.map((note) => note.note_id).reverse();
      const found = await models.Note.getMany(ids);
      expect(found.map((note) => note?.note_id)).toEqual(ids);
    });

    it('[P-63] saveMany of 3 * maxBatchWrite + 7 items writes every one', async () => {
      const { models, backend } = fixture();
      const all = notes(3 * backend.capabilities.maxBatchWrite + 7);
      await models.Note.saveMany(all);
      expect(await storedNotes(all.map((note) => note.note_id))).toEqual(all);
    });

    it('[P-63] deleteMany of 3 * maxBatchWrite + 7 keys deletes every one; missing keys are fine', async () => {
      const { models, backend } = fixture();
      const all = notes(3 * backend.capabilities.maxBatchWrite + 7);
      await models.Note.saveMany(all);
      await models.Note.create({ note_id: 'keep', text: 'not in the batch' });
      const ids = all.map((note) => note.note_id);
      await models.Note.deleteMany([...ids, 'never-existed']);
      expect((await storedNotes(ids)).filter((item) => item !== undefined)).toEqual([]);
      expect(await storedNotes(['keep'])).toEqual([{ note_id: 'keep', text: 'not in the batch' }]);
    });

    it('[P-63] saveMany replaces whole items; empty batches do nothing', async () => {
      const { models } = fixture();
      await models.Note.create({ note_id: 'b000', text: 'old', tags: ['x'] });
      await models.Note.saveMany([{ note_id: 'b000', text: 'new' }]);
      expect(await storedNotes(['b000'])).toEqual([{ note_id: 'b000', text: 'new' }]);
      await models.Note.saveMany([]);
      await models.Note.deleteMany([]);
      expect(await storedNotes(['b000'])).toEqual([{ note_id: 'b000', text: 'new' }]);
    });

    it('[P-64] duplicate keys in one batch are an InvalidRequestError and nothing is written', async () => {
      const { models } = fixture();
      const batch = [...notes(3), { note_id: 'b001', text: 'again' }];
      await expectError(models.Note.saveMany(batch), InvalidRequestError);
      expect(await storedNotes(['b000', 'b001', 'b002'])).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      await models.Note.saveMany(notes(2));
      await expectError(models.Note.deleteMany(['b000', 'b001', 'b000']), InvalidRequestError);
      expect(await storedNotes(['b000', 'b001'])).toEqual(notes(2));
    });

    it('[P-64] one invalid item is a ValidationError pointing into it, and nothing is written', async () => {
      const { models } = fixture();
      const batch: NoteShape[] = notes(6);
      (batch[4] as unknown as Record<string, unknown>).count = 'four';
      const error = await expectError(models.Note.saveMany(batch), ValidationError);
      expect(pointersOf(error)).toEqual(['/4/count']);
      expect((await storedNotes(batch.map((note) => note.note_id))).filter(Boolean)).toEqual([]);
    });

    it('[P-64] an entry that is not an object is a ValidationError at its index, and nothing is written', async () => {
      const { models } = fixture();
      const batch = notes(3);
      for (const entry of [null, undefined, 5, 'note']) {
        const error = await expectError(
          models.Note.saveMany([batch[0]!, entry as never, batch[2]!]),
          ValidationError,
        );
        expect(pointersOf(error)).toEqual(['/1']);
      }
      expect((await storedNotes(batch.map((note) => note.note_id))).filter(Boolean)).toEqual([]);
    });

    it('[P-65] unprocessed writes that clear within the retries all land', async () => {
      const { backend, reopen } = fixture();
      const all = notes(backend.capabilities.maxBatchWrite + 8);
      const held = new Set([all[1], all[5], all[all.length - 2]].map((note) => note?.note_id));
      const flaky = createFlakyBackend(backend, {
        holdBack: (entry) => held.has(String(entryKey(entry).note_id)),
        times: 2,
      });
      await (await reopen(flaky)).Note.saveMany(all);
      expect(flaky.calls.heldBack).toBe(2 * held.size);
      expect(await storedNotes(all.map((note) => note.note_id))).toEqual(all);
    });

    it('[P-65] unprocessed reads that clear within the retries are all returned', async () => {
      const { backend, reopen, models } = fixture();
      const all = notes(12);
      await models.Note.saveMany(all);
      const flaky = createFlakyBackend(backend, {
        holdBack: (entry) => ['b003', 'b007'].includes(String(entryKey(entry).note_id)),
        times: 3,
      });
      const ids = all.map((note) => note.note_id);
      const found = await (await reopen(flaky)).Note.getMany(ids);
      expect(found.map((note) => note?.note_id)).toEqual(ids);
      expect(flaky.calls.heldBack).toBe(6);
    });

    it('[P-66] writes that never clear: BatchIncompleteError lists exactly them, the rest is written', async () => {
      const { backend, reopen, table } = fixture();
      const all = notes(backend.capabilities.maxBatchWrite + 8);
      const held = [all[2], all[10], all[all.length - 4]].map((note) => note?.note_id as string);
      const flaky = createFlakyBackend(backend, {
        holdBack: (entry) => held.includes(String(entryKey(entry).note_id)),
        times: Number.POSITIVE_INFINITY,
      });
      const error = await expectError(
        (await reopen(flaky)).Note.saveMany(all),
        BatchIncompleteError,
      );
      expect(describeEntries(error.unprocessed)).toEqual(
        describeEntries(
          held.map((note_id) => ({
            action: 'put',
            model: 'Note',
            table: table('notes'),
            key: { note_id },
          })),
        ),
      );
      const landed = await storedNotes(all.map((note) => note.note_id));
      expect(landed).toEqual(all.map((note) => (held.includes(note.note_id) ? undefined : note)));
    });

    it('[P-66] deletes that never clear: BatchIncompleteError lists exactly them, those items remain', async () => {
      const { backend, reopen, table, models } = fixture();
      const all = notes(10);
      await models.Note.saveMany(all);
      const held = ['b000', 'b009'];
      const flaky = createFlakyBackend(backend, {
        holdBack: (entry) => held.includes(String(entryKey(entry).note_id)),
        times: Number.POSITIVE_INFINITY,
      });
      const error = await expectError(
        (await reopen(flaky)).Note.deleteMany(all.map((note) => note.note_id)),
        BatchIncompleteError,
      );
      expect(describeEntries(error.unprocessed)).toEqual(
        describeEntries(
          held.map((note_id) => ({
            action: 'delete',
            model: 'Note',
            table: table('notes'),
            key: { note_id },
          })),
        ),
      );
      const remaining = await storedNotes(all.map((note) => note.note_id));
      expect(remaining).toEqual(
        all.map((note) => (held.includes(note.note_id) ? note : undefined)),
      );
    });

    it('[P-66] reads that never clear: BatchIncompleteError lists exactly the unread keys', async () => {
      const { backend, reopen, table, models } = fixture();
      await models.Note.saveMany(notes(5));
      const flaky = createFlakyBackend(backend, {
        holdBack: (entry) => String(entryKey(entry).note_id) === 'b004',
        times: Number.POSITIVE_INFINITY,
      });
      const error = await expectError(
        (await reopen(flaky)).Note.getMany(['b000', 'b004', 'b002', 'missing']),
        BatchIncompleteError,
      );
      expect(describeEntries(error.unprocessed)).toEqual(
        describeEntries([
          { action: 'get', model: 'Note', table: table('notes'), key: { note_id: 'b004' } },
        ]),
      );
    });

    it('[P-67] an engine failure mid-batch: BatchIncompleteError lists the chunk in flight as unconfirmed and the rest as not written', async () => {
      const { backend, reopen, table } = fixture();
      const size = backend.capabilities.maxBatchWrite;
      const all = notes(2 * size + 3);
      const flaky = createFlakyBackend(backend, { failBatchWriteOnCall: 2 });
      const error = await expectError(
        (await reopen(flaky)).Note.saveMany(all),
        BatchIncompleteError,
      );
      expect(error.cause).toBe(flaky.injectedError);
      const landed = await storedNotes(all.map((note) => note.note_id));
      const unwritten = all.filter((_, index) => landed[index] === undefined);
      // The first chunk was written before the failure and stays written (all of it, or all
      // but what the backend left unprocessed, which the next call sent again: P-65).
      expect(all.length - unwritten.length).toBeGreaterThan(0);
      expect(all.length - unwritten.length).toBeLessThanOrEqual(size);
      // The chunk that failed in flight is unconfirmed (here the failing engine wrote none of it).
      expect(error.unconfirmed.length).toBeGreaterThan(0);
      expect(error.unconfirmed.length).toBeLessThanOrEqual(size);
      expect(describeEntries([...error.unconfirmed, ...error.unprocessed])).toEqual(
        describeEntries(
          unwritten.map((note) => ({
            action: 'put',
            model: 'Note',
            table: table('notes'),
            key: { note_id: note.note_id },
          })),
        ),
      );
      for (const [index, item] of landed.entries()) if (item) expect(item).toEqual(all[index]);
    });

    for (const [flag, said] of [
      ['failedWriteNotSent', 'whose request was never sent (notSent)'],
      ['failedWriteNotApplied', 'the engine answered having applied nothing (notApplied)'],
    ] as const)
      it(`[P-67] a failure ${said}: its chunk is listed as not written, and on the first call the error itself is thrown`, async () => {
        const { backend, reopen, table } = fixture();
        const size = backend.capabilities.maxBatchWrite;
        const all = notes(2 * size + 3);
        const later = createFlakyBackend(backend, {
          failBatchWriteOnCall: 2,
          [flag]: true,
        });
        const error = await expectError(
          (await reopen(later)).Note.saveMany(all),
          BatchIncompleteError,
        );
        expect(error.cause).toBe(later.injectedError);
        expect(error.unconfirmed).toEqual([]);
        const landed = await storedNotes(all.map((note) => note.note_id));
        // The first call's chunk (less what the backend left unprocessed: P-65).
        expect(landed.filter(Boolean).length).toBeGreaterThan(0);
        expect(landed.filter(Boolean).length).toBeLessThanOrEqual(size);
        expect(describeEntries(error.unprocessed)).toEqual(
          describeEntries(
            all
              .filter((_, index) => landed[index] === undefined)
              .map((note) => ({
                action: 'put',
                model: 'Note',
                table: table('notes'),
                key: { note_id: note.note_id },
              })),
          ),
        );
        const first = createFlakyBackend(backend, {
          failBatchWriteOnCall: 1,
          [flag]: true,
        });
        const others = notes(3).map((note) => ({ ...note, note_id: `n${note.note_id}` }));
        const thrown = await expectError((await reopen(first)).Note.saveMany(others), BackendError);
        expect(thrown).toBe(first.injectedError);
        expect((await storedNotes(others.map((note) => note.note_id))).filter(Boolean)).toEqual([]);
      });

    it('[P-67] an engine failure on the first call: nothing is written and everything is listed as unconfirmed', async () => {
      const { backend, reopen } = fixture();
      const all = notes(7);
      const flaky = createFlakyBackend(backend, { failBatchWriteOnCall: 1 });
      const error = await expectError(
        (await reopen(flaky)).Note.saveMany(all),
        BatchIncompleteError,
      );
      expect(error.unprocessed).toEqual([]);
      expect(error.unconfirmed.map((entry) => entry.key.note_id).sort()).toEqual(
        all.map((note) => note.note_id),
      );
      expect((await storedNotes(all.map((note) => note.note_id))).filter(Boolean)).toEqual([]);
    });
  });
}
