import { describe, expect, it } from 'vitest';
import { normalize, openapi30, rejection, schemaNode, thrown } from '../../test/support/specs.js';
import { SpecError } from '../errors/spec-error.js';
import { loadApi } from '../index.js';
import { allowsNull, primaryType } from './schema-node.js';
import { validateValue } from './validate-value.js';

describe('SchemaNormalizer: nullable', () => {
  it('Swagger 2.0 reads x-nullable and ignores nullable', () => {
    expect(schemaNode({ type: 'string', 'x-nullable': true }, 'swagger2').types).toEqual([
      'string',
      'null',
    ]);
    expect(schemaNode({ type: 'string', nullable: true }, 'swagger2').types).toEqual(['string']);
  });

  it('OpenAPI 3.0 reads nullable and ignores x-nullable', () => {
    expect(schemaNode({ type: 'integer', nullable: true }, 'oas3.0').types).toEqual([
      'integer',
      'null',
    ]);
    expect(schemaNode({ type: 'integer', 'x-nullable': true }, 'oas3.0').types).toEqual([
      'integer',
    ]);
  });

  it("OpenAPI 3.1 reads type [T, 'null'] and ignores nullable", () => {
    expect(schemaNode({ type: ['string', 'null'] }).types).toEqual(['string', 'null']);
    expect(schemaNode({ type: 'string', nullable: true }).types).toEqual(['string']);
  });

  it('allowsNull and primaryType read the normalised types', () => {
    const nullable = schemaNode({ type: ['string', 'null'] });
    expect(allowsNull(nullable)).toBe(true);
    expect(primaryType(nullable)).toBe('string');
    expect(allowsNull(schemaNode({ type: 'string' }))).toBe(false);
    expect(allowsNull(schemaNode({}))).toBe(true);
    expect(primaryType(schemaNode({ type: ['string', 'integer'] }))).toBeUndefined();
    expect(primaryType(schemaNode({ allOf: [{ type: 'integer' }] }))).toBe('integer');
  });
});

