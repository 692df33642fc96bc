import { InvalidRequestError } from '../errors/persistence-errors.js';
import { quotedName, shownJson, shownList, shownName, shownText } from '../errors/shown-name.js';
import { SpecError, type SpecProblem } from '../errors/spec-error.js';
import type { ValidationProblem } from '../errors/validation-error.js';
import { createModelClass, type ModelClass } from '../model/model-class.js';
import { checkBackendContract } from '../persist/backend-contract.js';
import { createCursorCodec } from '../persist/cursor-keys.js';
import { checkOptionNames, optionNames } from '../persist/option-names.js';
import { type PersistAnnotation, parsePersistAnnotation } from '../persist/persist-annotation.js';
import {
  type BatchRetryOptions,
  batchRetrySettings,
  type PersistenceContext,
} from '../persist/persistence-context.js';
import { createPersistentClass, type PersistentModelClass } from '../persist/persistent-model.js';
import type { StorageBackend } from '../persist/storage-backend.js';
import type { TableDescriptor } from '../persist/table-descriptor.js';
import { runTransaction, type Transaction } from '../persist/transaction.js';
import type { Dialect } from '../schema/normalize-schema.js';
import type { SchemaNode } from '../schema/schema-node.js';
import { type ValidateOptions, validateValue } from '../schema/validate-value.js';
import { analyzeSpec } from '../spec/analyze-spec.js';
import { inSource, inSources, loadSpec } from '../spec/load-spec.js';
import { type SpecReadOptions, specReadOptionNames } from '../spec/spec-options.js';
import { assertUsable } from '../spec/unusable-schemas.js';
import { schemaPlace } from './schema-pointer.js';

/** Options of `loadApi` (with `compat` and `persist`, see `SpecReadOptions`). */
export interface LoadApiOptions extends SpecReadOptions {
  /** Where persistent models are stored: `createMemoryBackend()`, `createDynamoDbBackend(…)`, … */
  backend?: StorageBackend | undefined;
  /** Prefix for every table name, e.g. `staging-`. */
  tablePrefix?: string | undefined;
  /**
   * Key material that encrypts pagination cursors (AES-256-GCM, key derived with HKDF), at
   * least 32 characters: `openssl rand -base64 32`. Every instance of a service must share
   * it. Without it, each `loadApi` call makes a random key: cursors then work only within
   * this API object, and fail after a restart or on another instance.
   */
  cursorKey?: string | undefined;
  /** Former `cursorKey`s, still accepted for reading cursors while `cursorKey` makes new ones (rotation). */
  previousCursorKeys?: readonly string[] | undefined;
  /** @deprecated Use `cursorKey`: this is its former name, with the same rules. */
  cursorSecret?: string | undefined;
  /** How batches retry unprocessed work. */
  batchRetry?: BatchRetryOptions | undefined;
}

// The keys of LoadApiOptions; any other is refused (P-110): a misspelt cursorKey would
// otherwise give each instance a random key, and cursors would fail across instances.
const loadApiOptionNames = optionNames(
  ...specReadOptionNames,
  'backend',
  'tablePrefix',
  'cursorKey',
  'previousCursorKeys',
  'cursorSecret',
  'batchRetry',
);

/** A loaded API: its models, persistent classes and transactions. */
export interface Api {
  /** The bundled spec document. */
  readonly document: Readonly<Record<string, unknown>>;
  /** Swagger 2.0, OpenAPI 3.0 or 3.1. */
  readonly dialect: Dialect;
  /** The backend given to `loadApi`. */
  readonly backend: StorageBackend | undefined;
  /** The names of every named schema. */
  modelNames(): string[];
  /** The normalised schema of a named schema. */
  schema(name: string): SchemaNode;
  /**
   * The normalised schema at a JSON pointer of the bundled document, e.g. a parameter's or
   * a request body's (`/paths/~1profiles~1{id}/get/parameters/0/schema`), in either form
   * (`/…` or `#/…`). What is no such pointer, the document itself, a place that holds only
   * other objects (`/info`, `/components/schemas`) and a place that holds nothing are an
   * `InvalidRequestError`.
   */
  schemaAt(pointer: string): SchemaNode;
  /**
   * The model class of a named schema. A schema typed other than `object` (a string enum, a
   * list) has none: `InvalidRequestError`; `validate(name, value)` checks its values.
   */
  model<T extends object = Record<string, unknown>>(name: string): ModelClass<T>;
  /**
   * The persistent class of a schema marked `x-persist`. With PyMacaron's form
   * (`x-persist: a.class.Path`), pass the table and key here.
   */
  persistent<T extends object = Record<string, unknown>>(
    name: string,
    annotation?: PersistAnnotation,
  ): PersistentModelClass<T>;
  /** Every table the persistent models use so far, for provisioning. */
  tables(): TableDescriptor[];
  /** Validates a value against a named schema. */
  validate(name: string, value: unknown, options?: ValidateOptions): ValidationProblem[];
  /** Applies the writes collected by `build` all together or not at all. */
  transaction(build: (transaction: Transaction) => void | Promise<void>): Promise<void>;
}

