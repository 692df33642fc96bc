import { readFileSync } from 'node:fs';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { generateTypes } from '../src/generate/generate-types.js';
import { compileProject, typescriptProject } from './typescript-project.js';

// A discriminated variant's type narrows the discriminator to the values that select it, as
// validation checks them (probe 362): each value below is validated by core, and assigned to
// its type in a project tsc compiles as strictly as an application may.

const folder = typescriptProject({
  packages: ['core'],
  compilerOptions: { noEmit: true, declaration: true, isolatedDeclarations: true },
});

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const string = { type: 'string' };
// Values needing escapes in a string literal: quotes, a backslash, line separators, and a lone
// surrogate (which validation refuses in any string, but the file must still compile).
const odd = `it's "q" \\ \u2028\u2029`;
const surrogate = `${odd} \ud800`;
const variant = (parent: string, properties: Record<string, unknown>, required: string[] = []) => ({
  allOf: [ref(parent), { type: 'object', required, properties }],
});

const spec30 = {
  openapi: '3.0.3',
  info: { title: 'discriminator values', version: '1' },
  paths: {},
  components: {
    schemas: {
      // Inheritance through allOf: a mapping with two values for Cat, Bird by its name, Parrot
      // by the value it declares, Lion (extending Cat) by its name, Pet by its own name.
      Pet: {
        type: 'object',
        required: ['kind', 'name'],
        properties: { kind: string, name: string },
        discriminator: {
          propertyName: 'kind',
          mapping: {
            cat: ref('Cat').$ref,
            kitty: ref('Cat').$ref,
            dog: ref('Dog').$ref,
            [odd]: ref('Odd').$ref,
            [surrogate]: ref('Odd').$ref,
          },
        },
      },
      Cat: variant('Pet', { meow: { type: 'boolean' } }),
      Dog: variant('Pet', { bark: string }, ['bark']),
      Bird: variant('Pet', { tweet: string }),
      Parrot: { ...variant('Pet', { words: string }), 'x-ms-discriminator-value': 'polly' },
      Lion: variant('Cat', { mane: { type: 'boolean' } }),
      Odd: variant('Pet', {}),
      // A second base, on another property: Frog is selected by both.
      Amphibian: {
        type: 'object',
        properties: { habitat: string },
        discriminator: { propertyName: 'habitat', mapping: { pond: ref('Frog').$ref } },
      },
      Frog: {
        allOf: [ref('Pet'), ref('Amphibian'), { type: 'object', properties: { croak: string } }],
      },
      // The discriminator on an enum, members listed in oneOf: the base's union is narrowed.
      Shape: {
        type: 'object',
        required: ['shape'],
        properties: { shape: { type: 'string', enum: ['circle', 'square'] } },
        oneOf: [ref('Circle'), ref('Square')],
        discriminator: {
          propertyName: 'shape',
          mapping: { circle: ref('Circle').$ref, square: ref('Square').$ref },
        },
      },
      Circle: variant('Shape', { r: { type: 'number' } }),
      Square: variant('Shape', { side: { type: 'number' } }),
      // Members that do not extend the base: validated alone they take any value; the base
      // takes each with the values that select it.
      Vehicle: {
        oneOf: [ref('Car'), ref('Bike')],
        discriminator: { propertyName: 'type' },
      },
      Car: {
        type: 'object',
        required: ['type'],
        properties: { type: string, doors: { type: 'integer' } },
      },
      Bike: {
        type: 'object',
        required: ['type'],
        properties: { type: string, gears: { type: 'integer' } },
      },
    },
  },
};

const spec31 = {
  openapi: '3.1.0',
  info: { title: 'discriminator values 3.1', version: '1' },
  paths: {},
  components: {
    schemas: {
      Message: {
        type: 'object',
        required: ['op'],
        properties: { op: { type: ['string', 'null'] } },
        oneOf: [ref('Ping'), ref('Pong')],
        discriminator: {
          propertyName: 'op',
          mapping: { ping: ref('Ping').$ref, pong: ref('Pong').$ref },
        },
      },
      Ping: { allOf: [ref('Message'), { properties: { op: { const: 'ping' } } }] },
      Pong: {
        allOf: [ref('Message'), { properties: { at: { type: 'integer' } } }],
      },
      // An object property named like a member of Object as the discriminator.
      Node: {
        type: 'object',
        properties: { constructor: string },
        discriminator: { propertyName: 'constructor', mapping: { leaf: ref('Leaf').$ref } },
      },
      Leaf: variant('Node', { value: string }),
    },
  },
};

