import { SpecError, type SpecProblem } from '../errors/spec-error.js';
import { parseExactNumber } from '../schema/exact-number.js';
import { appendPointer, parsePointer } from '../schema/json-pointer.js';
import { jsonWithDigits } from '../schema/json-with-digits.js';
import type { SpecSyntaxNode } from './yaml-syntax-tree.js';

/**
 * A number literal of a spec file that no double holds, and no bigint either: a decimal with
 * more significant digits than a double keeps (`0.10000000000000000001`, read as 0.1).
 */
export class InexactSpecNumber {
  constructor(readonly text: string) {}
}

/** What a literal of a spec means where the parser's double says otherwise. */
type ExactReading = bigint | InexactSpecNumber;

// The exact values of the number literals the parser rounded, by the object that holds them and
// their key there. Kept beside the document rather than in it: the document stays JSON (it is
// served, copied and written out as such), and what reads a keyword for validation asks here.
const exactNumbers = new WeakMap<object, Map<string, ExactReading>>();

/**
 * The exact value of the number at `key` of `holder` in a spec document, when the parser
 * rounded the literal the file wrote: a bigint (`9007199254740993`, read as 2^53), or an
 * `InexactSpecNumber` for a decimal no number holds. Undefined where the parsed value is exact.
 */
export function exactSpecNumber(holder: object, key: string): ExactReading | undefined {
  return exactNumbers.get(holder)?.get(key);
}

/**
 * The value at `key` of an object of a loaded spec's document (a `default`, a `const`, an
 * `enum`), as the spec file wrote it and as Macaron's values hold it: an integer beyond 2^53
 * is a bigint, also inside an object or a list, whether its parser rounded it
 * (`9007199254740993`, read as 9007199254740992) or not (`9007199254740992`, `1e16`).
 * A decimal no number holds (`0.10000000000000000001`) throws a `SpecError` at `pointer`, the
 * place of the value in the document.
 */
export function writtenSpecValue(holder: object, key: string, pointer: string): unknown {
  const problems: SpecProblem[] = [];
  const value = specValueAt(holder, key, pointer, problems);
  if (problems.length > 0) throw new SpecError('Cannot read the spec exactly', problems);
  return withBigIntegers(value, 0);
}

// A value with each integer beyond 2^53 held in a number as a bigint: the spec says that
// integer (validation refuses such a number as one that may have been rounded).
function withBigIntegers(value: unknown, depth: number): unknown {
  if (typeof value === 'number')
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value !== 'object' || value === null || depth > maxRecordedDepth) return value;
  let copy: Record<string, unknown> | unknown[] | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const replaced = withBigIntegers(item, depth + 1);
    if (replaced === item) continue;
    copy ??= Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
    (copy as Record<string, unknown>)[key] = replaced;
  }
  return copy ?? value;
}

/** `writtenSpecValue`, with the problems of decimals no number holds added to `problems`. */
export function specValueAt(
  holder: object,
  key: string,
  pointer: string,
  problems: SpecProblem[],
): unknown {
  const value = (holder as Record<string, unknown>)[key];
  const exact = exactSpecNumber(holder, key);
  if (exact instanceof InexactSpecNumber) problems.push(inexactProblem(pointer, exact));
  else if (exact !== undefined && typeof value === 'number') return exact;
  return exactSpecValue(value, pointer, problems);
}

/**
 * A value of the spec (an `enum`'s, a `const`) with the exact value of every number the
 * parser rounded; the value itself when it holds none. `problems` gets one at each decimal no
 * number holds, under `pointer`.
 */
export function exactSpecValue(value: unknown, pointer: string, problems: SpecProblem[]): unknown {
  return exactCopy(value, pointer, problems, 0);
}

// A spec file nests at most 100 levels (js-yaml's bound): no number is recorded deeper, and an
// object given as the spec (which has none) is not walked down to its last level.
const maxRecordedDepth = 128;

function exactCopy(value: unknown, pointer: string, problems: SpecProblem[], depth: number) {
  if (typeof value !== 'object' || value === null || depth > maxRecordedDepth) return value;
  const recorded = exactNumbers.get(value);
  let copy: Record<string, unknown> | unknown[] | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const at = appendPointer(pointer, key);
    const exact = recorded?.get(key);
    let replaced: unknown = item;
    if (exact instanceof InexactSpecNumber) problems.push(inexactProblem(at, exact));
    else if (exact !== undefined && typeof item === 'number') replaced = exact;
    else replaced = exactCopy(item, at, problems, depth + 1);
    if (replaced === item) continue;
    copy ??= Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
    (copy as Record<string, unknown>)[key] = replaced;
  }
  return copy ?? value;
}

/** The problem of a decimal no number holds, used where validation would compare with it. */
export function inexactProblem(pointer: string, number: InexactSpecNumber): SpecProblem {
  return {
    pointer,
    message: `${number.text} has more significant digits than a number holds: it would be read as ${Number(number.text)}, and validation would compare with that; write it with 17 significant digits at most`,
  };
}

