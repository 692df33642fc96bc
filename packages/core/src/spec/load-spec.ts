import { resolve } from 'node:path';
import type { BaseResolver } from '@redocly/openapi-core';
import { MissingDependencyError, peerMissing } from '../errors/missing-dependency-error.js';
import { SpecError, type SpecProblem } from '../errors/spec-error.js';
import { parsePointer } from '../schema/json-pointer.js';
import type { Dialect } from '../schema/normalize-schema.js';
import { repairBundledReferences, sourceNames } from './bundled-references.js';
import { emptyTokenReferences } from './empty-token-refs.js';
import {
  mayHoldRoundedNumbers,
  recordExactNumbers,
  restoreExactNumbers,
} from './exact-spec-numbers.js';
import { createRootResolver, type ReadFile } from './ref-resolver.js';
import { readSpecFile } from './spec-file-read.js';
import { SpecSources } from './spec-sources.js';
import { checkSpecValues } from './spec-values.js';
import { yamlSyntaxTree } from './yaml-syntax-tree.js';

/** A spec after loading: one document with every `$ref` internal, and its dialect. */
export interface BundledSpec {
  /** The bundled document. */
  readonly document: Record<string, unknown>;
  /** Swagger 2.0, OpenAPI 3.0 or 3.1. */
  readonly dialect: Dialect;
  /** The root file, when loaded from a path. */
  readonly file?: string;
  /** Compiled ahead of time (see `compileSpec`): bundled and checked whole then. */
  readonly compiled?: true;
  /**
   * The named schemas the root document gives as a `$ref` to another file: bundling made each
   * an alias of a component named after that file (see `analyzeSpec`). Undefined when not
   * known (a spec compiled by an earlier version): every alias is taken for one.
   */
  readonly fileAliases?: readonly string[];
  /**
   * The components bundling named otherwise than their schema in its file, with that name
   * (`c~1at` for `models.yaml#/definitions/c~1at`, the definition `c/at`): a discriminator
   * selects them by it (see `sourceNames`).
   */
  readonly sourceNames?: Readonly<Record<string, string>>;
  /** Where the parts of the document are written, for a spec loaded from several files. */
  readonly sources?: SpecSources;
}

/**
 * A problem of the spec as loading reports it: in the file that holds its place (see
 * `SpecSources`), else with the spec's file. `checkSpec` keeps the bundled document's pointers,
 * which `macaron lint` locates itself.
 */
export function inSource(spec: BundledSpec, problem: SpecProblem): SpecProblem {
  const withFile = spec.file && !problem.file ? { ...problem, file: spec.file } : problem;
  return spec.sources ? spec.sources.locate(withFile) : withFile;
}

/**
 * `inSource` of each problem, each one once: a schema a YAML alias repeats is found at both
 * places of the bundled document, and written at one.
 */
