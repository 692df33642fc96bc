import { inspect } from 'node:util';
import type { ResultPage } from './query-pages.js';

/**
 * The page callers get. Its cursor is encrypted when first read (most pages shown are never
 * paged on from), and from then on, or once assigned, it is a plain data property: an own
 * enumerable string for spread, JSON, descriptors and `Object.freeze`, as if it had always been
 * one; `util.inspect` (console.log) shows it too.
 */
export function resultPage<M>(items: M[], cursor: (() => string) | undefined): ResultPage<M> {
  if (cursor === undefined) return { items };
  const page: ResultPage<M> = {
    items,
    get cursor() {
      return settle(this, cursor());
    },
    set cursor(value: string | undefined) {
      // A frozen page keeps its accessor: it refuses the change as a frozen property would.
      if (Object.isFrozen(this))
        throw new TypeError("Cannot assign to read only property 'cursor' of object");
      settle(this, value);
    },
  };
  Object.defineProperty(page, inspect.custom, { value: inspectPage });
  return page;
}

function settle<M>(page: ResultPage<M>, value: string | undefined): string | undefined {
  if (!Object.isFrozen(page))
    Object.defineProperty(page, 'cursor', {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  return value;
}

// What util.inspect shows: the page's properties, the cursor read.
function inspectPage(this: ResultPage<unknown>): object {
  return { ...this };
}
