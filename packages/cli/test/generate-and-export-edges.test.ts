import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMacaron } from './macaron-process.js';
import { compileProject, typescriptProject } from './typescript-project.js';

const header = 'openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\n';
const folder = typescriptProject({ packages: ['core'], compilerOptions: { noEmit: true } });

const compile = () => compileProject(folder);

describe('generate', () => {
  it('writes maps of themselves (a tree, JSON values) and schemas that apply themselves as types that compile', async () => {
    folder.write(
      'maps.yaml',
      `${header}paths: {}
components:
  schemas:
    Tree: { type: object, additionalProperties: { $ref: "#/components/schemas/Tree" } }
    Maybe: { type: object, nullable: true, additionalProperties: { $ref: "#/components/schemas/Maybe" } }
    Tags: { type: object, additionalProperties: { type: string } }
    Wrap: { allOf: [{ $ref: "#/components/schemas/Wrap2" }], description: w }
    Wrap2: { allOf: [{ $ref: "#/components/schemas/Wrap" }], description: w2 }
    UsesWrap: { type: object, properties: { w: { $ref: "#/components/schemas/Wrap" } } }
    User: { type: object, properties: { name: { type: string } } }
    UserMaps: { type: array, items: { type: object, additionalProperties: { $ref: "#/components/schemas/User" } } }
    Lines: { type: array, items: { type: object, properties: { a: { type: string } } } }

    Json:
      nullable: true
      oneOf:
        - { type: string }
        - { type: number }
        - { type: array, items: { $ref: "#/components/schemas/Json" } }
        - { type: object, additionalProperties: { $ref: "#/components/schemas/Json" } }
`,
    );
    const run = await runMacaron(['generate', 'maps.yaml', '-o', 'src/maps.generated.ts'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    const text = readFileSync(folder.file('src/maps.generated.ts'), 'utf8');
    expect(text).toContain('Record<string, string>');
    // Schemas that apply themselves (loadApi refuses them where used): no value is one.
    expect(text).toContain('export type Wrap = never;');
    expect(text).toContain('export type Wrap2 = never;');
    // Lists of maps and of objects are lists, not interfaces.
    expect(text).toContain('export type UserMaps = { [name: string]: User }[];');
    expect(text).toMatch(/export type Lines = \{[\s\S]*\}\[\];/);
    folder.write(
      'src/uses-maps.ts',
      [
        "import type { Lines, Tree, UserMaps } from './maps.generated.js';",
        "export const maps: UserMaps = [{ owner: { name: 'x' } }];",
        "export const lines: Lines = [{ a: 'b' }];",
        'export const tree: Tree = { a: { b: {} } };',
      ].join('\n'),
    );
    const compiled = await compile();
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
  });

  it("types a discriminator's variants that extend their parent through allOf with the parent's own properties: no circular alias, no never", async () => {
    folder.write(
      'pets.yaml',
      `${header}paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [kind, name]
      properties: { kind: { type: string }, name: { type: string } }
      oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }]
      discriminator:
        propertyName: kind
        mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog" }
    Cat: { allOf: [{ $ref: "#/components/schemas/Pet" }, { type: object, properties: { meow: { type: boolean } } }] }
    Dog: { allOf: [{ $ref: "#/components/schemas/Pet" }, { type: object, required: [bark], properties: { bark: { type: string } } }] }
    Owner: { type: object, properties: { pets: { type: array, items: { $ref: "#/components/schemas/Pet" } } } }
    Shape:
      type: object
      required: [kind]
      properties: { kind: { type: string } }
      oneOf: [{ $ref: "#/components/schemas/Circle" }, { $ref: "#/components/schemas/Square" }]
      discriminator: { propertyName: kind }
    Circle: { allOf: [{ allOf: [{ $ref: "#/components/schemas/Shape" }], description: the parent }, { type: object, properties: { r: { type: number } } }] }
    Square: { allOf: [{ $ref: "#/components/schemas/ShapeRef" }, { type: object, properties: { side: { type: number } } }] }
    ShapeRef: { allOf: [{ $ref: "#/components/schemas/Shape" }], description: a named wrapper }
`,
    );
    const run = await runMacaron(['generate', 'pets.yaml', '-o', 'src/pets.generated.ts'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    const text = readFileSync(folder.file('src/pets.generated.ts'), 'utf8');
    expect(text).not.toMatch(/export type (Pet|Cat|Dog) = never/);
    folder.write(
      'src/uses-pets.ts',
      [
        "import type { Cat, Dog, Owner, Pet, Shape } from './pets.generated.js';",
        "export const cat: Cat = { kind: 'cat', name: 'Tom', meow: true };",
        "export const dog: Dog = { kind: 'dog', name: 'Rex', bark: 'woof' };",
        'export const owner: Owner = { pets: [cat, dog] };',
        'export const first: Pet | undefined = owner.pets?.[0];',
        "export const shapes: Shape[] = [{ kind: 'Circle', r: 1 }, { kind: 'Square', side: 2 }];",
        "// @ts-expect-error a Dog's bark is required",
        "export const mute: Dog = { kind: 'dog', name: 'Rex' };",
        "// @ts-expect-error a Cat has the parent's required name",
        "export const nameless: Cat = { kind: 'cat' };",
      ].join('\n'),
    );
    const compiled = await compile();
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
  });

  it('types create() and saveMany() without the properties a write sets itself: a required version, the marker of models sharing a table (P-23, P-76)', async () => {
    folder.write(
      'filled.yaml',
      `${header}paths: {}
components:
  schemas:
    Doc:
      type: object
      required: [id, revision, title]
      x-persist: { table: docs, key: id, version: revision }
      properties:
        id: { type: string }
        revision: { type: integer }
        title: { type: string }
        l: { oneOf: [{ type: array, items: { type: string } }, { type: array, items: { type: integer } }] }
    Fish:
      type: object
      required: [id, kind]
      x-persist: { table: animals, key: id, discriminator: kind }
      properties: { id: { type: string }, kind: { type: string, enum: [fish] } }
    Bird:
      type: object
      required: [id, kind]
      x-persist: { table: animals, key: id, discriminator: kind }
      properties: { id: { type: string }, kind: { type: string } }
`,
    );
    const run = await runMacaron(['generate', 'filled.yaml', '-o', 'src/filled.generated.ts'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    expect(readFileSync(folder.file('src/filled.generated.ts'), 'utf8')).toContain(
      "    filled: 'revision';",
    );
    folder.write(
      'src/uses-filled.ts',
      [
        "import { loadApi } from '@macaron/core';",
        "import { typed } from './filled.generated.js';",
        "const api = typed(await loadApi('filled.yaml'));",
        "export const doc = () => api.persistent('Doc').create({ id: 'a', title: 't' });",
        "export const fish = () => api.persistent('Fish').create({ id: 'f' });",
        "export const given = () => api.persistent('Fish').create({ id: 'f', kind: 'fish' });",
        "export const birds = () => api.persistent('Bird').saveMany([{ id: 'b' }, { id: 'c', kind: 'Bird' }]);",
        "export const words = () => api.persistent('Doc').update('a', { append: { l: ['x'] } });",
        '// @ts-expect-error a list of strings or one of integers, never both',
        "export const mixed = () => api.persistent('Doc').update('a', { append: { l: ['x', 1] } });",
        '// @ts-expect-error the title is still required',
        "export const untitled = () => api.persistent('Doc').create({ id: 'a' });",
        '// @ts-expect-error a marker the model does not take',
        "export const other = () => api.persistent('Fish').create({ id: 'f', kind: 'bird' });",
      ].join('\n'),
    );
    const compiled = await compile();
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
  });

  it('types a variant whose parent extends a grandparent dispatching to both (Animal → Pet → Cat): no circular alias', async () => {
    folder.write(
      'animals.yaml',
      `${header}paths: {}
components:
  schemas:
    Animal:
      type: object
      required: [kind]
      properties: { kind: { type: string } }
      oneOf: [{ $ref: "#/components/schemas/Pet" }, { $ref: "#/components/schemas/Wild" }]
      discriminator:
        propertyName: kind
        mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog", wolf: "#/components/schemas/Wild" }
    Pet:
      allOf:
        - { $ref: "#/components/schemas/Animal" }
        - { type: object, required: [name], properties: { name: { type: string } } }
      oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }]
      discriminator: { propertyName: kind, mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog" } }
    Wild: { allOf: [{ $ref: "#/components/schemas/Animal" }, { type: object, properties: { pack: { type: integer } } }] }
    Cat: { allOf: [{ $ref: "#/components/schemas/Pet" }, { type: object, properties: { meow: { type: boolean } } }] }
    Dog: { allOf: [{ $ref: "#/components/schemas/Pet" }, { type: object, required: [bark], properties: { bark: { type: string } } }] }
`,
    );
    const run = await runMacaron(['generate', 'animals.yaml', '-o', 'src/animals.generated.ts'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    folder.write(
      'src/uses-animals.ts',
      [
        "import type { Animal, Cat, Dog, Pet } from './animals.generated.js';",
        "export const cat: Cat = { kind: 'cat', name: 'Tom', meow: true };",
        "export const pets: Pet[] = [cat, { kind: 'dog', name: 'Rex', bark: 'woof' }];",
        "export const animals: Animal[] = [...pets, { kind: 'wolf', pack: 3 }];",
        "// @ts-expect-error a Dog has the parent's required name",
        "export const nameless: Dog = { kind: 'dog', bark: 'woof' };",
        "// @ts-expect-error a Cat has the grandparent's required kind",
        "export const kindless: Cat = { name: 'Tom' };",
      ].join('\n'),
    );
    const compiled = await compile();
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
  });

  it("leaves out the header parameters OpenAPI 3 ignores (Accept, Content-Type, Authorization), which the adapter does not pass; Swagger 2.0's stay", async () => {
    const operation = (parameters: string) => `paths:
  /things:
    get:
      operationId: getThing
      parameters:
${parameters}
      responses: { "200": { description: ok } }
`;
    folder.write(
      'headers.yaml',
      `${header}${operation(`        - { name: Authorization, in: header, required: true, schema: { type: string } }
        - { name: Accept, in: header, required: true, schema: { type: string } }
        - { name: X-Trace, in: header, required: true, schema: { type: string } }`)}`,
    );
    folder.write(
      'headers2.yaml',
      `swagger: "2.0"\ninfo: { title: t, version: 1.0.0 }\n${operation(`        - { name: Authorization, in: header, required: true, type: string }`)}`,
    );
    expect(
      (
        await runMacaron(['generate', 'headers.yaml', '-o', 'src/headers.generated.ts'], {
          cwd: folder.path,
        })
      ).code,
    ).toBe(0);
    const text = readFileSync(folder.file('src/headers.generated.ts'), 'utf8');
    expect(text).toContain("headers: { 'X-Trace': string }");
    expect(text).not.toContain('Authorization');
    expect(
      (
        await runMacaron(['generate', 'headers2.yaml', '-o', 'src/headers2.generated.ts'], {
          cwd: folder.path,
        })
      ).code,
    ).toBe(0);
    expect(readFileSync(folder.file('src/headers2.generated.ts'), 'utf8')).toContain(
      'Authorization: string',
    );
  });
});

describe('tables export', () => {
  it("keeps CloudFormation's logical ids within 255 characters for the longest table names", async () => {
    const name = 'a'.repeat(255);
    folder.write(
      'long.yaml',
      `${header}paths: {}
components:
  schemas:
    Long:
      type: object
      required: [id]
      properties: { id: { type: string } }
      x-persist: { table: ${name}, key: id }
    Longer:
      type: object
      required: [id]
      properties: { id: { type: string } }
      x-persist: { table: ${name.slice(0, 254)}b, key: id }
`,
    );
    const run = await runMacaron(['tables', 'export', 'long.yaml', '--format', 'cloudformation'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(0);
    const resources = JSON.parse(run.stdout).Resources as Record<
      string,
      { Properties: { TableName: string } }
    >;
    const ids = Object.keys(resources);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(255);
    // Each id is the table's own: the same when the other table is not in the spec.
    const longer = ids.find((id) => resources[id]!.Properties.TableName.endsWith('b'));
    folder.write(
      'one.yaml',
      readFileSync(folder.file('long.yaml'), 'utf8').replace(
        / {4}Long:\n[\s\S]*?(?= {4}Longer:)/,
        '',
      ),
    );
    const alone = await runMacaron(['tables', 'export', 'one.yaml', '--format', 'cloudformation'], {
      cwd: folder.path,
    });
    expect(Object.keys(JSON.parse(alone.stdout).Resources)).toEqual([longer]);
  });

  it('gives tables whose names make the same logical id one each, within 255 characters, all kept on delete', async () => {
    // `a-b` and `a_b` both make `AB`; a 250-character id base leaves no room for a suffix.
    const long = 'a'.repeat(249);
    const table = (schema: string, name: string) => `    ${schema}:
      type: object
      required: [id]
      properties: { id: { type: string } }
      x-persist: { table: ${name}, key: id }
`;
    folder.write(
      'same-ids.yaml',
      `${header}paths: {}\ncomponents:\n  schemas:\n${table('A1', 'a-b')}${table('A2', 'a_b')}${table('L1', `${long}-b`)}${table('L2', `${long}_b`)}`,
    );
    const run = await runMacaron(['tables', 'export', 'same-ids.yaml'], { cwd: folder.path });
    expect(run.code).toBe(0);
    const resources = JSON.parse(run.stdout).Resources as Record<
      string,
      { DeletionPolicy: string; UpdateReplacePolicy: string; Properties: { TableName: string } }
    >;
    expect(Object.values(resources).map((resource) => resource.Properties.TableName)).toEqual([
      'a-b',
      'a_b',
      `${long}-b`,
      `${long}_b`,
    ]);
    expect(resources.ABTable?.Properties.TableName).toBe('a-b');
    expect(resources.ABTable2?.Properties.TableName).toBe('a_b');
    for (const [id, resource] of Object.entries(resources)) {
      expect(id.length, id).toBeLessThanOrEqual(255);
      // The tables hold data: a stack deleted, or a resource replaced, keeps them.
      expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });
});