/**
 * Records the exact value of every number literal of a file that its parsed document holds
 * rounded, from the file's syntax tree: the tree keeps each literal's text, the document its
 * double. Walked by the tree, looked up in the document by key: what bundling has changed
 * since (a `$ref` made internal) is passed over.
 */
export function recordExactNumbers(tree: SpecSyntaxNode | undefined, parsed: unknown): void {
  const pending: { node: SpecSyntaxNode | undefined; value: unknown }[] = [
    { node: tree, value: parsed },
  ];
  // A map a merge key names is one object wherever merged (js-yaml copies its values, not
  // them): walked once, however many maps merge it.
  const walked = new Set<SpecSyntaxNode>();
  const entriesOf = new WeakMap<SpecSyntaxNode, Map<string, SpecSyntaxNode>>();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, value } = next;
    if (!node || walked.has(node) || typeof value !== 'object' || value === null) continue;
    walked.add(node);
    const visit = (key: string, written: SpecSyntaxNode) => {
      const item = (value as Record<string, unknown>)[key];
      if (written.kind !== 'scalar') pending.push({ node: written, value: item });
      // Whatever its tag (`!!int "…"`, a %TAG handle's `!e!int`): the document read it as a number.
      else if (typeof item === 'number') {
        const exact = exactReading(written.text, item);
        if (exact !== undefined) record(value, key, exact);
      }
    };
    if (node.kind === 'mapping') {
      for (const [key, written] of writtenEntries(node, entriesOf))
        if (Object.hasOwn(value, key)) visit(key, written);
    } else if (node.kind === 'sequence' && Array.isArray(value)) {
      for (const [index, item] of node.items.entries()) visit(String(index), item);
    }
    // An alias (`*name`) of an object or a list is its anchor's very value, recorded where the
    // anchor is written.
  }
}

/**
 * The literal each key of a mapping's object was read from, as js-yaml merges keys: its own
 * over all (the last of a key written twice), then of its merge keys' maps (`<<: *base`), the
 * first that has it (`<<: [*first, *second]`), with the keys those merge in turn. Another
 * map's literal of the same key may read as the same double and say another number.
 */
function writtenEntries(
  mapping: Extract<SpecSyntaxNode, { kind: 'mapping' }>,
  known: WeakMap<SpecSyntaxNode, Map<string, SpecSyntaxNode>>,
): Map<string, SpecSyntaxNode> {
  const cached = known.get(mapping);
  if (cached) return cached;
  const entries = new Map<string, SpecSyntaxNode>();
  for (const { key, value } of mapping.entries)
    if (key.kind === 'scalar') entries.set(key.text, value);
  for (const { key, value } of mapping.entries) {
    if (key.kind !== 'merge') continue;
    const source = aliased(value);
    for (const merged of source?.kind === 'sequence' ? source.items.map(aliased) : [source]) {
      if (merged?.kind !== 'mapping') continue;
      for (const [name, written] of writtenEntries(merged, known))
        if (!entries.has(name)) entries.set(name, written);
    }
  }
  known.set(mapping, entries);
  return entries;
}

function aliased(node: SpecSyntaxNode | undefined): SpecSyntaxNode | undefined {
  return node?.kind === 'alias' ? node.target : node;
}

function record(holder: object, key: string, exact: ExactReading): void {
  let recorded = exactNumbers.get(holder);
  if (!recorded) exactNumbers.set(holder, (recorded = new Map()));
  recorded.set(key, exact);
}

const integerLiteral = /^[-+]?(?:\d+|0x[\da-f]+|0o[0-7]+)$/i;
const decimalLiteral = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

/**
 * What a literal means where the double `read` from it is another number; undefined where the
 * double is the literal's value. An integer is read exactly (`9007199254740993`, read as 2^53;
 * `9223372036854775807`, read as 2^63; `1e23`, read as 99999999999999991611392), as the
 * integers of values are; a fraction means the double it reads as when it is that double's
 * decimal, written shortest (`0.1`, as everywhere in Macaron), and nothing Macaron can hold when
 * it has more digits (`0.10000000000000000001`).
 */
