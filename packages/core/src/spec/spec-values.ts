import { types } from 'node:util';
import { SpecError } from '../errors/spec-error.js';
import { isBytes, isSet } from '../schema/builtin-values.js';
import { appendPointer } from '../schema/json-pointer.js';
import { maxSpecFileBytes } from './spec-file-read.js';

/** Where the values `checkSpecValues` checks come from. */
export interface SpecValuesSource {
  /** The file they were parsed from; none for an object given as the spec. */
  readonly file?: string;
}

/**
 * Refuses, with a `SpecError` at the place, what a spec's parsed values hold that is no JSON,
 * before anything walks them:
 * - values that, with every YAML alias expanded (an object given as the spec: every object it
 *   holds at more than one place written out at each), weigh more characters than a spec file
 *   may have (`maxSpecFileBytes`). An alias repeats its anchor's value without copying it, and
 *   aliases of aliases multiply: 1 KB of YAML can stand for 10^9 values, which every walk of
 *   the spec by path (redocly's resolver and linter, a schema's `enum` compared by its JSON)
 *   expands, for minutes. Below that bound the spec costs what the same spec written out
 *   without aliases would, as a file that loads: a spec that js-yaml wrote with its shared
 *   objects as `&ref_0` anchors, or an object built in code that reuses one schema or
 *   responses object in every operation, holds tens of times as much expanded as written;
 * - a value that holds itself (a recursive alias, an object that holds itself): no walk of it
 *   ends;
 * - what YAML's tags make that JSON has not: `!!binary` bytes, a `!!set` (a given object's
 *   dates, maps, functions...), which a compiled spec, a validator or a response would change
 *   into something else, silently (`{}` for a set). `.inf` and `.nan` are left to
 *   `macaron lint`, which reports them, and `compileSpec`, which refuses them.
 * Linear in the values as written: an alias is measured once, where its anchor is.
 */
export function checkSpecValues(value: unknown, source: SpecValuesSource = {}): void {
  const { expanded, weights } = measure(value, source);
  if (expanded <= maxSpecFileBytes) return;
  const pointer = placePassing(value, weights, maxSpecFileBytes);
  throw valuesError(
    source,
    pointer,
    source.file
      ? `its YAML aliases (*name) repeat so much that, expanded, the file's values pass ${maxSpecFileBytes} characters by here, more than a spec file may have (128 MiB): refused before any of it is expanded, as a YAML alias bomb`
      : `the spec holds the same objects at so many places that, written out, it passes ${maxSpecFileBytes} characters by here, more than a spec file may have (128 MiB): refused before any of it is written out`,
  );
}

type Container = Record<string, unknown> | unknown[];

interface Frame {
  readonly node: Container;
  // The keys of an object; undefined for an array.
  readonly keys: string[] | undefined;
  // The token of the node in its parent.
  readonly token: string;
  at: number;
  // The node's weight, expanded: its own, and that of everything it holds.
  weight: number;
}

interface Measure {
  // The weight of the values, expanded.
  readonly expanded: number;
  // The expanded weight of each object.
  readonly weights: ReadonlyMap<object, number>;
}

// The weight of the values: 1 a value, and the characters of each string and key (about what
// its JSON would write). Iterative: a spec nests as deep as its parser lets it.
function measure(value: unknown, source: SpecValuesSource): Measure {
  const weights = new Map<object, number>();
  const open = new Set<object>();
  const stack: Frame[] = [];
  const pointer = (token: string) =>
    [...stack.map((frame) => frame.token).slice(1), token].reduce(appendPointer, '');
  // The weight of a scalar, or undefined for a container entered (pushed) or measured before.
  const enter = (child: unknown, token: string): number | undefined => {
    const scalar = scalarWeight(child);
    if (scalar !== undefined) return scalar;
    if (!isContainer(child))
      throw valuesError(source, pointer(token), notJsonMessage(child, source));
    const known = weights.get(child);
    if (known !== undefined) return known;
    if (open.has(child))
      throw valuesError(
        source,
        pointer(token),
        source.file
          ? 'is a YAML alias of a value that holds it (a cycle): a spec refers to itself by $ref'
          : 'is an object that holds itself (a cycle): a spec refers to itself by $ref',
      );
    open.add(child);
    stack.push({
      node: child,
      keys: Array.isArray(child) ? undefined : Object.keys(child),
      token,
      at: 0,
      weight: 1,
    });
    return undefined;
  };
  const first = enter(value, '');
  if (first !== undefined) return { expanded: first, weights };
  for (;;) {
    const frame = stack.at(-1)!;
    const { node, keys } = frame;
    if (frame.at === (keys ?? (node as unknown[])).length) {
      stack.pop();
      open.delete(node);
      weights.set(node, frame.weight);
      const parent = stack.at(-1);
      if (!parent) return { expanded: frame.weight, weights };
      parent.weight += frame.weight;
      continue;
    }
    const index = frame.at++;
    const token = keys ? keys[index]! : String(index);
    if (keys) frame.weight += 1 + token.length;
    const weight = enter(
      keys ? (node as Record<string, unknown>)[token] : (node as unknown[])[index],
      token,
    );
    if (weight !== undefined) frame.weight += weight;
  }
}

