import { types } from 'node:util';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  BackendError,
  InvalidRequestError,
  type StoredItem,
  type StoredValue,
  type TableDescriptor,
  ValidationError,
} from '@macaron/core';
import {
  parseExactNumber,
  perTable,
  quotedName,
  setOwnProperty,
  shownText,
} from '@macaron/core/backend';
import { numberText } from './number-text.js';

/**
 * DynamoDB supports nested attributes up to 32 levels deep ("Nested attribute depth",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
 */
const maxNestingDepth = 32;

/**
 * Marshals a stored value into DynamoDB's wire form. Core has validated it already, so
 * numbers are finite and exact: bigints and numbers are written as their exact digits.
 * Sets are DynamoDB's sets: strings as SS, numbers and bigints as NS, bytes as BS. A value
 * nested deeper than DynamoDB's 32 levels is an `InvalidRequestError` (checked before, as
 * every backend checks it: this is the last guard), never a stack overflow.
 */
export function toAttributeValue(value: StoredValue, path: Path = ''): AttributeValue {
  return marshal(value, path, undefined, 0);
}

/** Marshals an item (or key). */
export function toAttributeMap(item: StoredItem, path: Path = ''): Record<string, AttributeValue> {
  return marshalMap(item, path, 0);
}

// The value at `token` in `parent` (see `pathAt`: the path is built only for an error). No
// closure in here: one would make every call allocate a context for what it reads.
function marshal(
  value: StoredValue,
  parent: Path,
  token: string | number | undefined,
  depth: number,
): AttributeValue {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
    case 'bigint':
      return { N: numberText(value) };
    case 'boolean':
      return { BOOL: value };
    default:
      if (value === null) return { NULL: true };
      // A copy: the SDK reads the bytes when it sends, after the caller may have changed them.
      if (types.isUint8Array(value)) return { B: new Uint8Array(value) };
      if (types.isSet(value))
        return toSetValue(value as ReadonlySet<unknown>, pathAt(parent, token));
      if (depth > maxNestingDepth)
        throw new InvalidRequestError(
          `The value at ${shownPath(pathAt(parent, token))} is nested deeper than the ${maxNestingDepth} levels DynamoDB nests`,
        );
      if (Array.isArray(value)) return { L: marshalList(value, pathAt(parent, token), depth + 1) };
      return { M: marshalMap(value as StoredItem, pathAt(parent, token), depth + 1) };
  }
}

function marshalList(
  elements: readonly StoredValue[],
  path: Path,
  depth: number,
): AttributeValue[] {
  const list: AttributeValue[] = new Array(elements.length);
  for (let index = 0; index < elements.length; index++)
    list[index] = marshal(elements[index]!, path, index, depth);
  return list;
}

// The attributes of an item (at depth 0), or the members of a map at `depth`. The depth
// guard here is a looser last one: every write checks the item first (`checkItemToWrite`, nesting included).
function marshalMap(item: StoredItem, path: Path, depth: number): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value === undefined) continue;
    if (name === '__proto__') protoNamesMarshalled++;
    setOwnProperty(map, name, marshal(value, path, name, depth));
  }
  return map;
}

// Members named `__proto__` marshalled since the last `takeProtoNamesMarshalled()`: a write
// builds its request and sends it in one synchronous run, so a request that holds one finds
// the count above 0 (see `guardProtoNames`, which then counts them in the request itself; a
// count left by a request that failed before it was sent only costs that count). Counted as
// the maps are built, rather than by another walk of every request, which a batch of 25 items
// would pay in full.
let protoNamesMarshalled = 0;

/** The members named `__proto__` marshalled since the last call, and the count started again. */
export function takeProtoNamesMarshalled(): number {
  const count = protoNamesMarshalled;
  protoNamesMarshalled = 0;
  return count;
}

function toSetValue(set: ReadonlySet<unknown>, path: Path): AttributeValue {
  const members = [...set];
  if (members.length > 0 && members.every((member) => typeof member === 'string'))
    return { SS: members as string[] };
  if (
    members.length > 0 &&
    members.every((member) => typeof member === 'number' || typeof member === 'bigint')
  )
    return { NS: members.map((member) => numberText(member as number | bigint)) };
  if (members.length > 0 && members.every((member) => types.isUint8Array(member)))
    return { BS: (members as Uint8Array[]).map((member) => new Uint8Array(member)) };
  // Core refuses these before any backend is called; DynamoDB would refuse them too.
  throw new ValidationError('Cannot store the set', [
    {
      pointer: pathText(path),
      keyword: 'set',
      message: 'must be a non-empty set of strings, of numbers or of bytes',
    },
  ]);
}

