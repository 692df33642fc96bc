import type { LocationObject } from '@redocly/openapi-core';
import { getLineColLocation } from '@redocly/openapi-core';
import type { SpecLocation } from './locate-pointer.js';

/** The source text at a location: a scalar's own text, as the spec wrote it. */
export function sourceText(location: SpecLocation): string {
  const { start, end = start } = getLineColLocation(location as LocationObject);
  const starts = lineStarts(location.source);
  const offset = (line: number, col: number) => (starts[line - 1] ?? 0) + col - 1;
  return location.source.body.slice(offset(start.line, start.col), offset(end.line, end.col));
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