// OpenAPI 3.2's defaultMapping: the variant it names takes every value no other selects.
const spec32 = {
  openapi: '3.2.0',
  info: { title: 'discriminator values 3.2', version: '1' },
  paths: {},
  components: {
    schemas: {
      Pet: {
        type: 'object',
        required: ['kind'],
        properties: { kind: string },
        discriminator: {
          propertyName: 'kind',
          mapping: { cat: ref('Cat').$ref },
          defaultMapping: ref('Dog').$ref,
        },
      },
      Cat: variant('Pet', { meow: { type: 'boolean' } }),
      Dog: variant('Pet', { bark: string }),
      Vehicle: {
        oneOf: [ref('Car'), ref('Bike')],
        discriminator: { propertyName: 'type', defaultMapping: ref('Car').$ref },
      },
      Car: {
        type: 'object',
        required: ['type'],
        properties: { type: string, doors: { type: 'integer' } },
      },
      Bike: {
        type: 'object',
        required: ['type'],
        properties: { type: string, gears: { type: 'integer' } },
      },
    },
  },
};

// `accepted`: core's answer. `typed`: the type's, where it differs (none now: a value whose
// discriminator selects a sibling variant fails the variant's validation, as its type refuses
// it, though it is also a value of that sibling).
interface Case {
  type: string;
  value: unknown;
  accepted: boolean;
  typed?: boolean;
}

const pet = { name: 'n' };
const cases30: Case[] = [
  { type: 'Cat', value: { ...pet, kind: 'cat' }, accepted: true },
  { type: 'Cat', value: { ...pet, kind: 'kitty', meow: true }, accepted: true },
  { type: 'Cat', value: { ...pet, kind: 'Tiger' }, accepted: false },
  // Not its name: the mapping names Cat.
  { type: 'Cat', value: { ...pet, kind: 'Cat' }, accepted: false },
  // A Lion is a Cat; the base itself does not dispatch again.
  { type: 'Cat', value: { ...pet, kind: 'Lion' }, accepted: true },
  { type: 'Cat', value: { ...pet, kind: 'Pet' }, accepted: true },
  // A sibling's value, even where the value is also a valid Dog.
  { type: 'Cat', value: { ...pet, kind: 'dog', bark: 'b' }, accepted: false },
  { type: 'Cat', value: { ...pet, kind: 'dog' }, accepted: false },
  { type: 'Dog', value: { ...pet, kind: 'dog', bark: 'b' }, accepted: true },
  { type: 'Dog', value: { ...pet, kind: 'cat', bark: 'b' }, accepted: false },
  { type: 'Dog', value: { ...pet, kind: 'Dog', bark: 'b' }, accepted: false },
  { type: 'Bird', value: { ...pet, kind: 'Bird' }, accepted: true },
  { type: 'Bird', value: { ...pet, kind: 'bird' }, accepted: false },
  { type: 'Parrot', value: { ...pet, kind: 'polly' }, accepted: true },
  { type: 'Parrot', value: { ...pet, kind: 'Parrot' }, accepted: false },
  { type: 'Lion', value: { ...pet, kind: 'Lion' }, accepted: true },
  // A value naming what Lion extends (Cat), as Cat's own values.
  { type: 'Lion', value: { ...pet, kind: 'cat' }, accepted: true },
  { type: 'Lion', value: { ...pet, kind: 'dog', bark: 'b' }, accepted: false },
  { type: 'Odd', value: { ...pet, kind: odd }, accepted: true },
  { type: 'Odd', value: { ...pet, kind: 'it' }, accepted: false },
  { type: 'Frog', value: { ...pet, kind: 'Frog', habitat: 'pond' }, accepted: true },
  { type: 'Frog', value: { ...pet, kind: 'Frog' }, accepted: true },
  { type: 'Frog', value: { ...pet, kind: 'Frog', habitat: 'sea' }, accepted: false },
  { type: 'Frog', value: { ...pet, kind: 'frog', habitat: 'pond' }, accepted: false },
  // The base takes every variant's value, and only those.
  { type: 'Pet', value: { ...pet, kind: 'cat' }, accepted: true },
  { type: 'Pet', value: { ...pet, kind: 'polly' }, accepted: true },
  { type: 'Pet', value: { ...pet, kind: odd }, accepted: true },
  { type: 'Pet', value: { ...pet, kind: 'Pet' }, accepted: true },
  { type: 'Pet', value: { ...pet, kind: 'Tiger' }, accepted: false },
  { type: 'Circle', value: { shape: 'circle', r: 1 }, accepted: true },
  { type: 'Circle', value: { shape: 'square', r: 1 }, accepted: false },
  { type: 'Circle', value: { shape: 'oval', r: 1 }, accepted: false },
  { type: 'Shape', value: { shape: 'circle', r: 1 }, accepted: true },
  { type: 'Shape', value: { shape: 'square', side: 1 }, accepted: true },
  { type: 'Shape', value: { shape: 'Circle' }, accepted: false },
  { type: 'Car', value: { type: 'Tiger' }, accepted: true },
  { type: 'Vehicle', value: { type: 'Car', doors: 2 }, accepted: true },
  { type: 'Vehicle', value: { type: 'Bike', gears: 2 }, accepted: true },
  { type: 'Vehicle', value: { type: 'Tiger' }, accepted: false },
];

