import { readdirSync, readFileSync } from 'node:fs';
import {
  type Api,
  loadApi,
  MacaronError,
  type PersistentModelClass,
  SpecError,
  type StoredItem,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceFactory, EngineDifference } from '../harness.js';

/** Options of `runJsonSchemaSuite`. */
export interface JsonSchemaSuiteOptions {
  /**
   * The folder of the official JSON Schema Test Suite's `tests` (its `draft2020-12` and
   * `draft4` folders), as core vendors it in `packages/core/test/fixtures/json-schema-test-suite`.
   */
  suiteRoot: string | URL;
  /** Timeout of each test (one of the suite's files) in ms (default 60 s). */
  timeoutMs?: number;
  /**
   * Where the engine departs from DynamoDB's documented behaviour: with
   * `attributes-named-proto-dropped`, the values holding a name `__proto__` are not written.
   */
  engineDifferences?: readonly EngineDifference[];
}

interface SuiteCase {
  readonly description: string;
  readonly data: unknown;
  readonly valid: boolean;
}
interface SuiteGroup {
  readonly description: string;
  readonly schema: unknown;
  readonly tests: readonly SuiteCase[];
}
type Values = Record<string, unknown>;

const suites = [
  { dir: 'draft2020-12', openapi: '3.1.0' },
  { dir: 'draft2020-12/optional', openapi: '3.1.0' },
  { dir: 'draft2020-12/optional/format', openapi: '3.1.0' },
  { dir: 'draft4', openapi: '3.0.3' },
] as const;

/** The physical table every case's items go to, each under keys of its own. */
const table = 'jsonSchemaSuite';
/** The name of the attribute another client adds to a closed object's item (P-91). */
const extraName = 'written-by-another-client';

/**
 * The groups whose closed schema keeps, rather than sets aside, an attribute another client
 * wrote (P-91: under `unevaluatedProperties: false`, what a subschema could evaluate is not set
 * aside, whether or not that subschema applies to the object): the object loads with it, and
 * its save is a `ValidationError` that writes nothing. Asserted, so that a change shows here.
 */
const extrasKept: readonly { file: string; groups: readonly string[] }[] = [
  // The oneOf member `{ required: [all], unevaluatedProperties: true }` could evaluate any name.
  // Named as the vendored suite spells it and as a later suite may correct it: a user's
  // `suiteRoot` may be either.
  {
    file: 'unevaluatedProperties.json',
    groups: ['dynamic evalation inside nested refs', 'dynamic evaluation inside nested refs'],
  },
];

/** The files whose closed schemas take items with extras another client wrote (P-91). */
const closedFiles = [
  'draft2020-12/additionalProperties.json',
  'draft2020-12/unevaluatedProperties.json',
  'draft4/additionalProperties.json',
];

const dataKeywords = new Set(['enum', 'const', 'default', 'examples']);

// As core's runner does: the schema's `$ref`s into itself made to point where it now is, and
// every name an own property (the suite has a `__proto__`).
function moved(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((item) => moved(item, base));
  if (typeof node !== 'object' || node === null) return node;
  const copy: Values = {};
  for (const [key, value] of Object.entries(node))
    define(
      copy,
      key,
      key === '$ref' && typeof value === 'string'
        ? base + value.slice(1)
        : dataKeywords.has(key)
          ? value
          : moved(value, base),
    );
  return copy;
}

function define(target: Values, name: string, value: unknown): void {
  Object.defineProperty(target, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function withoutDialect(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || !('$schema' in schema)) return schema;
  const { $schema: _dialect, ...rest } = schema as Values;
  return rest;
}

/**
 * The case's schema twice: as the component `S` (the value alone, as core's runner checks it)
 * and as the property `v` of the persisted model `T`.
 */
function documentOf(schema: unknown, openapi: string, persisted: boolean): Values {
  const own = withoutDialect(schema);
  const schemas: Values = { S: moved(own, '#/components/schemas/S') };
  if (persisted)
    schemas.T = {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' }, v: moved(own, '#/components/schemas/T/properties/v') },
      'x-persist': { table, key: 'id' },
    };
  return {
    openapi,
    info: { title: 'JSON Schema Test Suite, persisted', version: '1' },
    paths: {},
    components: { schemas },
  };
}

/** A value as comparable text: names sorted (their order is the engine's), bytes as hex. */
function comparable(value: unknown): string {
  return (
    JSON.stringify(value, (_name, inner: unknown) => {
      if (typeof inner === 'bigint') return `${inner}n`;
      if (inner instanceof Uint8Array) return `bytes:${Buffer.from(inner).toString('hex')}`;
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
        const sorted: Values = {};
        for (const name of Object.keys(inner).sort()) define(sorted, name, (inner as Values)[name]);
        return sorted;
      }
      return inner;
    }) ?? 'undefined'
  );
}

/** The value with the `null`s of its objects' members left out, at every depth (P-12). */
function withoutNullMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullMembers);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Values = {};
  for (const [name, inner] of Object.entries(value))
    if (inner !== null) define(copy, name, withoutNullMembers(inner));
  return copy;
}

