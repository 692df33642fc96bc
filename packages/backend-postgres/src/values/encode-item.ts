import type { StoredItem, StoredValue } from '@macaron/core';
import { pointerStep } from './json-pointer.js';
import { escapeJsonString, hasNul } from './nul-escape.js';

/** An item as two JSON texts: the object's own JSON, and what JSON cannot say about it. */
export interface EncodedItem {
  /** The item as JSON: bytes as base64, sets as lists, bigints as JSON numbers. */
  readonly json: string;
  /**
   * `null`, or a JSON object mapping JSON pointers to the type JSON lost there: `B` bytes
   * (base64), `SS` / `NS` / `BS` sets, `Z` a string holding U+0000 (escaped), `K` a map
   * key holding U+0000 (escaped); codes combine (`KB`).
   */
  readonly types: string | null;
}

type Annotations = [pointer: string, code: string][];

/**
 * Encodes an item for the `item` and `item_types` columns. `jsonAlone`: the item is known to hold
 * JSON's values alone (`checkJsonItemToWrite` said so, and nothing ran since), which is then
 * not walked again to find out.
 */
export function encodeItem(item: StoredItem, jsonAlone = false): EncodedItem {
  // Most items hold nothing JSON loses (no bytes, sets, bigints or U+0000): JSON.stringify
  // writes exactly what the walk below would, with no pointer built on the way. It writes
  // U+0000 as `\u0000`, which a string or a name holding one shows in its JSON (a backslash
  // before `u0000` in a string shows too, and takes the walk, which writes it right).
  if (jsonAlone || isPlainJson(item, 0)) {
    const json = JSON.stringify(item);
    if (!json.includes('\\u0000')) return { json, types: null };
  }
  const annotations: Annotations = [];
  const json = encodeMap(item, '', annotations, 0);
  if (annotations.length === 0) return { json, types: null };
  const types: Record<string, string> = {};
  for (const [pointer, code] of annotations) types[pointer] = (types[pointer] ?? '') + code;
  return { json, types: JSON.stringify(types) };
}

// Past this depth the walk below takes over (JSON.stringify overflows some thousands deep).
const maxPlainDepth = 64;

/**
 * True when JSON.stringify writes the value exactly as `encodeValue`, without annotations,
 * unless a string or a name holds U+0000 (which the caller sees in the JSON).
 */
function isPlainJson(value: StoredValue, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > maxPlainDepth || value instanceof Uint8Array || value instanceof Set) return false;
  if (Array.isArray(value)) {
    for (const element of value)
      if (element === undefined || !isPlainJson(element, depth + 1)) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const map = value as StoredItem;
  for (const name of Object.keys(map)) {
    const member = map[name];
    if (member !== undefined && !isPlainJson(member, depth + 1)) return false;
  }
  return true;
}

// Past this depth a value is written in a loop (`encodeInLoop`), not by recursion.
const maxRecursiveDepth = 64;

/** The JSON of a value, with what JSON loses in it added to `annotations` in document order. */
function encodeValue(
  value: StoredValue,
  pointer: string,
  annotations: Annotations,
  depth: number,
): string {
  if (value === null || typeof value !== 'object') return encodeLeaf(value, pointer, annotations);
  if (value instanceof Uint8Array || value instanceof Set)
    return encodeLeaf(value, pointer, annotations);
  if (depth > maxRecursiveDepth) return encodeInLoop(value, pointer, annotations);
  if (Array.isArray(value)) {
    const parts = new Array<string>(value.length);
    for (let index = 0; index < value.length; index++)
      parts[index] = encodeValue(
        value[index] as StoredValue,
        `${pointer}/${index}`,
        annotations,
        depth + 1,
      );
    return `[${parts.join(',')}]`;
  }
  return encodeMap(value as StoredItem, pointer, annotations, depth);
}

