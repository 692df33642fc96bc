import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { generateTypes } from './generate-types.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

/** A 3.x spec with, per schema name, a `create<Name>` operation taking and returning it. */
async function generated(
  schemas: Record<string, unknown>,
  options: { openapi?: string; operations?: Record<string, string | object> } = {},
): Promise<string> {
  const operations =
    options.operations ?? Object.fromEntries(Object.keys(schemas).map((n) => [n, n]));
  const paths = Object.fromEntries(
    Object.entries(operations).map(([name, schema]) => {
      const type = typeof schema === 'string' ? ref(schema) : schema;
      const post = {
        operationId: `create${name}`,
        requestBody: { required: true, ...json(type) },
        responses: { '200': { description: 'ok', ...json(type) } },
      };
      return [`/${name}`, { post }];
    }),
  );
  const api = await loadApi({
    openapi: options.openapi ?? '3.0.3',
    info: { title: 'nested', version: '1' },
    paths,
    components: { schemas },
  });
  return generateTypes(api, { source: 'apis/nested.yaml' });
}

/** The operation's body and 200 response types, as the `Operations` map holds them. */
function operation(text: string, name: string): { body: string; response: string } {
  const entry = new RegExp(`\\n  create${name}: \\{\\n([\\s\\S]*?)\\n  \\};`).exec(text)?.[1];
  if (entry === undefined) throw new Error(`no operation create${name}`);
  return {
    body: /\n {4}body: ([\s\S]*?);\n {4}responses/.exec(`\n${entry}`)![1]!,
    response: / {6}'200': ([\s\S]*?);\n {4}\}/.exec(entry)![1]!,
  };
}

/** The declaration of an exported type, from its comment to the end. */
function declared(text: string, identifier: string): string {
  const found = new RegExp(
    `\\nexport (?:interface ${identifier} \\{[\\s\\S]*?\\n\\}|type ${identifier}(?:<[^\\n]*>)? = [\\s\\S]*?;)(?=\\n\\n|\\n$)`,
  ).exec(text)?.[0];
  if (found === undefined) throw new Error(`no type ${identifier}`);
  return found.slice(1);
}

const user = {
  type: 'object',
  required: ['id', 'name', 'password'],
  properties: {
    id: { type: 'string', readOnly: true },
    name: { type: 'string' },
    password: { type: 'string', writeOnly: true },
  },
};

