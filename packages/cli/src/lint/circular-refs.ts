import { readSpecFileSync, refFilePath } from '@macaron/core';
import { parseYaml, unescapePointerFragment } from '@redocly/openapi-core';
import { pointerToken } from '../spec/pointer-token.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The `$ref` member that closes a cycle: its file and JSON pointer there. */
export interface CircularRef {
  readonly file: string;
  readonly pointer: string;
}

// A file a `$ref` names, parsed; undefined when it cannot be read (redocly reports that).
function parsedFile(path: string): unknown {
  try {
    return parseYaml(readSpecFileSync(path));
  } catch {
    return undefined;
  }
}

/**
 * The `$ref` member of the first `$ref` whose chain of `$ref`s comes back to itself
 * (`A: {$ref: B}`, `B: {$ref: A}`, a `$ref` to its own place, or files whose roots are `$ref`s
 * to each other): redocly throws "Self-referencing circular pointer" for those rather than
 * reporting where they are. `document` is the parsed content of `file`.
 */
export function findCircularRef(document: unknown, file: string): CircularRef | undefined {
  const files = new Map<string, unknown>([[file, document]]);
  const contentOf = (path: string): unknown => {
    if (!files.has(path)) files.set(path, parsedFile(path));
    return files.get(path);
  };
  const resolve = (
    base: string,
    ref: string,
  ): { file: string; pointer: string; node: unknown } | undefined => {
    const hash = ref.indexOf('#');
    const path = hash === -1 ? ref : ref.slice(0, hash);
    // A URL is redocly's to fetch: not followed here.
    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return undefined;
    const target = path === '' ? base : refFilePath(base, path);
    let node = contentOf(target);
    // A $ref's fragment is URI-encoded, as redocly reads it.
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    const tokens = fragment.split('/').slice(1).map(unescapePointerFragment);
    for (const token of tokens) {
      if (!isObject(node) || !Object.hasOwn(node, token)) return undefined;
      node = node[token];
    }
    const pointer = tokens.map((token) => `/${pointerToken(token)}`).join('');
    return { file: target, pointer, node };
  };
  const seen = new Set<unknown>();
  const visit = (node: unknown, pointer: string): CircularRef | undefined => {
    if (!isObject(node) || seen.has(node)) return undefined;
    seen.add(node);
    if (typeof node.$ref === 'string') {
      const chain = new Set<string>([`${file}#${pointer}`]);
      let target = resolve(file, node.$ref);
      while (target && isObject(target.node) && typeof target.node.$ref === 'string') {
        const place = `${target.file}#${target.pointer}`;
        // Reported in the loop itself, not at a `$ref` that leads into it.
        if (chain.has(place)) return { file: target.file, pointer: `${target.pointer}/$ref` };
        chain.add(place);
        target = resolve(target.file, target.node.$ref);
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