// The first place, in the order the values are written, by which they weigh more than `limit`:
// each object counted in full where it is held again (an alias), in what it holds where first.
function placePassing(value: unknown, weights: ReadonlyMap<object, number>, limit: number): string {
  const seen = new Set<object>();
  const stack: { node: Container; keys: string[] | undefined; token: string; at: number }[] = [];
  let sum = 0;
  // The pointer of the innermost container entered (the root's token is none).
  const framesPointer = () =>
    stack
      .slice(1)
      .map((frame) => frame.token)
      .reduce(appendPointer, '');
  const add = (child: unknown, token: string): boolean => {
    if (!isContainer(child)) sum += scalarWeight(child) ?? 0;
    else if (seen.has(child)) sum += weights.get(child) ?? 0;
    else {
      seen.add(child);
      sum += 1;
      stack.push({
        node: child,
        keys: Array.isArray(child) ? undefined : Object.keys(child),
        token,
        at: 0,
      });
    }
    return sum > limit;
  };
  if (add(value, '')) return '';
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    const { node, keys } = frame;
    if (frame.at === (keys ?? (node as unknown[])).length) {
      stack.pop();
      continue;
    }
    const index = frame.at++;
    const token = keys ? keys[index]! : String(index);
    if (keys) sum += 1 + token.length;
    const here = stack.length;
    if (add(keys ? (node as Record<string, unknown>)[token] : (node as unknown[])[index], token))
      return stack.length > here ? framesPointer() : appendPointer(framesPointer(), token);
  }
  return '';
}

function scalarWeight(value: unknown): number | undefined {
  if (typeof value === 'string') return 1 + value.length;
  if (typeof value === 'boolean' || value === null) return 1;
  // An object given as the spec: an absent value, as its JSON leaves it out.
  if (value === undefined) return 0;
  // `.inf` and `.nan` too: `macaron lint` reports them, and `compileSpec` refuses them.
  if (typeof value === 'number') return 1;
  return undefined;
}

// A list, or a plain object: one whose prototype is none or an `Object.prototype`, of this realm
// or another (a vm context's, as Jest's environment makes them; `structuredClone`'s).
function isContainer(value: unknown): value is Container {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return (
    prototype === null ||
    (Object.getPrototypeOf(prototype) === null &&
      Object.prototype.toString.call(value) === '[object Object]')
  );
}

function notJsonMessage(value: unknown, source: SpecValuesSource): string {
  const json = 'a spec holds JSON values only';
  const tag = (name: string) => (source.file ? ` (YAML's ${name})` : '');
  if (isBytes(value))
    return `is binary data${tag('!!binary')}: ${json}; write it as a string (base64, say)`;
  if (isSet(value)) return `is a set${tag('!!set')}: ${json}; write it as a list`;
  if (types.isDate(value)) return `is a date${tag('!!timestamp')}: ${json}; write it as a string`;
  const what =
    typeof value === 'object'
      ? `a ${(value as object).constructor?.name ?? 'object'}`
      : `a ${typeof value}`;
  return `is ${what}${source.file ? ' (a YAML tag made it)' : ''}, not a JSON value: ${json}`;
}

function valuesError(source: SpecValuesSource, pointer: string, message: string): SpecError {
  return new SpecError('Cannot load the spec', [
    { ...(source.file ? { file: source.file } : {}), pointer, message },
  ]);
}