export function exactReading(text: string, read: number): ExactReading | undefined {
  if (!Number.isFinite(read)) return undefined; // `.inf`, `.nan`: `macaron lint` reports them
  const literal = text.trim().replace(/^\+/, '');
  // Most numbers of a spec: a safe integer written as one.
  if (Number.isSafeInteger(read) && integerLiteral.test(literal)) return undefined;
  let written: number | bigint | undefined;
  if (integerLiteral.test(literal)) {
    const negative = literal.startsWith('-');
    const magnitude = BigInt(negative ? literal.slice(1) : literal);
    written = negative ? -magnitude : magnitude;
  } else if (decimalLiteral.test(literal)) written = parseExactNumber(literal);
  else return undefined; // no literal Macaron knows (a tagged scalar): nothing tells
  // A literal js-yaml read as another number than this one tells nothing of it.
  if (Number(written ?? literal) !== read) return undefined;
  if (written === undefined) return new InexactSpecNumber(literal);
  // A number `parseExactNumber` gives is the double read itself; an integer beyond 2^53 is a
  // bigint, read as a double of the same magnitude (an integer too).
  if (typeof written === 'number' || written === BigInt(read)) return undefined;
  return written;
}

/**
 * The exact numbers recorded in a document (integers a double rounds, and decimals with more
 * digits than it holds), by JSON pointer, written as decimal text: what a
 * compiled spec keeps beside its document (JSON written from doubles), to be read exactly again
 * (see `restoreExactNumbers`). Every place of an object a YAML alias repeats is listed, as JSON
 * writes it at each.
 */
export function exactNumbersOf(document: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  const pending: { value: unknown; pointer: string }[] = [{ value: document, pointer: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, pointer } = next;
    if (typeof value !== 'object' || value === null) continue;
    const recorded = exactNumbers.get(value);
    for (const key of Object.keys(value)) {
      const at = appendPointer(pointer, key);
      const exact = recorded?.get(key);
      if (typeof exact === 'bigint') found[at] = String(exact);
      else if (exact instanceof InexactSpecNumber) found[at] = exact.text;
      else pending.push({ value: (value as Record<string, unknown>)[key], pointer: at });
    }
  }
  return found;
}

/**
 * Records the exact numbers a compiled spec lists (see `exactNumbersOf`) in its document. A
 * place that no longer holds the double of its text (the document edited since) keeps what it
 * holds.
 */
export function restoreExactNumbers(document: unknown, numbers: unknown): void {
  if (typeof numbers !== 'object' || numbers === null) return;
  for (const [pointer, text] of Object.entries(numbers)) {
    if (typeof text !== 'string' || !decimalLiteral.test(text)) continue;
    const tokens = parsePointer(pointer);
    const key = tokens.pop();
    let holder: unknown = document;
    for (const token of tokens)
      holder =
        typeof holder === 'object' && holder !== null && Object.hasOwn(holder, token)
          ? (holder as Record<string, unknown>)[token]
          : undefined;
    if (key === undefined || typeof holder !== 'object' || holder === null) continue;
    const value = (holder as Record<string, unknown>)[key];
    if (typeof value !== 'number' || Number(text) !== value) continue;
    record(holder, key, /^-?\d+$/.test(text) ? BigInt(text) : new InexactSpecNumber(text));
  }
}

/**
 * Whether a file's text may hold a number literal its parser rounds: one of 16 significant
 * digits or more (a double holds 15.95), a long hexadecimal one, or one with an exponent that
 * a double does not hold (`1e23`, `12345678901e9`: integers beyond 2^53; `1e-400`, read as 0).
 * Most files hold none, and are not parsed again for their syntax tree.
 */
export function mayHoldRoundedNumbers(text: string): boolean {
  if (/[\d.]{16}|0x[\da-f]{13}/i.test(text)) return true;
  // An exponent ends its literal: a UUID's `550e8400-…` or a hash's `9e107d…` is no number.
  for (const [literal] of text.matchAll(/[\d.]+e[-+]?\d+(?![\w.-])/gi))
    if (exactReading(literal, Number(literal)) !== undefined) return true;
  return false;
}

/**
 * The JSON text of a loaded spec's document (or of an object that holds its objects: a shallow
 * copy with another `servers`), with each number as the spec file wrote it where its parser
 * rounded it: `9007199254740993`, not the 9007199254740992 `JSON.stringify` writes, and a
 * decimal with more digits than a double holds (`99999999999999999999.99`, not `100000000000000000000`).
 */
export function writtenSpecJson(document: object): string {
  return jsonWithDigits(document, (holder, key, value) => {
    if (typeof value !== 'number') return undefined;
    const exact = exactSpecNumber(holder, key);
    return typeof exact === 'bigint' ? String(exact) : exact && jsonDigits(exact.text);
  });
}

// A decimal literal (see `decimalLiteral`) with the same digits in JSON's syntax: YAML also
// takes `.5`, `5.` and leading zeros (`007.5`), which JSON does not.
function jsonDigits(literal: string): string {
  const [, sign = '', whole = '', fraction = '', exponent = ''] =
    /^([-+]?)(\d*)\.?(\d*)(e[-+]?\d+)?$/i.exec(literal) ?? [];
  const integer = whole.replace(/^0+(?=\d)/, '') || '0';
  return `${sign === '-' ? '-' : ''}${integer}${fraction === '' ? '' : `.${fraction}`}${exponent}`;
}
