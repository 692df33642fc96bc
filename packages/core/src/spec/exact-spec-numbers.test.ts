import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSpec, loadApi, SpecError, writtenSpecJson, writtenSpecValue } from '../index.js';
import { mayHoldRoundedNumbers } from './exact-spec-numbers.js';

// Integers a double does not hold (2^53 + 1 is read as 2^53; Java's Long.MAX_VALUE as 2^63),
// and one it holds, as a spec's keywords and values write them.
const thingYaml = (schemaExtra = '') => `openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
components:
  schemas:
    Thing:
      type: object
      x-persist: { table: things, key: id }
      required: [id]
      properties:
        id: { type: string }
        n: { type: integer, format: int64, maximum: 9007199254740993 }
        e: { type: integer, format: int64, enum: [9007199254740993] }
        low: { type: integer, format: int64, exclusiveMinimum: -9007199254740995 }
        c: { type: integer, format: int64, const: 1234567890123456789 }
        m: { type: integer, format: int64, multipleOf: 9007199254740993 }
        o: { type: object, properties: { v: { type: integer, format: int64 } }, enum: [{ v: 9007199254740993 }] }
        long: { type: integer, format: int64, minimum: -9223372036854775808, maximum: 9223372036854775807 }
        small: { type: number, maximum: 1e23, minimum: 0.1 }
${schemaExtra}`;

// The problems of validating each value as a Thing, as messages.
function problemsOf(api: Awaited<ReturnType<typeof loadApi>>, values: Record<string, unknown>[]) {
  return values.map((value) =>
    api.validate('Thing', { id: 'a', ...value }).map((problem) => problem.message),
  );
}

async function expectExactNumbers(api: Awaited<ReturnType<typeof loadApi>>) {
  expect(
    problemsOf(api, [
      { n: 9007199254740993n },
      { e: 9007199254740993n },
      { low: -9007199254740994n },
      { c: 1234567890123456789n },
      { m: 18014398509481986n },
      { o: { v: 9007199254740993n } },
      { long: 9223372036854775807n },
      { long: -9223372036854775808n },
      { small: 10n ** 23n },
    ]),
  ).toEqual([[], [], [], [], [], [], [], [], []]);
  expect(
    problemsOf(api, [
      { n: 9007199254740994n },
      { e: 9007199254740992n },
      { low: -9007199254740995n },
      { c: 1234567890123456788n },
      { m: 18014398509481984n },
      { o: { v: 9007199254740992n } },
      { long: 9223372036854775808n },
      { small: 10n ** 23n + 1n },
    ]),
  ).toEqual([
    ['must be <= 9007199254740993'],
    ['must be one of 9007199254740993'],
    ['must be > -9007199254740995'],
    ['must be 1234567890123456789'],
    ['must be a multiple of 9007199254740993'],
    ['must be one of {"v":9007199254740993}'],
    ['is out of the int64 range', 'must be <= 9223372036854775807'],
    ['must be <= 100000000000000000000000'],
  ]);
}

