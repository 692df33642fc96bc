import { appendPointer } from '../schema/json-pointer.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * redocly's bundler names the component it makes of a schema in another file after the last
 * token of the pointer as written (`models.yaml#/definitions/a~1b` becomes the component
 * `a~1b`), and refers to it with that text as a pointer's token, which reads `a/b`: the
 * reference named nothing, and a valid spec was refused. Such references are written again to
 * name the component (a discriminator's mapping values too): only to components bundling added
 * (none of the root file as written has their name) and only where the reference, read as
 * written, names nothing.
 */
export function repairBundledReferences(document: JsonObject, root: unknown): void {
  const repaired = new Map<string, string>();
  for (const [section, container] of componentSections(document)) {
    const written = componentSections(isObject(root) ? root : {}).get(section);
    for (const name of Object.keys(container)) {
      if (!name.includes('~') || (written && Object.hasOwn(written, name))) continue;
      const misread = name.replaceAll('~1', '/').replaceAll('~0', '~');
      if (Object.hasOwn(container, misread)) continue;
      repaired.set(`#${section}/${name}`, `#${appendPointer(section, name)}`);
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
