import { quotedName, shownJson, shownName } from '../errors/shown-name.js';
import type { SpecProblem } from '../errors/spec-error.js';
import { type PersistAnnotation, parsePersistAnnotation } from '../persist/persist-annotation.js';
import { PersistRegistry } from '../persist/persist-registry.js';
import { appendPointer, parsePointer } from '../schema/json-pointer.js';
import { SchemaNormalizer } from '../schema/normalize-schema.js';
import { type BundledSpec, inSource } from './load-spec.js';
import { NamedSchemas, type Normalisation } from './named-schemas.js';
import { pathConflicts } from './path-conflicts.js';
import type { SpecReadOptions } from './spec-options.js';

/** What core reads out of a bundled spec: its schemas and persistence annotations. */
export interface SpecAnalysis {
  /** Normalises further schemas of the same document (parameters, bodies). */
  normalizer: SchemaNormalizer;
  /** Every named schema. */
  schemas: NamedSchemas;
  /** Tables and models from full-form `x-persist` annotations. */
  registry: PersistRegistry;
  /** Schemas in PyMacaron's form (`x-persist: class.path`): table and key come from code. */
  byCode: Set<string>;
  /** Full-form annotations by schema name. */
  annotated: Map<string, PersistAnnotation>;
  /** Components bundling made of a file another schema refers to, with that schema's name. */
  bundledAs: Map<string, string>;
  /** Every problem that stops the spec from loading, with file and pointer. */
  problems: SpecProblem[];
}

/**
 * Normalises the named schemas of a bundled spec and checks their `x-persist` annotations.
 * With `when-used`, only the persistent schemas (and what they use) are normalised now.
 */
export function analyzeSpec(
  spec: BundledSpec,
  tablePrefix: string,
  options: SpecReadOptions = {},
  normalisation: Normalisation = 'all',
): SpecAnalysis {
  if (options.compat !== undefined && options.compat !== 'pymacaron') {
    throw new TypeError(`compat must be 'pymacaron' or left out, not ${shownJson(options.compat)}`);
  }
  const schemasPointer = spec.dialect === 'swagger2' ? '/definitions' : '/components/schemas';
  const rawSchemas = (
    spec.dialect === 'swagger2'
      ? spec.document.definitions
      : (spec.document.components as Record<string, unknown> | undefined)?.schemas
  ) as Record<string, unknown> | undefined;
  // A name the root gives a file's schema comes before the one it has in its file, and a value
  // the schema declares for itself before either.
  const specNames = new Map([
    ...Object.entries(spec.sourceNames ?? {}),
    ...fileAliasNames(spec.fileAliases, rawSchemas, schemasPointer),
  ]);
  const valueProblems: SpecProblem[] = [];
  const declaredValues = declaredDiscriminatorValues(
    rawSchemas,
    schemasPointer,
    specNames,
    valueProblems,
  );
  const selectorNames = new Map([...specNames, ...declaredValues]);
  const normalizer = new SchemaNormalizer(
    spec.document,
    spec.dialect,
    selectorNames,
    new Set(declaredValues.map(([name]) => name)),
  );
  normalizer.problems.push(...valueProblems);
  // Problems found once loaded name the file their schema is written in.
  const schemas = new NamedSchemas(
    normalizer,
    rawSchemas,
    schemasPointer,
    normalisation,
    (problem) => inSource(spec, problem),
  );
  // Bundling turns `Profile: { $ref: ./profile.yaml }` into an alias of a component named after
  // the file: the alias keeps the user's name, and the component's `x-persist` moves to it.
  // Only those: a schema of the document that merely is a `$ref` to another keeps its name and
  // leaves the annotation where it is written.
  const fileAliases = spec.fileAliases && new Set(spec.fileAliases);
  const aliasedTargets = new Map<string, string>();
  const persistentAliases = new Set<string>();
  for (const name of schemas.names()) {
    if (fileAliases && !fileAliases.has(name)) continue;
    const target = aliasTarget(schemas.rawSchema(name), schemasPointer);
    if (target === undefined || target === name || !mayPersist(schemas.rawSchema(target))) continue;
    // A name the root writes itself (`User: { $ref: models.yaml#/… }`, which bundling filled
    // with the file's schema) keeps its annotation; of two aliases of one file, the first
    // takes it, as a discriminator knows it by the first (`fileAliasNames`).
    if (fileAliases?.has(target) || aliasedTargets.has(target)) continue;
    const aliased = schemas.get(target);
    const node = schemas.get(name);
    if (!aliased || !node || node.persist !== undefined || aliased.persist === undefined) continue;
    node.persist = aliased.persist;
    aliasedTargets.set(target, name);
    persistentAliases.add(name);
  }
  const problems: SpecProblem[] = [...pathConflicts(spec.document)];
  const registry = new PersistRegistry(tablePrefix, {
    optionalKeys: options.compat === 'pymacaron',
    // A schema that is nothing but a `$ref` to another is that schema to a discriminator.
    aliasOf: (schema) => {
      if (
        schema.name === undefined ||
        schema.pointer !== appendPointer(schemasPointer, schema.name)
      )
        return undefined;
      const target = aliasTarget(schemas.rawSchema(schema.name), schemasPointer);
      return target === undefined ? undefined : schemas.get(target);
    },
  });
  const byCode = new Set<string>();
  const annotated = new Map<string, PersistAnnotation>();
  for (const name of schemas.names()) {
    if (aliasedTargets.has(name)) continue;
    // Not normalised to find out: only a schema that writes `x-persist` or an alias given one has it.
    if (!mayPersist(schemas.rawSchema(name)) && !persistentAliases.has(name)) continue;
    const schema = schemas.get(name)!;
    if (schema.persist === undefined) continue;
    const pointer = appendPointer(schema.pointer, 'x-persist');
    const annotation = parsePersistAnnotation(schema.persist, name, pointer, problems);
    if (annotation === 'by-code') byCode.add(name);
    else if (annotation) {
      annotated.set(name, annotation);
      registry.register(name, schema, annotation, pointer, problems);
    }
  }
  registerFromCode(options.persist ?? {}, { schemas, registry, byCode, annotated, problems });
  problems.unshift(...normalizer.problems.splice(0));
  schemas.endAnalysis();
  const withFile = (problem: SpecProblem): SpecProblem =>
    spec.file && !problem.file ? { ...problem, file: spec.file } : problem;
  return {
    normalizer,
    schemas,
    registry,
    byCode,
    annotated,
    bundledAs: aliasedTargets,
    problems: problems.map(withFile),
  };
}

