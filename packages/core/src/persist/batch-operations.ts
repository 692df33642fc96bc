import {
  AccessDeniedError,
  BackendError,
  BatchIncompleteError,
  InvalidRequestError,
  ThrottledError,
  type UnprocessedEntry,
  UnreachableError,
  UnsupportedOperationError,
} from '../errors/persistence-errors.js';
import { TableMismatchError, TableNotFoundError } from '../errors/provisioning-errors.js';
import { shownName } from '../errors/shown-name.js';
import { ValidationError, type ValidationProblem } from '../errors/validation-error.js';
import { maxProblems } from '../schema/max-problems.js';
import { keyFingerprint, keyOfItem, toItemKey } from './item-key.js';
import { refusedNameIn } from './item-to-write.js';
import { backoff, type PersistenceContext, requireBackend } from './persistence-context.js';
import type { BatchGetEntry, BatchWriteEntry } from './storage-backend.js';
import { toStoredItem } from './stored-form.js';
import type { ItemKey, StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';

function chunks<T>(list: readonly T[], size: number): T[][] {
  // A backend's capabilities are checked when it is given to loadApi; changed since, never a loop without end.
  if (!(Number.isSafeInteger(size) && size >= 1))
    throw new TypeError(`A batch limit must be a whole number of at least 1, not ${String(size)}`);
  const result: T[][] = [];
  for (let start = 0; start < list.length; start += size)
    result.push(list.slice(start, start + size));
  return result;
}

/**
 * Reads items by key in chunks of the engine's batch size, retrying what the engine left
 * unread with back-off. Returns the items in the order of `keys` (undefined where none).
 */
export async function getMany(
  context: PersistenceContext,
  model: ModelDescriptor,
  keys: readonly ItemKey[],
  consistent: boolean,
): Promise<(StoredItem | undefined)[]> {
  const backend = requireBackend(context);
  // Engines refuse duplicate keys in one batch: read each distinct key once.
  const distinct = new Map<string, BatchGetEntry>();
  for (const key of keys) {
    const fingerprint = keyFingerprint(model.table.name, key);
    if (!distinct.has(fingerprint)) distinct.set(fingerprint, { model, key });
  }
  const found = new Map<BatchGetEntry, StoredItem>();
  const unread: UnprocessedEntry[] = [];
  for (const chunk of chunks([...distinct.values()], backend.capabilities.maxBatchGet)) {
    let pending: readonly BatchGetEntry[] = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        if (attempt > context.retry.attempts) break;
        await backoff(context.retry, attempt - 1);
      }
      const result = await backend.batchGet(pending, consistent ? { consistent } : undefined);
      // Matched by the entry objects given: an answer naming any other is the backend's
      // mistake, never read as "no item" (or retried as a read of a key nobody asked for).
      // One entry found and unprocessed both is a contradiction too: one list of the two.
      checkAnswered('batchGet', pending, [
        ...result.found.map((answer) => answer.entry),
        ...result.unprocessed,
      ]);
      for (const { entry, item } of result.found) found.set(entry, item);
      // A call that read some counts afresh: an engine caps the bytes of one answer (dynalite
      // at 1 MB), so large items take several calls that each make progress.
      if (result.unprocessed.length < pending.length) attempt = 1;
      pending = result.unprocessed;
    }
    for (const entry of pending)
      unread.push({ model: model.name, table: model.table.name, action: 'get', key: entry.key });
  }
  if (unread.length > 0) throw new BatchIncompleteError(unread);
  return keys.map((key) => found.get(distinct.get(keyFingerprint(model.table.name, key))!));
}

/**
 * Validates every object (or key) first and writes nothing if any is invalid or two share
 * a key; then writes in chunks of the engine's batch size, retrying what the engine left
 * unwritten. `BatchIncompleteError` lists exactly what was not written.
 */
