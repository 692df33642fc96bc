import { test } from 'vitest';
import type { TypedPersistentClass, TypedUpdateChanges } from './typed-persistent-class.js';
import type { UpdateChanges } from './update-changes.js';

// A model as `macaron generate` types it: `type: number` and a plain `type: integer` as
// `number`, `format: int64` as `number | bigint` (an int64 enum as `5 | 5n`).
interface Account {
  id: string;
  balance?: number;
  visits?: number | null;
  rank?: 1 | 2 | 3;
  total?: number | bigint;
  tier?: 5 | 5n;
}
type AccountTypes = {
  model: Account;
  key: string | { readonly id: string };
  table: { partition: string; sort: never };
  indexes: {};
  fixed: 'id';
  filled: never;
};

test('add() takes a bigint only where the property holds bigints: it would store one a number property does not announce', () => {
  const check = async (Accounts: TypedPersistentClass<AccountTypes>) => {
    await Accounts.update('a', { add: { balance: 1.5, visits: 1, rank: 1, total: 1, tier: 1 } });
    await Accounts.update('a', { add: { total: 2n ** 60n, tier: 5n } });
    // @ts-expect-error a bigint added to a number property (2^60 would load as a bigint)
    await Accounts.update('a', { add: { balance: 2n ** 60n } });
    // @ts-expect-error as for a nullable one
    await Accounts.update('a', { add: { visits: 1n } });
    // @ts-expect-error and for an enum of numbers
    await Accounts.update('a', { add: { rank: 1n } });
  };
  void check;
});

test("core's UpdateChanges types add() the same way", () => {
  const changes: UpdateChanges<Account>[] = [
    { add: { balance: 1, total: 1n } },
    // @ts-expect-error a bigint added to a number property
    { add: { balance: 1n } },
  ];
  void changes;
});

test('changes built at run time compile, though they may turn out empty: update() refuses no change with InvalidRequestError (P-37), and a type refusing `{}` would refuse these', () => {
  // As a PATCH handler builds them (apps/profiles): which kinds it holds is known at run time.
  const check = async (Accounts: TypedPersistentClass<AccountTypes>, visits?: number) => {
    const set = { ...(visits !== undefined ? { visits } : {}) };
    await Accounts.update('a', {
      ...(Object.keys(set).length > 0 ? { set } : {}),
      ...(visits === undefined ? { remove: ['visits' as const] } : {}),
    });
    const changes: TypedUpdateChanges<AccountTypes> = {};
    if (visits !== undefined) changes.add = { visits };
    await Accounts.update('a', changes);
  };
  void check;
});

// A model whose interface names a property by a number (`2?: number`), which TypeScript keys as
// the number 2 and the run time stores as the attribute '2'.
interface Tally {
  id: string;
  2?: number;
  3?: string[];
  '4'?: number;
}

test('a property declared with a numeric name is named by its string in remove, add and append, as update() takes it', () => {
  const changes: UpdateChanges<Tally>[] = [
    { add: { 2: 1, '4': 1 }, append: { 3: ['a'] } },
    { add: { '2': 1 }, append: { '3': ['a'] }, remove: ['2', '3', '4'] },
    // @ts-expect-error a name that is a number is refused at run time
    { remove: [2] },
    // @ts-expect-error a list's property takes no number
    { add: { 3: 1 } },
  ];
  void changes;
});
