import type { UserContext } from '@redocly/openapi-core';

/** A place in one of the spec's files, as redocly reports problems. */
export type SpecLocation = UserContext['location'];

interface Place {
  node: unknown;
  location: SpecLocation;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^#?\//, '')
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

// redocly's line lookup URI-decodes a location's pointer (as for a $ref's fragment) but
// `Location.child` does not escape `%`: escaped here, `p%20q` is found where it is, not at `p q`.
export function childLocation(location: SpecLocation, token: string): SpecLocation {
  return location.child(token.replaceAll('%', '%25'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isRef(value: unknown): value is { $ref: string } {
  return isObject(value) && typeof value.$ref === 'string';
}

// Follows `$ref`s (across files too) until a node that is not one.
function followRefs(place: Place, context: UserContext): Place | undefined {
  let current = place;
  for (let hops = 0; isRef(current.node); hops += 1) {
    if (hops >= 32) return undefined;
    const resolved = context.resolve(current.node, current.location.source.absoluteRef);
    if (!resolved.location) return undefined;
    current = { node: resolved.node, location: resolved.location };
  }
  return current;
}

// The name the bundler gives the component a $ref brings in, from the place the $ref leads to
// (the file as read: `caf%C3%A9.yaml` is `café`): the last token of its pointer as redocly
// writes it (`c~1at` for the definition `c/at`), else the file's name.
function componentName(target: Place): string {
  const pointer = target.location.pointer;
  const token = pointer.slice(pointer.lastIndexOf('/') + 1);
  if (token !== '') return token;
  const base = target.location.source.absoluteRef.split(/[/\\]/).pop() ?? '';
  return base.replace(/\.[^.]*$/, '');
}

/**
 * Where the bundler found a component it added to the bundled document (a schema of
 * another file that the root document does not list itself): the first `$ref` in the
 * sources whose target gives that name.
 */
function findAddedComponent(root: Place, context: UserContext, name: string): Place | undefined {
  const seen = new Set<string>();
  const stack: Place[] = [root];
  while (stack.length > 0) {
    const place = stack.pop()!;
    const { node, location } = place;
    if (!isObject(node)) continue;
    const id = location.absolutePointer;
    if (seen.has(id) || seen.size > 20_000) continue;
    seen.add(id);
    if (isRef(node)) {
      const target = followRefs(place, context);
      if (!target) continue;
      if (componentName(target) === name) return target;
      stack.push(target);
      continue;
    }
    for (const [key, value] of Object.entries(node).reverse())
      stack.push({ node: value, location: childLocation(location, key) });
  }
  return undefined;
}

/**
 * Where a pointer of the bundled document is in the source files: it walks the root
 * document, following `$ref`s into other files as the bundler did, and finds components
 * the bundler added from other files. Where the path leaves the sources, the deepest
 * place reached is returned. Its pointer is URI-encoded, as redocly reads pointers.
 */
export function locatePointer(root: unknown, context: UserContext, pointer: string): SpecLocation {
  const tokens = parsePointer(pointer);
  let place: Place = { node: root, location: context.location };
  const components =
    tokens[0] === 'definitions' ? 1 : tokens[0] === 'components' && tokens[1] === 'schemas' ? 2 : 0;
  // A root document without `components` or `schemas` (its operations name other files'
  // schemas alone): the bundler added them all, so the component is looked for as added.
  let from = 0;
  if (components > 0 && tokens.length > components) {
    const container = tokens
      .slice(0, components)
      .reduce<unknown>(
        (node, token) => (isObject(node) && Object.hasOwn(node, token) ? node[token] : undefined),
        root,
      );
    if (!isObject(container)) {
      const added = findAddedComponent(place, context, tokens[components]!);
      if (!added) return place.location;
      place = added;
      from = components + 1;
    }
  }
  for (const [position, token] of tokens.entries()) {
    if (position < from) continue;
    // A sibling of `$ref` (`x-persist` beside it, which the ref-siblings rule reports) is where
    // the spec wrote it, not in the schema the `$ref` names; so is the `$ref` itself (a reference
    // to no schema is reported there), when the pointer ends on it.
    const onRef = token === '$ref' && position === tokens.length - 1;
    if (isRef(place.node) && (token !== '$ref' || onRef) && Object.hasOwn(place.node, token)) {
      place = {
        node: (place.node as Record<string, unknown>)[token],
        location: childLocation(place.location, token),
      };
      continue;
    }
    const followed = followRefs(place, context);
    if (!followed) return place.location;
    place = followed;
    if (isObject(place.node) && token in place.node) {
      place = { node: place.node[token], location: childLocation(place.location, token) };
      continue;
    }
    if (position === components && components > 0) {
      const added = findAddedComponent({ node: root, location: context.location }, context, token);
      if (added) {
        place = added;
        continue;
      }
    }
    return place.location;
  }
  return place.location;
}