const cases31: Case[] = [
  { type: 'Ping', value: { op: 'ping' }, accepted: true },
  { type: 'Ping', value: { op: 'pong' }, accepted: false },
  { type: 'Ping', value: { op: 'x' }, accepted: false },
  { type: 'Pong', value: { op: 'pong', at: 1 }, accepted: true },
  { type: 'Pong', value: { op: 'x' }, accepted: false },
  // null selects no variant: the members decide, and Pong takes it.
  { type: 'Pong', value: { op: null }, accepted: true },
  { type: 'Message', value: { op: 'ping' }, accepted: true },
  { type: 'Message', value: { op: 'pong' }, accepted: true },
  { type: 'Message', value: { op: 'pang' }, accepted: false },
  { type: 'Leaf', value: { constructor: 'leaf', value: 'v' }, accepted: true },
  { type: 'Leaf', value: { constructor: 'tree' }, accepted: false },
];

const cases32: Case[] = [
  { type: 'Pet', value: { kind: 'Tiger' }, accepted: true },
  { type: 'Dog', value: { kind: 'Tiger' }, accepted: true },
  { type: 'Cat', value: { kind: 'cat' }, accepted: true },
  // Through the default, a value no mapping lists names Dog, a sibling.
  { type: 'Cat', value: { kind: 'Tiger' }, accepted: false },
  { type: 'Cat', value: { kind: 'Tiger', meow: 1 }, accepted: false },
  { type: 'Vehicle', value: { type: 'Tiger', doors: 1 }, accepted: true },
  { type: 'Vehicle', value: { type: 'Bike', gears: 1 }, accepted: true },
];

async function check(spec: object, cases: Case[], file: string) {
  const api = await loadApi(spec);
  folder.write(`src/${file}.generated.ts`, generateTypes(api, { source: 'spec' }));
  const types = [...new Set(cases.map((one) => one.type))];
  const lines = [`import type { ${types.join(', ')} } from './${file}.generated.js';`];
  const answers = cases.map(({ typed: _typed, ...one }) => ({
    ...one,
    accepted: api.validate(one.type, one.value).length === 0,
  }));
  expect(answers).toEqual(cases.map(({ typed: _typed, ...one }) => one));
  cases.forEach((one, index) => {
    if (!(one.typed ?? one.accepted)) lines.push('// @ts-expect-error');
    lines.push(`export const case${index}: ${one.type} = ${JSON.stringify(one.value)};`);
  });
  folder.write(`src/${file}.ts`, lines.join('\n'));
}

describe('generate', () => {
  it("narrows a discriminated variant's discriminator to the values that select it, in a mapping, by name, declared, through several bases, on an enum, and in the base's union", async () => {
    await check(spec30, cases30, 'pets');
    await check(spec31, cases31, 'messages');
    await check(spec32, cases32, 'vehicles');
    // The typed API's classes take the narrowed values too.
    folder.write(
      'src/classes.ts',
      [
        "import type { TypedApi } from './pets.generated.js';",
        'export function build(api: TypedApi): void {',
        "  const Cats = api.model('Cat');",
        "  new Cats({ kind: 'kitty' });",
        "  Cats.fromJSON({ kind: 'Tiger' }).kind satisfies 'cat' | 'kitty' | 'Lion' | 'Pet';",
        '  // @ts-expect-error a value that selects no Cat',
        "  new Cats({ kind: 'Tiger' });",
        '}',
      ].join('\n'),
    );
    const compiled = await compileProject(folder);
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
    const text = readFileSync(folder.file('src/pets.generated.ts'), 'utf8');
    // The escapes a string literal needs, and no raw line separator or lone surrogate.
    expect(text).toContain(String.raw`'it\'s "q" \\ \u2028\u2029'`);
    expect(text).toContain(String.raw`'it\'s "q" \\ \u2028\u2029 \ud800'`);
    expect(text).not.toMatch(/[\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