function encodeMap(
  map: StoredItem,
  pointer: string,
  annotations: Annotations,
  depth: number,
): string {
  const parts: string[] = [];
  const names = Object.keys(map);
  const escapesNames = names.some(hasNul);
  for (const name of names) {
    const value = map[name];
    if (value === undefined) continue;
    const stored = escapesNames ? storedName(name) : name;
    const inner = `${pointer}/${pointerStep(stored)}`;
    if (stored !== name) annotations.push([inner, 'K']);
    parts.push(`${JSON.stringify(stored)}:${encodeValue(value, inner, annotations, depth + 1)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * A map's name as stored. A name holding U+0000 is stored escaped, which could spell a name
 * the map also holds (`a` U+0000 escapes to `a\0`, a name of its own): in a map that has one,
 * every name holding a backslash is escaped (and marked `K`) too, so that no two stored
 * names meet.
 */
function storedName(name: string): string {
  return hasNul(name) || name.includes('\\') ? escapeJsonString(name) : name;
}

enum Step {
  value,
  text,
  escapedName,
}

/**
 * What `encodeValue` writes, at any depth: with a stack of its own instead of the call stack.
 * PostgreSQL holds items nested far deeper than DynamoDB's 32 levels (another client wrote
 * them; an update writes them back), and writing one must not overflow. The stack holds what
 * is left to write, the next on top: a value at its pointer, or text (a map member's name,
 * whose pointer is marked `K` when the name is escaped).
 */
function encodeInLoop(root: StoredValue, rootPointer: string, annotations: Annotations): string {
  const parts: string[] = [];
  // Three stacks in step: a value or text, its pointer, and which it is.
  const values: StoredValue[] = [root];
  const pointers: string[] = [rootPointer];
  const steps: Step[] = [Step.value];
  const push = (value: StoredValue, pointer: string, step: Step) => {
    values.push(value);
    pointers.push(pointer);
    steps.push(step);
  };
  while (values.length > 0) {
    const value = values.pop()!;
    const pointer = pointers.pop()!;
    const step = steps.pop()!;
    if (step !== Step.value) {
      if (step === Step.escapedName) annotations.push([pointer, 'K']);
      parts.push(value as string);
    } else if (
      value === null ||
      typeof value !== 'object' ||
      value instanceof Uint8Array ||
      value instanceof Set
    )
      parts.push(encodeLeaf(value, pointer, annotations));
    else if (Array.isArray(value)) {
      // Pushed last first, to be written in order.
      parts.push('[');
      push(']', '', Step.text);
      for (let index = value.length - 1; index >= 0; index--) {
        push(value[index] as StoredValue, `${pointer}/${index}`, Step.value);
        if (index > 0) push(',', '', Step.text);
      }
    } else {
      const map = value as StoredItem;
      const names = Object.keys(map);
      const escapesNames = names.some(hasNul);
      const written = names.filter((name) => map[name] !== undefined);
      parts.push('{');
      push('}', '', Step.text);
      for (let position = written.length - 1; position >= 0; position--) {
        const name = written[position]!;
        const stored = escapesNames ? storedName(name) : name;
        const inner = `${pointer}/${pointerStep(stored)}`;
        push(map[name]!, inner, Step.value);
        const text = `${position > 0 ? ',' : ''}${JSON.stringify(stored)}:`;
        push(text, inner, stored === name ? Step.text : Step.escapedName);
      }
    }
  }
  return parts.join('');
}

function encodeLeaf(value: StoredValue, pointer: string, annotations: Annotations): string {
  switch (typeof value) {
    case 'string':
      if (hasNul(value)) {
        annotations.push([pointer, 'Z']);
        return JSON.stringify(escapeJsonString(value));
      }
      return JSON.stringify(value);
    case 'number':
      // Core never stores NaN, ±Infinity or -0; String() of a double reads back exactly.
      if (!Number.isFinite(value)) throw new TypeError(`${value} cannot be stored`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value === null) return 'null';
  if (value instanceof Uint8Array) {
    annotations.push([pointer, 'B']);
    return `"${base64(value)}"`;
  }
  if (value instanceof Set)
    return encodeSet(value as ReadonlySet<StoredValue>, pointer, annotations);
  throw new TypeError(`${String(value)} cannot be stored`);
}

function encodeSet(set: ReadonlySet<StoredValue>, pointer: string, annotations: Annotations) {
  const members = [...set];
  // No engine stores an empty set, and its list would say nothing of its type.
  if (members.length === 0) throw new TypeError('An empty set cannot be stored');
  const first = members[0];
  if (first instanceof Uint8Array) {
    annotations.push([pointer, 'BS']);
    return `[${members.map((member) => `"${base64(member as Uint8Array)}"`).join(',')}]`;
  }
  if (typeof first === 'string') {
    // A member holding U+0000 is escaped; `Z` on the set says its members are.
    const escaped = members.some((member) => hasNul(member as string));
    annotations.push([pointer, escaped ? 'SSZ' : 'SS']);
    return `[${members
      .map((member) => JSON.stringify(escaped ? escapeJsonString(member as string) : member))
      .join(',')}]`;
  }
  annotations.push([pointer, 'NS']);
  return `[${members.map((member) => String(member)).join(',')}]`;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
