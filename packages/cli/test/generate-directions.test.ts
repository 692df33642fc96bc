import { loadApi, validateValue } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { generateTypes } from '../src/generate/generate-types.js';
import { compileProject, typescriptProject } from './typescript-project.js';

// Generated types of bodies and responses against core's validation with a direction: each
// value below is written to a checked file, with `@ts-expect-error` where the types must
// refuse it, and validated as the fastify adapter does; both must agree.

type Dialect = 'openapi30' | 'openapi31' | 'swagger2';
const dialects: Dialect[] = ['openapi30', 'openapi31', 'swagger2'];

function schemas(dialect: Dialect): Record<string, unknown> {
  const base = dialect === 'swagger2' ? '#/definitions/' : '#/components/schemas/';
  const ref = (name: string) => ({ $ref: `${base}${name}` });
  const readOnlyId = { type: 'string', readOnly: true };
  return {
    User: {
      type: 'object',
      required: ['id', 'name', 'password'],
      properties: {
        id: readOnlyId,
        name: { type: 'string' },
        // Swagger 2.0 has no writeOnly.
        password: dialect === 'swagger2' ? { type: 'string' } : { type: 'string', writeOnly: true },
      },
    },
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
    Tree: {
      type: 'object',
      required: ['id', 'label', 'children'],
      properties: {
        id: readOnlyId,
        label: { type: 'string' },
        children: { type: 'array', items: ref('Tree') },
      },
    },
    Base: {
      type: 'object',
      required: ['id', 'note'],
      properties: { id: { type: 'string' }, note: { type: 'string' } },
    },
    // readOnly on an inherited property: core lifts the member's requirement.
    Derived: { type: 'object', allOf: [ref('Base')], properties: { id: readOnlyId } },
    Cat: {
      type: 'object',
      required: ['id', 'kind'],
      properties: { id: readOnlyId, kind: { type: 'string', enum: ['cat'] } },
    },
    Dog: {
      type: 'object',
      required: ['kind', 'barks'],
      properties: { kind: { type: 'string', enum: ['dog'] }, barks: { type: 'boolean' } },
    },
    ...(dialect === 'swagger2'
      ? {}
      : {
          Zoo: {
            type: 'object',
            required: ['pets'],
            properties: { pets: { type: 'array', items: { oneOf: [ref('Cat'), ref('Dog')] } } },
          },
        }),
    // readOnly beside $ref: applies in 3.1, ignored before.
    Holder: {
      type: 'object',
      required: ['owner'],
      properties: { owner: { ...ref('User'), readOnly: true } },
    },
  };
}

const operationsOf = (dialect: Dialect) =>
  Object.keys(schemas(dialect)).filter((name) => !['Base', 'Cat', 'Dog'].includes(name));

function spec(dialect: Dialect): Record<string, unknown> {
  const info = { title: 'directions', version: '1' };
  const paths: Record<string, unknown> = {};
  for (const name of operationsOf(dialect)) {
    if (dialect === 'swagger2') {
      const schema = { $ref: `#/definitions/${name}` };
      paths[`/${name}`] = {
        post: {
          operationId: `create${name}`,
          parameters: [{ name: 'body', in: 'body', required: true, schema }],
          responses: { '200': { description: 'ok', schema } },
        },
      };
    } else {
      const content = { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } };
      paths[`/${name}`] = {
        post: {
          operationId: `create${name}`,
          requestBody: { required: true, content },
          responses: { '200': { description: 'ok', content } },
        },
      };
    }
  }
  return dialect === 'swagger2'
    ? { swagger: '2.0', info, paths, definitions: schemas(dialect) }
    : {
        openapi: dialect === 'openapi31' ? '3.1.0' : '3.0.3',
        info,
        paths,
        components: { schemas: schemas(dialect) },
      };
}

interface Case {
  why: string;
  operation: string;
  side: 'body' | 'response';
  value: unknown;
  accepted: boolean;
}

const newUser = { name: 'ann', password: 'secret' };
const sentUser = { id: 'u1', name: 'ann' };

// What a body may be (`takes`) or not (`refuses`), and a response (`sends`, `neverSends`).
const check =
  (side: Case['side'], accepted: boolean) =>
  (operation: string, value: unknown, why: string): Case => ({
    why,
    operation,
    side,
    value,
    accepted,
  });
const takes = check('body', true);
const refuses = check('body', false);
const sends = check('response', true);
const neverSends = check('response', false);

