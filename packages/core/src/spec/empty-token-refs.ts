import { shownJson } from '../errors/shown-name.js';
import type { SpecProblem } from '../errors/spec-error.js';
import { appendPointer } from '../schema/json-pointer.js';

// Keywords whose values are data, where a `$ref` key is a value's, not a reference.
const dataKeys = new Set(['example', 'examples', 'default', 'enum', 'const']);

// Keywords whose values map names to objects: a name there is no keyword (a property named
// `default`, a response `default`, a schema named `enum`), and its value is not data.
const nameMaps = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
  'schemas',
  'responses',
  'parameters',
  'requestBodies',
  'headers',
  'encoding',
  'securitySchemes',
  'links',
  'callbacks',
  'pathItems',
  'webhooks',
]);

/**
 * The `$ref`s of a spec file that redocly follows itself with a pointer holding an empty token
 * (`other.yaml#/defs//n`, a name `''`, RFC 6901), as problems at their place: redocly drops
 * such tokens and reads `#/defs/n`, another schema (a spec then validated values by it, with no
 * error) or none. Those of the root file into itself (`#/…`) are not: bundling leaves them as
 * they are, and Macaron follows them itself. `root`: whether `parsed` is the root file's.
 */
export function emptyTokenReferences(
  parsed: unknown,
  file: string | undefined,
  root: boolean,
): SpecProblem[] {
  const problems: SpecProblem[] = [];
  // Each value with whether its keys are names (of a map such as `properties`), not keywords.
  const pending: [unknown, string, boolean][] = [[parsed, '', false]];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const [value, pointer, names] = pending.pop()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++)
        pending.push([value[index], appendPointer(pointer, index), false]);
      continue;
    }
    for (const key of Object.keys(value)) {
      const member = (value as Record<string, unknown>)[key];
      if (names) pending.push([member, appendPointer(pointer, key), false]);
      else if (key === '$ref' && typeof member === 'string' && hasEmptyToken(member, root))
        problems.push({
          ...(file === undefined ? {} : { file }),
          pointer,
          message: `$ref ${shownJson(member)} has an empty token in its pointer (a name ''), which the bundler drops where it follows the $ref (into another file, or in a file a $ref names), reading another schema: give the schema a name that is not empty, or refer to it from the root file by a pointer of its own (#/…)`,
        });
      else if (!dataKeys.has(key))
        pending.push([member, appendPointer(pointer, key), nameMaps.has(key)]);
    }
  }
  return problems;
}

function hasEmptyToken(ref: string, root: boolean): boolean {
  const hash = ref.indexOf('#');
  if (hash === -1) return false;
  // The root file's references into itself are followed by Macaron, not redocly.
  if (root && hash === 0) return false;
  const fragment = ref.slice(hash + 1);
  return fragment.startsWith('/') && fragment.slice(1).split('/').includes('');
}
