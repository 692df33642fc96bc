import type { StoredItem, StoredValue } from '@macaron/core';
import { quotedName, setOwnProperty, shownJson, shownText } from '@macaron/core/backend';
import { hasLongNumberRun, parseExactJson, parseJsonbTextExactly } from './exact-json.js';
import { pointerSteps } from './json-pointer.js';
import { checkMembersNamedOnce } from './member-names.js';
import { hasNul, unescapeJsonString } from './nul-escape.js';

type Container = Record<string, StoredValue> | StoredValue[];

/**
 * Reads an item back from its `item` column as jsonb text (see `selectItem`) and its `item_types`
 * annotations (see `encodeItem`). Rows written by plain SQL without annotations load as plain
 * JSON. `stored`, for a table another client made with `json` columns: the item's text as its
 * `json` column holds it (when it is one), and whether `item_types` is one, whose texts may
 * name a member twice, which the item cannot be read exactly with (see
 * `checkMembersNamedOnce`).
 */
export function decodeItem(
  json: string | null,
  types: string | null | undefined,
  stored?: StoredTexts,
): StoredItem {
  // A table another client made may let its item column be NULL.
  if (json === null)
    throw unfit(new TypeError('The row holds no item (its item column is NULL)'), 'no-item');
  try {
    if (stored !== undefined) {
      if (typeof stored.item === 'string') checkMembersNamedOnce(stored.item, 'the stored item');
      if (stored.types && types) checkMembersNamedOnce(types, 'its item_types');
    }
    return decodeText(json, types);
  } catch (error) {
    // The text goes with the error, for a message that names the row (see `keyInText`).
    if (error instanceof Error) Object.defineProperty(error, 'itemText', { value: json });
    throw error;
  }
}

/**
 * Why a row holds no item at all, in words SQL can tell of its rows too (see `unfitRowsSql`):
 * its item column NULL, no JSON object, or an item of another key than its key columns'.
 */
export type RowUnfitness = 'no-item' | 'not-object' | 'other-key';

const unfitnessOf = new WeakMap<object, RowUnfitness>();

function unfit(error: TypeError, unfitness: RowUnfitness): TypeError {
  unfitnessOf.set(error, unfitness);
  return error;
}

/** The `RowUnfitness` a failure of `decodeItem` stands for; undefined for any other. */
export function rowUnfitness(error: unknown): RowUnfitness | undefined {
  return typeof error === 'object' && error !== null ? unfitnessOf.get(error) : undefined;
}

/** The texts of a row's `json` columns (see `decodeItem`). */
export interface StoredTexts {
  /** The item's text as its `json` column holds it: undefined for a `jsonb` column. */
  readonly item?: string | null | undefined;
  /** Whether the `item_types` column is `json` (its text then as the column holds it). */
  readonly types: boolean;
}

/**
 * The named attributes of an item whose other attributes may not be read exactly (a number no
 * JavaScript number holds, which another client wrote): undefined when one of these cannot be,
 * or when the item or its annotations cannot be read at all.
 */
export function decodeAttributes(
  json: string | null,
  types: string | null | undefined,
  names: readonly string[],
): StoredItem | undefined {
  if (json === null) return undefined;
  const inexact: StoredValue = {};
  try {
    const item = decodeText(json, types, inexact);
    const picked: StoredItem = {};
    for (const name of names) {
      if (!Object.hasOwn(item, name)) continue;
      const value = item[name]!;
      if (value === inexact) return undefined;
      setOwnProperty(picked, name, value);
    }
    return picked;
  } catch {
    return undefined;
  }
}

// `inexactMark`: put in place of a number no JavaScript number holds, rather than failing.
function decodeText(
  json: string,
  types: string | null | undefined,
  inexactMark?: StoredValue,
): StoredItem {
  const item =
    inexactMark === undefined ? parseJsonbTextExactly(json) : parseExactJson(json, inexactMark);
  return typedItem(item, types);
}

// A parsed item with its annotations applied (`types`: its item_types text, if any).
function typedItem(item: StoredValue, types: string | null | undefined): StoredItem {
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    throw unfit(new TypeError('The stored item is not a JSON object'), 'not-object');
  const annotations = types ? JSON.parse(types) : null;
  if (annotations !== null) applyTypes(item as StoredItem, checkedAnnotations(annotations));
  return item as StoredItem;
}

// item_types written by another client: a map of pointers to codes, or nothing is sure.
function checkedAnnotations(annotations: unknown): Record<string, string> {
  if (typeof annotations !== 'object' || Array.isArray(annotations))
    throw new TypeError('item_types is not a JSON object of pointers to type codes');
  // Codes as Macaron writes them: never empty (an unmarked value has no pointer at all).
  for (const code of Object.values(annotations as Record<string, unknown>))
    if (typeof code !== 'string' || !/^(?:K|K?(?:B|Z|SSZ|SS|NS|BS))$/.test(code))
      throw new TypeError(
        `item_types holds an unknown type code ${typeof code === 'string' ? quotedName(code) : shownJson(code)}`,
      );
  return annotations as Record<string, string>;
}