/**
 * Loads a spec (a path to YAML or JSON, or an object) and makes its schemas model
 * classes, persistent where they carry `x-persist`. A broken spec or annotation throws
 * `SpecError` listing every problem with its file and JSON pointer.
 */
export async function loadApi(source: string | object, options: LoadApiOptions = {}): Promise<Api> {
  checkOptionNames(options, loadApiOptionNames, 'loadApi', TypeError);
  const retry = batchRetrySettings(options.batchRetry);
  if (options.backend !== undefined) checkBackendContract(options.backend);
  checkTablePrefix(options.tablePrefix);
  const spec = await loadSpec(source);
  const { normalizer, schemas, registry, byCode, annotated, bundledAs, problems } = analyzeSpec(
    spec,
    options.tablePrefix ?? '',
    options,
    spec.compiled ? 'when-used' : 'all',
  );
  const place = (problem: SpecProblem) => inSource(spec, problem);
  if (problems.length > 0) throw new SpecError('The spec has errors', inSources(spec, problems));

  const context: PersistenceContext = {
    backend: options.backend,
    cursors: createCursorCodec(options),
    retry,
  };
  const models = new Map<string, ModelClass<object>>();
  const persistents = new Map<
    string,
    { annotation: PersistAnnotation; type: PersistentModelClass<object> }
  >();
  // Whether a `$ref` reached a place; a compiled spec normalises its schemas when first used,
  // so all of them are first, before such a place is refused.
  const reached = (pointer: string): boolean => {
    if (normalizer.reached(pointer)) return true;
    for (const name of schemas.names()) schemas.get(name);
    return normalizer.reached(pointer);
  };
  const schemaOf = (name: string): SchemaNode => {
    // A caller from JavaScript may pass anything: a name is a string, or no schema's.
    if (typeof name !== 'string')
      throw new InvalidRequestError(`A schema's name is a string, not ${shownJson(name)}`);
    const schema = schemas.get(name);
    if (!schema)
      throw new InvalidRequestError(
        `The spec has no schema ${shownName(name)} (schemas: ${shownList(schemas.names(), shownName)})`,
      );
    return schema;
  };
  // The schema of a model that is created or validates values: a pattern JavaScript cannot run
  // makes it unusable (SpecError naming the pattern), while the rest of the spec works.
  const usableSchema = (name: string): SchemaNode => {
    const schema = schemaOf(name);
    assertUsable(schema, `Schema ${shownName(name)}`, place);
    return schema;
  };

  return {
    document: spec.document,
    dialect: spec.dialect,
    backend: options.backend,
    modelNames: () => schemas.names(),
    schema: schemaOf,
    schemaAt(pointer) {
      const { canonical, value: raw } = schemaPlace(spec.document, pointer, reached);
      // The place as the caller wrote it, its line breaks and bidi controls escaped.
      const shown = shownText(pointer);
      if (raw === undefined) throw new InvalidRequestError(`The spec has nothing at ${shown}`);
      const found = schemas.normaliseLate(
        () => normalizer.inline(raw, canonical),
        `Invalid schema at ${shown}`,
      );
      assertUsable(found, `The schema at ${shown}`, place);
      return found;
    },
    model<T extends object>(name: string) {
      let type = models.get(name);
      if (!type) {
        const schema = usableSchema(name);
        // A model object is an object: a class no value could be given to is refused here.
        if (schema.types !== undefined && !schema.types.includes('object'))
          throw new InvalidRequestError(
            `${shownName(name)} is a schema of ${schema.types.join(' or ')} values, not of objects: it has no model class; check its values with api.validate(${argument(name)}, value)`,
          );
        type = createModelClass(name, schema);
        models.set(name, type);
      }
      return type as unknown as ModelClass<T>;
    },
    persistent<T extends object>(name: string, annotation?: PersistAnnotation) {
      const schema = usableSchema(name);
      const existing = persistents.get(name);
      const fromSpec = annotated.get(name);
      if (fromSpec && annotation && !sameAnnotation(annotation, fromSpec)) {
        throw new InvalidRequestError(
          `${shownName(name)} has its x-persist in the spec already; call persistent(${argument(name)}) without options`,
        );
      }
      const alias = bundledAs.get(name);
      if (!fromSpec && alias !== undefined)
        throw new InvalidRequestError(
          `${shownName(name)} is the component bundling made of the file ${shownName(alias)} refers to, and its x-persist is ${shownName(alias)}'s: call persistent(${argument(alias)})`,
        );
      if (!fromSpec && !annotation) {
        throw new InvalidRequestError(
          byCode.has(name)
            ? `${shownName(name)} uses PyMacaron's x-persist form: pass { table, key } to persistent(${argument(name)}, …)${elsewhere(options.persist, schemas.names())}`
            : `${shownName(name)} has no x-persist in the spec`,
        );
      }
      if (!fromSpec && !byCode.has(name))
        throw new InvalidRequestError(`${shownName(name)} has no x-persist in the spec`);
      const wanted = fromSpec ?? annotation!;
      if (existing) {
        if (!sameAnnotation(existing.annotation, wanted)) {
          throw new InvalidRequestError(
            `${shownName(name)} was made persistent with another annotation already`,
          );
        }
        return existing.type as unknown as PersistentModelClass<T>;
      }
      const checked: SpecProblem[] = [];
      const parsed = fromSpec ?? parsePersistAnnotation(annotation, name, '', checked);
      if (!parsed || parsed === 'by-code')
        throw new SpecError(`Invalid persistence options for ${shownName(name)}`, checked);
      const descriptor = registry.model(name) ?? registry.registerOrThrow(name, schema, parsed, '');
      const type = createPersistentClass<object>(descriptor, context);
      persistents.set(name, { annotation: wanted, type });
      return type as unknown as PersistentModelClass<T>;
    },
    tables: () => registry.allTables(),
    validate: (name, value, options) => validateValue(usableSchema(name), value, '', options),
    transaction: (build) => runTransaction(context, build),
  };
}

