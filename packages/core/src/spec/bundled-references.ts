import { appendPointer, parsePointer } from '../schema/json-pointer.js';
import type { SpecSources } from './spec-sources.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * redocly's bundler names the component it makes of a schema in another file after the last
 * token of the pointer as written (`models.yaml#/definitions/a~1b` becomes the component
 * `a~1b`) or after the file (`x%41.yaml` becomes `x%41`), and refers to it with that text as a
 * fragment's token, which reads `a/b` (`xA`: a fragment is percent-encoded): the reference
 * named nothing, and a valid spec was refused. Such references are written again to name the
 * component (a discriminator's mapping values too): only to components bundling added (none of
 * the root file as written has their name) and only where the reference, read as written,
 * names no component the root file wrote.
 */
export function repairBundledReferences(document: JsonObject, root: unknown): void {
  const repaired = new Map<string, string>();
  for (const [section, container] of componentSections(document)) {
    const written = componentSections(isObject(root) ? root : {}).get(section);
    for (const name of Object.keys(container)) {
      if ((!name.includes('~') && !name.includes('%')) || (written && Object.hasOwn(written, name)))
        continue;
      const asBundled = `#${section}/${name}`;
      const misread = parsePointer(asBundled).at(-1)!;
      // Read as written, the reference names another component only where the root file
      // wrote that one itself (a `$ref` of its own may mean it); one bundling added (`xA` of
      // xA.yaml, beside `x%41` of x%41.yaml) is never what the bundler's reference meant.
      if (misread === name || (written && Object.hasOwn(written, misread))) continue;
      repaired.set(asBundled, `#${appendPointer(section, name).replaceAll('%', '%25')}`);
    }
  }
  if (repaired.size === 0) return;
  const seen = new Set<object>();
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      pending.push(...value);
      continue;
    }
    const record = value as JsonObject;
    const ref = record.$ref;
    if (typeof ref === 'string' && repaired.has(ref)) record.$ref = repaired.get(ref);
    // A discriminator's mapping refers by plain strings.
    const mapping = typeof record.propertyName === 'string' ? record.mapping : undefined;
    if (isObject(mapping))
      for (const [name, target] of Object.entries(mapping))
        if (typeof target === 'string' && repaired.has(target))
          mapping[name] = repaired.get(target);
    for (const key of Object.keys(record)) pending.push(record[key]);
  }
}

// Where a document keeps its reusable parts, by pointer: Swagger 2.0's top-level sections,
// OpenAPI 3's components.
function componentSections(document: JsonObject): Map<string, JsonObject> {
  const sections = new Map<string, JsonObject>();
  for (const name of ['definitions', 'parameters', 'responses']) {
    const section = document[name];
    if (isObject(section)) sections.set(`/${name}`, section);
  }
  const components = document.components;
  if (isObject(components)) {
    for (const name of Object.keys(components)) {
      const section = components[name];
      if (isObject(section)) sections.set(appendPointer('/components', name), section);
    }
  }
  return sections;
}

/**
 * The components bundling named otherwise than their schema is named in its file, with that
 * name: `models.yaml#/definitions/c~1at` is the component `c~1at` of the definition `c/at`,
 * which a discriminator selects by `c/at`, as bravado-core did. A component renamed for a
 * clash (`user-2`) keeps the bundler's name, and so does one whose name the document gives
 * another schema.
 */
export function sourceNames(
  schemas: JsonObject | undefined,
  sources: SpecSources,
): Record<string, string> {
  const names: Record<string, string> = {};
  for (const name of Object.keys(schemas ?? {})) {
    const schema = schemas![name];
    if (!name.includes('~') || !isObject(schema)) continue;
    const place = sources.placeOf(schema);
    const own = place && parsePointer(place.pointer).at(-1);
    if (own === undefined || own === name || Object.hasOwn(schemas!, own)) continue;
    if (appendPointer('', own).slice(1) === name) names[name] = own;
  }
  return names;
}