describe('operation types: readOnly and writeOnly', () => {
  it('types a body without its required readOnly properties and a response without its required writeOnly ones', async () => {
    const text = await generated({
      Account: user,
      Plain: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
      Extra: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string', readOnly: true } },
        additionalProperties: { type: 'string' },
      },
    });
    expect(operation(text, 'Account')).toEqual({
      body: 'AccountRequest',
      response: 'AccountResponse',
    });
    expect(declared(text, 'AccountRequest')).toBe(
      'export interface AccountRequest {\n  id?: string;\n  name: string;\n  password: string;\n}',
    );
    expect(declared(text, 'AccountResponse')).toBe(
      'export interface AccountResponse {\n  id: string;\n  name: string;\n  password?: string;\n}',
    );
    // The schema's own type is unchanged.
    expect(declared(text, 'Account')).toBe(
      'export interface Account {\n  id: string;\n  name: string;\n  password: string;\n}',
    );
    expect(operation(text, 'Plain')).toEqual({ body: 'Plain', response: 'Plain' });
    expect(text).not.toContain('PlainRequest');
    // A type with an index signature keeps it.
    expect(operation(text, 'Extra')).toEqual({ body: 'ExtraRequest', response: 'Extra' });
    expect(declared(text, 'ExtraRequest')).toBe(
      'export interface ExtraRequest {\n  id?: string;\n  [property: string]: string | undefined;\n}',
    );
    expect(text).not.toContain('Omit<Account');
  });

  it('relaxes them at any depth: properties, list items, maps, allOf, oneOf and inline schemas', async () => {
    const text = await generated(
      {
        User: user,
        Team: {
          type: 'object',
          required: ['name', 'owner', 'members', 'byRole'],
          properties: {
            name: { type: 'string' },
            owner: ref('User'),
            members: { type: 'array', items: ref('User') },
            byRole: { type: 'object', additionalProperties: ref('User') },
          },
        },
        Admin: {
          allOf: [
            ref('User'),
            { type: 'object', required: ['level'], properties: { level: { type: 'integer' } } },
          ],
        },
        Cat: {
          type: 'object',
          required: ['id', 'meows'],
          properties: { id: { type: 'string', readOnly: true }, meows: { type: 'boolean' } },
        },
        Dog: { type: 'object', required: ['barks'], properties: { barks: { type: 'boolean' } } },
        Pet: { oneOf: [ref('Cat'), ref('Dog')] },
        Teams: { type: 'array', items: ref('Team') },
      },
      {
        operations: {
          Team: 'Team',
          Admin: 'Admin',
          Pet: 'Pet',
          Teams: 'Teams',
          List: { type: 'array', items: ref('Team') },
          Inline: {
            type: 'object',
            required: ['id', 'team'],
            properties: { id: { type: 'string', readOnly: true }, team: ref('Team') },
          },
        },
      },
    );
    expect(declared(text, 'TeamRequest')).toBe(`export interface TeamRequest {
  name: string;
  owner: UserRequest;
  members: UserRequest[];
  byRole: { [name: string]: UserRequest };
}`);
    expect(declared(text, 'TeamResponse')).toContain('  owner: UserResponse;');
    expect(declared(text, 'AdminRequest')).toBe(
      'export type AdminRequest = UserRequest & {\n  level: number;\n};',
    );
    expect(declared(text, 'PetRequest')).toBe('export type PetRequest = CatRequest | Dog;');
    // Nothing writeOnly under Pet: responses use Pet itself.
    expect(text).not.toContain('PetResponse');
    expect(declared(text, 'TeamsRequest')).toBe('export type TeamsRequest = TeamRequest[];');
    expect(operation(text, 'Team')).toEqual({ body: 'TeamRequest', response: 'TeamResponse' });
    expect(operation(text, 'Admin')).toEqual({ body: 'AdminRequest', response: 'AdminResponse' });
    expect(operation(text, 'Pet')).toEqual({ body: 'PetRequest', response: 'Pet' });
    expect(operation(text, 'Teams')).toEqual({ body: 'TeamsRequest', response: 'TeamsResponse' });
    expect(operation(text, 'List')).toEqual({ body: 'TeamRequest[]', response: 'TeamResponse[]' });
    expect(operation(text, 'Inline').body).toBe(
      '{\n        id?: string;\n        team: TeamRequest;\n      }',
    );
    expect(operation(text, 'Inline').response).toBe(
      '{\n        id: string;\n        team: TeamResponse;\n      }',
    );
    // The schemas' own types are unchanged.
    expect(declared(text, 'Team')).toContain('  owner: User;\n  members: User[];');
  });

  it('gives a recursive schema a variant that refers to itself, and none where nothing is marked', async () => {
    const text = await generated({
      Tree: {
        type: 'object',
        required: ['label', 'children'],
        properties: {
          label: { type: 'string' },
          children: { type: 'array', items: ref('Tree') },
          leaf: ref('Leaf'),
        },
      },
      Leaf: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string', readOnly: true } },
      },
      Loop: { type: 'object', properties: { next: ref('Loop'), tree: ref('Tree') } },
      Chain: { type: 'object', required: ['next'], properties: { next: ref('Chain') } },
    });
    expect(declared(text, 'TreeRequest')).toBe(`export interface TreeRequest {
  label: string;
  children: TreeRequest[];
  leaf?: LeafRequest;
}`);
    expect(declared(text, 'LoopRequest')).toBe(
      'export interface LoopRequest {\n  next?: LoopRequest;\n  tree?: TreeRequest;\n}',
    );
    expect(text).not.toContain('ChainRequest');
    expect(text).not.toMatch(/Response\b/);
    expect(operation(text, 'Chain')).toEqual({ body: 'Chain', response: 'Chain' });
  });

  it('lifts a member requirement the allOf owner marks readOnly, with a generic that keeps index signatures', async () => {
    const text = await generated({
      Base: {
        type: 'object',
        required: ['id', 'note'],
        properties: { id: { type: 'string' }, note: { type: 'string' } },
        additionalProperties: { type: 'string' },
      },
      Derived: {
        type: 'object',
        allOf: [ref('Base')],
        properties: { id: { type: 'string', readOnly: true } },
      },
    });
    expect(declared(text, 'DerivedRequest')).toBe(
      "export type DerivedRequest = {\n  id?: string;\n} & MacaronOptional<Base, 'id'>;",
    );
    expect(operation(text, 'Derived').body).toBe('DerivedRequest');
    expect(operation(text, 'Base').body).toBe('Base');
    // As in core, the property's first declaration decides: a member declaring it before the
    // readOnly one keeps it required.
    const later = await generated({
      Base: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      Derived: { allOf: [ref('Base'), { properties: { id: { readOnly: true } } }] },
    });
    expect(later).not.toContain('DerivedRequest');
    expect(text).toContain('export type MacaronOptional<T, K extends PropertyKey> =');
    // Declared only where used.
    expect(await generated({ User: user })).not.toContain('MacaronOptional');
  });

  it('names the variants and the generic clear of the schemas, whose names stay', async () => {
    const text = await generated({
      User: user,
      UserRequest: { type: 'object', required: ['user'], properties: { user: ref('User') } },
      MacaronOptional: { type: 'string' },
      Base: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      Derived: { allOf: [{ properties: { id: { readOnly: true } } }, ref('Base')] },
    });
    expect(declared(text, 'UserRequest')).toBe('export interface UserRequest {\n  user: User;\n}');
    expect(declared(text, 'UserRequest_')).toContain('  id?: string;');
    expect(declared(text, 'UserRequestRequest')).toBe(
      'export interface UserRequestRequest {\n  user: UserRequest_;\n}',
    );
    expect(declared(text, 'MacaronOptional')).toBe('export type MacaronOptional = string;');
    expect(text).toContain('export type MacaronOptional_<T, K extends PropertyKey>');
    expect(declared(text, 'DerivedRequest')).toBe(
      "export type DerivedRequest = {\n  id?: unknown;\n} & MacaronOptional_<Base, 'id'>;",
    );
    expect(operation(text, 'UserRequest').body).toBe('UserRequestRequest');
  });

  it('follows OpenAPI 3.1, where readOnly beside $ref applies, and 3.0, where it does not', async () => {
    const schemas = {
      User: user,
      Holder: {
        type: 'object',
        required: ['owner'],
        properties: { owner: { ...ref('User'), readOnly: true } },
      },
    };
    const v31 = await generated(schemas, { openapi: '3.1.0' });
    expect(declared(v31, 'HolderRequest')).toBe(
      'export interface HolderRequest {\n  owner?: UserRequest;\n}',
    );
    expect(declared(v31, 'HolderResponse')).toBe(
      'export interface HolderResponse {\n  owner: UserResponse;\n}',
    );
    const v30 = await generated(schemas);
    expect(declared(v30, 'HolderRequest')).toBe(
      'export interface HolderRequest {\n  owner: UserRequest;\n}',
    );
  });

  it('types a Swagger 2.0 body parameter and response at any depth', async () => {
    const definitions = {
      User: {
        type: 'object',
        required: ['id', 'name'],
        properties: { id: { type: 'string', readOnly: true }, name: { type: 'string' } },
      },
      Team: {
        type: 'object',
        required: ['owner'],
        properties: { owner: { $ref: '#/definitions/User' } },
      },
    };
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'teams', version: '1' },
      paths: {
        '/teams': {
          post: {
            operationId: 'createTeam',
            parameters: [
              { name: 'team', in: 'body', required: true, schema: { $ref: '#/definitions/Team' } },
            ],
            responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Team' } } },
          },
        },
      },
      definitions,
    });
    const text = generateTypes(api, { source: 'apis/teams.yaml' });
    expect(operation(text, 'Team')).toEqual({ body: 'TeamRequest', response: 'Team' });
    expect(declared(text, 'TeamRequest')).toBe(
      'export interface TeamRequest {\n  owner: UserRequest;\n}',
    );
  });
});

