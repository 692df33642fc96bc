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
  // What was assigned to a page whose accessor stays (sealed: it can no longer be redefined).
  let assigned: { value: string | undefined } | undefined;
  const page: ResultPage<M> = {
    items,
    get cursor() {
      return settle(this, assigned ? assigned.value : cursor());
    },
    set cursor(value: string | undefined) {
      // A frozen page keeps its accessor: it refuses the change as a frozen property would.
      if (Object.isFrozen(this))
        throw new TypeError("Cannot assign to read only property 'cursor' of object");
      assigned = { value };
      settle(this, value);
    },
  };
  Object.defineProperty(page, inspect.custom, { value: inspectPage });
  return page;
}

// The cursor as a data property, where the page still lets it be redefined (not sealed).
function settle<M>(page: ResultPage<M>, value: string | undefined): string | undefined {
  if (Object.getOwnPropertyDescriptor(page, 'cursor')?.configurable)
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