// Annotations given with the spec (loadApi's `persist`, macaron.config.json) for schemas in
// PyMacaron's form: registered now, as api.persistent(name, annotation) would, so that
// api.tables() and the tools know their tables from the start.
function registerFromCode(
  persist: Readonly<Record<string, PersistAnnotation>>,
  found: Pick<SpecAnalysis, 'schemas' | 'registry' | 'byCode' | 'annotated' | 'problems'>,
): void {
  for (const name of Object.keys(persist)) {
    const pointer = appendPointer('/persist', name);
    const schema = found.schemas.get(name);
    const problem = (message: string) => found.problems.push({ schema: name, pointer, message });
    // One macaron.config.json serves every spec of a project (a PyMacaron service has several,
    // ping.yaml among them): an entry for a schema this spec does not have is another spec's.
    if (!schema) continue;
    if (!found.byCode.has(name)) {
      problem(
        found.annotated.has(name)
          ? `${name} has a full x-persist in the spec already: leave it out of persist`
          : `${name} has no x-persist in the spec: mark it (x-persist: a.class.Path) first`,
      );
      continue;
    }
    const annotation = parsePersistAnnotation(persist[name], name, pointer, found.problems);
    if (annotation === undefined || annotation === 'by-code') {
      if (annotation === 'by-code') problem('persist needs { table, key }, not a class path');
      continue;
    }
    if (found.registry.register(name, schema, annotation, pointer, found.problems)) {
      found.annotated.set(name, annotation);
    }
  }
}

// Whether a schema as written may carry `x-persist` (in 3.0, one beside a `$ref` is ignored).
function mayPersist(raw: unknown): boolean {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    (raw as Record<string, unknown>)['x-persist'] !== undefined
  );
}