/**
 * How a stored number that no JavaScript number holds exactly is read: `refuse` (a
 * `BackendError`) or `nearest` (the nearest number, by the backend user's choice).
 */
export type InexactNumbers = 'refuse' | 'nearest';

/**
 * Reads DynamoDB's wire form exactly: integers beyond 2^53 become bigint, and a number that
 * no JavaScript number holds exactly (more than 17 significant digits, written by another
 * client) is an error, never a silent rounding, unless `inexact` says to read the nearest
 * number. SS, NS and BS are read as `Set`s, so that a save writes them back as sets.
 */
export function fromAttributeValue(
  value: AttributeValue,
  path: Path = '',
  inexact: InexactNumbers = 'refuse',
  depth = 0,
): StoredValue {
  return readValue(value, path, undefined, inexact, depth);
}

// The value at `token` in `parent` (the value at `parent` itself, without a token): its path is
// built only for an error, not for every attribute read. No closure in here either: one would
// make every call allocate a context for what it reads.
function readValue(
  value: AttributeValue,
  parent: Path,
  token: string | number | undefined,
  inexact: InexactNumbers,
  depth: number,
): StoredValue {
  // The answers that carry items are JSON as the engine sent it (`keepAnswer`): each member's
  // type is checked here, where the SDK's parse no longer checks it.
  if (typeof value !== 'object' || value === null) throw unsupported(value, pathAt(parent, token));
  if (value.S !== undefined) {
    if (typeof value.S !== 'string') throw unsupported(value, pathAt(parent, token));
    return value.S;
  }
  if (value.N !== undefined) {
    if (typeof value.N !== 'string') throw unsupported(value, pathAt(parent, token));
    return readNumber(value.N, parent, token, inexact);
  }
  if (value.BOOL !== undefined) {
    if (typeof value.BOOL !== 'boolean') throw unsupported(value, pathAt(parent, token));
    return value.BOOL;
  }
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return ownBytes(value.B, parent, token);
  if (value.L !== undefined) {
    const path = pathAt(parent, token);
    if (!Array.isArray(value.L)) throw unsupported(value, path);
    if (depth >= maxReadDepth) throw tooDeep(path);
    return readList(value.L, path, inexact, depth + 1);
  }
  if (value.M !== undefined) {
    if (depth >= maxReadDepth) throw tooDeep(pathAt(parent, token));
    return readMap(value.M, parent, token, inexact, depth + 1);
  }
  if (value.SS !== undefined) {
    if (!isListOf(value.SS, 'string')) throw unsupported(value, pathAt(parent, token));
    return new Set(value.SS);
  }
  if (value.NS !== undefined) {
    if (!isListOf(value.NS, 'string')) throw unsupported(value, pathAt(parent, token));
    return readNumberSet(value.NS, pathAt(parent, token), inexact);
  }
  if (value.BS !== undefined) {
    if (!Array.isArray(value.BS)) throw unsupported(value, pathAt(parent, token));
    return readBytesSet(value.BS, pathAt(parent, token));
  }
  throw unsupported(value, pathAt(parent, token));
}

function pathAt(parent: Path, token: string | number | undefined): Path {
  return token === undefined ? parent : { parent, token };
}

function readList(
  elements: readonly AttributeValue[],
  path: Path,
  inexact: InexactNumbers,
  depth: number,
): StoredValue[] {
  const list: StoredValue[] = new Array(elements.length);
  for (let index = 0; index < elements.length; index++)
    list[index] = readValue(elements[index]!, path, index, inexact, depth);
  return list;
}

function readBytesSet(members: readonly unknown[], path: Path): Set<Uint8Array> {
  const set = new Set<Uint8Array>();
  for (const member of members) set.add(ownBytes(member, path, undefined));
  return set;
}

function isListOf(value: unknown, type: 'string'): boolean {
  return Array.isArray(value) && value.every((member) => typeof member === type);
}

