import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMacaron } from './macaron-process.js';
import { profilesSpec, shapesSpec } from './sample-specs.js';
import { compileProject, runInProject, typescriptProject } from './typescript-project.js';

// The project in the temporary folder imports the workspace's packages, as an app would.
const folder = typescriptProject({
  packages: ['core', 'backend-memory', 'backend-dynamodb', 'backend-postgres', 'fastify'],
  files: { 'apis/profiles.yaml': profilesSpec, 'apis/shapes.yaml': shapesSpec },
  compilerOptions: {
    noUnusedParameters: true,
    noImplicitOverride: true,
    noPropertyAccessFromIndexSignature: true,
    outDir: 'build',
    rootDir: 'src',
  },
});

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return runInProject(folder, command, args);
}

/** Correct uses: they compile, and run on the memory backend. */
const uses = `import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi, type Persistent, type TypedTransaction } from '@macaron/core';
import type { MacaronFastifyOptions } from '@macaron/fastify';
import { type Profile, typed } from './api.generated.js';

// Options read from the environment may be undefined: taken as left out (exactOptionalPropertyTypes).
const api = typed(
  await loadApi('apis/profiles.yaml', {
    backend: createMemoryBackend({ capabilities: undefined }),
    tablePrefix: process.env['TABLE_PREFIX'],
    cursorKey: process.env['CURSOR_KEY'],
  }),
);
// So may @macaron/fastify's (its README: a key holding undefined is taken as absent).
const jwtSecret = process.env['JWT_SECRET'];
export const serverOptions: MacaronFastifyOptions = {
  api,
  handlers: {},
  auth:
    jwtSecret === undefined
      ? undefined
      : {
          secret: jwtSecret,
          issuer: 'https://auth.example',
          audience: 'profiles',
          allowShortSecret: undefined,
          algorithms: undefined,
          clockToleranceSeconds: undefined,
        },
  version: { name: process.env['SERVICE_NAME'], version: undefined, container: undefined, pym_env: undefined },
  specRoute: process.env['SPEC_ROUTE'],
  bodyLimit: undefined,
  ping: undefined,
  validateResponses: undefined,
  bigintsInResponses: undefined,
  compat: undefined,
  errorFormatter: undefined,
  onError: undefined,
  decorators: undefined,
  securityHandlers: undefined,
};
const Profiles = api.persistent('Profile');
class PersistentProfile extends api.persistent('Profile') {
  greet(): string {
    return \`Hello \${this.name}\`;
  }
  // In a transaction, the object itself, with a condition on its model's properties.
  saveIn(transaction: TypedTransaction): void {
    transaction.save(this, { condition: { attr: 'name', exists: true } });
  }
}
const fields: Profile = { profile_id: 'ann', name: 'Ann', view_count: 0, country: 'fr', age: 30 };
await PersistentProfile.create(fields);
// An object is built from some of its values, and validated when written.
const draft = new PersistentProfile({ profile_id: 'dee' });
draft.name = 'Dee';
const ann: PersistentProfile = await PersistentProfile.load('ann');
await Profiles.load({ profile_id: 'ann' });
const updated = await Profiles.update(
  'ann',
  { add: { view_count: 2 }, set: { name: 'Ann B' }, remove: ['email'], append: { tags: ['new'] } },
  { condition: { attr: 'view_count', lt: 10 } },
);
const byCountry = await PersistentProfile.query({ index: 'byCountry', partition: 'fr', sort: { between: [18, 40] } });
await Profiles.query({ index: 'byEmail', partition: 'ann@example.org', filter: { attr: 'age', gt: 3 } });
await Profiles.query({ partition: 'ann', limit: 10 });
// A readonly list appends as a list does.
const more: readonly string[] = ['more'];
await Profiles.update('ann', { append: { tags: more } });
// A condition's value has its property's type; numbers either way, paths into a property any value.
await Profiles.scan({
  filter: {
    and: [
      { attr: 'big', gte: 2n ** 60n },
      { attr: 'age', in: [18, 19n] },
      { attr: 'tags', contains: 'new' },
      { attr: 'name', beginsWith: 'A' },
      { attr: 'photo', eq: null },
      { attr: ['settings', 'dark'], eq: true },
      { attr: 'kind', ne: 'robot' },
      // A set another client stored compares with a Set; an order with any string of an enum.
      { attr: 'tags', eq: new Set(['new', 'old']) },
      { attr: 'country', gte: 'd' },
    ],
  },
});
await Profiles.scan({ index: 'byEmail' });
const minAge = process.env['MIN_AGE'] === undefined ? undefined : Number(process.env['MIN_AGE']);
await PersistentProfile.query({
  index: 'byCountry',
  partition: 'fr',
  sort: minAge === undefined ? undefined : { gte: minAge },
  filter: undefined,
});
await Profiles.scan({ index: undefined, filter: undefined });
await (await PersistentProfile.load('ann')).save({ condition: undefined });
const Events = api.persistent('Event');
await Events.create({ stream: 's', seq: 1 });
const events = await Events.query({ partition: 's', sort: { gte: 1 } });
for await (const event of Events.queryAll({ partition: 's' })) event.seq.toFixed();
await Events.delete({ stream: 's', seq: 1 });
await Events.saveMany([new Events({ stream: 'u', seq: 1 }), { stream: 'u', seq: 2 }]);
// An object's own key, as load() and delete() take it; its conditions on its own properties.
const event = await Events.load({ stream: 's', seq: 1 }).catch(() => undefined);
if (event) await Events.load(event.key());
await (await PersistentProfile.load('ann')).save({ condition: { attr: 'name', exists: true } });
// A transaction's actions, typed as the classes' own methods.
await api.transaction((transaction) => {
  transaction.update(Profiles, 'ann', { add: { view_count: 1 } }, { condition: { attr: 'name', exists: true } });
  transaction.create(new Events({ stream: 't', seq: 1 }));
});
await api.transaction((transaction) =>
  transaction.check(Profiles, { profile_id: 'ann' }, { attr: 'view_count', gte: 0 }),
);
// Objects of a subclass of the typed class, and a list of two models' objects; a helper that
// takes the typed transaction.
const greeter = await PersistentProfile.load('ann');
const mixed = [new PersistentProfile({ profile_id: 'cy', name: 'Cy', view_count: 0 }), new Events({ stream: 't', seq: 2 })];
const addBoth = (transaction: TypedTransaction) => {
  for (const object of mixed) transaction.create(object);
};
await api.transaction(async (transaction) => {
  greeter.saveIn(transaction);
  addBoth(transaction);
});
// An untyped persistent object (core's type) takes core's conditions.
const untyped: Persistent<Profile> = await Profiles.load('ann');
await api.transaction((transaction) =>
  transaction.save(untyped, { condition: { attr: 'name', exists: true } }),
);
// An object's key(), and a key object of the key attributes alone, are keys.
await Profiles.exists(greeter.key());
await Profiles.getMany([{ profile_id: 'ann' }, 'bob']);
const Legacy = api.persistent('Legacy', { table: 'legacy', key: 'id' });
await Legacy.exists('x');
api.model('Profile').validate({});
const views: number = updated.view_count;
// Types older than the spec: the deployment's fault, a 500.
const stale = await loadApi('apis/shapes.yaml').then(
  (other) => typed(other),
  () => undefined,
).then(
  () => 'typed',
  (error: unknown) => \`\${(error as { code?: string }).code} \${(error as { status?: number }).status}\`,
);
// One schema renamed since: as out of date.
const renamed = await loadApi('apis/renamed.yaml').then(
  (other) => typed(other),
  () => undefined,
).then(
  () => 'typed',
  (error: unknown) => (error as { problems?: unknown }).problems,
);
console.log(JSON.stringify({ greet: ann.greet(), views, found: byCountry.items.map((item) => item.greet()), events: events.items.length, stale, renamed }));
`;

