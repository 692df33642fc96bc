import { loadApi } from '@macaron/core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generateTypes } from '../src/generate/generate-types.js';
import { compileProject, typescriptProject } from './typescript-project.js';

// Schema names are the spec's: they may be any name the generated file holds itself
// (`Operations`, `Extract`, `MacaronApi`), and any text (`*/` in a comment, a line break).
// The file must compile whatever they are.

const folder = typescriptProject({
  packages: ['core', 'fastify'],
  compilerOptions: { noUnusedParameters: true, noEmit: true },
});

const compile = () => compileProject(folder);

const ref = (name: string) => ({ $ref: `#/components/schemas/${name.replaceAll('/', '~1')}` });
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const string = { type: 'string' };
// A schema with a request and a response variant.
const user = {
  type: 'object',
  required: ['id', 'name', 'password'],
  properties: {
    id: { type: 'string', readOnly: true },
    name: string,
    password: { type: 'string', writeOnly: true },
  },
};

/** A spec with everything the generated file can hold, and schemas named `extra`. */
function spec(extra: readonly string[]): Record<string, unknown> {
  const schemas: Record<string, unknown> = {
    User: user,
    Base: { type: 'object', required: ['id', 'note'], properties: { id: string, note: string } },
    // readOnly on an inherited property: the request variant uses the generic that lifts it.
    Derived: {
      type: 'object',
      allOf: [ref('Base')],
      properties: { id: { ...string, readOnly: true } },
    },
    Profile: {
      type: 'object',
      required: ['profile_id', 'created'],
      'x-persist': {
        table: 'profiles',
        key: 'profile_id',
        sort: 'created',
        indexes: { byEmail: { key: 'email' } },
      },
      properties: {
        profile_id: string,
        created: { type: 'integer', format: 'int64' },
        email: string,
        photo: { type: 'string', format: 'binary', nullable: true },
        scores: { type: 'object', additionalProperties: { type: 'number' } },
        kind: {
          type: 'string',
          enum: ['a*/b', "it's", 'back\\slash', 'line\nbreak', 'sep\u2028arator'],
        },
        owner: ref('User'),
      },
    },
    Legacy: { type: 'object', 'x-persist': 'my.db.PersistentLegacy', properties: { id: string } },
    // A schema that also allows null persists its objects (GitHub's nullable-simple-user).
    Maybe: {
      type: 'object',
      nullable: true,
      required: ['id'],
      'x-persist': { table: 'maybes', key: 'id' },
      properties: { id: string },
    },
    'weird*/name': {
      type: 'object',
      description: 'ends */ here',
      properties: {
        'x*/y': { type: 'string', description: 'ends */ here', title: '*/ too' },
        "it's": string,
        new: string,
        get: string,
        'line\nbreak': string,
      },
    },
    'line\nbreak */ export const injected = 1; /*': { type: 'string' },
  };
  for (const name of extra) schemas[name] ??= user;
  return {
    openapi: '3.0.3',
    info: { title: 'names', version: '1' },
    paths: {
      '/users/{id}/x*/y': {
        post: {
          operationId: 'create*/User',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: string },
            { name: 'limit*/', in: 'query', schema: { type: 'integer' } },
            { name: 'X-Tag', in: 'header', schema: string },
          ],
          requestBody: { required: true, ...json(ref('User')) },
          responses: { '200': json(ref('User')), '201': json(ref('Derived')) },
        },
      },
      '/profiles': {
        get: { responses: { '200': json(ref('Profile')), '404': { description: 'no' } } },
      },
    },
    components: { schemas },
  };
}

/** Every identifier and keyword of a TypeScript text, outside comments and strings. */
function namesIn(text: string): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) names.add(node.text);
    else if (node.kind >= ts.SyntaxKind.FirstKeyword && node.kind <= ts.SyntaxKind.LastKeyword)
      names.add(ts.tokenToString(node.kind)!);
    node.getChildren().forEach(visit);
  };
  visit(ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true));
  return names;
}

const uses = `import type { Api } from '@macaron/core';
import type { MacaronFastifyOptions } from '@macaron/fastify';
import { type Handlers, typed } from './names.generated.js';

// typed(api) is still an Api: it goes where one is expected, the adapter's option first.
export function serve(api: Api, handlers: Handlers): MacaronFastifyOptions {
  const typedApi = typed(api);
  const plain: Api = typedApi;
  typedApi.model('User').validate({});
  typedApi.persistent('Legacy', { table: 'legacy', key: 'id' });
  class PersistentProfile extends typedApi.persistent('Profile') {}
  void PersistentProfile.load({ profile_id: 'a', created: 1 });
  void typedApi.persistent('Maybe').load('m');
  // @ts-expect-error not a schema of the spec
  typedApi.model('Nope');
  // @ts-expect-error not persistent
  typedApi.persistent('User');
  return { api: typedApi, handlers, ping: plain === typedApi };
}
`;

describe('macaron generate: names from the spec', () => {
  it('compiles whatever the schemas are named: after any name of the file, or with */ and line breaks', async () => {
    // A first file: every name it holds, keywords included, becomes a schema of the second.
    const first = generateTypes(await loadApi(spec([])), { source: 'apis/names.yaml' });
    const names = [...namesIn(first)];
    for (const name of [
      'Operations',
      'Handlers',
      'TypedHandlers',
      'MacaronApi',
      'Extract',
      'PropertyKey',
    ])
      expect(names).toContain(name);

    // And every TypeScript keyword, contextual ones too (`unique`, `intrinsic`).
    const keywords: string[] = [];
    for (let kind = ts.SyntaxKind.FirstKeyword; kind <= ts.SyntaxKind.LastKeyword; kind++)
      keywords.push(ts.tokenToString(kind)!);
    const api = await loadApi(spec([...names, ...keywords, 'UserRequest', 'MacaronOptional']));
    const text = generateTypes(api, {
      source: 'apis/names.yaml\nexport const injectedToo = 1; // */',
    });
    folder.write('src/names.generated.ts', text);
    folder.write('src/uses.ts', uses);
    const compiled = await compile();
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);

    // Spec text stays in comments and string literals: no line of the file is spec text.
    expect(text).not.toMatch(/^export const injected/m);
    expect(text.split('\n')[0]).toBe(
      '// Generated by `macaron generate` from apis/names.yaml\\nexport const injectedToo = 1; // *\\/. Do not edit: run it again after changing the spec.',
    );
    expect(text).toContain(
      '/** The `weird*\\/name` schema (#/components/schemas/weird*~1name). */',
    );
    expect(text).toContain("'line\\nbreak'?: string;");
    expect(text).toContain("  /** POST /users/{id}/x*\\/y */\n  'create*/User': {");
    // Clashing names get `_`, and so do the variants that would take a schema's name.
    expect(text).toMatch(/^export interface Operations_ \{/m);
    expect(text).toMatch(/^export interface Handlers_ \{/m);
    expect(text).toMatch(/^export interface Extract_ \{/m);
    expect(text).toMatch(/^export interface UserRequest_ \{/m);
    expect(text).toContain('export type MacaronOptional_<T, K extends PropertyKey>');
    expect(text).toContain('  Operations: Operations_;\n');
  });
});