function hasName(value: unknown, name: string): boolean {
  if (Array.isArray(value)) return value.some((inner) => hasName(inner, name));
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([own, inner]) => own === name || hasName(inner, name));
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (!(error instanceof MacaronError)) throw error;
    return `${error.constructor.name} ${error.code}: ${error.message.slice(0, 300)}`;
  }
}

function item(id: string, value: unknown): Values {
  const object: Values = { id };
  if (value !== undefined) define(object, 'v', structuredClone(value));
  return object;
}

let runs = 0;
const ensured = new WeakSet<object>();

interface Checked {
  /** The groups whose schema loads as a persisted property. */
  groups: number;
  /** The cases written. */
  cases: number;
  /** The items with an extra another client wrote, loaded and saved. */
  extras: number;
  readonly problems: string[];
}

async function checkGroup(
  harness: Awaited<ReturnType<ConformanceFactory>>,
  options: JsonSchemaSuiteOptions,
  openapi: string,
  file: string,
  group: SuiteGroup,
  checked: Checked,
): Promise<void> {
  const { problems } = checked;
  const where = `${file}: ${group.description}`;
  const keepsExtras = extrasKept.some(
    (known) => file.endsWith(`/${known.file}`) && known.groups.includes(group.description),
  );
  const protoDropped = options.engineDifferences?.includes('attributes-named-proto-dropped');
  const { backend, raw } = harness;
  let api: Api;
  try {
    api = await loadApi(documentOf(group.schema, openapi, true), { backend });
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    // Left out where the schema alone cannot be said either (core's runner says why).
    const alone = await loadApi(documentOf(group.schema, openapi, false)).then(
      () => 'loads',
      (failure: unknown) => (failure instanceof SpecError ? 'SpecError' : String(failure)),
    );
    if (alone !== 'SpecError')
      problems.push(`${where}: the schema alone ${alone}, as a property: ${error.message}`);
    return;
  }
  const T = api.persistent('T') as PersistentModelClass<Values>;
  checked.groups += 1;
  // The table made once a backend: every group's model is stored in it alike.
  if (!ensured.has(backend)) {
    await backend.ensureTables?.(api.tables());
    ensured.add(backend);
  }
  const physical = api.tables()[0]!.name;
  const closed = /"(unevaluatedProperties|additionalProperties)":false/.test(
    JSON.stringify(group.schema),
  );
  runs += 1;
  const prefix = `${runs}-${Math.random().toString(36).slice(2, 8)}`;
  const updated = `${prefix}-u`;
  await T.create({ id: updated });
  let before = comparable({ id: updated });
  for (const [index, test] of group.tests.entries()) {
    const at = `${where} / ${test.description}: ${JSON.stringify(test.data)}`;
    // dynalite drops the name, or refuses the map holding it (docs/engines.md).
    if (protoDropped && hasName(test.data, '__proto__')) continue;
    checked.cases += 1;
    const valid = api.validate('S', test.data).length === 0;
    const asProperty = api.validate('T', item('x', test.data)).length === 0;
    if (valid !== asProperty)
      problems.push(`${at}: valid alone ${valid}, as a persisted property ${asProperty}`);
    const created = `${prefix}-${index}-c`;
    const saved = `${prefix}-${index}-s`;
    const writes = {
      create: await outcome(() => T.create(item(created, test.data))),
      save: await outcome(() => new T(item(saved, test.data)).save()),
      update: await outcome(() =>
        T.update({ id: updated }, { set: { v: structuredClone(test.data) } }),
      ),
    };
    const [readCreated, readSaved, readUpdated] = await T.getMany(
      [{ id: created }, { id: saved }, { id: updated }],
      { consistent: true },
    );
    const reads = { create: readCreated, save: readSaved, update: readUpdated };
    const ids = { create: created, save: saved, update: updated };
    for (const op of ['create', 'save', 'update'] as const) {
      const result = writes[op];
      const read = reads[op];
      const stored = read ? comparable({ ...read }) : 'nothing';
      const json = read ? comparable(read.toJSON()) : 'nothing';
      const unchanged = op === 'update' ? before : 'nothing';
      const given = comparable(item(ids[op], test.data));
      if (valid && hasName(test.data, '')) {
        // P-14: no engine of the contract holds an empty name, at any depth.
        if (!result.startsWith('InvalidRequestError INVALID_REQUEST') || stored !== unchanged)
          problems.push(`${at}: ${op} of a value with an empty name: ${result}, stored ${stored}`);
      } else if (valid) {
        if (result !== 'ok') problems.push(`${at}: ${op} of a valid value: ${result}`);
        else if (stored !== given) problems.push(`${at}: ${op} read back ${stored}`);
        else if (json !== given) problems.push(`${at}: ${op} toJSON() ${json}`);
      } else if (result === 'ok') {
        // P-12: a `null` where the schema refuses it is left out of the object, not refused.
        // At the top, the property itself is left out (it is optional).
        const pruned = test.data === null ? undefined : withoutNullMembers(test.data);
        const kept = comparable(item(ids[op], pruned));
        const left =
          comparable(pruned) !== comparable(test.data) &&
          api.validate('T', item('x', pruned)).length === 0;
        if (!left || stored !== kept)
          problems.push(`${at}: ${op} of an invalid value succeeded, stored ${stored}`);
      } else if (!result.startsWith('ValidationError VALIDATION_ERROR') || stored !== unchanged)
        problems.push(`${at}: ${op} of an invalid value: ${result}, stored ${stored}`);
    }
    if (readUpdated) before = comparable({ ...readUpdated });
    // A map or list another client wrote loads as given, and its save writes it back exactly
    // (scalars left out: the run's time goes to what another client's encoding may change).
    if (valid && typeof test.data === 'object' && test.data !== null && !hasName(test.data, '')) {
      const id = `${prefix}-${index}-r`;
      const written = item(id, test.data);
      await raw.put(physical, written as StoredItem);
      const loaded = await T.get({ id }, { consistent: true });
      const json = loaded ? comparable(loaded.toJSON()) : 'nothing';
      const saveResult = loaded ? await outcome(() => loaded.save()) : 'not loaded';
      const after = await raw.get(physical, { id });
      if (
        json !== comparable(written) ||
        saveResult !== 'ok' ||
        comparable(after) !== comparable(written)
      )
        problems.push(
          `${at}: written by another client: loaded ${json}, save ${saveResult}, stored ${comparable(after)}`,
        );
    }
    // P-91: what a closed schema refuses, written by another client, is kept by a save.
    if (
      closed &&
      valid &&
      typeof test.data === 'object' &&
      test.data !== null &&
      !Array.isArray(test.data) &&
      !hasName(test.data, '')
    ) {
      const id = `${prefix}-${index}-x`;
      const written = item(id, test.data);
      define(written.v as Values, extraName, 'kept');
      if (api.validate('T', written).length === 0) continue; // the schema takes the extra
      await raw.put(physical, written as StoredItem);
      const loaded = await T.get({ id }, { consistent: true });
      if (!loaded) {
        problems.push(`${at}: an item with an extra written by another client did not load`);
        continue;
      }
      const json = comparable(loaded.toJSON());
      const saveResult = await outcome(() => loaded.save());
      const after = await raw.get(physical, { id });
      checked.extras += 1;
      const expected = keepsExtras
        ? { json: comparable(written), save: 'ValidationError VALIDATION_ERROR' }
        : { json: comparable(item(id, test.data)), save: 'ok' };
      if (
        json !== expected.json ||
        !saveResult.startsWith(expected.save) ||
        comparable(after) !== comparable(written)
      )
        problems.push(
          `${at}: an extra another client wrote: loaded as ${json}, save ${saveResult}, stored ${comparable(after)}`,
        );
    }
  }
}