// One set member twice (`1` and `1.0`, `"a"` and `"a"`) would merge: the set is not one.
function distinct<T>(set: Set<T>, members: readonly unknown[], pointer: string): Set<T> {
  if (set.size !== members.length)
    throw new TypeError(`the set at ${shownText(pointer)} holds one member twice`);
  return set;
}

/**
 * What separates the items' texts of an aggregated page (see `selectItemsAsOneRow`): a comma and
 * a line feed, which jsonb's text never holds unescaped, so that the page reads as one JSON list.
 */
export const pageItemSeparator = ',\n';

/**
 * Reads back the items of an aggregated page (see `PageQuery`): `items`, their JSON texts
 * separated by `pageItemSeparator` (an empty item text: a NULL item), and `types`, their
 * annotations (empty for none) separated by U+0001; both `null` for an empty page. A page no
 * number of which could round is parsed at once, as a list; any other, or one that fails so,
 * item by item, so only an item that could round takes the exact parser's slower path and a
 * failure names its item. `stored`: as for `decodeItem`, with the items' texts as their `json`
 * column holds them, separated by U+0001.
 */
export function decodeItemPage(
  items: string | null,
  types: string | null,
  stored?: StoredTexts,
): StoredItem[] {
  if (items === null) return [];
  const annotations = (types ?? '').split('\u0001');
  if (stored === undefined) {
    const page = pageAtOnce(items, annotations);
    if (page !== undefined) return page;
  }
  const texts = items.split(pageItemSeparator);
  if (annotations.length !== texts.length)
    throw new TypeError('The page has not one annotation per item');
  const storedItems = typeof stored?.item === 'string' ? stored.item.split('\u0001') : undefined;
  if (storedItems !== undefined && storedItems.length !== texts.length)
    throw new TypeError('The page has not one stored text per item');
  return texts.map((text, position) =>
    decodeItem(
      text === '' ? null : text,
      annotations[position],
      stored && { item: storedItems?.[position], types: stored.types },
    ),
  );
}

