import { unescapePointerFragment } from '@redocly/openapi-core';
import { pointerToken } from '../spec/pointer-token.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The JSON pointer (of the `$ref` member) of the first local `$ref` whose chain of `$ref`s
 * comes back to itself (`A: {$ref: B}`, `B: {$ref: A}`, or a `$ref` to its own place): redocly
 * throws "Self-referencing circular pointer" for those rather than reporting where they are.
 */
export function findCircularRef(document: unknown): string | undefined {
  const resolve = (ref: string): { pointer: string; node: unknown } | undefined => {
    if (!ref.startsWith('#')) return undefined;
    let node = document;
    // A $ref's fragment is URI-encoded, as redocly reads it.
    const tokens = ref.slice(1).split('/').slice(1).map(unescapePointerFragment);
    for (const token of tokens) {
      if (!isObject(node) || !Object.hasOwn(node, token)) return undefined;
      node = node[token];
    }
    return { pointer: tokens.map((token) => `/${pointerToken(token)}`).join(''), node };
  };
  const seen = new Set<unknown>();
  const visit = (node: unknown, pointer: string): string | undefined => {
    if (!isObject(node) || seen.has(node)) return undefined;
    seen.add(node);
    if (typeof node.$ref === 'string') {
      const chain = new Set<string>([pointer]);
      let target = resolve(node.$ref);
      while (target && isObject(target.node) && typeof target.node.$ref === 'string') {
        // Reported in the loop itself, not at a `$ref` that leads into it.
        if (chain.has(target.pointer)) return `${target.pointer}/$ref`;
        chain.add(target.pointer);
        target = resolve(target.node.$ref);
      }
    }
    for (const [key, value] of Object.entries(node)) {
      const found = visit(value, `${pointer}/${pointerToken(key)}`);
      if (found) return found;
    }
    return undefined;
  };
  return visit(document, '');
}