/**
 * Registers the official JSON Schema Test Suite as a vitest suite through a backend: each
 * group's schema the schema of a persisted object's property `v`, each case's data a value of
 * it, created, saved and set by `update()`. A valid value reads back as given (and so does its
 * `toJSON()`); an invalid one is a `ValidationError` and changes nothing, but for what the
 * contract documents: a `null` where the schema refuses it is left out of the object (P-12),
 * an empty name is an `InvalidRequestError` (P-14). Where the schema is closed, an extra
 * another client wrote into the object's map loads and is written back by `save()` (P-91).
 */
export function runJsonSchemaSuite(
  name: string,
  factory: ConformanceFactory,
  options: JsonSchemaSuiteOptions,
): void {
  const root = options.suiteRoot.toString().replace(/\/?$/, '/');
  const url = (path: string) => (root.startsWith('file:') ? new URL(path, root) : root + path);
  describe(name, () => {
    for (const { dir, openapi } of suites) {
      const files = readdirSync(url(dir)).filter((file) => file.endsWith('.json'));
      for (const file of files)
        it(
          `${dir}/${file}: valid values stored and read back exactly, invalid ones refused`,
          async () => {
            const groups = JSON.parse(readFileSync(url(`${dir}/${file}`), 'utf8')) as SuiteGroup[];
            const harness = await factory();
            const checked: Checked = { groups: 0, cases: 0, extras: 0, problems: [] };
            try {
              for (const group of groups)
                await checkGroup(harness, options, openapi, `${dir}/${file}`, group, checked);
            } finally {
              await harness.close?.();
            }
            expect(checked.problems).toEqual([]);
            // The run is worth something only where values were written: a file whose every
            // group a spec cannot say (core's runner lists why) writes none.
            if (checked.groups > 0) expect(checked.cases).toBeGreaterThan(0);
            if (closedFiles.includes(`${dir}/${file}`)) expect(checked.extras).toBeGreaterThan(0);
            // Each group listed as keeping extras names a group of the file.
            for (const known of extrasKept)
              if (`${dir}/${file}`.endsWith(`/${known.file}`))
                expect(
                  groups.some((group) => known.groups.includes(group.description)),
                  `${file} holds none of the groups ${known.groups.join(', ')}`,
                ).toBe(true);
          },
          options.timeoutMs ?? 60_000,
        );
    }
  });
}