describe('SchemaNormalizer: keywords', () => {
  it('Swagger 2.0 type file is a string', () => {
    expect(schemaNode({ type: 'file' }, 'swagger2').types).toEqual(['string']);
  });

  it('boolean exclusive bounds become numeric ones (Swagger 2.0, OpenAPI 3.0)', () => {
    for (const dialect of ['swagger2', 'oas3.0'] as const) {
      const node = schemaNode(
        { type: 'number', minimum: 1, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: true },
        dialect,
      );
      expect(node).toMatchObject({ exclusiveMinimum: 1, exclusiveMaximum: 9 });
      expect(node.minimum).toBeUndefined();
      expect(node.maximum).toBeUndefined();
    }
  });

  it('numeric exclusive bounds stay numbers (OpenAPI 3.1)', () => {
    const node = schemaNode({ type: 'number', exclusiveMinimum: 1, maximum: 9 });
    expect(node).toMatchObject({ exclusiveMinimum: 1, maximum: 9 });
  });

  it('compiles pattern in Unicode mode', () => {
    const node = schemaNode({ type: 'string', pattern: '^\\p{Lu}' });
    expect(node.pattern?.flags).toContain('u');
    expect(node.pattern?.test('Élan')).toBe(true);
  });

  it('compiles an ECMA-262 pattern that Unicode mode rejects only for a needless escape, in Unicode mode', () => {
    // Published by real services: `\_` is an identity escape outside Unicode mode; Unicode
    // mode reads it once spelt as the code point it stands for, and reads the rest by code points.
    const node = schemaNode({
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9\\-\\_\\.]{0,126}$',
    });
    expect(node.pattern?.flags).toBe('u');
    expect(node.pattern?.test('a-b_c.d')).toBe(true);
    expect(node.pattern?.test('-ab')).toBe(false);
  });

  it('reads a code point escape beside a needless escape in Unicode mode', () => {
    // `^\u{41}\_$` was unusable: Unicode mode refused `\_`, non-Unicode mode reads `\u{41}` as
    // 41 letters u. It is `^A_$`.
    const { node, normalizer } = normalize({ T: { type: 'string', pattern: '^\\u{41}\\_$' } }, 'T');
    expect(normalizer.problems).toEqual([]);
    expect(validateValue(node, 'A_')).toEqual([]);
    expect(validateValue(node, 'p{Print}').map((problem) => problem.keyword)).toEqual(['pattern']);
  });

  it.each([
    ['a Java class name', '^\\p{Print}+$'],
    ['an unclosed class', '[0-9'],
    ['an unclosed group', '('],
    ['a quantifier without its lower bound beside a needless escape', '^\\d{,3}\\_$'],
  ])(
    'keeps %s as a pattern that throws SpecError when used, not as a spec problem',
    (_label, pattern) => {
      const { node, normalizer } = normalize({ T: { type: 'string', pattern } }, 'T');
      expect(normalizer.problems).toEqual([]);
      const error = thrown(() => validateValue(node, 'p{Print}'));
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).problems).toEqual([
        expect.objectContaining({ pointer: '/components/schemas/T/pattern' }),
      ]);
    },
  );

  it.each([
    ['oas3.1', { type: 'object', required: 'id' }, 'required', 'must be a list of property names'],
    [
      'oas3.1',
      { type: 'object', required: ['a', 3] },
      'required',
      'must be a list of property names',
    ],
    ['oas3.0', { enum: 'x' }, 'enum', 'must be a list'],
    ['oas3.0', { type: 'array', items: [{ type: 'string' }] }, 'items', 'must be a schema'],
    ['oas3.1', { type: 'array', items: [{ type: 'string' }] }, 'items', 'a tuple) is prefixItems'],
    [
      'oas3.1',
      { type: 'object', additionalProperties: 'no' },
      'additionalProperties',
      'must be a schema, true or false',
    ],
    ['oas3.1', { type: 'string', pattern: 5 }, 'pattern', 'must be a string'],
    ['oas3.1', { type: 'number', maximum: '5' }, 'maximum', 'must be a number'],
    ['oas3.1', { type: 'number', exclusiveMinimum: '1' }, 'exclusiveMinimum', 'must be a number'],
    ['oas3.1', { type: 'number', multipleOf: 0 }, 'multipleOf', 'greater than 0'],
    ['oas3.1', { type: 'string', minLength: '2' }, 'minLength', 'whole number of at least 0'],
    ['oas3.1', { type: 'string', maxLength: -1 }, 'maxLength', 'whole number of at least 0'],
    ['oas3.1', { type: 'array', maxItems: 1.5 }, 'maxItems', 'whole number of at least 0'],
    ['oas3.1', { type: 'array', uniqueItems: 'true' }, 'uniqueItems', 'must be true or false'],
    ['oas3.0', { type: 'string', nullable: 'true' }, 'nullable', 'must be true or false'],
    ['oas3.1', { allOf: { type: 'string' } }, 'allOf', 'must be a list'],
    ['oas3.1', { type: 'object', properties: [] }, 'properties', 'must be an object'],
    [
      'oas3.1',
      { type: 'object', dependentRequired: { a: 'b' } },
      'dependentRequired',
      'lists of property names',
    ],
    ['oas3.1', { type: 'array', prefixItems: { type: 'string' } }, 'prefixItems', 'must be a list'],
    ['oas3.1', { $ref: 5 }, '$ref', 'must be a string'],
    [
      'swagger2',
      { type: 'object', required: true },
      'required',
      'must be a list of property names',
    ],
    [
      'oas3.0',
      { type: 'object', required: [200] },
      'required',
      'quote a name YAML reads as a number',
    ],
    ['swagger2', { type: 'string', 'x-nullable': 'true' }, 'x-nullable', 'must be true or false'],
    // PyMacaron's YAML 1.1 read these as a boolean and a number: the problem says so.
    [
      'swagger2',
      { type: 'string', 'x-nullable': 'yes' },
      'x-nullable',
      'must be true or false; YAML 1.1 (which PyMacaron read specs with) read yes as true, YAML 1.2 reads the text "yes": write true',
    ],
    [
      'oas3.0',
      { type: 'string', readOnly: 'Off' },
      'readOnly',
      'read Off as false, YAML 1.2 reads the text "Off": write false',
    ],
    [
      'swagger2',
      { type: 'integer', maximum: '1_000' },
      'maximum',
      'must be a number; YAML 1.1 (which PyMacaron read specs with) read 1_000 as 1000, YAML 1.2 reads the text "1_000": write 1000',
    ],
    ['swagger2', { type: 'string', maxLength: '0b1_0' }, 'maxLength', 'read 0b1_0 as 2,'],
    ['swagger2', { type: 'integer', minimum: '010_0' }, 'minimum', 'read 010_0 as 64,'],
    ['oas3.0', { type: 'number', exclusiveMinimum: 'on' }, 'exclusiveMinimum', 'read on as true,'],
    [
      'swagger2',
      { type: 'object', additionalProperties: 'no' },
      'additionalProperties',
      'must be a schema, true or false; YAML 1.1 (which PyMacaron read specs with) read no as false, YAML 1.2 reads the text "no": write false',
    ],
    [
      'swagger2',
      { type: 'array', additionalItems: 'Off' },
      'additionalItems',
      'read Off as false,',
    ],
    [
      'oas3.0',
      { type: 'object', additionalProperties: 'YES' },
      'additionalProperties',
      'read YES as true,',
    ],
    [
      'swagger2',
      { type: 'number', multipleOf: '0b11' },
      'multipleOf',
      'must be a number greater than 0; YAML 1.1 (which PyMacaron read specs with) read 0b11 as 3, YAML 1.2 reads the text "0b11": write 3',
    ],
    ['oas3.0', { type: 'integer', multipleOf: '1_0' }, 'multipleOf', 'read 1_0 as 10,'],
    // An enum member PyMacaron's YAML 1.1 read as a number or a boolean is a text no value
    // of the schema's type equals (probe 343).
    ['swagger2', { type: 'integer', enum: ['1_000', 2] }, 'enum/0', 'read 1_000 as 1000,'],
    ['oas3.0', { type: 'boolean', enum: [true, 'off'] }, 'enum/1', 'read off as false,'],
    [
      'oas3.0',
      { type: 'number', nullable: true, enum: ['0b11', null] },
      'enum/0',
      'enum member "0b11" is a text, which no value of type number equals; YAML 1.1',
    ],
    // A schema of several types: each member read as each kind the types hold.
    [
      'oas3.1',
      { type: ['boolean', 'integer'], enum: [true, '1_000'] },
      'enum/1',
      'read 1_000 as 1000,',
    ],
    ['oas3.1', { type: ['number', 'boolean'], enum: ['0b11', false] }, 'enum/0', 'read 0b11 as 3,'],
    ['oas3.0', { type: 'object', discriminator: 5 }, 'discriminator', 'with a propertyName'],
    [
      'oas3.0',
      { type: 'object', discriminator: { propertyName: 5 } },
      'discriminator/propertyName',
      'must be the name of a property',
    ],
    [
      'oas3.0',
      { type: 'object', discriminator: { propertyName: 'k', mapping: 'A' } },
      'discriminator/mapping',
      'must be an object',
    ],
    [
      'oas3.0',
      { type: 'object', discriminator: { propertyName: 'k', mapping: { a: 5 } } },
      'discriminator/mapping/a',
      'must be a $ref or a schema name',
    ],
  ] as const)(
    '%s: a keyword of the wrong shape (%j) is a problem at it, not a constraint dropped',
    (dialect, raw, keyword, message) => {
      const { normalizer } = normalize({ T: raw }, 'T', dialect);
      const base = dialect === 'swagger2' ? '/definitions' : '/components/schemas';
      expect(normalizer.problems).toEqual([
        { pointer: `${base}/T/${keyword}`, message: expect.stringContaining(message) },
      ]);
      expect(normalizer.problems[0]!.message).toContain(keyword.split('/')[0]);
    },
  );

  it('a schema written no or off (false to YAML 1.1, a schema in OpenAPI 3.1) says how YAML 1.1 read it', () => {
    for (const [raw, pointer, reading] of [
      [{ type: 'array', items: 'no' }, 'items', 'read no as false,'],
      [{ type: 'object', properties: { a: 'off' } }, 'properties/a', 'read off as false,'],
      [{ not: 'Yes' }, 'not', 'read Yes as true,'],
      [{ type: 'array', prefixItems: [{}, 'ON'] }, 'prefixItems/1', 'read ON as true,'],
    ] as const) {
      const { normalizer } = normalize({ T: raw }, 'T', 'oas3.1');
      expect(normalizer.problems.length, pointer).toBeGreaterThan(0);
      for (const problem of normalizer.problems)
        expect(problem, pointer).toEqual({
          pointer: `/components/schemas/T/${pointer}`,
          message: expect.stringMatching(
            new RegExp(`must be (a schema|an object), true or false; YAML 1\\.1 .*${reading}`),
          ),
        });
    }
  });

  it('items of another shape (items: no, 5, null) is one problem, in each dialect, saying how YAML 1.1 read it', () => {
    const yaml11 =
      '; YAML 1.1 (which PyMacaron read specs with) read no as false, YAML 1.2 reads the text "no": write false';
    for (const [dialect, at, shape] of [
      ['oas3.1', '/components/schemas/T/items', 'items must be a schema, true or false'],
      ['oas3.0', '/components/schemas/T/items', 'items must be a schema'],
      ['swagger2', '/definitions/T/items', 'items must be a schema or a list of schemas'],
    ] as const) {
      for (const [items, message] of [
        ['no', `${shape}${yaml11}`],
        [5, shape],
        [null, shape],
      ] as const) {
        const { normalizer } = normalize({ T: { type: 'array', items } }, 'T', dialect);
        expect(normalizer.problems, `${dialect} ${items}`).toEqual([{ pointer: at, message }]);
      }
    }
    const { normalizer } = normalize({ T: { type: 'array', items: true } }, 'T', 'oas3.0');
    expect(normalizer.problems).toEqual([
      {
        pointer: '/components/schemas/T/items',
        message:
          'items must be a schema: OpenAPI 3.0 has no boolean schema (true is {}, false is { not: {} })',
      },
    ]);
  });

  it('an enum member YAML 1.1 reads alike is no problem where the schema holds texts, nor another text', () => {
    for (const raw of [
      { type: 'string', enum: ['yes', 'no', '1_000'] },
      { type: ['string', 'integer'], enum: ['1_000', 1000] },
      { enum: ['on', 'off'] },
      { type: 'integer', enum: ['abc', 1] },
      { type: 'boolean', enum: ['true', false] },
    ]) {
      const { normalizer } = normalize({ T: raw }, 'T', 'oas3.1');
      expect(normalizer.problems).toEqual([]);
    }
  });

  it('loadApi refuses a spec whose required is a name, not a list (it required nothing)', async () => {
    const error = await rejection(
      loadApi(
        openapi30({
          T: { type: 'object', required: 'id', properties: { id: { type: 'string' } } },
        }),
      ),
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      expect.objectContaining({
        pointer: '/components/schemas/T/required',
        message: 'required must be a list of property names',
      }),
    ]);
  });

  it('takes any whole number as a count or length, a 64-bit one such as Long.MAX_VALUE included', () => {
    const { node, normalizer } = normalize(
      // Long.MAX_VALUE as the YAML parser reads it.
      { T: { type: 'string', maxLength: 2 ** 63, minLength: 0 } },
      'T',
      'oas3.0',
    );
    expect(normalizer.problems).toEqual([]);
    expect(validateValue(node, 'text')).toEqual([]);
  });

  it("takes a Swagger 2.0 parameter's required flag as its own, not as a list of properties", () => {
    const { normalizer } = normalize(
      { T: { in: 'query', name: 'q', type: 'string', required: true } },
      'T',
      'swagger2',
    );
    expect(normalizer.problems).toEqual([]);
  });

  it.each([
    [
      'yes',
      'required must be true or false; YAML 1.1 (which PyMacaron read specs with) read yes as true, YAML 1.2 reads the text "yes": write true',
    ],
    ['true', 'required must be true or false'],
    // PyYAML reads `y` and `n` as text, as YAML 1.2 does: no word of YAML 1.1 then.
    ['y', 'required must be true or false'],
    [['q'], 'required must be true or false'],
  ])(
    "says a Swagger 2.0 parameter's required %j must be true or false, not a list",
    (required, message) => {
      const { normalizer } = normalize(
        { T: { in: 'query', name: 'q', type: 'string', required } },
        'T',
        'swagger2',
      );
      expect(normalizer.problems).toEqual([{ pointer: '/definitions/T/required', message }]);
    },
  );

  it('reads a Swagger 2.0 list of schemas under items as a tuple (draft 4), additionalItems as the rest', () => {
    const tuple = schemaNode(
      { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
      'swagger2',
    );
    expect(validateValue(tuple, ['a', 1])).toEqual([]);
    expect(validateValue(tuple, ['a', 'b']).map((problem) => problem.pointer)).toEqual(['/1']);
    expect(validateValue(tuple, ['a', 1, true]).map((problem) => problem.pointer)).toEqual(['/2']);
    const open = schemaNode({ type: 'array', items: [{ type: 'string' }] }, 'swagger2');
    expect(validateValue(open, ['a', 1, true])).toEqual([]);
    expect(validateValue(open, [1])).not.toEqual([]);
  });

  it('true and false schemas accept anything and nothing', () => {
    const node = schemaNode({ type: 'object', properties: { any: true, none: false } });
    expect(node.properties.any?.types).toBeUndefined();
    expect(node.properties.any?.not).toBeUndefined();
    expect(node.properties.none?.not).toBeDefined();
  });

  it('gives every node the JSON pointer of its schema', () => {
    const node = schemaNode({
      type: 'object',
      properties: { 'a/b': { type: 'array', items: { type: 'string' } } },
    });
    expect(node.pointer).toBe('/components/schemas/T');
    expect(node.properties['a/b']?.pointer).toBe('/components/schemas/T/properties/a~1b');
    expect(node.properties['a/b']?.items?.pointer).toBe(
      '/components/schemas/T/properties/a~1b/items',
    );
  });

  it('keeps x-persist as written', () => {
    const persist = { table: 'profiles', key: 'id' };
    expect(schemaNode({ type: 'object', 'x-persist': persist }).persist).toEqual(persist);
  });
});