describe('numbers of a spec that a double does not hold', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'macaron-exact-numbers-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('are read exactly from a YAML file', async () => {
    const file = join(folder, 'api.yaml');
    await writeFile(file, thingYaml());
    await expectExactNumbers(await loadApi(file));
  });

  it('are read exactly from a JSON file, as written with digits', async () => {
    const yaml = thingYaml();
    // The same spec as JSON, its numbers written as the YAML writes them.
    const { parseYaml } = await import('@redocly/openapi-core');
    const json = JSON.stringify(parseYaml(yaml), (_key, value) =>
      typeof value === 'number' ? `@@${value}@@` : value,
    );
    const literals = [...yaml.matchAll(/-?\d[\d.e]*\d|\d/g)].map(([text]) => text);
    let text = json;
    for (const literal of literals)
      text = text.replace(`"@@${Number(literal)}@@"`, literal.replace(/^\+/, ''));
    expect(text).toContain('"maximum":9007199254740993');
    const file = join(folder, 'api.json');
    await writeFile(file, text);
    await expectExactNumbers(await loadApi(file));
  });

  it('are read exactly from the other files of a spec', async () => {
    const thing = thingYaml()
      .split('\n')
      .slice(6)
      .map((line) => line.slice(4))
      .join('\n');
    await writeFile(join(folder, 'thing.yaml'), thing);
    const root = join(folder, 'root.yaml');
    await writeFile(
      root,
      `openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
components:
  schemas:
    Thing: { $ref: './thing.yaml' }
`,
    );
    await expectExactNumbers(await loadApi(root));
  });

  it('are read exactly where written with an exponent, in a file without long numbers', async () => {
    const file = join(folder, 'exponent.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
components:
  schemas:
    Thing: { type: object, properties: { n: { type: number, maximum: 1e23 } } }
`,
    );
    const api = await loadApi(file);
    expect(
      [10n ** 23n, 10n ** 23n + 1n].map((n) =>
        api.validate('Thing', { n }).map((problem) => problem.message),
      ),
    ).toEqual([[], ['must be <= 100000000000000000000000']]);
  });

  it('are read exactly where written with a short exponent, in a file without long numbers', async () => {
    const file = join(folder, 'short-exponents.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        n: { type: integer, format: int64, maximum: 1234567890123e6 }
        tiny: { type: number, minimum: 1e-400 }
`,
    );
    // 1234567890123e6 is an integer beyond 2^53 that a double rounds; 1e-400 is read as 0.
    expect(BigInt(1234567890123e6)).not.toBe(1234567890123000000n);
    const api = await loadApi(file);
    expect(
      [{ n: 1234567890123000000n }, { n: 1234567890123000001n }, { tiny: 0 }].map((value) =>
        api.validate('Thing', value).map((problem) => problem.message),
      ),
    ).toEqual([[], ['must be <= 1234567890123000000'], ['must be >= 1e-400']]);
  });

  it('are read exactly through a YAML merge key and an alias', async () => {
    const file = join(folder, 'merged.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
x-bounds: &bounds { type: integer, format: int64, maximum: 9007199254740993 }
components:
  schemas:
    Thing:
      type: object
      properties:
        n: { <<: *bounds, minimum: 0 }
        a: *bounds
`,
    );
    const api = await loadApi(file);
    expect(
      [9007199254740993n, 9007199254740994n].map((n) =>
        [api.validate('Thing', { n }), api.validate('Thing', { a: n })].map((problems) =>
          problems.map((problem) => problem.message),
        ),
      ),
    ).toEqual([
      [[], []],
      [['must be <= 9007199254740993'], ['must be <= 9007199254740993']],
    ]);
  });

  it('are read exactly where a tag says they are numbers, quoted or not, behind an anchor, and after a tagged scalar in a flow mapping', async () => {
    const file = join(folder, 'tagged.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        small: { type: integer, maximum: !!int 5 }
        after: { type: integer, format: int64, maximum: 9007199254740993 }
        double: { type: integer, format: int64, maximum: !!int "9007199254740995" }
        single: { type: integer, format: int64, maximum: !!int '9007199254740997' }
        plain: { type: integer, format: int64, maximum: !<tag:yaml.org,2002:int> 9007199254740999 }
        float: { type: number, maximum: !!float "1e23" }
        anchored: { type: integer, format: int64, maximum: &big !!int "9007199254741001" }
        aliased: { type: integer, format: int64, minimum: *big }
        "<<": { type: integer, format: int64, enum: [{ "<<": 9007199254741003 }] }
`,
    );
    const api = await loadApi(file);
    const problems = (name: string, n: bigint | Record<string, bigint>) =>
      api.validate('Thing', { [name]: n }).map((problem) => problem.message);
    expect(
      (
        [
          ['after', 9007199254740993n],
          ['double', 9007199254740995n],
          ['single', 9007199254740997n],
          ['plain', 9007199254740999n],
          ['float', 10n ** 23n],
          ['anchored', 9007199254741001n],
          ['aliased', 9007199254741001n],
        ] as const
      ).map(([name, n]) => [
        problems(name, n),
        problems(name, name === 'aliased' ? n - 1n : n + 1n),
      ]),
    ).toEqual([
      [[], ['must be <= 9007199254740993']],
      [[], ['must be <= 9007199254740995']],
      [[], ['must be <= 9007199254740997']],
      [[], ['must be <= 9007199254740999']],
      [[], ['must be <= 100000000000000000000000']],
      [[], ['must be <= 9007199254741001']],
      [[], ['must be >= 9007199254741001']],
    ]);
    // A quoted `"<<"` is a key like any other, not a merge key.
    expect(writtenSpecJson(api.document)).toContain('{"<<":9007199254741003}');
  });

  it('are read exactly where an alias repeats a number, and as YAML merges keys (the first map of a list wins, the own key over all)', async () => {
    const file = join(folder, 'aliased-numbers.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
x-first: &first { type: integer, format: int64, maximum: 9007199254740995 }
x-second: &second { type: integer, format: int64, maximum: 9007199254740997, minimum: 9007199254740993 }
components:
  schemas:
    Thing:
      type: object
      properties:
        anchored: { type: integer, format: int64, maximum: &big 9007199254740993 }
        aliased: { type: integer, format: int64, maximum: *big }
        listed: { type: integer, format: int64, enum: [*big] }
        merged: { <<: [*first, *second] }
        own: { <<: *first, maximum: 1e16 }
`,
    );
    const api = await loadApi(file);
    const problems = (name: string, n: bigint) =>
      api.validate('Thing', { [name]: n }).map((problem) => problem.message);
    expect(
      ['anchored', 'aliased', 'listed'].map((name) => [
        problems(name, 9007199254740993n),
        problems(name, 9007199254740994n),
      ]),
    ).toEqual([
      [[], ['must be <= 9007199254740993']],
      [[], ['must be <= 9007199254740993']],
      [[], ['must be one of 9007199254740993']],
    ]);
    expect(
      [9007199254740995n, 9007199254740996n, 9007199254740992n].map((n) => problems('merged', n)),
    ).toEqual([[], ['must be <= 9007199254740995'], ['must be >= 9007199254740993']]);
    expect([10n ** 16n, 10n ** 16n + 1n].map((n) => problems('own', n))).toEqual([
      [],
      ['must be <= 10000000000000000'],
    ]);
  });

  it('are read from the literal YAML merges each key from: the own key, the first map of a list, the merge keys of a merged map, an inline map', async () => {
    const file = join(folder, 'merged-sources.yaml');
    // Each pair of literals reads as one double (2^53): only the one js-yaml takes says the number.
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
x-big: &big { type: integer, format: int64, maximum: 9007199254740993 }
x-exact: &exact { type: integer, format: int64, maximum: 9007199254740992 }
x-middle: &middle { <<: *big, description: merges another }
components:
  schemas:
    Thing:
      type: object
      properties:
        own: { <<: *big, maximum: 9007199254740992 }
        ownFirst: { maximum: 9007199254740992, <<: *big }
        first: { <<: [*exact, *big] }
        nested: { <<: *middle }
        inline: { <<: { type: object, properties: { v: { type: integer, format: int64, maximum: 9007199254740993 } } } }
`,
    );
    const api = await loadApi(file);
    const problems = (name: string, n: bigint | Record<string, bigint>) =>
      api.validate('Thing', { [name]: n }).map((problem) => problem.message);
    expect(['own', 'ownFirst', 'first'].map((name) => problems(name, 9007199254740993n))).toEqual([
      ['must be <= 9007199254740992'],
      ['must be <= 9007199254740992'],
      ['must be <= 9007199254740992'],
    ]);
    expect([problems('nested', 9007199254740993n), problems('nested', 9007199254740994n)]).toEqual([
      [],
      ['must be <= 9007199254740993'],
    ]);
    expect([
      problems('inline', { v: 9007199254740993n }),
      problems('inline', { v: 9007199254740994n }),
    ]).toEqual([[], ['must be <= 9007199254740993']]);
  });

  it('are read exactly where a %TAG handle names the number tag', async () => {
    const file = join(folder, 'tag-handle.yaml');
    await writeFile(
      file,
      `%TAG !core! tag:yaml.org,2002:
---
openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        n: { type: integer, format: int64, maximum: !core!int "9007199254740993" }
`,
    );
    const api = await loadApi(file);
    expect(
      [9007199254740993n, 9007199254740994n].map((n) =>
        api.validate('Thing', { n }).map((problem) => problem.message),
      ),
    ).toEqual([[], ['must be <= 9007199254740993']]);
  });

  it('are read from the map a merge key names whatever the tag of its `<<` (a %TAG handle, %-escaped, verbatim)', async () => {
    const file = join(folder, 'merge-tag-handle.yaml');
    await writeFile(
      file,
      `%TAG !core! tag:yaml.org,2002:
---
openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
x-big: &big { type: integer, format: int64, maximum: 9007199254740993 }
components:
  schemas:
    Thing:
      type: object
      properties:
        handle: { !core!merge <<: *big }
        verbatim: { !<tag:yaml.org,2002:merge> <<: *big }
        encoded: { !core!m%65rge <<: *big }
`,
    );
    const api = await loadApi(file);
    const problems = (name: string, n: bigint) =>
      api.validate('Thing', { [name]: n }).map((problem) => problem.message);
    expect(
      ['handle', 'verbatim', 'encoded'].map((name) => [
        problems(name, 9007199254740993n),
        problems(name, 9007199254740994n),
      ]),
    ).toEqual([
      [[], ['must be <= 9007199254740993']],
      [[], ['must be <= 9007199254740993']],
      [[], ['must be <= 9007199254740993']],
    ]);
  });

  it.each([
    // `!` and `!!` redefined, and a prefix %-escaped (`!e!rge` is `tag:yaml.org,2002:merge`).
    [
      '%TAG ! tag:yaml.org,2002:\n%TAG !! tag:yaml.org,2002:me\n%TAG !e! tag:yaml.org,2002:m%65\n---\n',
      ['!merge', '!!rge', '!e!rge'],
    ],
    // The default handles, and a verbatim tag %-escaped.
    ['', ['!!merge', '!!m%65rge', '!<tag:yaml.org,2002:m%65rge>']],
  ])(
    'are read from the map a merge key names, its tag resolved as js-yaml does: %j %j',
    async (directives, tags) => {
      const file = join(folder, 'merge-tag-resolved.yaml');
      await writeFile(
        file,
        `${directives}openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
x-big: &big { type: integer, format: int64, maximum: 9007199254740993 }
components:
  schemas:
    Thing:
      type: object
      properties:
${tags.map((tag, at) => `        p${at}: { ${tag} <<: *big }\n`).join('')}`,
      );
      const api = await loadApi(file);
      const problems = (name: string, n: bigint) =>
        api.validate('Thing', { [name]: n }).map((problem) => problem.message);
      expect(
        tags.map((_, at) => [
          problems(`p${at}`, 9007199254740993n),
          problems(`p${at}`, 9007199254740994n),
        ]),
      ).toEqual(tags.map(() => [[], ['must be <= 9007199254740993']]));
    },
  );

  it('are read exactly where written in hexadecimal, with a sign or negative, also in a compiled spec', async () => {
    const file = join(folder, 'literal-forms.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        hex: { type: integer, format: int64, maximum: 0x20000000000001 }
        signed: { type: number, enum: [+1e23] }
        negative: { type: integer, format: int64, const: -9007199254740993 }
`,
    );
    const compiled = JSON.parse(JSON.stringify(await compileSpec(file)));
    for (const api of [await loadApi(file), await loadApi(compiled)]) {
      const problems = (name: string, n: bigint) =>
        api.validate('Thing', { [name]: n }).map((problem) => problem.message);
      expect([
        problems('hex', 9007199254740993n),
        problems('hex', 9007199254740994n),
        problems('signed', 10n ** 23n),
        problems('signed', 10n ** 23n + 1n),
        problems('negative', -9007199254740993n),
        problems('negative', -9007199254740992n),
      ]).toEqual([
        [],
        ['must be <= 9007199254740993'],
        [],
        ['must be one of 100000000000000000000000'],
        [],
        ['must be -9007199254740993'],
      ]);
    }
  });

  it('keep their exact values in a compiled spec, as an object and as its JSON file', async () => {
    const file = join(folder, 'compile-me.yaml');
    await writeFile(file, thingYaml());
    const compiled = await compileSpec(file);
    const compiledFile = join(folder, 'compiled.json');
    await writeFile(compiledFile, JSON.stringify(compiled));
    await expectExactNumbers(await loadApi(compiled));
    await expectExactNumbers(await loadApi(compiledFile));
  });

  it('in a compiled spec edited since, give way to the number written there', async () => {
    const file = join(folder, 'edited.yaml');
    await writeFile(file, thingYaml());
    const compiled = (await compileSpec(file)) as any;
    compiled.document.components.schemas.Thing.properties.n.maximum = 5;
    const api = await loadApi(JSON.parse(JSON.stringify(compiled)));
    expect(problemsOf(api, [{ n: 6 }])).toEqual([['must be <= 5']]);
  });

  it('refuse to load, at their place, where a decimal has more digits than a number holds and is no bound', async () => {
    const file = join(folder, 'inexact.yaml');
    await writeFile(
      file,
      thingYaml(`        d: { type: number, maximum: 0.10000000000000000001, multipleOf: 0.30000000000000000001, enum: [1, 2.00000000000000000001] }
      example: { id: x, d: 0.10000000000000000001 }
`),
    );
    const error = await loadApi(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpecError);
    expect(
      (error as SpecError).problems.map(({ pointer, message }) => ({ pointer, message })),
    ).toEqual([
      {
        pointer: '/components/schemas/Thing/properties/d/enum/1',
        message:
          '2.00000000000000000001 has more significant digits than a number holds: it would be read as 2, and validation would compare with that; write it with 17 significant digits at most',
      },
      {
        pointer: '/components/schemas/Thing/properties/d/multipleOf',
        message:
          '0.30000000000000000001 has more significant digits than a number holds: it would be read as 0.3, and validation would compare with that; write it with 17 significant digits at most',
      },
    ]);
  });

  // A decimal bound no double holds keeps exactly the values it says: a number as the shortest
  // decimal that reads back as it (0.1 is 0.1, below 0.10000000000000000001, though its double
  // is above it), a bigint as itself.
  const decimalBounds = `        money: { type: number, maximum: 99999999999999999999.99, minimum: -99999999999999999999.99 }
        tenth: { type: number, exclusiveMaximum: 0.10000000000000000001, exclusiveMinimum: 0.09999999999999999999 }
        old: { type: number, minimum: 0.10000000000000000001, exclusiveMinimum: true }
`;
  function expectDecimalBounds(api: Awaited<ReturnType<typeof loadApi>>) {
    expect(
      problemsOf(api, [
        { money: 99999999999999999999n },
        { money: -99999999999999999999n },
        { money: 1.5 },
        { tenth: 0.1 },
        { old: 0.10000000000000002 },
      ]),
    ).toEqual([[], [], [], [], []]);
    expect(
      problemsOf(api, [
        { money: 100000000000000000000n },
        { money: 1e20 },
        { money: -1e20 },
        { tenth: 0.10000000000000002 },
        { tenth: 0.09999999999999999 },
        { old: 0.1 },
        { money: -100000000000000000000n },
      ]),
    ).toEqual([
      // Each names the bound as the spec wrote it, not the number it compares with.
      [expect.stringContaining('must be <= 99999999999999999999.99')],
      [expect.stringContaining('a number cannot hold exactly')],
      [expect.stringContaining('a number cannot hold exactly')],
      [expect.stringContaining('must be < 0.10000000000000000001')],
      [expect.stringContaining('must be > 0.09999999999999999999')],
      [expect.stringContaining('must be > 0.10000000000000000001')],
      [expect.stringContaining('must be >= -99999999999999999999.99')],
    ]);
  }

  it('as bounds, keep exactly the values a decimal with more digits than a number holds keeps', async () => {
    const file = join(folder, 'decimal-bounds.yaml');
    await writeFile(file, thingYaml(decimalBounds));
    const api = await loadApi(file);
    expectDecimalBounds(api);
    const compiled = await compileSpec(file);
    expectDecimalBounds(await loadApi(JSON.parse(JSON.stringify(compiled))));
    expect(writtenSpecJson(api.document)).toContain('"maximum":99999999999999999999.99,');
  });

  it("as bounds, are written in the JSON as the spec wrote them, in JSON's syntax", async () => {
    const file = join(folder, 'decimal-forms.yaml');
    await writeFile(
      file,
      thingYaml(`        sci: { type: number, maximum: 1.00000000000000000001e-5, minimum: -1.00000000000000000001E-30 }
        dot: { type: number, maximum: .99999999999999999999, exclusiveMinimum: 00.10000000000000000001 }
`),
    );
    const json = writtenSpecJson((await loadApi(file)).document);
    const { sci, dot } = JSON.parse(json).components.schemas.Thing.properties;
    expect([sci, dot]).toEqual([
      { type: 'number', maximum: 1e-5, minimum: -1e-30 },
      { type: 'number', maximum: 1, exclusiveMinimum: 0.1 },
    ]);
    expect(json).toContain(
      '"maximum":1.00000000000000000001e-5,"minimum":-1.00000000000000000001E-30}',
    );
    expect(json).toContain(
      '"maximum":0.99999999999999999999,"exclusiveMinimum":0.10000000000000000001}',
    );
  });

  it('are given as written to what reads the document: a value, and its JSON', async () => {
    const file = join(folder, 'values.yaml');
    await writeFile(
      file,
      thingYaml(`        dflt: { type: integer, format: int64, default: 9007199254740993 }
        dd: { type: number, default: 0.10000000000000000001 }
        held: { type: integer, format: int64, default: 9007199254740992 }
        listed: { type: array, default: [{ v: 1e16 }, 1.5] }
`),
    );
    const api = await loadApi(file);
    const properties = (api.document as any).components.schemas.Thing.properties;
    expect(writtenSpecValue(properties.dflt, 'default', '/dflt/default')).toBe(9007199254740993n);
    // An integer beyond 2^53 that a double holds is a bigint too, as a value of Macaron.
    expect(writtenSpecValue(properties.held, 'default', '/held/default')).toBe(9007199254740992n);
    expect(writtenSpecValue(properties.listed, 'default', '/listed/default')).toEqual([
      { v: 10n ** 16n },
      1.5,
    ]);
    expect(writtenSpecValue(properties.o, 'enum', '/o/enum')).toEqual([{ v: 9007199254740993n }]);
    expect(writtenSpecValue(properties.id, 'type', '/id/type')).toBe('string');
    expect(() => writtenSpecValue(properties.dd, 'default', '/dd/default')).toThrow(
      expect.objectContaining({
        problems: [expect.objectContaining({ pointer: '/dd/default' })],
      }),
    );
    const json = writtenSpecJson(api.document);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(api.document)));
    expect(json).toContain('"maximum":9007199254740993}');
    expect(json).toContain('"maximum":9223372036854775807}');
    expect(json).toContain('"enum":[{"v":9007199254740993}]');
  });

  it('are written in the JSON beside strings and names of any text, each kept as written', async () => {
    const file = join(folder, 'marked.yaml');
    await writeFile(
      file,
      thingYaml(`        s: { type: string, default: "\\0digits1:42", x-names: { "\\0digits0:7": "\\0digits0:8" } }
`),
    );
    const api = await loadApi(file);
    const json = writtenSpecJson(api.document);
    expect(JSON.parse(json).components.schemas.Thing.properties.s).toEqual({
      type: 'string',
      default: '\u0000digits1:42',
      'x-names': { '\u0000digits0:7': '\u0000digits0:8' },
    });
    expect(json).toContain('"maximum":9007199254740993}');
  });

  it('are shown as written in messages, beside strings of any text', async () => {
    const file = join(folder, 'marked-enum.yaml');
    await writeFile(
      file,
      thingYaml(`        mark: { type: object, enum: [{ v: 9007199254740993, s: "\\0bigint:5", t: "\\0digits0:6" }] }
`),
    );
    const api = await loadApi(file);
    expect(problemsOf(api, [{ mark: { v: 1 } }])).toEqual([
      ['must be one of {"v":9007199254740993,"s":"\\u0000bigint:5","t":"\\u0000digits0:6"}'],
    ]);
  });
});

// A file that may hold a rounded literal is parsed a second time, for its syntax tree: a third
// more load time for a large spec, which a file holding none must not pay.
describe('whether a file may hold a number literal its parser rounds', () => {
  it('is so for long literals, and for one whose exponent a double does not hold', () => {
    expect(
      [
        'maximum: 9007199254740993',
        'maximum: 0.10000000000000000001',
        'maximum: 0x20000000000001',
        'maximum: 1e23',
        '{"maximum":1E+23}',
        'enum: [1e23, 2]',
        'maximum: 12345678901e9',
        'minimum: 1e-400',
        '{"minimum":-3E-324}',
      ].map(mayHoldRoundedNumbers),
    ).toEqual([true, true, true, true, true, true, true, true, true]);
  });

  it('is not so for literals with an exponent that a double holds', () => {
    expect(
      ['maximum: 1e22', 'minimum: 1.5e-300', 'enum: [2E+5, 5e-324]', 'maximum: 1e400'].map(
        mayHoldRoundedNumbers,
      ),
    ).toEqual([false, false, false, false]);
  });

  it('is not so for hexadecimal words whose digits read like an exponent (a UUID, a hash)', () => {
    expect(
      [
        'example: 550e8400-e29b-41d4-a716-446655440000',
        'etag: "9e107d9d372bb6826bd81d3542a419d6"',
        'x-id: 3e10a',
      ].map(mayHoldRoundedNumbers),
    ).toEqual([false, false, false]);
  });
});
