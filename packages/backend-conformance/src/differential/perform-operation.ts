import type { Api, Condition, PersistentModelClass } from '@macaron/core';
import { byJson, plain } from './comparable-value.js';
import type { DifferentialOperation } from './differential-operation.js';
import { type DifferentialOutcome, errorOutcome } from './differential-outcome.js';
import type { DifferentialModelName } from './differential-spec.js';

type AnyModel = PersistentModelClass<Record<string, unknown>>;
type QueryOperation = Extract<DifferentialOperation, { op: 'query' }>;
type ScanOperation = Extract<DifferentialOperation, { op: 'scan' }>;
type TransactionOperation = Extract<DifferentialOperation, { op: 'transaction' }>;

// A bound on pages per walk, so that a backend whose cursor never ends fails instead of hanging.
const maxPages = 50;

/** Runs an operation and records its normalised result, or its error's class, code and details. */
export async function outcomeOf(
  api: Api,
  operation: DifferentialOperation,
): Promise<DifferentialOutcome> {
  try {
    return { value: await perform(api, operation) };
  } catch (error) {
    return errorOutcome(error);
  }
}

async function perform(api: Api, operation: DifferentialOperation): Promise<unknown> {
  const model = (name: DifferentialModelName) => api.persistent(name) as AnyModel;
  const conditionOption = (condition?: Condition) => (condition ? { condition } : {});
  switch (operation.op) {
    case 'create':
      return plain(await model(operation.model).create(operation.data));
    case 'save': {
      const Type = model(operation.model);
      const object = new Type(operation.data);
      await object.save(conditionOption(operation.condition));
      return plain(object);
    }
    case 'update':
      return plain(
        await model(operation.model).update(
          operation.key,
          operation.changes,
          conditionOption(operation.condition),
        ),
      );
    case 'delete':
      return model(operation.model).delete(operation.key, conditionOption(operation.condition));
    case 'get':
      return plain(await model(operation.model).get(operation.key, { consistent: true }));
    case 'exists':
      return model(operation.model).exists(operation.key, { consistent: true });
    case 'loadMany':
      return plain(await model('Item').loadMany(operation.keys, { consistent: true }));
    case 'query':
      return walkQuery(model('Item'), operation);
    case 'scan':
      return walkScan(model(operation.model), operation);
    case 'saveMany':
      await model('Item').saveMany(operation.items);
      return null;
    case 'deleteMany':
      await model('Item').deleteMany(operation.keys);
      return null;
    case 'getMany':
      return plain(await model('Item').getMany(operation.keys, { consistent: true }));
    case 'transaction':
      await runTransaction(api, operation);
      return null;
  }
}

/** Walks every page: the pages (sizes and whether a cursor came back) must agree too. */
async function walkQuery(Item: AnyModel, operation: QueryOperation): Promise<unknown> {
  const pages: unknown[][] = [];
  let cursor: string | undefined;
  do {
    const page = await Item.query({
      partition: operation.partition,
      ...(operation.index ? { index: operation.index } : {}),
      ...(operation.sort ? { sort: operation.sort } : {}),
      ...(operation.filter ? { filter: operation.filter } : {}),
      ...(operation.limit ? { limit: operation.limit } : {}),
      ...(operation.reverse ? { reverse: true } : {}),
      ...(cursor ? { cursor } : {}),
    });
    pages.push(plain(page.items) as unknown[]);
    cursor = page.cursor;
  } while (cursor && pages.length < maxPages);
  // A page that ends exactly at the end may carry a cursor (P-53): dynalite's does, moto's
  // does not always; the empty page after it is not compared.
  if (pages.length > 1 && pages.at(-1)?.length === 0) pages.pop();
  // With a filter, that page cannot be told from pages the filter emptied: drop them all.
  while (operation.filter && pages.length > 0 && pages.at(-1)?.length === 0) pages.pop();
  if (!operation.index) return pages;
  // DynamoDB leaves the order of index items with equal index keys unspecified (P-51):
  // compare the items with each run of equal sort values sorted, and the page sizes
  // without a filter (with one, which items a page drops depends on the order of ties).
  const runs = new Map<unknown, unknown[]>();
  for (const item of pages.flat() as Record<string, unknown>[])
    runs.set(item.rank, [...(runs.get(item.rank) ?? []), item]);
  return {
    ...(operation.filter ? {} : { pages: pages.map((page) => page.length) }),
    items: [...runs.values()].flatMap((run) => run.sort(byJson)),
  };
}

/** Scan order is the engine's: compare the set of items read, not the pages. */
async function walkScan(Type: AnyModel, operation: ScanOperation): Promise<unknown> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await Type.scan({
      ...(operation.index ? { index: operation.index } : {}),
      ...(operation.filter ? { filter: operation.filter } : {}),
      ...(operation.limit ? { limit: operation.limit } : {}),
      ...(cursor ? { cursor } : {}),
    });
    items.push(...(plain(page.items) as unknown[]));
    cursor = page.cursor;
    pages += 1;
  } while (cursor && pages < maxPages);
  return items.sort(byJson);
}

async function runTransaction(api: Api, operation: TransactionOperation): Promise<void> {
  const withCondition = (condition?: Condition) => (condition ? { condition } : undefined);
  await api.transaction((transaction) => {
    for (const action of operation.actions) {
      const Type = api.persistent(action.model) as AnyModel;
      switch (action.kind) {
        case 'create':
          transaction.create(new Type(action.data));
          break;
        case 'save':
          transaction.save(new Type(action.data));
          break;
        case 'update':
          transaction.update(Type, action.key, action.changes, withCondition(action.condition));
          break;
        case 'delete':
          transaction.delete(Type, action.key, withCondition(action.condition));
          break;
        case 'check':
          transaction.check(Type, action.key, action.condition);
          break;
      }
    }
  });
}
