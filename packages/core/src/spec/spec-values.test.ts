import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapi30, rejection } from '../../test/support/specs.js';
import { SpecError } from '../errors/spec-error.js';
import { loadApi } from '../index.js';

// a0 is 10 values; each next anchor is a list of 10 aliases of the one before: a8 stands for
// 10^9 values, in 1 KB of YAML.
const bomb = [
  '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
  ...Array.from(
    { length: 8 },
    (_, at) => `  a${at + 1}: &a${at + 1} [${Array(10).fill(`*a${at}`).join(', ')}]`,
  ),
].join('\n');

// A spec with one persisted schema whose property `extra` is written as given, below `head`.
const spec = (extra: string, head = '') =>
  [
    'openapi: 3.0.3',
    'info: { title: t, version: "1" }',
    'paths: {}',
    head,
    'components:',
    '  schemas:',
    '    P:',
    '      type: object',
    '      x-persist: { table: profiles, key: id }',
    '      required: [id]',
    '      properties:',
    '        id: { type: string }',
    `        extra: ${extra}`,
    '',
  ].join('\n');

// A persisted schema, for a spec given as an object.
const persisted = {
  type: 'object',
  'x-persist': { table: 'profiles', key: 'id' },
  required: ['id'],
  properties: { id: { type: 'string' } },
};

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'macaron-values-'));
  // The bundler is imported on the first load: not counted in the time of a refusal.
  await loadApi(openapi30({}));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

let written = 0;
async function specFile(text: string): Promise<string> {
  written += 1;
  const file = join(directory, `spec-${written}.yaml`);
  await writeFile(file, text);
  return file;
}