describe('unevaluatedProperties (OpenAPI 3.1)', () => {
  it('types what no subschema evaluates as additionalProperties would', async () => {
    const text = await generated(
      {
        Tags: { type: 'object', unevaluatedProperties: { type: 'string' } },
        Closed: { type: 'object', unevaluatedProperties: false },
        Named: {
          type: 'object',
          properties: { id: { type: 'string' } },
          unevaluatedProperties: { type: 'integer' },
        },
        Composed: {
          allOf: [{ type: 'object', properties: { id: { type: 'string' } } }],
          unevaluatedProperties: false,
        },
      },
      { openapi: '3.1.0', operations: {} },
    );
    expect(text).toContain('export type Tags = Record<string, string>;');
    expect(text).toContain('export type Closed = Record<string, never>;');
    expect(text).toMatch(
      /export interface Named \{\n {2}id\?: string;\n {2}\[property: string\]: number \| string \| undefined;\n\}/,
    );
    // With an allOf member evaluating properties, the members say what the object holds.
    expect(text).not.toMatch(/export type Composed = .*Record<string, never>/);
  });
});

describe('a spec without operations', () => {
  it('needs no @macaron/fastify: no handler types, the persistent classes typed by core', async () => {
    const text = await generated(
      { Note: { type: 'object', properties: { id: { type: 'string' } } } },
      { operations: {} },
    );
    expect(text).not.toContain('@macaron/fastify');
    expect(text).not.toContain('Handlers');
    expect(text).toContain(
      "  TypedPersistentClass,\n  TypedTransaction,\n  Transaction as MacaronTransaction,\n} from '@macaron/core';",
    );
  });
});