function cases(dialect: Dialect): Case[] {
  const sent = dialect === 'swagger2' ? { ...sentUser, password: 'secret' } : sentUser;
  const team = (user: unknown, more: object = {}) => ({
    name: 't',
    owner: user,
    members: [user],
    byRole: { lead: user },
    ...more,
  });
  const tree = (grandchild: object) => ({
    label: 'a',
    children: [{ label: 'b', children: [{ children: [], ...grandchild }] }],
  });
  return [
    takes('User', newUser, 'a body without the readOnly id'),
    takes('Team', team(newUser), 'nested readOnly: property, list item, map value'),
    takes('Team', team({ ...newUser, id: 'u1' }), 'the readOnly id may still be given'),
    refuses('Team', team({ password: 'secret' }), 'a nested property not readOnly is required'),
    refuses('Team', team({ ...newUser, id: 1 }), 'a nested readOnly property keeps its type'),
    refuses('Team', team(newUser, { byRole: { lead: 'ann' } }), 'a map value keeps its type'),
    takes('Admin', { ...newUser, level: 1 }, 'allOf: the inherited readOnly id left out'),
    refuses('Admin', newUser, 'allOf: the other member is still required'),
    takes('Tree', tree({ label: 'c' }), 'recursive: ids left out at every level'),
    refuses('Tree', tree({}), 'recursive: a grandchild still needs its label'),
    takes('Derived', { note: 'n' }, 'allOf owner marks the member property readOnly'),
    refuses('Derived', { id: 'd1' }, "allOf owner: the member's other property is required"),
    refuses('Derived', { id: 1, note: 'n' }, 'allOf owner: the readOnly property keeps its type'),
    refuses('User', { name: 'ann' }, 'a body keeps its writeOnly properties'),
    neverSends('User', newUser, 'a response keeps its readOnly properties'),
    neverSends('Team', team({ name: 'ann' }), 'a nested response keeps its readOnly properties'),
    sends('Team', team(sent), 'a response without the nested writeOnly password'),
    // Swagger 2.0 has no writeOnly.
    (dialect === 'swagger2' ? neverSends : sends)(
      'User',
      sentUser,
      'without the writeOnly password',
    ),
    // Before 3.1, readOnly beside $ref is ignored: the reference is required, its id is not.
    (dialect === 'openapi31' ? takes : refuses)('Holder', {}, 'readOnly beside $ref'),
    takes('Holder', { owner: newUser }, 'the referenced value without its readOnly id'),
    refuses('Holder', { owner: 1 }, 'the referenced value keeps its type'),
    neverSends('Holder', {}, 'readOnly beside $ref: sent in a response'),
    ...(dialect === 'swagger2'
      ? []
      : [
          takes('Zoo', { pets: [{ kind: 'cat' }, { kind: 'dog', barks: true }] }, 'oneOf members'),
          refuses('Zoo', { pets: [{ kind: 'dog' }] }, 'oneOf: a value of no member'),
        ]),
  ];
}

function schemaPointer(dialect: Dialect, operation: string, side: Case['side']): string {
  const at = `/paths/~1${operation}/post`;
  if (dialect === 'swagger2')
    return side === 'body' ? `${at}/parameters/0/schema` : `${at}/responses/200/schema`;
  return side === 'body'
    ? `${at}/requestBody/content/application~1json/schema`
    : `${at}/responses/200/content/application~1json/schema`;
}

// Uses the types alone check: the exported types keep their meaning, a full value fits
// both sides, handlers see the body and return the response as the adapter does.
function typeOnlyChecks(dialect: Dialect): string {
  const password = dialect === 'swagger2' ? ", password: 'secret'" : '';
  return `
declare const fullTeam: Team;
export const fullBody: Body<'createTeam'> = fullTeam;
export const fullResponse: Sent<'createTeam'> = fullTeam;
// @ts-expect-error User itself still requires its id
export const plainUser: User = { name: 'ann', password: 'secret' };
// @ts-expect-error Tree itself still requires its id, at every level
export const plainTree: Tree = { id: 't1', label: 'a', children: [{ label: 'b', children: [] }] };
// @ts-expect-error exactOptionalPropertyTypes: a left-out property is absent, not undefined
export const undefinedId: Body<'createUser'> = { id: undefined, name: 'ann', password: 'secret' };
export const handlers: Partial<Handlers> = {
  createTeam: ({ body }) => {
    const id: string | undefined = body.owner.id;
    // @ts-expect-error the owner's id may be missing
    const sure: string = body.owner.id;
    return { name: body.name, owner: { id: id ?? sure, name: 'ann'${password} }, members: [], byRole: {} };
  },
  // @ts-expect-error a response without its readOnly id
  createUser: ({ body }) => ({ name: body.name, password: body.password }),
};
`;
}

const folder = typescriptProject({
  packages: ['core', 'fastify'],
  compilerOptions: { noPropertyAccessFromIndexSignature: true, noEmit: true },
});

describe('macaron generate: bodies and responses at any depth', () => {
  it('types what core validation takes in a request and a response, in OpenAPI 3.0, 3.1 and Swagger 2.0', async () => {
    for (const dialect of dialects) {
      const api = await loadApi(spec(dialect));
      folder.write(`src/${dialect}.generated.ts`, generateTypes(api, { source: dialect }));
      const lines = [
        `import type { Handlers, Operations, Team, Tree, User } from './${dialect}.generated.js';`,
        "type Body<N extends keyof Operations> = Operations[N]['body'];",
        "type Sent<N extends keyof Operations> = Operations[N]['responses']['200'];",
      ];
      cases(dialect).forEach((check, index) => {
        const problems = validateValue(
          api.schemaAt(schemaPointer(dialect, check.operation, check.side)),
          check.value,
          '',
          { direction: check.side === 'body' ? 'request' : 'response' },
        );
        expect({ dialect, why: check.why, accepted: problems.length === 0 }).toEqual({
          dialect,
          why: check.why,
          accepted: check.accepted,
        });
        const type = check.side === 'body' ? 'Body' : 'Sent';
        lines.push(
          `// ${check.why}`,
          ...(check.accepted ? [] : ['// @ts-expect-error']),
          `export const case${index}: ${type}<'create${check.operation}'> = ${JSON.stringify(check.value)};`,
        );
      });
      folder.write(`src/${dialect}.checks.ts`, lines.join('\n') + typeOnlyChecks(dialect));
    }
    const compiled = await compileProject(folder);
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
  });
});
