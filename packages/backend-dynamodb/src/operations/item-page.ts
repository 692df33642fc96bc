import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BackendError, type ItemKey, type TableDescriptor } from '@macaron/core';
import { type Page, setOwnProperty } from '@macaron/core/backend';
import { fromAttributeMap, type InexactNumbers, readTableItem } from '../values/attribute-value.js';

type RawItem = Record<string, AttributeValue>;

/** What a Query or a Scan answers: the items of one page and the key it stopped at. */
export interface PageAnswer {
  Items?: RawItem[] | undefined;
  LastEvaluatedKey?: RawItem | undefined;
}

/**
 * The page of a Query's or a Scan's answer, `read` asking for the next answer from a key.
 *
 * The key an answer stopped at is the cursor's, unless it holds a number no JavaScript value
 * holds exactly (written by another client: a precise decimal, an exponent no double reaches),
 * which no cursor carries. Only an item the filter set aside can be there (another model's,
 * or one the caller's filter leaves out): one of this model's would have failed the page. The
 * page then ends at its last item, whose key is exact: what was evaluated after it is evaluated
 * again by the next page, and set aside again. A page without an item reads on from that key.
 * `keyNames`: the key attributes of what is read (an index's, then the table's).
 */
export async function itemPage(
  first: PageAnswer,
  read: (startKey: RawItem) => Promise<PageAnswer>,
  table: TableDescriptor,
  keyNames: readonly string[],
  inexact: InexactNumbers,
): Promise<Page> {
  for (let answer = first; ; ) {
    const raw = answer.Items ?? [];
    const items = raw.map((item) => readTableItem(item, table, inexact));
    const stoppedAt = answer.LastEvaluatedKey;
    if (!stoppedAt) return { items };
    const lastKey = cursorKey(stoppedAt);
    if (lastKey) return { items, lastKey };
    const last = raw[raw.length - 1];
    if (last) return { items, lastKey: keyOf(last, keyNames) };
    answer = await read(stoppedAt);
  }
}

// The key a page stopped at, read exactly; undefined when no cursor can carry it.
function cursorKey(key: RawItem): ItemKey | undefined {
  try {
    return fromAttributeMap(key) as ItemKey;
  } catch (error) {
    if (error instanceof BackendError) return undefined;
    throw error;
  }
}

function keyOf(item: RawItem, keyNames: readonly string[]): ItemKey {
  const key: RawItem = {};
  // An own property even under the name `__proto__`, which an assignment would not make.
  for (const name of keyNames)
    if (Object.hasOwn(item, name)) setOwnProperty(key, name, item[name]!);
  return fromAttributeMap(key) as ItemKey;
}
