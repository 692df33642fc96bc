import { ThrottledError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { ProvisionChange } from './provision-options.js';
import { changesOrFailure, settleProvisioning } from './settle-provisioning.js';

/*
 * The words of a failed provisioning call: its first failure, the others', and what it did all
 * the same. Every change DynamoDB can report is worded here, including those dynalite never
 * makes (an index added, time to live turned on).
 */
const fulfilled = (...value: ProvisionChange[]): PromiseSettledResult<ProvisionChange[]> => ({
  status: 'fulfilled',
  value,
});
const rejected = (reason: unknown): PromiseSettledResult<ProvisionChange[]> => ({
  status: 'rejected',
  reason,
});

describe('changesOrFailure', () => {
  it("returns every table's changes, in the tables' order, when none failed", () => {
    const changes = changesOrFailure(
      [
        fulfilled({ table: 'a', action: 'created' }),
        fulfilled({ table: 'b', action: 'unchanged' }),
      ],
      [[{ table: 'a', action: 'created' }], []],
    );
    expect(changes).toEqual([
      { table: 'a', action: 'created' },
      { table: 'b', action: 'unchanged' },
    ]);
  });

  it('throws a lone failure of a call that changed nothing as it is, its message untouched', () => {
    const failure = new ThrottledError('CreateTable on table b: too many tables being changed');
    let thrown: unknown;
    try {
      changesOrFailure(
        [fulfilled({ table: 'a', action: 'unchanged' }), rejected(failure)],
        [[], []],
      );
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBe(failure);
    expect(failure.message).toBe('CreateTable on table b: too many tables being changed');
  });

  it("throws the first failure in the tables' order, naming the others and every change done, each worded", () => {
    const first = new ThrottledError('CreateTable on table b: refused');
    const results = [
      fulfilled(),
      rejected(first),
      rejected(new Error('DeleteTable on table c: socket hang up')),
      rejected(new Error('UpdateTable on table d:\u0007 refused')),
    ];
    const made: ProvisionChange[][] = [
      [
        { table: 'a', action: 'created' },
        { table: 'a', action: 'ttl-enabled', detail: 'expires_at' },
      ],
      [{ table: 'b', action: 'ttl-unsupported', detail: 'no UpdateTimeToLive' }],
      [{ table: 'c', action: 'deleted' }],
      [
        { table: 'd', action: 'index-added', detail: 'byEmail' },
        { table: 'd', action: 'unchanged' },
        { table: 'd', action: 'absent' },
      ],
    ];
    expect(() => changesOrFailure(results, made)).toThrow(first);
    expect(first.message).toBe(
      'CreateTable on table b: refused' +
        '. 2 other tables failed too: DeleteTable on table c: socket hang up; UpdateTable on table d:\\u0007 refused' +
        '. What this call did all the same stays done: created table a; turned time to live on for table a (attribute expires_at); deleted table c; added index byEmail to table d',
    );
  });

  it('says one other table in the singular', () => {
    const first = new ThrottledError('first');
    expect(() =>
      changesOrFailure([rejected(first), rejected(new Error('second'))], [[], []]),
    ).toThrow(first);
    expect(first.message).toBe('first. 1 other table failed too: second');
  });

  it('throws a failure that is no Error as it is', () => {
    const thrown = (() => {
      try {
        changesOrFailure([rejected('refused')], [[{ table: 'a', action: 'created' }]]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(thrown).toBe('refused');
  });
});

describe('settleProvisioning', () => {
  it('waits for every table before throwing: what a slower table did is said too', async () => {
    const failure = new ThrottledError('CreateTable on table a: refused');
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const settled = settleProvisioning([
      async () => {
        throw failure;
      },
      async (done) => {
        await released;
        done.push({ table: 'b', action: 'created' });
        return done;
      },
    ]).catch((caught: unknown) => caught);
    // The failure is in before the other table has done anything.
    await Promise.resolve();
    release();
    expect(await settled).toBe(failure);
    expect(failure.message).toBe(
      'CreateTable on table a: refused. What this call did all the same stays done: created table b',
    );
  });
});
