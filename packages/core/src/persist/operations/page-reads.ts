import {
  pagesOf,
  type QueryOptions,
  type ResultPage,
  readPage,
  type ScanOptions,
} from '../query-pages.js';
import { resultPage } from '../result-page.js';
import type { StoredItem } from '../stored-value.js';
import type { Constructor, ModelRuntime } from './model-runtime.js';

/** One page of a query or a scan, as objects of `type`. */
export async function readObjectPage<M>(
  runtime: ModelRuntime,
  type: Constructor<M>,
  kind: 'query' | 'scan',
  options: QueryOptions | ScanOptions,
): Promise<ResultPage<M>> {
  const page = await readPage(runtime.context, runtime.model, kind, options);
  const items = page.items.map((item) => runtime.instantiate(type, item));
  return resultPage(items, page.cursor);
}

/** Every object of a query or a scan, one page held at a time (a page as `readPage` reads it). */
export function walkObjects<M>(
  runtime: ModelRuntime,
  type: Constructor<M>,
  kind: 'query' | 'scan',
  options: QueryOptions | ScanOptions,
): AsyncGenerator<M> {
  // The pages are walked from the options as they are at this call (see `pagesOf`).
  return objectsOf(runtime, type, pagesOf(runtime.context, runtime.model, kind, options));
}

async function* objectsOf<M>(
  runtime: ModelRuntime,
  type: Constructor<M>,
  pages: AsyncGenerator<StoredItem[]>,
): AsyncGenerator<M> {
  for await (const items of pages) for (const item of items) yield runtime.instantiate(type, item);
}
