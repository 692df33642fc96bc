import { isBytes, isSet } from '../schema/builtin-values.js';
import type { SetAside } from '../schema/copy-value.js';
import { setOwnProperty } from '../schema/own-property.js';
import { isPlainObject } from '../schema/same-value.js';

/**
 * What was set aside inside lists (`SetAside.holder`), written back into the stored copy of
 * the map that held it, wherever the object holds that map now: its list items may have moved,
 * or left (then nothing is written back for them). What the map sets wins.
 */
export function writeBackHeld(object: object, item: object, setAside: readonly SetAside[]): void {
  eachHeldCopy(setAside, object, item, (held, copy) => {
    for (const { name, value } of held)
      if (!Object.hasOwn(copy, name)) setOwnProperty(copy, name, value);
  });
}

/**
 * The same set-aside values, held by the maps of `copy` that are copies of their holders in
 * `source` (a second object built from an item another object adopted).
 */
export function heldByCopy(
  setAside: readonly SetAside[],
  source: object,
  copy: object,
): SetAside[] {
  const moved: SetAside[] = setAside.filter((entry) => entry.holder === undefined);
  eachHeldCopy(setAside, source, copy, (held, holder) => {
    for (const entry of held) moved.push({ ...entry, holder });
  });
  return moved;
}

// Walks `source` and `copy` side by side (the same names and positions), calling `visit` with
// the entries each holder of `source` holds and the map of `copy` at its place. In a loop with
// a stack of its own: another client's item may be nested thousands of levels deep. `copy` is
// a tree (a copy of `source`), so the walk ends.
function eachHeldCopy(
  setAside: readonly SetAside[],
  source: object,
  copy: object,
  visit: (held: SetAside[], copy: Record<string, unknown>) => void,
): void {
  const byHolder = new Map<object, SetAside[]>();
  for (const entry of setAside) {
    if (entry.holder === undefined) continue;
    const held = byHolder.get(entry.holder);
    if (held) held.push(entry);
    else byHolder.set(entry.holder, [entry]);
  }
  if (byHolder.size === 0) return;
  const pending: [unknown, unknown][] = [[source, copy]];
  while (pending.length > 0) {
    const [from, to] = pending.pop()!;
    if (from === null || typeof from !== 'object' || to === null || typeof to !== 'object')
      continue;
    if (Array.isArray(from)) {
      if (!Array.isArray(to)) continue;
      for (let index = 0; index < Math.min(from.length, to.length); index++)
        pending.push([from[index], to[index]]);
      continue;
    }
    if (!isPlainObject(to) || isSet(from) || isBytes(from)) continue;
    const held = byHolder.get(from);
    if (held) visit(held, to);
    const record = from as Record<string, unknown>;
    for (const name of Object.keys(record))
      if (Object.hasOwn(to, name)) pending.push([record[name], to[name]]);
  }
}