// The SpecError loading refuses `source` with, before anything is expanded or walked (it took
// 45 s and more, or 2 GB, and then failed otherwise: the messages say what was refused).
async function refusal(source: string | object): Promise<SpecError> {
  const error = await rejection(loadApi(source));
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

describe('YAML aliases that repeat more than the spec holds', () => {
  // As an extension or the examples of a schema, redocly's resolver walked all 10^9 (45 s,
  // then "Set maximum size exceeded"); as an enum, Macaron compared them by their JSON (2 GB).
  it.each(['{ type: array, x-note: *a8 }', '{ type: array, examples: *a8 }', '{ enum: *a8 }'])(
    'are refused at once, where the repetition passes the bound: %s',
    async (extra) => {
      const file = await specFile(spec(extra, `x-bomb:\n${bomb}`));
      const error = await refusal(file);
      expect(error.problems).toEqual([
        {
          file,
          pointer: expect.stringMatching(/^\/x-bomb\/a\d\/\d$/),
          message: expect.stringContaining('its YAML aliases (*name) repeat so much that'),
        },
      ]);
    },
  );

  it('a long string repeated by its alias counts as often as it is repeated', async () => {
    // 2,000 times 100 KB: 200 MB, expanded.
    const file = await specFile(
      spec(
        `{ type: string, enum: [${Array(2000).fill('*s').join(', ')}] }`,
        `x-s: &s "${'y'.repeat(100_000)}"`,
      ),
    );
    const error = await refusal(file);
    expect(error.problems[0]!.pointer).toMatch(
      /^\/components\/schemas\/P\/properties\/extra\/enum\/\d+$/,
    );
  });

  it('an alias of a value that holds it (a cycle) is refused at the alias', async () => {
    const file = await specFile(spec('{ type: object, x-loop: &loop { a: [1, *loop] } }'));
    const error = await refusal(file);
    expect(error.problems).toEqual([
      {
        file,
        pointer: '/components/schemas/P/properties/extra/x-loop/a/1',
        message: expect.stringContaining('is a YAML alias of a value that holds it (a cycle)'),
      },
    ]);
  });

  it('a schema anchored once and aliased at 500 places, as specs do, loads', async () => {
    const head = [
      'x-shared:',
      '  error: &error',
      '    type: object',
      '    properties:',
      '      code: { type: string }',
      '      details: { type: array, items: { type: object, properties: { field: { type: string } } } }',
    ].join('\n');
    const aliases = Array.from({ length: 500 }, (_, at) => `        e${at}: *error`).join('\n');
    const api = await loadApi(await specFile(`${spec('*error', head)}${aliases}\n`));
    expect(api.validate('P', { id: 'a', e499: { code: 1 } })).toMatchObject([
      { pointer: '/e499/code', keyword: 'type' },
    ]);
  });

  it('a spec that js-yaml wrote with its shared objects as anchors (a 70 KB file, 4.6 MB as JSON) loads', async () => {
    // js-yaml's dump writes an object held at several places in full at the first, as
    // `&ref_0`, and `*ref_0` at the others: here one responses object (4 KB) of 1,000 operations.
    const long = 'a description of what went wrong, '.repeat(30);
    const responses = ['400', '404', '409', '500']
      .map(
        (status) =>
          `'${status}': { description: "${long}", content: { application/json: { schema: { type: object, properties: { error: { type: string } } } } } }`,
      )
      .join(', ');
    const operations = Array.from(
      { length: 1000 },
      (_, at) =>
        `  /notes/n${at}: { get: { operationId: get${at}, responses: ${at === 0 ? `&ref_0 { ${responses} }` : '*ref_0'} } }`,
    );
    const text = spec('{ type: string }').replace(
      'paths: {}',
      ['paths:', ...operations].join('\n'),
    );
    const api = await loadApi(await specFile(text));
    expect(api.validate('P', { id: 'a', extra: 'x' })).toEqual([]);
  });
});

describe('what YAML tags make and JSON has not', () => {
  // A compiled spec wrote a !!set as {} and !!binary as {"0": 104, …}: silently other values.
  it.each([
    ['!!binary aGVsbG8=', "is binary data (YAML's !!binary)"],
    ['!!set { a, b }', "is a set (YAML's !!set)"],
  ])('is refused at its place: %s', async (value, says) => {
    const file = await specFile(spec(`{ type: string, default: ${value} }`));
    const error = await refusal(file);
    expect(error.problems).toEqual([
      {
        file,
        pointer: '/components/schemas/P/properties/extra/default',
        message: expect.stringContaining(says),
      },
    ]);
  });
});

describe('a spec given as an object is held to the same', () => {
  it('an object built in code that holds one responses object in every operation (4.6 MB as JSON) loads', async () => {
    const error = {
      description: 'a description of what went wrong, '.repeat(30),
      content: {
        'application/json': {
          schema: { type: 'object', properties: { error: { type: 'string' } } },
        },
      },
    };
    const responses = { 400: error, 404: error, 409: error, 500: error };
    const paths = Object.fromEntries(
      Array.from({ length: 1000 }, (_, at) => [
        `/notes/n${at}`,
        { get: { operationId: `get${at}`, responses } },
      ]),
    );
    const document = { ...openapi30({ P: persisted }), paths };
    expect((await loadApi(document)).validate('P', { id: 'a' })).toEqual([]);
  });

  it('an object made in another realm (a vm context, as Jest makes them) loads', async () => {
    const text = JSON.stringify(openapi30({ P: persisted }));
    const document = runInNewContext(`JSON.parse(${JSON.stringify(text)})`) as object;
    expect(Object.getPrototypeOf(document)).not.toBe(Object.prototype);
    expect((await loadApi(document)).validate('P', { id: 'a' })).toEqual([]);
    // What is no plain object there is still refused.
    const dated = runInNewContext(`(${JSON.stringify(text)})`) as string;
    const withDate = JSON.parse(dated) as ReturnType<typeof openapi30>;
    (withDate.components as { schemas: { P: Record<string, unknown> } }).schemas.P.default =
      runInNewContext('new Date(0)');
    expect((await refusal(withDate)).problems[0]!.pointer).toBe('/components/schemas/P/default');
  });

  it('objects held at so many places that its JSON would be 10^9 values are refused at once', async () => {
    let shared: unknown = Array(10).fill('x');
    for (let level = 0; level < 8; level += 1) shared = Array(10).fill(shared);
    const error = await refusal(openapi30({ P: { type: 'object', 'x-note': shared } }));
    expect(error.problems).toEqual([
      {
        pointer: expect.stringMatching(/^\/components\/schemas\/P\/x-note(\/\d)+$/),
        message: expect.stringContaining('the spec holds the same objects at so many places'),
      },
    ]);
  });

  it("objects nested 100,000 deep are refused as such (not as $refs past the bundler's stack)", async () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level += 1) deep = { a: deep };
    const error = await refusal(openapi30({ P: { type: 'object', 'x-deep': deep } }));
    expect(error.problems).toEqual([
      {
        pointer: '',
        message: expect.stringContaining(
          "it nests objects deeper than Node's stack lets JSON.stringify write them",
        ),
      },
    ]);
  });

  it('an object that holds itself, and a value JSON has not, are refused at their place', async () => {
    const loop: Record<string, unknown> = { type: 'object' };
    loop['x-loop'] = loop;
    expect((await refusal(openapi30({ P: loop }))).problems).toEqual([
      {
        pointer: '/components/schemas/P/x-loop',
        message: expect.stringContaining('is an object that holds itself (a cycle)'),
      },
    ]);
    const dated = openapi30({ P: { type: 'string', default: new Date(0) } });
    expect((await refusal(dated)).problems).toEqual([
      {
        pointer: '/components/schemas/P/default',
        message: expect.stringContaining('is a date: a spec holds JSON values only'),
      },
    ]);
  });
});
