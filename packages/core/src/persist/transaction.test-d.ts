import { test } from 'vitest';
import type { PersistentModelClass } from './persistent-model.js';
import type { Transaction } from './transaction.js';

type Note = { id: string; text?: string };

test("delete takes a class and a key, or an object: a class without its key is a type error, not the object's delete", () => {
  const check = (transaction: Transaction, Note: PersistentModelClass<Note>, note: Note) => {
    transaction.delete(Note, 'a');
    transaction.delete(Note, { id: 'a' }, { condition: { attr: 'text', exists: true } });
    transaction.delete(note);
    transaction.delete(note, { condition: { attr: 'text', exists: true } });
    // @ts-expect-error a class is no object to delete: its key is missing
    transaction.delete(Note);
  };
  void check;
});