describe('media types', () => {
  it('types the body and responses of the media types the adapter reads (application/*)', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'media', version: '1' },
      paths: {
        '/notes': {
          post: {
            operationId: 'createNote',
            requestBody: {
              required: true,
              content: {
                'text/plain': { schema: { type: 'string' } },
                'application/*': { schema: ref('Note') },
              },
            },
            responses: {
              '200': { description: 'ok', content: { 'application/*': { schema: ref('Note') } } },
            },
          },
        },
      },
      components: { schemas: { Note: { type: 'object', properties: { id: { type: 'string' } } } } },
    });
    const text = generateTypes(api, { source: 'apis/media.yaml' });
    expect(operation(text, 'Note')).toEqual({ body: 'Note', response: 'Note' });
  });
});

describe('OpenAPI 3.2 operations', () => {
  it('are typed: query and additionalOperations, named by their method as sent', async () => {
    const api = await loadApi({
      openapi: '3.2.0',
      info: { title: 'oas 3.2', version: '1' },
      paths: {
        '/things': {
          query: {
            operationId: 'searchThings',
            requestBody: json({ type: 'object', properties: { q: { type: 'string' } } }),
            responses: { '200': { description: 'ok', ...json({ type: 'integer' }) } },
          },
          additionalOperations: { COPY: { responses: { '204': { description: 'copied' } } } },
        },
      },
    });
    const text = generateTypes(api, { source: 'apis/things.yaml' });
    expect(text).toContain('/** QUERY /things */\n  searchThings: {');
    expect(text).toMatch(/searchThings: \{[\s\S]*?body: \{\n\s+q\?: string;/);
    expect(text).toContain("/** COPY /things */\n  'COPY /things': {");
  });

  it('follows media types given by $ref to components.mediaTypes', async () => {
    const api = await loadApi({
      openapi: '3.2.0',
      info: { title: 'oas 3.2', version: '1' },
      paths: {
        '/things': {
          post: {
            operationId: 'addThing',
            requestBody: {
              required: true,
              content: { 'application/json': { $ref: '#/components/mediaTypes/Thing' } },
            },
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { $ref: '#/components/mediaTypes/Thing' } },
              },
            },
          },
        },
      },
      components: {
        mediaTypes: {
          Thing: { schema: { type: 'object', properties: { a: { type: 'string' } } } },
        },
      },
    });
    const text = generateTypes(api, { source: 'apis/things.yaml' });
    expect(text).toMatch(/addThing: \{[\s\S]*?body: \{\n\s+a\?: string;/);
    expect(text).toMatch(/'200': \{\n\s+a\?: string;/);
  });
});

describe('operation types: bodies of several JSON media types', () => {
  it('types the body as any of them, as the adapter reads it by its Content-Type', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'patch', version: '1' },
      paths: {
        '/things': {
          patch: {
            operationId: 'patchThing',
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: ref('Thing') },
                'application/merge-patch+json': { schema: ref('ThingPatch') },
                'application/*+json': { schema: ref('Thing') },
              },
            },
            responses: { '200': { description: 'ok', ...json(ref('Thing')) } },
          },
        },
      },
      components: {
        schemas: {
          Thing: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
          ThingPatch: { type: 'object', properties: { name: { type: 'string', nullable: true } } },
        },
      },
    });
    const text = generateTypes(api, { source: 'apis/patch.yaml' });
    expect(/\n {4}body: ([^;]*);/.exec(text)?.[1]).toBe('Thing | ThingPatch');
  });
});

