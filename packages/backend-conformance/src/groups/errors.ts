import {
  AlreadyExistsError,
  ConditionFailedError,
  ConflictError,
  defineError,
  InvalidCursorError,
  InvalidKeyError,
  InvalidRequestError,
  ItemNotFoundError,
  loadApi,
  MacaronError,
  NoBackendError,
  type Transaction,
  ValidationError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createCountingBackend } from '../fixtures/counting-backend.js';
import { expectError, stableCodes } from '../fixtures/expect-error.js';
import { suiteOptions, useFixture } from '../fixtures/fixture-context.js';
import { bindFixtureModels } from '../fixtures/fixture-models.js';
import { createFixtureSpec } from '../fixtures/fixture-spec.js';
import type { ConformanceFactory, ConformanceOptions } from '../harness.js';

/** P-79 to P-83: every failure is a MacaronError with a stable code and status. */
export function describeErrors(factory: ConformanceFactory, options: ConformanceOptions): void {
  describe('errors', suiteOptions(options), () => {
    const fixture = useFixture(factory);

    /** One error of each kind a caller branches on, produced through the backend. */
    async function collectErrors(): Promise<MacaronError[]> {
      const { models, stored } = fixture();
      const { Note, Account, Message } = models;
      await Note.create({ note_id: 'n1', text: 'x', count: 1 });
      const account = await Account.create({ account_id: 'a1', owner: 'ann', balance: 0 });
      const stale = await Account.load('a1');
      account.balance = 1;
      await account.save();
      const errors = [
        await expectError(Note.load('missing'), ItemNotFoundError),
        await expectError(Note.create({ note_id: 'n1', text: 'y' }), AlreadyExistsError),
        await expectError(stale.save(), ConflictError),
        await expectError(
          Note.delete('n1', { condition: { attr: 'count', eq: 2 } }),
          ConditionFailedError,
        ),
        await expectError(new Note({ note_id: 'n2' }).save(), ValidationError),
        await expectError(Note.load({ wrong: 'key' }), InvalidKeyError),
        await expectError(Message.query({ partition: 'c', cursor: 'x.y' }), InvalidCursorError),
        await expectError(Note.update('n1', {}), InvalidRequestError),
      ];
      expect(await stored(Note, { note_id: 'n1' })).toEqual({ note_id: 'n1', text: 'x', count: 1 });
      expect(await stored(Note, { note_id: 'n2' })).toBeUndefined();
      expect(await stored(Account, { account_id: 'a1' })).toEqual({
        account_id: 'a1',
        owner: 'ann',
        balance: 1,
        revision: 2,
      });
      return errors;
    }

    it('[P-79] every failure is a MacaronError with its stable code and HTTP status', async () => {
      const errors = await collectErrors();
      for (const error of errors) {
        expect(error).toBeInstanceOf(MacaronError);
        expect(error).toBeInstanceOf(Error);
        const [code, status] = stableCodes.get(error.constructor as never) ?? [];
        expect([error.code, error.status]).toEqual([code, status]);
        expect(error.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      }
      expect(new Set(errors.map((error) => error.constructor)).size).toBe(errors.length);
    });

    it('[P-79] MacaronError.isInstance recognises Macaron errors and nothing else', async () => {
      const errors = await collectErrors();
      for (const error of errors) expect(MacaronError.isInstance(error)).toBe(true);
      for (const other of [
        new Error('plain'),
        { code: 'ITEM_NOT_FOUND', status: 404 },
        null,
        undefined,
        'ITEM_NOT_FOUND',
      ]) {
        expect(MacaronError.isInstance(other)).toBe(false);
      }
    });

    it("[P-80] toErrorJSON gives PyMacaron's shape: error, error_description, status (and user_message)", async () => {
      for (const error of await collectErrors()) {
        const json = error.toErrorJSON();
        expect(Object.keys(json).sort()).toEqual(['error', 'error_description', 'status']);
        expect(json.error).toBe(error.code);
        expect(json.status).toBe(error.status);
        expect(typeof json.error_description).toBe('string');
        expect(JSON.parse(JSON.stringify(json))).toEqual(json);
      }
      const UserNotFound = defineError({ code: 'USER_NOT_FOUND', status: 404 });
      const custom = new UserNotFound('no such user', { userMessage: 'Sorry, who?' });
      expect(custom.toErrorJSON()).toEqual({
        error: 'USER_NOT_FOUND',
        error_description: 'no such user',
        user_message: 'Sorry, who?',
        status: 404,
      });
      expect(MacaronError.isInstance(custom)).toBe(true);
    });

    it('[P-81] item errors name the model, the physical table and the key', async () => {
      const { models, table, stored } = fixture();
      await models.Message.create({ channel: 'general', sent: 'a' });
      const notFound = await expectError(
        models.Message.load({ channel: 'general', sent: 'b' }),
        ItemNotFoundError,
      );
      expect(notFound.location).toEqual({
        model: 'Message',
        table: table('messages'),
        key: { channel: 'general', sent: 'b' },
      });
      const exists = await expectError(
        models.Message.create({ channel: 'general', sent: 'a' }),
        AlreadyExistsError,
      );
      expect(exists.location).toEqual({
        model: 'Message',
        table: table('messages'),
        key: { channel: 'general', sent: 'a' },
      });
      expect(await stored(models.Message, { channel: 'general', sent: 'a' })).toEqual({
        channel: 'general',
        sent: 'a',
      });
      expect(await stored(models.Message, { channel: 'general', sent: 'b' })).toBeUndefined();
    });

    it('[P-82] a ValidationError lists problems of pointer, keyword and message', async () => {
      const { models, stored } = fixture();
      const error = await expectError(
        new models.Note({ note_id: 'n1', text: 3, count: 'x' } as never).save(),
        ValidationError,
      );
      expect(await stored(models.Note, { note_id: 'n1' })).toBeUndefined();
      expect(error.problems).toHaveLength(2);
      for (const problem of error.problems) {
        expect(Object.keys(problem).sort()).toEqual(['keyword', 'message', 'pointer']);
        expect(problem.pointer).toMatch(/^\//);
      }
    });

    it('[P-79] options that are not an object (null, a string, a list) are an InvalidRequestError; nothing is written', async () => {
      const { models, stored } = fixture();
      const { Note } = models;
      await Note.create({ note_id: 'o1', text: 'kept' });
      const note = await Note.load('o1');
      for (const given of [null, 'consistent', ['condition']] as never[]) {
        for (const attempt of [
          () => Note.get('o1', given),
          () => Note.load('o1', given),
          () => Note.exists('o1', given),
          () => Note.getMany(['o1'], given),
          () => Note.loadMany(['o1'], given),
          () => Note.delete('o1', given),
          () => Note.update('o1', { set: { text: 'changed' } }, given),
          () => note.save(given),
          () => note.delete(given),
          () => Note.scan(given),
          async () => {
            for await (const _ of Note.scanAll(given)) break;
          },
        ])
          await expectError(attempt(), InvalidRequestError);
      }
      expect(await stored(Note, { note_id: 'o1' })).toMatchObject({ text: 'kept' });
    });

    it('[P-110] an option a call does not take (a misspelt condition, limit, reverse; a scan given a partition) is an InvalidRequestError naming it and the options taken; nothing is read or written', async () => {
      const { models, stored, reopen } = fixture();
      await models.Note.create({ note_id: 'u1', text: 'kept', count: 1 });
      await models.Note.create({ note_id: 'u2', text: 'kept', count: 1 });
      await models.Message.create({ channel: 'c', sent: 'a', author: 'ann', score: 1 });
      const counting = createCountingBackend(fixture().backend);
      const { Note, Message } = await reopen(counting.backend);
      const note = await Note.load('u1');
      note.text = 'changed';
      const failing = { attr: 'count', eq: 2 } as const;
      const walk = async (pages: AsyncIterable<unknown>) => {
        for await (const _ of pages) break;
      };
      const attempts: [string, string, () => Promise<unknown>][] = [
        [
          'conditon',
          'condition',
          () => Note.update('u1', { set: { text: 'changed' } }, { conditon: failing } as never),
        ],
        ['Condition', 'condition', () => Note.delete('u1', { Condition: failing } as never)],
        ['conditon', 'condition', () => note.save({ conditon: failing } as never)],
        ['conditon', 'condition', () => note.delete({ conditon: failing } as never)],
        ['consistant', 'consistent', () => Note.get('u1', { consistant: true } as never)],
        ['consistant', 'consistent', () => Note.load('u1', { consistant: true } as never)],
        ['consistant', 'consistent', () => Note.exists('u1', { consistant: true } as never)],
        ['consistant', 'consistent', () => Note.getMany(['u1'], { consistant: true } as never)],
        ['consistant', 'consistent', () => Note.loadMany(['u1'], { consistant: true } as never)],
        ['revers', 'reverse', () => Message.query({ partition: 'c', revers: true } as never)],
        ['Limit', 'limit', () => Message.query({ partition: 'c', Limit: 1 } as never)],
        ['filters', 'filter', () => Message.query({ partition: 'c', filters: failing } as never)],
        [
          'indexName',
          'index',
          () => Message.query({ partition: 'ann', indexName: 'byAuthor' } as never),
        ],
        ['sortKey', 'sort', () => Message.query({ partition: 'c', sortKey: { eq: 'a' } } as never)],
        [
          'startKey',
          'cursor',
          () => Message.query({ partition: 'c', startKey: { channel: 'c', sent: 'a' } } as never),
        ],
        [
          'revers',
          'reverse',
          () => walk(Message.queryAll({ partition: 'c', revers: true } as never)),
        ],
        ['partition', 'index', () => Message.scan({ partition: 'c' } as never)],
        ['sort', 'filter', () => Message.scan({ sort: { eq: 'a' } } as never)],
        ['reverse', 'consistent', () => Message.scan({ reverse: true } as never)],
        ['partition', 'index', () => walk(Message.scanAll({ partition: 'c' } as never))],
      ];
      counting.reset();
      for (const [name, accepted, attempt] of attempts) {
        const error = await expectError(attempt(), InvalidRequestError);
        expect(error.message).toContain(JSON.stringify(name));
        expect(error.message).toContain(accepted);
      }
      expect(counting.calls()).toBe(0);
      expect(await stored(Note, { note_id: 'u1' })).toEqual({
        note_id: 'u1',
        text: 'kept',
        count: 1,
      });
      expect(await stored(Note, { note_id: 'u2' })).toEqual({
        note_id: 'u2',
        text: 'kept',
        count: 1,
      });
    });

    it('[P-110] create, saveMany and deleteMany take no options: one given from JavaScript (a condition) is an InvalidRequestError; nothing is read or written', async () => {
      const { models, stored, reopen } = fixture();
      await models.Note.create({ note_id: 'c1', text: 'kept', count: 1 });
      const counting = createCountingBackend(fixture().backend);
      const { Note } = await reopen(counting.backend);
      const failing = { condition: { attr: 'count', eq: 2 } };
      // The calls as JavaScript makes them: with an argument their types leave out.
      type Untyped = (...args: unknown[]) => Promise<unknown>;
      const model = Note as unknown as Record<'create' | 'saveMany' | 'deleteMany', Untyped>;
      const unsaved = new Note({ note_id: 'c2', text: 'new' }) as unknown as { create: Untyped };
      const attempts: [string, () => Promise<unknown>][] = [
        ['create()', () => model.create({ note_id: 'c2', text: 'new' }, failing)],
        ['create()', () => unsaved.create(failing)],
        ['saveMany()', () => model.saveMany([{ note_id: 'c1', text: 'changed' }], failing)],
        ['deleteMany()', () => model.deleteMany(['c1'], failing)],
      ];
      counting.reset();
      for (const [where, attempt] of attempts) {
        const error = await expectError(attempt(), InvalidRequestError);
        expect(error.message).toContain(`${where} has no option "condition" (options: none)`);
      }
      expect(counting.calls()).toBe(0);
      expect(await stored(Note, { note_id: 'c1' })).toEqual({
        note_id: 'c1',
        text: 'kept',
        count: 1,
      });
      expect(await stored(Note, { note_id: 'c2' })).toBeUndefined();
      // An empty options object, or one of keys given as undefined, says nothing.
      await model.create({ note_id: 'c3', text: 'new' }, { condition: undefined });
      await model.deleteMany(['c3'], {});
      expect(await stored(Note, { note_id: 'c3' })).toBeUndefined();
    });

    it('[P-110] an option given as undefined is no option: a spread that leaves one is taken', async () => {
      const { models, stored } = fixture();
      const { Note, Message } = models;
      await Note.create({ note_id: 'v1', text: 'old', count: 1 });
      await Message.create({ channel: 'c', sent: 'a' });
      expect((await Note.get('v1', { consistant: undefined } as never))?.text).toBe('old');
      await Note.update('v1', { set: { text: 'new' } }, { conditon: undefined } as never);
      expect(await stored(Note, { note_id: 'v1' })).toMatchObject({ text: 'new' });
      const page = await Message.query({ partition: 'c', revers: undefined } as never);
      expect(page.items.map((item) => item.sent)).toEqual(['a']);
      expect(await Note.delete('v1', { Condition: undefined } as never)).toBe(true);
    });

    it.skipIf(!options.capabilities.transactions)(
      '[P-110] a transaction action given an option it does not take is an InvalidRequestError naming it; nothing is applied (needs capabilities.transactions)',
      async () => {
        const { api, models, stored } = fixture();
        const { Note } = models;
        await Note.create({ note_id: 't1', text: 'kept', count: 1 });
        const note = await Note.load('t1');
        note.text = 'changed';
        const failing = { attr: 'count', eq: 2 } as const;
        const actions: [string, (transaction: Transaction) => void][] = [
          ['conditon', (transaction) => transaction.save(note, { conditon: failing } as never)],
          [
            'Condition',
            (transaction) => transaction.delete(Note, 't1', { Condition: failing } as never),
          ],
          ['conditon', (transaction) => transaction.delete(note, { conditon: failing } as never)],
          [
            'conditon',
            (transaction) =>
              transaction.update(Note, 't1', { set: { text: 'changed' } }, {
                conditon: failing,
              } as never),
          ],
        ];
        for (const [name, action] of actions) {
          const error = await expectError(api.transaction(action), InvalidRequestError);
          expect(error.message).toContain(JSON.stringify(name));
          expect(error.message).toContain('(options: condition)');
        }
        // create takes none: its condition is that no item has the key.
        const creating = api.transaction((transaction) =>
          (transaction.create as (object: object, options: unknown) => void)(
            new Note({ note_id: 't2', text: 'new' }),
            { condition: failing },
          ),
        );
        const error = await expectError(creating, InvalidRequestError);
        expect(error.message).toContain('"condition" (options: none)');
        expect(await stored(Note, { note_id: 't2' })).toBeUndefined();
        expect(await stored(Note, { note_id: 't1' })).toEqual({
          note_id: 't1',
          text: 'kept',
          count: 1,
        });
      },
    );

    it('[P-105] a list of keys or objects with a hole is an InvalidRequestError, however long; nothing is written', async () => {
      const { models, stored } = fixture();
      const { Note } = models;
      await Note.create({ note_id: 'h1', text: 'kept' });
      // biome-ignore lint/suspicious/noSparseArray: the hole is the case
      const holed = [, 'h1'];
      // Only its length: walked element by element, it would take minutes.
      const endless = new Array(2 ** 32 - 1);
      for (const keys of [holed, endless]) {
        await expectError(Note.getMany(keys as string[]), InvalidRequestError);
        await expectError(Note.loadMany(keys as string[]), InvalidRequestError);
        await expectError(Note.deleteMany(keys as string[]), InvalidRequestError);
      }
      // biome-ignore lint/suspicious/noSparseArray: the hole is the case
      const objects = [, { note_id: 'h2', text: 'new' }];
      await expectError(Note.saveMany(objects as never[]), InvalidRequestError);
      await expectError(Note.saveMany(endless as never[]), InvalidRequestError);
      expect(await stored(Note, { note_id: 'h1' })).toMatchObject({ text: 'kept' });
      expect(await stored(Note, { note_id: 'h2' })).toBeUndefined();
    });

    it('[P-83] a model loaded without a backend throws NoBackendError', async () => {
      const models = bindFixtureModels(await loadApi(createFixtureSpec()));
      await expectError(models.Note.load('n1'), NoBackendError);
    });
  });
}
