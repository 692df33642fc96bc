import type { LocationObject } from '@redocly/openapi-core';
import { getLineColLocation } from '@redocly/openapi-core';
import type { SpecLocation } from './locate-pointer.js';

/** Where a location's text is in its file's body: a scalar's own text, as the spec wrote it. */
export function sourceRange(location: SpecLocation): { start: number; end: number } {
  const { start, end = start } = getLineColLocation(location as LocationObject);
  const starts = lineStarts(location.source);
  // A place of the document is located by the syntax tree's positions, which skip a byte order
  // mark; a line and column given as such count in the body as it is.
  const shift = location.pointer === undefined ? 0 : treeStart(location.source);
  const offset = (line: number, col: number) => (starts[line - 1] ?? 0) + col - 1 + shift;
  return { start: offset(start.line, start.col), end: offset(end.line, end.col) };
}

/**
 * Where the positions of a file's syntax tree start in its body: after the byte order mark the
 * parser skips (a file a Windows editor saved, linted by redocly's own resolver, which keeps it).
 */
export function treeStart(source: SpecLocation['source']): number {
  return source.body.charCodeAt(0) === 0xfeff ? 1 : 0;
}

/** The source text at a location: a scalar's own text, as the spec wrote it. */
export function sourceText(location: SpecLocation): string {
  const { start, end } = sourceRange(location);
  return location.source.body.slice(start, end);
}

// Where each line of a file starts: a file with many numbers is not split once a number.
const lineStartsOf = new WeakMap<object, number[]>();
function lineStarts(source: SpecLocation['source']): number[] {
  let starts = lineStartsOf.get(source);
  if (starts === undefined) {
    starts = [0];
    const body = source.body;
    for (let index = body.indexOf('\n'); index !== -1; index = body.indexOf('\n', index + 1))
      starts.push(index + 1);
    lineStartsOf.set(source, starts);
  }
  return starts;
}

/** A node of the syntax tree redocly locates problems with (yaml-ast-parser's). */
export interface SourceNode {
  readonly kind: number;
  readonly startPosition: number;
  readonly endPosition: number;
  readonly value?: unknown;
  readonly plainScalar?: boolean;
  readonly mappings?: readonly { readonly key: SourceNode; readonly value?: SourceNode }[];
  readonly items?: readonly (SourceNode | undefined)[];
}

/** The syntax tree of a file, as redocly parsed it to locate problems (its root node). */
export function sourceTree(source: SpecLocation['source']): SourceNode | undefined {
  // redocly parses a file's tree once, on its first line lookup, and keeps it on the source:
  // the lookup of the root parses it here, with the parser redocly locates problems with.
  getLineColLocation({ source, pointer: '#/' } as LocationObject);
  const tree = source.getAst(() => {
    throw new Error('the syntax tree of a source is parsed by its first line lookup');
  }) as SourceNode | undefined;
  return typeof tree === 'object' && tree !== null ? tree : undefined;
}