describe('response statuses', () => {
  it('keeps `default` as the spec writes it, and spells ranges as OpenAPI does (2XX)', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'statuses', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            responses: {
              '2xx': { description: 'ok', ...json({ type: 'string' }) },
              '404': { description: 'none' },
              default: { description: 'error', ...json({ type: 'integer' }) },
            },
          },
        },
      },
    });
    const text = generateTypes(api, { source: 'apis/statuses.yaml' });
    expect(text).toContain("      '2XX': string;");
    expect(text).toContain("      '404': void;");
    expect(text).toMatch(/\n {6}'?default'?: number;/);
    expect(text).not.toContain('DEFAULT');
  });
});

describe('parameters and bodies a request may leave out', () => {
  it('types a path parameter as given whatever its required says, and a body not required as possibly undefined', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'optional', version: '1' },
      paths: {
        '/things/{id}': {
          put: {
            operationId: 'putThing',
            // A path parameter is in every URL the route matches, `required` or not.
            parameters: [{ name: 'id', in: 'path', schema: { type: 'string' } }],
            requestBody: json({ type: 'string' }),
            responses: { '204': { description: 'ok' } },
          },
        },
      },
    });
    const text = generateTypes(api, { source: 'apis/optional.yaml' });
    expect(text).toContain('    params: { id: string };');
    expect(text).toContain('    body: string | undefined;');
  });

  it("admits Object's inherited member in an optional parameter of its name, as the handler reads it when absent", async () => {
    // The adapter's query and headers are plain objects: `query.toString` of a request without
    // it is Object.prototype.toString, as for an optional property of a body (schema-type).
    const named = (names: string[], location: string, required = false) =>
      names.map((name) => ({ name, in: location, required, schema: { type: 'integer' } }));
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'inherited', version: '1' },
      paths: {
        '/things/{constructor}': {
          get: {
            operationId: 'getThing',
            parameters: [
              ...named(['constructor'], 'path', true),
              ...named(['toString', 'then', '__proto__', '__proto__x'], 'query'),
              ...named(['valueOf'], 'query', true),
              ...named(['hasOwnProperty'], 'header'),
            ],
            responses: { '204': { description: 'ok' } },
          },
        },
      },
    });
    const text = generateTypes(api, { source: 'apis/inherited.yaml' });
    expect(text).toContain('    params: { constructor: number };');
    expect(text).toContain(
      '    query: { toString?: number | typeof Object.prototype.toString; then?: number; __proto__?: number | typeof Object.prototype; __proto__x?: number; valueOf: number };',
    );
    expect(text).toContain(
      '    headers: { hasOwnProperty?: number | typeof Object.prototype.hasOwnProperty };',
    );
  });
});