describe('SchemaNormalizer: $ref', () => {
  const address = { type: 'object', properties: { city: { type: 'string' } } };

  it('resolves a named schema to one shared node that keeps its name', () => {
    const { node } = normalize(
      {
        Profile: {
          type: 'object',
          properties: {
            home: { $ref: '#/components/schemas/Address' },
            work: { $ref: '#/components/schemas/Address' },
          },
        },
        Address: address,
      },
      'Profile',
      'oas3.0',
    );
    expect(node.name).toBe('Profile');
    expect(node.properties.home).toBe(node.properties.work);
    expect(node.properties.home?.name).toBe('Address');
  });

  it('reads a $ref fragment as the URI it is: percent-encoded tokens resolve (RFC 6901 §6)', () => {
    const { node, normalizer } = normalize(
      {
        Profile: {
          type: 'object',
          properties: {
            home: { $ref: '#/components/schemas/Postal%20Address' },
            work: { $ref: '#/components/schemas/Postal Address' },
            note: { $ref: '#/components/schemas/Postal%20Address/properties/city' },
            odd: { $ref: '#/components/schemas/100%' },
          },
        },
        'Postal Address': address,
        '100%': { type: 'integer' },
      },
      'Profile',
      'oas3.0',
    );
    expect(normalizer.problems).toEqual([]);
    expect(node.properties.home?.name).toBe('Postal Address');
    expect(node.properties.home).toBe(node.properties.work);
    expect(node.properties.note?.types).toEqual(['string']);
    expect(node.properties.odd?.types).toEqual(['integer']);
  });

  it('reports schemas nested past 500 levels (a chain of $ref aliases) at their place, not a RangeError', () => {
    const chain = (length: number) => {
      const schemas: Record<string, unknown> = { [`R${length}`]: { type: 'string' } };
      for (let index = 0; index < length; index++)
        schemas[`R${index}`] = { $ref: `#/components/schemas/R${index + 1}` };
      return normalize(schemas, 'R0', 'oas3.0');
    };
    expect(chain(400).normalizer.problems).toEqual([]);
    const { normalizer } = chain(5_000);
    expect(normalizer.problems).toEqual([
      {
        pointer: '/components/schemas/R500',
        message: 'schemas nest more than 500 levels deep here (through $refs and subschemas)',
      },
    ]);
  });

  it('a spec whose schemas refer to each other through thousands of properties is read whole, not as nesting too deep; a variant reached deep in it joins its parent', () => {
    const length = 3_000;
    const schemas: Record<string, unknown> = {};
    for (let index = 0; index < length; index++)
      schemas[`M${index}`] = {
        type: 'object',
        properties: { next: { $ref: `#/components/schemas/M${index + 1}` } },
      };
    schemas[`M${length}`] = {
      type: 'object',
      properties: { pet: { $ref: '#/components/schemas/Pet' } },
    };
    schemas.Pet = {
      type: 'object',
      required: ['kind'],
      properties: { kind: { type: 'string' }, friend: { $ref: '#/components/schemas/Cat' } },
      discriminator: { propertyName: 'kind' },
    };
    schemas.Cat = {
      allOf: [
        { $ref: '#/components/schemas/Pet' },
        { type: 'object', properties: { meow: { type: 'boolean' } } },
      ],
    };
    const { node, normalizer } = normalize(schemas, 'M0', 'oas3.0');
    expect(normalizer.problems).toEqual([]);
    let current = node;
    for (let index = 0; index < length; index++) current = current.properties.next!;
    const pet = current.properties.pet!;
    expect(pet.name).toBe('Pet');
    expect(pet.discriminator?.mapping.Cat).toBe(pet.properties.friend);
    expect(validateValue(node, { next: { next: { next: { next: 1 } } } })).toEqual([
      expect.objectContaining({ pointer: '/next/next/next/next', keyword: 'type' }),
    ]);
  });

  it('OpenAPI 3.0 ignores the siblings of $ref', () => {
    const { node } = normalize(
      {
        P: { type: 'object', properties: { a: { $ref: '#/components/schemas/A', minLength: 3 } } },
        A: { type: 'string' },
      },
      'P',
      'oas3.0',
    );
    expect(node.properties.a?.name).toBe('A');
    expect(node.properties.a?.minLength).toBeUndefined();
  });

  it('OpenAPI 3.1 applies $ref and its siblings together', () => {
    const { node } = normalize(
      {
        P: { type: 'object', properties: { a: { $ref: '#/components/schemas/A', minLength: 3 } } },
        A: { type: 'string' },
      },
      'P',
      'oas3.1',
    );
    const a = node.properties.a!;
    expect(a.minLength).toBe(3);
    expect(a.allOf?.map((member) => member.name)).toEqual(['A']);
  });

  it('OpenAPI 3.1 reads unevaluatedProperties and unevaluatedItems as false or a schema', () => {
    const { node } = normalize(
      {
        P: {
          type: 'object',
          unevaluatedProperties: false,
          unevaluatedItems: { type: 'string' },
          allOf: [{ unevaluatedProperties: true }],
        },
      },
      'P',
      'oas3.1',
    );
    expect(node.unevaluatedProperties).toBe(false);
    expect(node.unevaluatedItems).toMatchObject({
      types: ['string'],
      pointer: '/components/schemas/P/unevaluatedItems',
    });
    // `true` is the schema that takes anything (it still evaluates what it takes).
    expect(node.allOf?.[0]?.unevaluatedProperties).toMatchObject({ properties: {}, required: [] });
    const earlier = normalize(
      { P: { type: 'object', unevaluatedProperties: false } },
      'P',
      'oas3.0',
    );
    expect(earlier.node.unevaluatedProperties).toBeUndefined();
  });

  it('reports an unresolved internal $ref with the pointer of the $ref', () => {
    const { normalizer } = normalize(
      { P: { type: 'object', properties: { a: { $ref: '#/components/schemas/Gone' } } } },
      'P',
      'oas3.0',
    );
    expect(normalizer.problems).toEqual([
      expect.objectContaining({ pointer: '/components/schemas/P/properties/a/$ref' }),
    ]);
  });

  it('reports an external $ref left after bundling', () => {
    const { normalizer } = normalize(
      { P: { type: 'object', properties: { a: { $ref: 'other.yaml#/A' } } } },
      'P',
      'oas3.0',
    );
    expect(normalizer.problems).toEqual([
      expect.objectContaining({ pointer: '/components/schemas/P/properties/a/$ref' }),
    ]);
  });

  it.each([
    ['oas3.0', '#/components/schemas/Id'],
    ['swagger2', '#/definitions/Id'],
    ['oas3.1', '#/components/schemas/Id'],
  ] as const)('a named schema that is only a $ref is its target (%s)', (dialect, ref) => {
    const { node, normalizer } = normalize(
      { UserId: { $ref: ref }, Id: { type: 'string', format: 'uuid' } },
      'UserId',
      dialect,
    );
    expect(normalizer.problems).toEqual([]);
    expect(validateValue(node, 42).map((problem) => problem.keyword)).toEqual(['type']);
  });

  it('resolves Swagger 2.0 definitions', () => {
    const { node, normalizer } = normalize(
      { P: { type: 'object', properties: { a: { $ref: '#/definitions/A' } } }, A: address },
      'P',
      'swagger2',
    );
    expect(normalizer.problems).toEqual([]);
    expect(node.properties.a?.name).toBe('A');
  });
});

