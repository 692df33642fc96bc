import {
  pagesOf,
  type QueryOptions,
  type ResultPage,
  readPage,
  type ScanOptions,
} from '../query-pages.js';
import { resultPage } from '../result-page.js';
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

/** Every object of a query or a scan, page by page, with bounded memory. */
export async function* walkObjects<M>(
  runtime: ModelRuntime,
  type: Constructor<M>,
  kind: 'query' | 'scan',
  options: QueryOptions | ScanOptions,
): AsyncGenerator<M> {
  for await (const items of pagesOf(runtime.context, runtime.model, kind, options))
    for (const item of items) yield runtime.instantiate(type, item);
}