export function inSources(spec: BundledSpec, problems: readonly SpecProblem[]): SpecProblem[] {
  const seen = new Set<string>();
  const located: SpecProblem[] = [];
  for (const problem of problems) {
    const placed = inSource(spec, problem);
    const identity = JSON.stringify([placed.file, placed.pointer, placed.schema, placed.message]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    located.push(placed);
  }
  return located;
}

/**
 * What a `RangeError` out of the bundler means: its walk is recursive, and a spec of a thousand
 * schemas that refer to each other can lead it deeper than Node's default stack (the schemas
 * themselves, once bundled, load at any depth).
 */
const stackExhausted =
  "its $refs lead @redocly/openapi-core's bundler through more schemas, one inside the other, than Node's stack holds (Maximum call stack size exceeded): compile the spec once with more stack, and load the compiled spec, which needs no bundler: node --stack-size=7000 node_modules/@macaron/cli/dist/bin.js compile … (7000 fits the usual 8 MB thread stack; past it, raise that first: ulimit -s unlimited, then --stack-size=65500)";

/**
 * The spec parser's failure for want of a global (`structuredClone is not defined`: Jest's
 * jsdom environment defines neither it nor `TextEncoder`) as a MissingDependencyError that
 * names it and says what loads without the parser. Any other failure is left to the caller.
 */
function globalMissing(error: unknown): void {
  const missing = /^(\w+) is not defined$/.exec(
    (error as { name?: unknown })?.name === 'ReferenceError' ? (error as Error).message : '',
  )?.[1];
  if (missing !== undefined)
    throw new MissingDependencyError(
      `Loading a spec that is not compiled needs the global ${missing}, which the spec parser (@redocly/openapi-core) uses and this environment does not define (Jest's jsdom environment leaves out structuredClone and TextEncoder): load a compiled spec (compileSpec, or macaron compile), which needs no parser, or run this code in Node's own environment`,
      { cause: error },
    );
}

/**
 * Loads and bundles a spec from a path (YAML or JSON) or an object with
 * @redocly/openapi-core, so `$ref`s across files become internal ones. Every problem is
 * reported at once, with file and JSON pointer.
 */
export async function loadSpec(source: string | object): Promise<BundledSpec> {
  // An object is checked as a file is when read (see `createRefResolver`): before it is written
  // out as JSON for redocly, which would expand what it holds at several places.
  if (typeof source === 'object') checkSpecValues(source);
  const { compiled, read } = await readCompiled(source);
  if (compiled) return compiled;
  // Imported on demand: a compiled spec (see `macaron compile`) never needs the bundler.
  const redocly = await import('@redocly/openapi-core').catch(
    peerMissing(
      '@redocly/openapi-core',
      'Loading a spec that is not compiled (see `macaron compile`)',
    ),
  );
  const config = await redocly.createConfig({}).catch((error: unknown) => {
    globalMissing(error);
    throw error;
  });
  const externalRefResolver = createRootResolver(redocly, config, undefined, read);
  const file = typeof source === 'string' ? resolve(source) : undefined;
  const doc = file === undefined ? documentOf(redocly, source as object) : undefined;
  let result: Awaited<ReturnType<typeof redocly.bundle>>;
  try {
    result =
      doc !== undefined
        ? await redocly.bundle({ doc, config, externalRefResolver })
        : await redocly.bundle({ ref: file!, config, externalRefResolver });
  } catch (error) {
    if (error instanceof SpecError) throw error;
    globalMissing(error);
    if (externalRefResolver.refused.length > 0)
      throw new SpecError('Cannot load the spec', externalRefResolver.refused, { cause: error });
    const message =
      error instanceof RangeError && /call stack/i.test(error.message)
        ? stackExhausted
        : error instanceof Error
          ? error.message
          : String(error);
    throw new SpecError(
      'Cannot load the spec',
      [{ ...(file ? { file } : {}), pointer: '', message }],
      { cause: error },
    );
  }
  // A file of the spec refused at its place (redocly only says it could not follow the $ref).
  if (externalRefResolver.refused.length > 0)
    throw new SpecError('Cannot load the spec', externalRefResolver.refused);
  const parsed = result.bundle.parsed as Record<string, unknown>;
  // Where redocly followed a pointer without its empty tokens (see `emptyTokenReferences`): its
  // "Can't resolve $ref" there, if it said one, gives way to the problem that says why.
  const misread = await emptyTokenProblems(redocly, externalRefResolver, file, source, doc);
  const misreadAt = new Set(
    misread.map((problem) => `${problem.file ?? resolve('openapi.json')}#${problem.pointer}`),
  );
  const problems: SpecProblem[] = result.problems
    .filter((problem) => problem.severity === 'error')
    .filter(
      (problem) =>
        !misreadAt.has(
          `${problem.location[0]?.source.absoluteRef}${problem.location[0]?.pointer ?? '#'}`,
        ),
    )
    // An example's `externalValue` (a URL of a literal example, not a schema) that redocly
    // could not fetch: Macaron reads no example, and a spec loads whatever its host answers.
    .filter(
      (problem) =>
        !(
          problem.location[0]?.source.absoluteRef === (file ?? resolve('openapi.json')) &&
          isExternalExample(parsed, problem.location[0]?.pointer)
        ),
    )
    // A reference of the root file that redocly could not follow, but that names a value of
    // the document by RFC 6901: redocly drops a pointer's empty tokens (`#/$defs//x`, a
    // property named ''), and Macaron, reading every reference itself, follows it.
    .filter(
      (problem) =>
        !(
          problem.message === "Can't resolve $ref" &&
          problem.location[0]?.source.absoluteRef === (file ?? resolve('openapi.json')) &&
          isLocalReference(parsed, problem.location[0]?.pointer)
        ),
    )
    .map((problem) => {
      const location = problem.location[0];
      const absoluteRef = location?.source.absoluteRef;
      return {
        ...(absoluteRef && file !== undefined ? { file: absoluteRef } : {}),
        pointer: (location?.pointer ?? '#').replace(/^#/, ''),
        message: problem.message,
      };
    });
  problems.push(...misread);
  if (problems.length > 0) throw new SpecError('The spec has errors', problems);
  const document = parsed;
  await recordFileNumbers(externalRefResolver);
  // The root as written tells which schemas referred to a file (bundling rewrote them). A spec
  // in one file has none: no need to read it again.
  const root =
    file === undefined
      ? source
      : result.fileDependencies.size > 1
        ? redocly.parseYaml(await rootText(externalRefResolver, file))
        : undefined;
  if (root !== undefined) repairBundledReferences(document, root);
  const dialect = detectDialect(document, file);
  const sources =
    file !== undefined && result.fileDependencies.size > 1
      ? new SpecSources(document, file, await filesRead(externalRefResolver))
      : undefined;
  const names = sources && sourceNames(namedSchemas(document, dialect), sources);
  return {
    document,
    dialect,
    ...(file ? { file } : {}),
    fileAliases: fileAliasesOf(root),
    ...(names && Object.keys(names).length > 0 ? { sourceNames: names } : {}),
    ...(sources ? { sources } : {}),
  };
}

/**
 * The document redocly bundles for a spec given as an object: its JSON text, as redocly's
 * `makeDocumentFromString` makes, but read back with `JSON.parse`, where redocly would run its
 * YAML parser over the text (the same values for JSON text, at a quarter of the time: 4 s of a
 * 47 MB spec's 21).
 */
function documentOf(redocly: typeof import('@redocly/openapi-core'), source: object) {
  let text: string;
  try {
    text = JSON.stringify(source);
  } catch (error) {
    // Not the bundler's stack (see `stackExhausted`): the object nests deeper than JSON is written.
    if (!(error instanceof RangeError)) throw error;
    throw new SpecError(
      'Cannot load the spec',
      [
        {
          pointer: '',
          message: `it nests objects deeper than Node's stack lets JSON.stringify write them (${error.message}): a spec file nests at most 100 levels (js-yaml's bound); a spec given as an object cannot nest much deeper`,
        },
      ],
      { cause: error },
    );
  }
  return {
    source: new redocly.Source(resolve('openapi.json'), text),
    parsed: JSON.parse(text) as unknown,
  };
}

/**
 * Records the exact value of the number literals each file read wrote and its parser rounded
 * (see `recordExactNumbers`), from the file's syntax tree (see `yamlSyntaxTree`).
 */
async function recordFileNumbers(resolver: BaseResolver): Promise<void> {
  let yaml: typeof import('js-yaml') | undefined;
  for (const [, read] of resolver.cache) {
    const document = await read.catch(() => undefined);
    if (!document || !('source' in document) || !mayHoldRoundedNumbers(document.source.body))
      continue;
    // A dependency: missing only where a bundle left it out (see the README on bundling).
    yaml ??= await import('js-yaml').catch(
      peerMissing('js-yaml', "Reading a spec file's numbers as written"),
    );
    recordExactNumbers(yamlSyntaxTree(yaml, document.source.body), document.parsed);
  }
}

// The `$ref`s redocly followed by a pointer it read without its empty tokens, in every file
// bundling read and in a root given as an object. Each file as written: bundling rewrote the
// references it followed in the documents it read. Read again only where its text may hold
// such a pointer (a `#`, a path, then `/` and another `/` or the value's end, each maybe escaped).
async function emptyTokenProblems(
  redocly: typeof import('@redocly/openapi-core'),
  resolver: BaseResolver,
  file: string | undefined,
  source: string | object,
  root: { source: { body: string } } | undefined,
): Promise<SpecProblem[]> {
  // A root given as an object: as given (bundling rewrote the document made of its text).
  const problems =
    root && mayHoldEmptyToken.test(root.source.body)
      ? emptyTokenReferences(source, undefined, true)
      : [];
  for (const [path, read] of resolver.cache) {
    const document = await read.catch(() => undefined);
    if (!document || !('source' in document) || !mayHoldEmptyToken.test(document.source.body))
      continue;
    const written = asWritten(redocly, document.source.body);
    problems.push(...emptyTokenReferences(written, path, path === file));
  }
  return problems;
}

// A file's values as written. JSON text is read by `JSON.parse`, the same values at a quarter
// of the YAML parser's time: the text of a large spec may match `mayHoldEmptyToken` with no such
// `$ref` (`https://app.example.com/#/settings/` in a description), 2 s of a 16 MB spec's 6.
function asWritten(redocly: typeof import('@redocly/openapi-core'), body: string): unknown {
  if (/^\s*[{[]/.test(body))
    try {
      return JSON.parse(body) as unknown;
    } catch {}
  return redocly.parseYaml(body);
}

// A `/` as a JSON or YAML string may write it: escaped (`\/`, as PHP's json_encode writes every
// one, `\u002F`, `\x2F`) as well as plain.
const slash = String.raw`(?:\/|\\\/|\\u002[fF]|\\x2[fF])`;
const mayHoldEmptyToken = new RegExp(
  String.raw`(?:#|\\u0023|\\x23)(?:${slash}[^\s'",}\]#]*?)?${slash}(?=${slash}|[\s'",}\]]|$)`,
  'm',
);

// The parsed content of every file bundling read, by absolute path.
async function filesRead(resolver: BaseResolver): Promise<Map<string, unknown>> {
  const files = new Map<string, unknown>();
  for (const [file, read] of resolver.cache) {
    const document = await read.catch(() => undefined);
    if (document && 'parsed' in document) files.set(file, document.parsed);
  }
  return files;
}

// The named schemas of a bundled document (`components/schemas`, Swagger's `definitions`).
function namedSchemas(
  document: Record<string, unknown>,
  dialect: Dialect,
): Record<string, unknown> | undefined {
  const record = (value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  return dialect === 'swagger2'
    ? record(document.definitions)
    : record(record(document.components)?.schemas);
}

/** The named schemas of a root document that are a `$ref` to another file, and nothing else. */
function fileAliasesOf(root: unknown): string[] {
  const record = (value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  const document = record(root);
  const schemas = record(record(document?.components)?.schemas) ?? record(document?.definitions);
  if (!schemas) return [];
  return Object.keys(schemas).filter((name) => {
    const schema = record(schemas[name]);
    const ref = schema?.$ref;
    return typeof ref === 'string' && !ref.startsWith('#') && Object.keys(schema!).length === 1;
  });
}

/**
 * Tells Swagger 2.0, OpenAPI 3.0 and 3.1 apart from the document's version field. OpenAPI 3.2's
 * schemas are 3.1's (JSON Schema 2020-12): it reads as `oas3.1`.
 */
export function detectDialect(document: Record<string, unknown>, file?: string): Dialect {
  if (typeof document.swagger === 'string' && document.swagger.startsWith('2.')) return 'swagger2';
  if (typeof document.openapi === 'string') {
    if (document.openapi.startsWith('3.0')) return 'oas3.0';
    if (document.openapi.startsWith('3.1') || document.openapi.startsWith('3.2')) return 'oas3.1';
  }
  throw new SpecError('Unsupported spec', [
    {
      ...(file ? { file } : {}),
      pointer: '',
      message: 'expected `swagger: 2.0` or `openapi: 3.0.x / 3.1.x / 3.2.x`',
    },
  ]);
}

/** The marker of a compiled spec (see `compileSpec`). */
export const compiledMarker = 'x-macaron-compiled';

/** A spec bundled and checked ahead of time: loads without @redocly/openapi-core. */
export interface CompiledSpec {
  /**
   * Format version of the compiled form: 2 when it lists `exactNumbers`, 1 otherwise. Versions
   * before `exactNumbers` read format 1 alone, and would read a listed number as the document
   * rounds it: they refuse format 2 instead.
   */
  [compiledMarker]: 1 | 2;
  /** Swagger 2.0, OpenAPI 3.0 or 3.1. */
  dialect: Dialect;
  /** The bundled document. */
  document: Record<string, unknown>;
  /** The named schemas the root document gave as a `$ref` to another file (see `BundledSpec`). */
  fileAliases?: string[];
  /** The components bundling named otherwise than their schema in its file (see `BundledSpec`). */
  sourceNames?: Record<string, string>;
  /**
   * The numbers of the document that its JSON cannot give exactly to a reader, by JSON pointer,
   * as decimal text: integers beyond 2^53 (a spec's `9007199254740993` is written, and read, as
   * 9007199254740992) and decimals with more digits than a double holds (`maximum:
   * 99999999999999999999.99`). Validation uses them in place of the document's.
   */
  exactNumbers?: Record<string, string>;
}

// A JSON escape of a printable ASCII character: how a name could be written unrecognisably.
const escapedAscii = /\\u00[2-7][\da-f]/i;

/**
 * A compiled spec, given as an object or as the path of its JSON file; for anything else, the
 * JSON file's text where it was read (redocly is given it, rather than reading it again).
 */
async function readCompiled(
  source: string | object,
): Promise<{ compiled?: BundledSpec; read?: ReadFile }> {
  let candidate: unknown = source;
  let read: ReadFile | undefined;
  if (typeof source === 'string') {
    if (!source.endsWith('.json')) return {};
    const file = resolve(source);
    try {
      // Without the byte order mark an editor may have saved it with: JSON.parse refuses it.
      read = { file, text: await readSpecFile(file) };
    } catch (error) {
      if (error instanceof SpecError) throw error; // a FIFO, a device, too large, not UTF-8
      return {}; // not there: redocly reports it
    }
    // A spec that cannot name the marker is not parsed twice (here, then by redocly): the name
    // is written as it is, or with escapes of printable ASCII characters (\u0078).
    if (!read.text.includes(compiledMarker) && !escapedAscii.test(read.text)) return { read };
    try {
      candidate = JSON.parse(read.text);
    } catch {
      return { read }; // not readable as JSON here: redocly reports it with file and position
    }
  }
  const compiled = candidate as Partial<CompiledSpec> | null;
  if (typeof compiled !== 'object' || compiled === null || compiled[compiledMarker] === undefined)
    return read ? { read } : {};
  if (
    (compiled[compiledMarker] !== 1 && compiled[compiledMarker] !== 2) ||
    typeof compiled.document !== 'object' ||
    compiled.document === null
  ) {
    throw new SpecError('Unsupported compiled spec', [
      {
        ...(typeof source === 'string' ? { file: resolve(source) } : {}),
        pointer: '',
        message: `expected ${compiledMarker}: 1 or 2 with a document; recompile it`,
      },
    ]);
  }
  const document = compiled.document;
  // Format 1 may list them too: versions of exactNumbers before format 2 wrote it so.
  restoreExactNumbers(document, compiled.exactNumbers);
  const fileAliases = compiled.fileAliases;
  const names = compiled.sourceNames;
  const spec: BundledSpec = {
    document,
    dialect: detectDialect(document),
    compiled: true,
    ...(Array.isArray(fileAliases) && fileAliases.every((name) => typeof name === 'string')
      ? { fileAliases }
      : {}),
    ...(typeof names === 'object' &&
    names !== null &&
    Object.values(names).every((name) => typeof name === 'string')
      ? { sourceNames: names }
      : {}),
    ...(typeof source === 'string' ? { file: resolve(source) } : {}),
  };
  return { compiled: spec };
}

/** The root file's text as the resolver read it (bundling changed its parsed document since). */
async function rootText(resolver: BaseResolver, file: string): Promise<string> {
  const document = await resolver.cache.get(file)?.catch(() => undefined);
  return document && 'source' in document ? document.source.body : readSpecFile(file);
}

// Whether the document holds an Example Object given by its `externalValue` at `pointer`.
// The value at a fragment pointer of the document, if it has one (own properties alone).
function valueAt(document: unknown, pointer: string): { value: unknown } | undefined {
  let value = document;
  for (const token of parsePointer(pointer)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, token))
      return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return { value };
}

// Whether the `$ref` at `pointer` is one into the document (`#…`) that names a value of it.
function isLocalReference(document: unknown, pointer: string | undefined): boolean {
  if (pointer === undefined || !pointer.startsWith('#')) return false;
  const holder = valueAt(document, pointer)?.value;
  const ref =
    holder !== null && typeof holder === 'object' ? (holder as { $ref?: unknown }).$ref : undefined;
  return (
    typeof ref === 'string' &&
    (ref === '#' || ref.startsWith('#/')) &&
    valueAt(document, ref) !== undefined
  );
}

function isExternalExample(
  document: Record<string, unknown>,
  pointer: string | undefined,
): boolean {
  if (pointer === undefined || !pointer.startsWith('#/')) return false;
  let value: unknown = document;
  for (const token of parsePointer(pointer)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, token)) return false;
    value = (value as Record<string, unknown>)[token];
  }
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { externalValue?: unknown }).externalValue === 'string' &&
    !Object.hasOwn(value, '$ref')
  );
}