describe('SchemaNormalizer: problems', () => {
  it.each([
    ['an unknown type', { type: 'text' }, '/components/schemas/T/type'],
    ['a type that is neither a string nor a list', { type: 3 }, '/components/schemas/T/type'],
    [
      'a property schema that is not an object',
      { type: 'object', properties: { a: 'string' } },
      '/components/schemas/T/properties/a',
    ],
  ])('reports %s with its pointer', (_label, raw, pointer) => {
    const { normalizer } = normalize({ T: raw }, 'T', 'oas3.0');
    expect(normalizer.problems).toEqual([expect.objectContaining({ pointer })]);
  });
});

describe('SchemaNormalizer: discriminator', () => {
  const variants = {
    Cat: { type: 'object', properties: { kind: { type: 'string' } } },
    Dog: { type: 'object', properties: { kind: { type: 'string' } } },
  };

  it('a variant reached from inside its parent (a property of the parent refers to it) joins the mapping, whatever the order of the schemas', async () => {
    const schemas = {
      Pet: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' }, friend: { $ref: '#/components/schemas/Cat' } },
        discriminator: { propertyName: 'kind' },
      },
      Cat: {
        allOf: [
          { $ref: '#/components/schemas/Pet' },
          { type: 'object', properties: { meow: { type: 'boolean' } } },
        ],
      },
    };
    for (const order of [
      ['Pet', 'Cat'],
      ['Cat', 'Pet'],
    ]) {
      const spec = openapi30(
        Object.fromEntries(order.map((name) => [name, schemas[name as 'Pet']])),
      );
      const api = await loadApi(spec);
      expect(
        Object.keys(api.schema('Pet').discriminator?.mapping ?? {}).sort(),
        order.join(),
      ).toEqual(['Cat', 'Pet']);
      expect(api.validate('Pet', { kind: 'Cat', meow: 'x' })).toEqual([
        expect.objectContaining({ pointer: '/meow' }),
      ]);
    }
  });

  it('maps explicit references and bare names', () => {
    const { node } = normalize(
      {
        ...variants,
        Pet: {
          oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
          discriminator: {
            propertyName: 'kind',
            mapping: { c: '#/components/schemas/Cat', d: 'Dog' },
          },
        },
      },
      'Pet',
      'oas3.0',
    );
    expect(node.discriminator?.propertyName).toBe('kind');
    expect(node.discriminator?.mapping.c?.name).toBe('Cat');
    expect(node.discriminator?.mapping.d?.name).toBe('Dog');
    expect(Object.keys(node.discriminator?.mapping ?? {}).sort()).toEqual(['c', 'd']);
  });

  it('maps each named variant by its name when there is no mapping', () => {
    const { node } = normalize(
      {
        ...variants,
        Pet: {
          anyOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
          discriminator: { propertyName: 'kind' },
        },
      },
      'Pet',
      'oas3.0',
    );
    expect(Object.keys(node.discriminator?.mapping ?? {}).sort()).toEqual(['Cat', 'Dog']);
  });
});

describe('references that would check nothing', () => {
  it.each([
    [
      'an anchor',
      { properties: { code: { $ref: '#code' } } },
      '/components/schemas/T/properties/code/$ref',
    ],
    ['the whole document', { items: { $ref: '#' } }, '/components/schemas/T/items/$ref'],
    [
      'a $dynamicRef',
      { items: { $dynamicRef: '#node' } },
      '/components/schemas/T/items/$dynamicRef',
    ],
  ])('%s is a problem at its pointer, never read as any value', (_label, raw, pointer) => {
    const { normalizer } = normalize(
      { T: { type: 'object', ...raw }, Code: { $anchor: 'code', type: 'string' } },
      'T',
      'oas3.1',
    );
    expect(normalizer.problems.map((problem) => problem.pointer)).toEqual([pointer]);
  });
});
