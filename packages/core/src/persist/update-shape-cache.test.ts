import { describe, expect, it } from 'vitest';
import { openapi30, thrown } from '../../test/support/specs.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';
import { toUpdateOperations } from './update-changes.js';
import { prepareUpdate } from './update-request.js';

// A counter's update() repeats one add-only change: its operations and condition are kept,
// frozen, for the model's next same change. Nothing else may be answered from them.
const api = await loadApi(
  openapi30({
    Counter: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string' },
        views: { type: 'integer', minimum: 0 },
        big: { type: 'integer', format: 'int64' },
        count: { type: 'integer' },
        note: { type: 'string' },
      },
      'x-persist': { table: 'counters', key: 'id' },
    },
  }),
);
const counter = api.persistent('Counter').descriptor;

describe('an add-only change repeated', () => {
  it('is prepared once: the same frozen operations and condition', () => {
    const first = prepareUpdate(counter, { add: { views: 1 } });
    const second = prepareUpdate(counter, { add: { views: 1 } });
    expect(second).toBe(first);
    expect(Object.isFrozen(first.operations)).toBe(true);
    expect(Object.isFrozen(first.operations[0])).toBe(true);
    expect(Object.isFrozen(first.condition)).toBe(true);
    expect(first.operations).toEqual([{ action: 'add', path: 'views', value: 1 }]);
  });

  it('with another delta, name, order or type of number, is prepared anew', () => {
    prepareUpdate(counter, { add: { views: 1 } });
    expect(prepareUpdate(counter, { add: { views: 2 } }).operations).toEqual([
      { action: 'add', path: 'views', value: 2 },
    ]);
    expect(prepareUpdate(counter, { add: { count: 2 } }).operations).toEqual([
      { action: 'add', path: 'count', value: 2 },
    ]);
    prepareUpdate(counter, { add: { views: 1, count: 1 } });
    expect(prepareUpdate(counter, { add: { count: 1, views: 1 } }).operations).toEqual([
      { action: 'add', path: 'count', value: 1 },
      { action: 'add', path: 'views', value: 1 },
    ]);
    prepareUpdate(counter, { add: { big: 1 } });
    expect(prepareUpdate(counter, { add: { big: 1n } }).operations).toEqual([
      { action: 'add', path: 'big', value: 1n },
    ]);
  });

  it('is still refused where invalid, after a valid one', () => {
    prepareUpdate(counter, { add: { views: 1 } });
    expect(thrown(() => prepareUpdate(counter, { add: { views: 1.5 } }))).toBeInstanceOf(
      ValidationError,
    );
    expect(thrown(() => prepareUpdate(counter, { add: { note: 1 } }))).toBeInstanceOf(
      ValidationError,
    );
    expect(thrown(() => prepareUpdate(counter, { add: { id: 1 } }))).toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('beside a change of another kind, even one not enumerable, is no add-only change', () => {
    prepareUpdate(counter, { add: { views: 1 } });
    const withKeySet = { add: { views: 1 } };
    Object.defineProperty(withKeySet, 'set', { value: { id: 'other' }, enumerable: false });
    expect(thrown(() => prepareUpdate(counter, withKeySet))).toBeInstanceOf(InvalidRequestError);
    const withRemove = { add: { views: 1 } };
    Object.defineProperty(withRemove, 'remove', { value: ['note'], enumerable: false });
    expect(prepareUpdate(counter, withRemove).operations).toEqual([
      { action: 'remove', path: 'note' },
      { action: 'add', path: 'views', value: 1 },
    ]);
  });

  it('is the change as read once: another kind a getter or Proxy brings in is not kept', () => {
    const plain = [{ action: 'add', path: 'views', value: 1 }];
    // Another change first: the next one is prepared, not answered from the last.
    prepareUpdate(counter, { add: { views: 2 } });
    // A getter of the delta that adds a `set` to the change being read.
    const changes: Record<string, unknown> = {};
    changes.add = {
      get views() {
        changes.set = { note: 'from a getter' };
        return 1;
      },
    };
    expect(prepareUpdate(counter, changes).operations).toEqual(plain);
    expect(prepareUpdate(counter, { add: { views: 1 } }).operations).toEqual(plain);
    // A Proxy that shows `add` alone, then answers with a `remove` too.
    let reads = 0;
    const shifting = new Proxy(
      { add: { count: 1 }, remove: ['note'] },
      {
        ownKeys: () => ['add'],
        getOwnPropertyDescriptor: (target, name) =>
          name === 'add' || (name === 'remove' && reads++ > 0)
            ? Reflect.getOwnPropertyDescriptor(target, name)
            : undefined,
      },
    );
    prepareUpdate(counter, shifting as never);
    expect(prepareUpdate(counter, { add: { count: 1 } }).operations).toEqual([
      { action: 'add', path: 'count', value: 1 },
    ]);
  });

  it("is another model's, or the same-named model's of another loadApi, only for that model", async () => {
    // The same spec loaded again, with `views` bounded, versioned, and another model on the table.
    const other = await loadApi(
      openapi30({
        Counter: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string' },
            views: { type: 'integer', maximum: 5 },
            v: { type: 'integer' },
            kind: { type: 'string' },
          },
          'x-persist': { table: 'counters', key: 'id', version: 'v', discriminator: 'kind' },
        },
        Tally: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string' },
            views: { type: 'integer', minimum: 0 },
            kind: { type: 'string' },
          },
          'x-persist': { table: 'counters', key: 'id', discriminator: 'kind' },
        },
      }),
    );
    const mine = prepareUpdate(counter, { add: { views: 1 } });
    const theirs = prepareUpdate(other.persistent('Counter').descriptor, { add: { views: 1 } });
    expect(theirs.operations).toEqual([
      { action: 'add', path: 'views', value: 1 },
      { action: 'add', path: 'v', value: 1 },
    ]);
    const own = (name: string) => ({
      and: [
        { attr: 'id', exists: true },
        { attr: 'kind', eq: name },
      ],
    });
    expect(theirs.condition).toEqual({
      and: [own('Counter'), { not: { attr: 'views', gt: 4 } }],
    });
    const tally = prepareUpdate(other.persistent('Tally').descriptor, { add: { views: 1 } });
    expect(tally.operations).not.toBe(theirs.operations);
    expect((tally.condition as { and: unknown[] }).and[0]).toEqual(own('Tally'));
    expect(prepareUpdate(counter, { add: { views: 1 } })).toBe(mine);
    expect(mine.operations).toEqual([{ action: 'add', path: 'views', value: 1 }]);
  });

  it("with a caller's condition, checks and joins that condition every time", () => {
    const own = prepareUpdate(counter, { add: { views: 1 } });
    const caller = { attr: 'note', eq: 'a' } as const;
    const joined = prepareUpdate(counter, { add: { views: 1 } }, caller);
    expect(joined.condition).toEqual({ and: [own.condition, caller] });
    expect(
      thrown(() => prepareUpdate(counter, { add: { views: 1 } }, { attr: 'note' } as never)),
    ).toBeInstanceOf(InvalidRequestError);
    expect(prepareUpdate(counter, { add: { views: 1 } })).toBe(own);
  });

  it("is checked against DynamoDB's limits however it was made before", () => {
    // 200 adds: 400 operators and functions, above DynamoDB's 300.
    const add = Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`n${index}`, 1]));
    expect(thrown(() => prepareUpdate(counter, { add }))).toBeInstanceOf(InvalidRequestError);
    expect(thrown(() => prepareUpdate(counter, { add }))).toBeInstanceOf(InvalidRequestError);
    expect(thrown(() => toUpdateOperations(counter, { add }))).toBeInstanceOf(InvalidRequestError);
  });
});