function unsupported(value: unknown, path: Path): BackendError {
  const text = JSON.stringify(value, (_name, inner: unknown) =>
    types.isUint8Array(inner) ? `<${inner.length} bytes>` : inner,
  );
  return new BackendError(
    `Unsupported DynamoDB value at ${shownPath(path)}: ${shownText(String(text).slice(0, 200))}`,
  );
}

// Strict base64, as DynamoDB writes it: the SDK refused anything else, and Buffer skips the
// characters it does not know (bytes misread, which a save would write back).
const base64Text = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Bytes of their own: the SDK's are a view into Node's shared pool, which holds other items,
 * the raw response and the request's signing text. Base64 text where the answer was parsed
 * without the SDK (`keepAnswer`).
 */
function ownBytes(bytes: unknown, parent: Path, token: string | number | undefined): Uint8Array {
  if (types.isUint8Array(bytes)) return new Uint8Array(bytes);
  if (typeof bytes === 'string' && base64Text.test(bytes))
    return new Uint8Array(Buffer.from(bytes, 'base64'));
  throw new BackendError(
    `The stored bytes at ${shownPath(pathAt(parent, token))} are not base64: ${shownText(String(JSON.stringify(bytes)).slice(0, 60))}`,
  );
}

/** Reads an item (or key): every attribute an own property, `__proto__` included. */
export function fromAttributeMap(
  map: Record<string, AttributeValue>,
  path: Path = '',
  inexact: InexactNumbers = 'refuse',
  depth = 0,
): StoredItem {
  return readMap(map, path, undefined, inexact, depth);
}

function readMap(
  map: Record<string, AttributeValue>,
  parent: Path,
  token: string | number | undefined,
  inexact: InexactNumbers,
  depth: number,
): StoredItem {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    const path = pathAt(parent, token);
    throw unsupported(path === '' ? map : { M: map }, path);
  }
  // The map's own path, for its members' errors: one object a map, none an attribute.
  const path = pathAt(parent, token);
  const item: StoredItem = {};
  // `for…in` over the map's own names allocates nothing (`Object.keys`, an array a map); a
  // name inherited from a polluted prototype is not the answer's.
  for (const name in map) {
    if (!Object.hasOwn(map, name)) continue;
    setOwnProperty(item, name, readValue(map[name]!, path, name, inexact, depth));
  }
  return item;
}

// Far beyond DynamoDB's 32 levels, far within the call stack: an answer nested deeper (which
// `JSON.parse` reads) is no engine's item, and would overflow the stack as a `RangeError`.
const maxReadDepth = 256;

function tooDeep(path: Path): BackendError {
  return new BackendError(
    `The stored value at ${shownPath(path)} is nested deeper than ${maxReadDepth} levels, which no DynamoDB item is`,
  );
}

/** The attributes that are a key of the table or of one of its indexes. */
const keyNames = perTable((table): ReadonlySet<string> => {
  const keys = [table, ...table.indexes].flatMap((keyed) => [keyed.partitionKey, keyed.sortKey]);
  return new Set(keys.flatMap((key) => (key ? [key.name] : [])));
});

/**
 * Reads an item (or key) of `table`. Under `nearest`, its key attributes (the table's and its
 * indexes') are still read exactly or refused: a rounded key names another item, which a save
 * would create beside the stored one and a delete would miss, and a rounded cursor key would
 * resume a page elsewhere.
 */
export function readTableItem(
  map: Record<string, AttributeValue>,
  table: TableDescriptor,
  inexact: InexactNumbers,
): StoredItem {
  try {
    return inexact === 'refuse' ? fromAttributeMap(map, '', 'refuse') : readNearest(map, table);
  } catch (error) {
    // One such item fails a whole page or batch: say which item, so it can be found and fixed.
    if (!(error instanceof BackendError)) throw error;
    throw new BackendError(
      `${error.message}, in the item of ${table.name} ${keyText(map, table)}`,
      {
        cause: error,
      },
    );
  }
}

// Bytes as base64, as the SDK reads them or as the answer held them.
function base64Of(bytes: unknown): string {
  return types.isUint8Array(bytes)
    ? Buffer.from(bytes).toString('base64')
    : String(JSON.stringify(bytes));
}