/** Wrong uses: each line must fail to compile. */
const misuses = `import { loadApi } from '@macaron/core';
import { typed } from './api.generated.js';

const api = typed(await loadApi('apis/profiles.yaml'));
const Profiles = api.persistent('Profile');
const Events = api.persistent('Event');
// @ts-expect-error wrong key type
await Profiles.load(42);
// @ts-expect-error a key attribute the table does not have
await Profiles.load({ id: 'ann' });
// @ts-expect-error a table with a sort key needs both key attributes
await Events.load('s');
// @ts-expect-error add() on a string property
await Profiles.update('ann', { add: { name: 1 } });
// @ts-expect-error append() on a number property
await Profiles.update('ann', { append: { age: [1] } });
// @ts-expect-error set() on the key
await Profiles.update('ann', { set: { profile_id: 'bob' } });
// @ts-expect-error add() on the version attribute
await Profiles.update('ann', { add: { revision: 1 } });
// @ts-expect-error remove() of a required property
await Profiles.update('ann', { remove: ['name'] });
// @ts-expect-error add() where no number property is left to add to
await Events.update({ stream: 's', seq: 1 }, { add: { payload: 1 } });
// @ts-expect-error unknown index
await Profiles.query({ index: 'byName', partition: 'x' });
// @ts-expect-error partition of the wrong type for the index
await Profiles.query({ index: 'byCountry', partition: 'de' });
// @ts-expect-error sort condition of the wrong type
await Profiles.query({ index: 'byCountry', partition: 'fr', sort: { gt: 'x' } });
// @ts-expect-error beginsWith on a number sort key
await Events.query({ partition: 's', sort: { beginsWith: '1' } });
// @ts-expect-error a filter on an attribute the model does not have
await Profiles.query({ partition: 'ann', filter: { attr: 'nope', eq: 1 } });
// @ts-expect-error a scan of an unknown index
await Profiles.scan({ index: 'byName' });
// @ts-expect-error an object's save condition on a property the model does not have
await (await Profiles.load('ann')).save({ condition: { attr: 'nme', exists: true } });
// @ts-expect-error an object's delete condition on a property the model does not have
await (await Profiles.load('ann')).delete({ condition: { attr: 'nme', exists: true } });
// @ts-expect-error an object's key is not another model's
await Events.load((await Profiles.load('ann')).key());
const loaded = await Profiles.load('ann');
// @ts-expect-error a whole object is no key (its other properties are refused at run time)
await Profiles.delete(loaded);
// @ts-expect-error a whole object is no key for getMany either
await Profiles.getMany([loaded]);
// @ts-expect-error a key object with another property of the model
await Profiles.load({ profile_id: 'ann', name: 'Ann' });
await api.transaction((transaction) => {
  // @ts-expect-error a transaction's key of the wrong type
  transaction.update(Profiles, 42, { add: { view_count: 1 } });
  // @ts-expect-error a whole object is no key in a transaction either
  transaction.delete(Profiles, loaded);
  // @ts-expect-error a transaction's delete on a table with a sort key needs both key attributes
  transaction.delete(Events, 's');
  // @ts-expect-error a transaction's set() on the key
  transaction.update(Events, { stream: 's', seq: 1 }, { set: { seq: 2 } });
  // @ts-expect-error a transaction's check on a property the model does not have
  transaction.check(Profiles, 'ann', { attr: 'nme', exists: true });
  // @ts-expect-error a plain object is no persistent object
  transaction.save({ profile_id: 'ann', name: 'x' });
});
class Sub extends api.persistent('Profile') {}
const sub = await Sub.load('ann');
await api.transaction((transaction) => {
  // @ts-expect-error a condition on a property the model does not have, for a subclass's object
  transaction.save(sub, { condition: { attr: 'nme', exists: true } });
  // @ts-expect-error a plain object is no persistent object, for create too
  transaction.create({ stream: 's', seq: 3 });
});
// @ts-expect-error create() needs every required property (view_count is missing)
await Profiles.create({ profile_id: 'ann', name: 'Ann' });
// @ts-expect-error saveMany() takes this model's values, not another's
await Profiles.saveMany([new Events({ stream: 's', seq: 1 })]);
// @ts-expect-error saveMany() takes whole values
await Events.saveMany([{ stream: 's' }]);
// @ts-expect-error a condition's value of another type than its property's (never holds)
await Profiles.scan({ filter: { attr: 'age', eq: 'thirty' } });
// @ts-expect-error a value no enum member has
await Profiles.scan({ filter: { attr: 'country', eq: 'de' } });
// @ts-expect-error beginsWith on a number property
await Profiles.scan({ filter: { attr: 'age', beginsWith: '1' } });
// @ts-expect-error an order with null (refused at run time)
await Profiles.scan({ filter: { attr: 'photo', gt: null } });
// @ts-expect-error an order with a list
await Profiles.scan({ filter: { attr: 'tags', gte: ['a'] } });
// @ts-expect-error contains on a number property
await Profiles.scan({ filter: { attr: 'view_count', contains: 1 } });
// @ts-expect-error two operators in one comparison (refused at run time: a between, or an and)
await Profiles.scan({ filter: { attr: 'age', gte: 18, lte: 40 } });
// @ts-expect-error an element of another type than the list's
await Profiles.update('ann', { add: { view_count: 1 } }, { condition: { attr: 'tags', contains: 1 } });
// @ts-expect-error not a persistent model
api.persistent('Kind');
// @ts-expect-error PyMacaron's form needs the table and key
api.persistent('Legacy');
// @ts-expect-error unknown model
api.model('Nope');
`;