export async function writeMany(
  context: PersistenceContext,
  model: ModelDescriptor,
  action: 'put' | 'delete',
  inputs: readonly unknown[],
): Promise<void> {
  const backend = requireBackend(context);
  const entries: BatchWriteEntry[] = [];
  const keys: ItemKey[] = [];
  const problems: ValidationProblem[] = [];
  inputs.forEach((input, index) => {
    // Enough found (see `maxProblems`): the rest is not validated, nothing is written anyway.
    if (problems.length >= maxProblems) return;
    if (action === 'delete') {
      const key = toItemKey(model, input);
      keys.push(key);
      entries.push({ model, delete: key });
      return;
    }
    if (typeof input !== 'object' || input === null) {
      const kind = input === null ? 'null' : typeof input;
      problems.push({
        pointer: `/${index}`,
        keyword: 'type',
        message: `must be object, not ${kind}`,
      });
      return;
    }
    try {
      const item = toStoredItem(model, input, backend.capabilities.maxItemBytes);
      // Refused by every backend, but chunk by chunk: here, before any chunk is written.
      const refused = refusedNameIn(item, '', 0);
      if (refused !== undefined)
        throw new InvalidRequestError(
          `saveMany() item ${index}: its ${refused.pointer} ${refused.problem}`,
        );
      keys.push(keyOfItem(model, item));
      entries.push({ model, put: item });
    } catch (error) {
      if (!ValidationError.isInstance(error)) throw error;
      for (const problem of error.problems.slice(0, maxProblems - problems.length))
        problems.push({ ...problem, pointer: `/${index}${problem.pointer}` });
    }
  });
  if (problems.length > 0)
    throw new ValidationError(`Invalid ${shownName(model.name)} in saveMany()`, problems);
  const seen = new Map<string, number>();
  keys.forEach((key, index) => {
    const fingerprint = keyFingerprint(model.table.name, key);
    const earlier = seen.get(fingerprint);
    if (earlier !== undefined)
      throw new InvalidRequestError(`Items ${earlier} and ${index} of the batch have the same key`);
    seen.set(fingerprint, index);
  });

  const unwritten: BatchWriteEntry[] = [];
  const batches = chunks(entries, backend.capabilities.maxBatchWrite);
  let wroteAny = false;
  for (let position = 0; position < batches.length; position++) {
    let pending: readonly BatchWriteEntry[] = batches[position]!;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        if (attempt > context.retry.attempts) break;
        await backoff(context.retry, attempt - 1);
      }
      try {
        const { unprocessed } = await backend.batchWrite(pending);
        // Retried as given: an entry the backend made up would be written, unasked.
        checkAnswered('batchWrite', pending, unprocessed);
        // A call that wrote some counts afresh, as for reads.
        if (unprocessed.length < pending.length) {
          attempt = 1;
          wroteAny = true;
        }
        pending = unprocessed;
      } catch (error) {
        const inFlightUnknown = !refusedWhole(error);
        // Refused before anything was written, as save() would be: that error, as it is.
        if (!wroteAny && !inFlightUnknown) throw error;
        // What earlier chunks wrote stays written; the chunk in flight may or may not have been,
        // unless the backend refused it.
        const notWritten = [
          ...unwritten,
          ...(inFlightUnknown ? [] : pending),
          ...batches.slice(position + 1).flat(),
        ];
        throw new BatchIncompleteError(
          notWritten.map((entry) => describeEntry(model, entry)),
          {
            cause: error,
            unconfirmed: inFlightUnknown ? pending.map((entry) => describeEntry(model, entry)) : [],
          },
        );
      }
    }
    unwritten.push(...pending);
  }
  if (unwritten.length > 0)
    throw new BatchIncompleteError(unwritten.map((entry) => describeEntry(model, entry)));
}

/**
 * Refuses a batch answer that lists an entry other than the objects the backend was given (a
 * copy, one of its own making) or one entry twice: the contract has it return the same
 * objects, and core tells entries apart by them.
 */
function checkAnswered(
  method: 'batchGet' | 'batchWrite',
  given: readonly object[],
  answered: readonly unknown[],
): void {
  // Most answers list nothing unprocessed: no set made for them.
  if (answered.length === 0) return;
  const asked = new Set<unknown>(given);
  const seen = new Set<unknown>();
  for (const entry of answered) {
    if (!asked.has(entry) || seen.has(entry))
      throw new BackendError(
        `The backend's ${method} answered with entries that are not one of the entries it was given, or one twice (found and unprocessed, say): a backend returns each entry object itself, once`,
      );
    seen.add(entry);
  }
}

/**
 * Whether a failed `batchWrite` was refused whole: backends check a request before they write
 * any of it (an item too long for an index, one past the engine's size), and report what they
 * refuse as these errors, as engines refuse a request on a missing table, on one made for
 * another spec, one they may not touch, or one they throttle (an engine under load writes
 * nothing of a request it throttles); and a request never sent (to an engine that could not be
 * reached, or by a client that could not send it: `notSent`) was not written either, nor was
 * one the engine answered with an error that undoes all of it (`notApplied`). An engine's other
 * failures (`BackendError`) may have come in flight.
 */
function refusedWhole(error: unknown): boolean {
  return (
    ThrottledError.isInstance(error) ||
    UnreachableError.isInstance(error) ||
    AccessDeniedError.isInstance(error) ||
    TableNotFoundError.isInstance(error) ||
    TableMismatchError.isInstance(error) ||
    InvalidRequestError.isInstance(error) ||
    ValidationError.isInstance(error) ||
    UnsupportedOperationError.isInstance(error) ||
    // A backend built on an earlier core says `notSent` only.
    (BackendError.isInstance(error) && (error.notApplied === true || error.notSent === true))
  );
}

function describeEntry(model: ModelDescriptor, entry: BatchWriteEntry): UnprocessedEntry {
  const key = 'put' in entry ? keyOfItem(model, entry.put) : entry.delete;
  return {
    model: model.name,
    table: model.table.name,
    action: 'put' in entry ? 'put' : 'delete',
    key,
  };
}
