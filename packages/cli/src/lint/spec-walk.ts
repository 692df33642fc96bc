import { pointerToken } from '../spec/pointer-token.js';

/** One member of an object of the spec document, as `walkSpecDocument` meets it. */
export interface SpecEntry {
  /** The member's name. */
  readonly key: string;
  readonly value: unknown;
  /** The object holding it, and that object's JSON pointer. */
  readonly parent: Record<string, unknown>;
  readonly pointer: string;
  /** The member's own JSON pointer. */
  readonly at: string;
}

/**
 * Visits every member of every object of a spec document, once each, where a keyword may
 * stand: examples are data and are skipped, and the names under `properties` and `paths` are
 * names, not keywords (their values are visited). `visit` returns false to leave a member's
 * value unwalked.
 */
export function walkSpecDocument(document: unknown, visit: (entry: SpecEntry) => boolean): void {
  const seen = new Set<unknown>();
  const walk = (node: unknown, pointer: string) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, `${pointer}/${index}`);
      return;
    }
    const parent = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(parent)) {
      const at = `${pointer}/${pointerToken(key)}`;
      if (key === 'example' || key === 'examples') continue;
      if ((key === 'properties' || key === 'paths') && typeof value === 'object' && value) {
        for (const [name, child] of Object.entries(value))
          walk(child, `${at}/${pointerToken(name)}`);
        continue;
      }
      if (visit({ key, value, parent, pointer, at })) walk(value, at);
    }
  };
  walk(document, '');
}