// The item's key as DynamoDB's JSON shows it (`{"id":{"S":"a"}}`), bytes in base64; a line
// separator or a bidi control another client's key holds escaped too (JSON.stringify keeps them).
function keyText(map: Record<string, AttributeValue>, table: TableDescriptor): string {
  const key: Record<string, unknown> = {};
  for (const attribute of [table.partitionKey, table.sortKey]) {
    const value = attribute && map[attribute.name];
    if (value) key[attribute.name] = value.B ? { B: base64Of(value.B as unknown) } : value;
  }
  return `with key ${shownText(JSON.stringify(key))}`;
}

function readNearest(map: Record<string, AttributeValue>, table: TableDescriptor): StoredItem {
  const exact = keyNames(table);
  const item: StoredItem = {};
  for (const name of Object.keys(map))
    setOwnProperty(
      item,
      name,
      readValue(map[name]!, '', name, exact.has(name) ? 'refuse' : 'nearest', 0),
    );
  return item;
}

function readNumberSet(
  texts: readonly string[],
  path: Path,
  inexact: InexactNumbers,
): ReadonlySet<number | bigint> {
  const set = new Set<number | bigint>();
  for (const text of texts) set.add(readNumber(text, path, undefined, inexact));
  // Two spellings of one number (`1` and `1.0`, which some engines keep apart) would merge, and
  // so would two numbers read as one nearest number.
  if (set.size !== texts.length) {
    throw new BackendError(
      inexact === 'nearest'
        ? `The stored number set at ${shownPath(path)} holds two members read as one number: one number spelt twice, or two numbers whose nearest JavaScript number is the same`
        : `The stored number set at ${shownPath(path)} holds one number twice, spelt differently`,
    );
  }
  return set;
}

// A decimal as DynamoDB spells numbers (and as `parseExactNumber` reads them): asked only
// when that parse gives nothing, to tell text that is no number from one too precise.
const numberSyntax = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function readNumber(
  text: string,
  parent: Path,
  token: string | number | undefined,
  inexact: InexactNumbers,
): number | bigint {
  // Up to 15 digits an integer is always a safe number: skip the exact decimal parse. `-0`
  // (boto3 writes it from `Decimal('-0')`, and some engines keep it) is 0: numbers have no
  // signed zero in DynamoDB, and Macaron never stores one.
  if (text.length <= 15 && /^-?\d+$/.test(text)) return Number(text) || 0;
  // DynamoDB refuses a number spelt with a `+`; moto stores it as sent.
  const unsigned = text.startsWith('+') && text[1] !== '-' ? text.slice(1) : text;
  const number = parseExactNumber(unsigned);
  if (number === undefined) {
    if (!numberSyntax.test(unsigned))
      throw new BackendError(
        `The stored number ${quotedName(text)} at ${shownPath(pathAt(parent, token))} is not a number`,
      );
    // Integers are exact as bigints: only a fraction of more than 17 significant digits is
    // here, or an exponent past any engine's (moto stores `1E+1000000000` as sent), which has
    // no nearest number either.
    const nearest = Number(unsigned) || 0;
    if (!Number.isFinite(nearest))
      throw new BackendError(
        `The stored number ${text} at ${shownPath(pathAt(parent, token))} is beyond what a JavaScript number holds`,
      );
    if (inexact === 'nearest') {
      // Beyond 2^53 the nearest number is an integer, which Macaron holds as a bigint there
      // (as a number, the object's next save would be refused).
      return Number.isSafeInteger(nearest) || !Number.isInteger(nearest)
        ? nearest
        : BigInt(nearest);
    }
    throw new BackendError(
      `The stored number ${text} at ${shownPath(pathAt(parent, token))} has more precision than a JavaScript number holds`,
    );
  }
  return number;
}

/**
 * Where a value is in its item, for error messages only: spelt out as a JSON pointer when
 * an error is thrown, so reading and writing valid items builds no path strings.
 */
type Path = string | { readonly parent: Path; readonly token: string | number };

// A path as a message shows it (escaped where a stored name holds a line break or a bidi control).
function shownPath(path: Path): string {
  return shownText(pathText(path)) || '/';
}

// A JSON pointer (RFC 6901): `~` and `/` in a name are escaped.
function pathText(path: Path): string {
  if (typeof path === 'string') return path;
  const token = String(path.token).replaceAll('~', '~0').replaceAll('/', '~1');
  return `${pathText(path.parent)}/${token}`;
}