describe('macaron generate', () => {
  it('writes types that compile, reject wrong uses, and run', async () => {
    const generated = await runMacaron(
      ['generate', 'apis/profiles.yaml', '-o', 'src/api.generated.ts'],
      { cwd: folder.path },
    );
    expect(generated).toMatchObject({ code: 0, stderr: '' });
    expect(generated.stdout).toBe('wrote src/api.generated.ts (6 types, 2 persistent models)\n');
    const shapes = await runMacaron(
      ['generate', 'apis/shapes.yaml', '-o', 'src/shapes.generated.ts'],
      {
        cwd: folder.path,
      },
    );
    expect(shapes.code).toBe(0);
    folder.write('src/uses.ts', uses);
    folder.write('apis/renamed.yaml', profilesSpec.replaceAll('Error', 'Failure'));
    folder.write(
      'src/shapes.ts',
      `import { loadApi } from '@macaron/core';
import { type Record_, type Shape, type Thing, typed } from './shapes.generated.js';
const thing: Thing = { id: 1, mode: 'fixed', label: null, either: 2n, matrix: [[1.5]], 'odd-name': true, shape: { kind: 'Circle', r: 1 } };
// The discriminator's values select the members: by component name, without a mapping.
const shape: Shape = { kind: 'Square', side: 2 };
const record: Record_ = { at: '2024-01-01T00:00:00Z' };
// @ts-expect-error const
const wrong: Thing = { id: 1, mode: 'other' };
// A oneOf model: an update or a filter of one member's property is the model's.
const Tiles = typed(await loadApi('apis/shapes.yaml')).persistent('Tile');
const grow = () => Tiles.update('t', { add: { r: 1 } });
const wide = () => Tiles.scan({ filter: { attr: 'side', gt: 1 } });
// @ts-expect-error a property no member has
const none = () => Tiles.update('t', { add: { depth: 1 } });
export { grow, none, record, shape, thing, wide, wrong };
`,
    );
    folder.write('src/misuses.ts', misuses);
    // Every package's options take a key holding undefined as left out (exactOptionalPropertyTypes).
    folder.write(
      'src/options.ts',
      `import type { ProvisionOptions } from '@macaron/backend-dynamodb';
import type { LocalDynamoDbOptions } from '@macaron/backend-dynamodb/local';
import type { PostgresBackendOptions } from '@macaron/backend-postgres';
import type { LocalPostgresOptions, PostgresServerOptions } from '@macaron/backend-postgres/local';
import type { MacaronErrorOptions } from '@macaron/core';
const port = process.env['PORT'] === undefined ? undefined : Number(process.env['PORT']);
export const dynamoDb: LocalDynamoDbOptions = { port, host: process.env['HOST'], region: undefined, maxAttempts: undefined, createTableMs: undefined, deleteTableMs: undefined, updateTableMs: undefined };
export const provision: ProvisionOptions = { billingMode: undefined, pollIntervalMs: undefined, throughput: undefined, waitTimeoutMs: undefined };
export const postgres: PostgresBackendOptions = { connectionString: 'postgres://127.0.0.1/db', capabilities: undefined, maxAttempts: undefined };
export const local: LocalPostgresOptions = { dataDir: process.env['DATA_DIR'], backend: undefined };
export const server: PostgresServerOptions = { port, systemUser: undefined, settings: undefined };
export const error: MacaronErrorOptions = { userMessage: process.env['MESSAGE'], cause: undefined };
`,
    );

    const compiled = await compileProject(folder);
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);

    const ran = await run(process.execPath, ['build/uses.js']);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.output)).toEqual({
      greet: 'Hello Ann',
      views: 2,
      found: ['Hello Ann B'],
      events: 1,
      stale: 'SPEC_INVALID 500',
      renamed: [{ pointer: '', schema: 'Error', message: 'the API has no schema Error' }],
    });
  });

  it('writes the types of every schema, sorted, with a header', async () => {
    await runMacaron(['generate', 'apis/profiles.yaml', '-o', 'types/one.ts'], {
      cwd: folder.path,
    });
    const text = readFileSync(folder.file('types/one.ts'), 'utf8');
    expect(text.split('\n')[0]).toBe(
      '// Generated by `macaron generate` from ../apis/profiles.yaml. Do not edit: run it again after changing the spec.',
    );
    const declared = [...text.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    const schemas = ['Cat', 'Error', 'Event', 'Kind', 'Legacy', 'Profile'];
    expect(declared.filter((name) => schemas.includes(name!))).toEqual(schemas);
    expect(text).toContain(`export interface Profile {
  profile_id: string;
  name: string;
  email?: string;
  country?: 'fr' | 'us' | 'jp';
  age?: number;
  view_count: number;
  revision?: number;
  big?: number | bigint;
  photo?: Uint8Array | null;
  tags?: string[];
  settings?: Record<string, boolean>;
  expires_at?: number;
  kind?: Kind;
}`);
    expect(text).toContain("export type Kind = 'person' | 'robot';");
    // The generic types ship with core (persistent classes) and @macaron/fastify (handlers):
    // the file holds only what the spec says.
    expect(text).toContain(
      "  TypedPersistentClass,\n  TypedTransaction,\n  Transaction as MacaronTransaction,\n} from '@macaron/core';",
    );
    expect(text).toContain("import type { TypedHandlers } from '@macaron/fastify';");
    expect(text).not.toContain('export interface PersistentModelTypes');
    expect(text).toContain('export type Handlers = TypedHandlers<Operations>;');
    expect(text).toContain('export type Cat = Profile & {\n  meow?: boolean;\n};');
    expect(text).toContain('key: string | { readonly profile_id: string };');
    expect(text).toContain("byCountry: { partition: 'fr' | 'us' | 'jp'; sort: number };");
  });

  it('is deterministic, and --check fails only when the file is out of date', async () => {
    const args = ['generate', 'apis/profiles.yaml', '-o', 'types/check.ts'];
    await runMacaron(args, { cwd: folder.path });
    const first = readFileSync(folder.file('types/check.ts'), 'utf8');
    await runMacaron(args, { cwd: folder.path });
    expect(readFileSync(folder.file('types/check.ts'), 'utf8')).toBe(first);

    const upToDate = await runMacaron([...args, '--check'], { cwd: folder.path });
    expect(upToDate).toMatchObject({ code: 0, stdout: '✓ types/check.ts is up to date\n' });
    // Checked out with CRLF line endings (git's core.autocrlf): the same file.
    folder.write('types/check.ts', first.replace(/\n/g, '\r\n'));
    const crlf = await runMacaron([...args, '--check'], { cwd: folder.path });
    expect(crlf).toMatchObject({ code: 0, stdout: '✓ types/check.ts is up to date\n' });

    folder.write('types/check.ts', first.replace('meow?: boolean', 'meow?: string'));
    const stale = await runMacaron([...args, '--check'], { cwd: folder.path });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toBe(
      'macaron: types/check.ts is out of date: run macaron generate apis/profiles.yaml -o types/check.ts\n',
    );
    // --check writes nothing
    expect(readFileSync(folder.file('types/check.ts'), 'utf8')).not.toBe(first);

    const missing = await runMacaron(
      ['generate', 'apis/profiles.yaml', '-o', 'types/none.ts', '--check'],
      { cwd: folder.path },
    );
    expect(missing.code).toBe(1);
  });
});
