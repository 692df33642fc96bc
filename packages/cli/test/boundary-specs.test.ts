import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';

// As real services publish them: a pattern only non-Unicode mode compiles on a persisted
// schema, and Java's \p{Print} (no JavaScript engine runs it) on a schema nothing persists.
const publishedSpec = `openapi: 3.0.3
info:
  title: published
  version: 1.0.0
paths:
  /labels:
    get:
      operationId: listLabels
      responses:
        '200':
          description: The labels.
          content: { application/json: { schema: { $ref: '#/components/schemas/Label' } } }
components:
  schemas:
    Profile:
      type: object
      required: [profile_id]
      x-persist: { table: profiles, key: profile_id }
      properties:
        profile_id: { type: string, pattern: '[A-Za-z0-9][A-Za-z0-9\\-\\_\\.]{0,126}' }
    Label:
      type: object
      properties:
        text: { type: string, pattern: '^\\p{Print}+$' }
`;

const ambiguousSpec = `openapi: 3.0.3
info:
  title: cards
  version: 1.0.0
paths:
  /cards/{filter}:
    get:
      operationId: findCards
      parameters: [{ name: filter, in: path, required: true, schema: { type: string } }]
      responses: { '200': { description: ok } }
  /cards/{idCard}:
    get:
      operationId: getCard
      parameters: [{ name: idCard, in: path, required: true, schema: { type: string } }]
      responses: { '200': { description: ok } }
`;

const folder = temporaryFolder({ 'published.yaml': publishedSpec, 'cards.yaml': ambiguousSpec });
afterAll(() => folder.remove());

describe('a pattern no JavaScript engine runs, on a schema nothing persists', () => {
  it('is a lint error at the pattern (macaron/schema)', async () => {
    const run = await runMacaron(['lint', 'published.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^published\.yaml:24:\d+ error pattern "\^\\\\p\{Print\}\+\$" is not a regular expression JavaScript can run \(Invalid property name\).* \(macaron\/schema\)$/,
      ),
    );
    // The pattern that compiles without the Unicode flag is no problem.
    expect(run.stdout).not.toContain(':19:');
  });

  it('does not stop generate, compile or tables export', async () => {
    const generate = await runMacaron(['generate', 'published.yaml', '-o', 'types.ts'], {
      cwd: folder.path,
    });
    expect(generate).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(folder.file('types.ts'), 'utf8')).toContain('export interface Label');

    const compile = await runMacaron(['compile', 'published.yaml', '-o', 'api.json'], {
      cwd: folder.path,
    });
    expect(compile).toMatchObject({ code: 0, stderr: '' });

    const exported = await runMacaron(['tables', 'export', 'published.yaml', '--format', 'json'], {
      cwd: folder.path,
    });
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(
      JSON.parse(exported.stdout).tables.map((table: { TableName: string }) => table.TableName),
    ).toEqual(['profiles']);
  });
});

describe('paths a server cannot tell apart', () => {
  it('are a lint error naming both paths (macaron/ambiguous-paths)', async () => {
    const run = await runMacaron(['lint', 'cards.yaml'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^cards\.yaml:\d+:\d+ error GET \/cards\/\{idCard\} and GET \/cards\/\{filter\} are the same route with other parameter names: a server cannot tell them apart \(macaron\/ambiguous-paths\)$/m,
    );
  });

  it('stop the commands that load the spec, in one line', async () => {
    const run = await runMacaron(['generate', 'cards.yaml', '-o', 'cards.ts'], {
      cwd: folder.path,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^macaron: cards\.yaml has errors: .*\{idCard\}.*\{filter\}/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