// The components bundling named after a file, each with the name the spec gives it
// (`Cat: { $ref: models/cat.yaml }`: `cat` is `Cat`): a discriminator selects it by that name,
// as PyMacaron's bravado-core did. The first alias names a component two aliases share; one the
// root names itself (bundling filled `User: { $ref: models.yaml#/… }` with it) keeps its name.
function fileAliasNames(
  fileAliases: readonly string[] | undefined,
  rawSchemas: Record<string, unknown> | undefined,
  schemasPointer: string,
): Map<string, string> {
  const names = new Map<string, string>();
  const written = new Set(fileAliases);
  for (const alias of fileAliases ?? []) {
    const raw = rawSchemas && Object.hasOwn(rawSchemas, alias) ? rawSchemas[alias] : undefined;
    const target = aliasTarget(raw, schemasPointer);
    // A target the root names itself keeps that name.
    if (target === undefined || written.has(target) || names.has(target)) continue;
    names.set(target, alias);
  }
  return names;
}

// Extensions by which a schema names the discriminator value that selects it, in place of its
// name: AutoRest's (every Azure spec) first, then openapi-generator's. An explicit `mapping`
// entry still comes first.
const discriminatorValueExtensions = ['x-ms-discriminator-value', 'x-discriminator-value'];

// The discriminator value each named schema declares for itself with one of those extensions,
// and each alias of such a schema (`Kitty: { $ref: Cat }`, or the name the root gives a file's
// schema, `Cat: { $ref: cat.yaml }`): it stands for that schema, and is selected by the same
// value, not by its own name. A value that is no string, or two extensions that disagree, is a
// problem at its pointer: the schema would otherwise be selected by a value the spec does not
// give it.
function declaredDiscriminatorValues(
  rawSchemas: Record<string, unknown> | undefined,
  schemasPointer: string,
  specNames: ReadonlyMap<string, string>,
  problems: SpecProblem[],
): [string, string][] {
  const declared = new Map<string, string>();
  const names = Object.keys(rawSchemas ?? {});
  for (const name of names) {
    const raw = rawSchemas![name];
    if (typeof raw !== 'object' || raw === null) continue;
    const pointer = appendPointer(schemasPointer, name);
    // A file's schema by the name the spec gives it (`Cat`, not the file's `cat`).
    const shown = shownName(specNames.get(name) ?? name);
    for (const extension of discriminatorValueExtensions) {
      if (!Object.hasOwn(raw, extension)) continue;
      const value = (raw as Record<string, unknown>)[extension];
      const at = appendPointer(pointer, extension);
      if (typeof value !== 'string') {
        problems.push({
          pointer: at,
          message: `${extension} must be a string, the value of the discriminator that selects ${shown}, not ${shownJson(value)}`,
        });
        continue;
      }
      const first = declared.get(name);
      if (first === undefined) declared.set(name, value);
      else if (first !== value)
        problems.push({
          pointer: at,
          message: `${extension} ${quotedName(value)} differs from ${discriminatorValueExtensions[0]} ${quotedName(first)}: declare the one value that selects ${shown}`,
        });
    }
  }
  const values: [string, string][] = [...declared];
  for (const name of names) {
    if (declared.has(name)) continue;
    // Through aliases of aliases, at most as many as there are schemas (they may loop).
    let target = aliasTarget(rawSchemas![name], schemasPointer);
    for (let step = 0; target !== undefined && step < names.length; step++) {
      const value = declared.get(target);
      if (value !== undefined) {
        values.push([name, value]);
        break;
      }
      const raw = rawSchemas && Object.hasOwn(rawSchemas, target) ? rawSchemas[target] : undefined;
      target = aliasTarget(raw, schemasPointer);
    }
  }
  return values;
}

// The component a schema is nothing but a reference to, if it is one.
function aliasTarget(raw: unknown, schemasPointer: string): string | undefined {
  if (typeof raw !== 'object' || raw === null || Object.keys(raw).length !== 1) return undefined;
  const ref = (raw as { $ref?: unknown }).$ref;
  const prefix = `#${schemasPointer}/`;
  // Decoded as every fragment is (`parsePointer`): a bare `%` in a name is read as written.
  return typeof ref === 'string' &&
    ref.startsWith(prefix) &&
    !ref.slice(prefix.length).includes('/')
    ? parsePointer(ref).at(-1)
    : undefined;
}
