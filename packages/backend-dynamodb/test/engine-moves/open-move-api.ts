import { type Api, loadApi } from '@macaron/core';
import type { MoveEngine } from './move-engines.js';
import { createMoveSpec } from './move-spec.js';

// One cursor key for every engine, as a service moved to another engine keeps its own: a
// cursor must then be refused for its engine, not for its key.
const cursorKey = 'engine-moves: one key for every engine';
let counter = 0;

/** A fresh table prefix, so that each move starts from empty tables on every engine. */
export function movePrefix(): string {
  counter += 1;
  return `mv${counter}${Math.random().toString(36).slice(2, 6)}-`;
}

/** The move spec loaded on an engine under a prefix, its tables made. */
export async function openMoveApi(engine: MoveEngine, tablePrefix: string): Promise<Api> {
  const api = await loadApi(createMoveSpec(), { backend: engine.backend, tablePrefix, cursorKey });
  await engine.backend.ensureTables?.(api.tables());
  return api;
}
