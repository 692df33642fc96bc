import { test } from 'vitest';
import type { Persistent, PersistentModelClass } from './persistent-model.js';
import type { Transaction } from './transaction.js';

type Note = { id: string; text?: string };

test("delete takes a class and a key, or an object: a class without its key is a type error, not the object's delete", () => {
  const check = (
    transaction: Transaction,
    Note: PersistentModelClass<Note>,
    note: Persistent<Note>,
  ) => {
    transaction.delete(Note, 'a');
    transaction.delete(Note, { id: 'a' }, { condition: { attr: 'text', exists: true } });
    transaction.delete(note);
    transaction.delete(note, { condition: { attr: 'text', exists: true } });
    // @ts-expect-error a class is no object to delete: its key is missing
    transaction.delete(Note);
  };
  void check;
});

test('save, create and delete take persistent objects, not plain values: core refuses those at run time', () => {
  const check = (transaction: Transaction, Note: PersistentModelClass<Note>, plain: Note) => {
    const note = new Note({ id: 'a' });
    transaction.save(note, { condition: { attr: 'text', exists: true } });
    transaction.create(note);
    transaction.delete(note);
    // @ts-expect-error plain values are no persistent object ("Transactions take objects of persistent model classes")
    transaction.save(plain);
    // @ts-expect-error nor for create
    transaction.create({ id: 'b' });
    // @ts-expect-error nor for delete
    transaction.delete(plain, { condition: { attr: 'text', exists: true } });
  };
  void check;
});