// The page's items parsed as one list (one call into the JSON parser instead of one an item),
// or undefined when they must be read one by one: a number could round, an item is NULL or no
// object, an annotation does not apply, or the counts differ (each then fails as it should).
function pageAtOnce(items: string, annotations: readonly string[]): StoredItem[] | undefined {
  if (hasLongNumberRun(items)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(`[${items}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== annotations.length) return undefined;
  try {
    for (let position = 0; position < parsed.length; position++)
      typedItem(parsed[position] as StoredValue, annotations[position]);
  } catch {
    return undefined;
  }
  return parsed as StoredItem[];
}

function applyTypes(item: StoredItem, types: Record<string, string>): void {
  const renames: string[] = [];
  for (const pointer of Object.keys(types)) {
    let code = types[pointer]!;
    if (code.startsWith('K')) {
      renames.push(pointer);
      code = code.slice(1);
    }
    if (code === '') continue;
    const steps = stepsOf(pointer);
    const container = parentOf(item, steps);
    const last = steps[steps.length - 1]!;
    const value = read(container, last);
    write(container, last, typed(value, code, pointer));
  }
  renameKeys(item, renames);
}

/**
 * Gives the keys marked `K` their names back, deepest first, so that the pointers of what is
 * above still name escaped keys. The keys of one depth are all taken out before any is put
 * back: a name given back may be the stored name of a key not yet renamed.
 */
function renameKeys(item: StoredItem, pointers: readonly string[]): void {
  const byDepth = new Map<
    number,
    { container: Record<string, StoredValue>; last: string; pointer: string }[]
  >();
  for (const pointer of pointers) {
    const steps = stepsOf(pointer);
    const container = parentOf(item, steps);
    if (Array.isArray(container))
      throw new TypeError(`item_types marks ${shownText(pointer)} as a map key, in a list`);
    const entry = { container, last: steps[steps.length - 1]!, pointer };
    const depth = byDepth.get(steps.length);
    if (depth) depth.push(entry);
    else byDepth.set(steps.length, [entry]);
  }
  const renamed = new Map<Record<string, StoredValue>, Set<string>>();
  for (const depth of [...byDepth.keys()].sort((left, right) => right - left)) {
    const taken = byDepth.get(depth)!.map(({ container, last, pointer }) => {
      const value = read(container, last);
      if (value === undefined)
        throw new TypeError(`item_types names ${shownText(pointer)}, which the item does not have`);
      delete container[last];
      return { container, name: unescapeJsonString(last), value, pointer };
    });
    // A name given back that a key of the map holds already: one of the two would be lost.
    for (const { container, name, value, pointer } of taken) {
      if (Object.hasOwn(container, name))
        throw new TypeError(
          `the map key item_types gives back at ${shownText(pointer)} is the name of another key of its map`,
        );
      write(container, name, value);
      let names = renamed.get(container);
      if (names === undefined) renamed.set(container, (names = new Set()));
      names.add(name);
    }
  }
  // As Macaron writes them: a map with a name holding U+0000 has every such name, and every
  // name holding a backslash, escaped and marked; any other map none. Read otherwise, a
  // write-back would change the stored text.
  for (const [container, names] of renamed) {
    if (![...names].some(hasNul))
      throw new TypeError('item_types marks map keys as escaped in a map without U+0000');
    for (const name of Object.keys(container))
      if ((hasNul(name) || name.includes('\\')) && !names.has(name))
        throw new TypeError('item_types leaves a map key holding a backslash unescaped');
  }
}

function typed(value: StoredValue | undefined, code: string, pointer: string): StoredValue {
  switch (code) {
    case 'B':
      if (typeof value === 'string') return bytes(value);
      break;
    case 'Z':
      // Macaron escapes a string only when it holds U+0000.
      if (typeof value === 'string') {
        const text = unescapeJsonString(value);
        if (hasNul(text)) return text;
      }
      break;
    case 'SS':
    case 'SSZ':
      // No engine stores an empty set (DynamoDB refuses one): a list another client marked so
      // has no set type to keep, and a write-back would have to make one up.
      if (isFilledList(value) && value.every((member) => typeof member === 'string')) {
        const members = code === 'SSZ' ? (value as string[]).map(unescapeJsonString) : value;
        // Macaron escapes a set's members only when one of them holds U+0000.
        if (code === 'SSZ' && !(members as string[]).some(hasNul)) break;
        return distinct(new Set(members as string[]), value, pointer);
      }
      break;
    case 'NS':
      if (
        isFilledList(value) &&
        value.every((member) => typeof member === 'number' || typeof member === 'bigint')
      ) {
        const numbers = value as (number | bigint)[];
        // 1 and 1n, or 10 and 1e1, are one number: told apart by their decimal text.
        distinct(new Set(numbers.map(String)), numbers, pointer);
        return new Set(numbers);
      }
      break;
    case 'BS':
      if (isFilledList(value) && value.every((member) => typeof member === 'string')) {
        const members = (value as string[]).map(bytes);
        distinct(
          new Set(members.map((member) => Buffer.from(member).toString('hex'))),
          members,
          pointer,
        );
        return new Set(members);
      }
      break;
  }
  throw new TypeError(
    `item_types says ${code} at ${shownText(pointer)}, which the item does not hold`,
  );
}

function isFilledList(value: StoredValue | undefined): value is StoredValue[] {
  return Array.isArray(value) && value.length > 0;
}

function bytes(base64: string): Uint8Array {
  // Buffer.from skips what is not base64, and ignores the bits of the last character past
  // the bytes (`QR==` reads as `QQ==`): a text another client wrote wrong would change.
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64))
    throw new TypeError('a value item_types marks as bytes is not base64');
  const buffer = Buffer.from(base64, 'base64');
  if (base64.endsWith('=') && buffer.toString('base64') !== base64)
    throw new TypeError('a value item_types marks as bytes is not base64 as it is written');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice();
}

function stepsOf(pointer: string): string[] {
  const steps = pointerSteps(pointer);
  if (!steps)
    throw new TypeError(
      `item_types holds ${quotedName(pointer)}, which is not a pointer into the item`,
    );
  return steps;
}

function parentOf(item: StoredItem, steps: readonly string[]): Container {
  let current: StoredValue | undefined = item;
  for (const step of steps.slice(0, -1)) {
    if (current === null || typeof current !== 'object')
      throw new TypeError('item_types names a path the item does not have');
    current = read(current as Container, step);
  }
  if (current === null || typeof current !== 'object')
    throw new TypeError('item_types names a path the item does not have');
  return current as Container;
}

// A list's step is an index as RFC 6901 writes it (`0`, `12`; not `01`, `1e0`, ` 1` or ``).
function read(container: Container, step: string): StoredValue | undefined {
  if (Array.isArray(container)) return isIndex(step) ? container[Number(step)] : undefined;
  return Object.hasOwn(container, step) ? container[step] : undefined;
}

function isIndex(step: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(step);
}

function write(container: Container, step: string, value: StoredValue | undefined): void {
  if (value === undefined) throw new TypeError('item_types names a path the item does not have');
  if (Array.isArray(container)) container[Number(step)] = value;
  else
    Object.defineProperty(container, step, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
}