// Annotations are equal when they say the same, whatever the order of their fields.
function sameAnnotation(left: PersistAnnotation, right: PersistAnnotation): boolean {
  const canonical = (value: unknown): unknown =>
    typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
        )
      : value;
  try {
    return JSON.stringify(canonical(left)) === JSON.stringify(canonical(right));
  } catch {
    // A bigint, a cyclic or too deeply nested value: no annotation the spec or a parse made.
    return false;
  }
}

// A prefix is part of every table name: the characters DynamoDB allows there, and nothing a
// backend might use to name what belongs to a table (PostgreSQL's `<table>:<index>`).
function checkTablePrefix(prefix: unknown): void {
  if (prefix === undefined) return;
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9_.-]*$/.test(prefix))
    throw new TypeError(
      `loadApi: tablePrefix may hold only A-Z a-z 0-9 _ - . (as table names), not ${shownJson(prefix)}`,
    );
}

// The `persist` entries naming no schema of this spec (one config serves a project's specs,
// so they load), named where a schema in PyMacaron's form finds none: one may be misspelt.
function elsewhere(
  persist: Readonly<Record<string, unknown>> | undefined,
  names: readonly string[],
): string {
  const unmatched = Object.keys(persist ?? {}).filter((name) => !names.includes(name));
  return unmatched.length === 0
    ? ''
    : ` or to loadApi's persist, whose ${unmatched.map(quotedName).join(', ')} this spec has no schema of`;
}

// A schema's name as the argument of a call a message suggests: quoted as code quotes it, or as
// JSON with the characters a message must not hold escaped (P-88), when it holds any.
function argument(name: string): string {
  const shown = shownName(name);
  return shown !== name && shown.startsWith('"') ? shown : `'${shown}'`;
}
