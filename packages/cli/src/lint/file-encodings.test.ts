import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileSpec } from '@macaron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSpec } from './lint-spec.js';

const folder = mkdtempSync(join(tmpdir(), 'macaron-lint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// How editors and tools on Windows (and elsewhere) save a spec's text.
const writes: Record<string, (text: string) => string | Buffer> = {
  'a UTF-8 byte order mark': (text) => `\uFEFF${text}`,
  'a byte order mark and CRLF': (text) => `\uFEFF${text.replaceAll('\n', '\r\n')}`,
  CRLF: (text) => text.replaceAll('\n', '\r\n'),
  'lone CR': (text) => text.replaceAll('\n', '\r'),
  'UTF-16 LE': (text) => Buffer.from(`\uFEFF${text.replaceAll('\n', '\r\n')}`, 'utf16le'),
  'UTF-16 BE': (text) => Buffer.from(`\uFEFF${text}`, 'utf16le').swap16(),
};

// A spec in two files, each with problems of redocly's rules and of Macaron's, some found in
// the text as written (macaron/yaml-1-1); its integers beyond 2^53 are read as written, no
// finding (the int64 ones are of the schemas, which allow such values without format: int64).
const files: Record<string, string> = {
  'api.yaml': [
    'openapi: 3.0.3',
    'info: { title: codes, version: "1" }',
    'paths: {}',
    'components:',
    '  schemas:',
    '    Code:',
    '      type: object',
    '      properties:',
    '        mode: { type: integer, default: 0755, minimum: 010 }',
    '        big: { type: integer, maximum: 9007199254740993 }',
    '        weird: { type: strin }',
    '        limit: { $ref: "schemas/limit.yaml" }',
    '      x-persist: { table: codes, key: zz }',
    '',
  ].join('\n'),
  'schemas/limit.yaml': [
    'type: integer',
    'maximum: 0100',
    'minimum: 9007199254740993',
    'format: [int]',
    '',
  ].join('\n'),
};

async function lintWritten(name: string, write: (text: string) => string | Buffer) {
  const directory = join(folder, name.replaceAll(' ', '-'));
  mkdirSync(join(directory, 'schemas'), { recursive: true });
  for (const [file, text] of Object.entries(files))
    writeFileSync(join(directory, file), write(text));
  const problems = await lintSpec(join(directory, 'api.yaml'), { preset: 'recommended' });
  return problems.map(({ file, line, column, rule, message }) => ({
    file: file.slice(directory.length + 1),
    line,
    column,
    rule,
    message,
  }));
}

describe('a spec as Windows tools and other editors write it', () => {
  it('is linted as the same spec written in UTF-8 with LF: the same problems at the same lines and columns', async () => {
    const clean = await lintWritten('clean', (text) => text);
    // Each where the file has it, the findings read in the text (macaron/yaml-1-1) too.
    expect(clean.map(({ file, line, column, rule }) => [file, line, column, rule])).toEqual([
      ['api.yaml', 1, 1, 'no-empty-servers'],
      ['api.yaml', 2, 1, 'info-license'],
      ['api.yaml', 6, 5, 'no-unused-components'],
      ['api.yaml', 9, 41, 'macaron/yaml-1-1'],
      ['api.yaml', 9, 56, 'macaron/yaml-1-1'],
      ['api.yaml', 10, 14, 'macaron/int64'],
      ['api.yaml', 11, 24, 'macaron/schema'],
      ['api.yaml', 11, 24, 'struct'],
      ['api.yaml', 13, 39, 'macaron/x-persist'],
      ['schemas/limit.yaml', 1, 1, 'macaron/int64'],
      ['schemas/limit.yaml', 2, 10, 'macaron/yaml-1-1'],
      ['schemas/limit.yaml', 4, 9, 'macaron/schema'],
      ['schemas/limit.yaml', 4, 9, 'struct'],
    ]);
    for (const [name, write] of Object.entries(writes))
      expect.soft(await lintWritten(name, write), name).toEqual(clean);
  });
});

describe('a compiled spec saved again with a byte order mark', () => {
  it('is told as a compiled spec, as without it', async () => {
    const directory = join(folder, 'compiled');
    mkdirSync(directory, { recursive: true });
    const spec = join(directory, 'api.yaml');
    writeFileSync(spec, 'openapi: 3.0.3\ninfo: { title: c, version: "1" }\npaths: {}\n');
    const compiled = join(directory, 'api.json');
    writeFileSync(compiled, `\uFEFF${JSON.stringify(await compileSpec(spec))}\r\n`);
    expect(await lintSpec(compiled)).toMatchObject([
      { line: 1, column: 1, message: expect.stringMatching(/^a compiled spec/) },
    ]);
  });
});

describe('a file: URL in a document fetched from a server', () => {
  it('names no file of this machine: the local file is not read', async () => {
    const directory = join(folder, 'remote');
    mkdirSync(directory, { recursive: true });
    const secret = join(directory, 'secret.yaml');
    writeFileSync(secret, 'type: strin\n');
    const served = `type: object\nproperties:\n  s: { $ref: "${pathToFileURL(secret).href}" }\n`;
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/yaml' });
      response.end(served);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const spec = join(directory, 'api.yaml');
      writeFileSync(
        spec,
        [
          'openapi: 3.0.3',
          'info: { title: remote, version: "1" }',
          'paths: {}',
          'components:',
          '  schemas:',
          `    User: { $ref: "http://127.0.0.1:${port}/user.yaml" }`,
          '',
        ].join('\n'),
      );
      const problems = await lintSpec(spec);
      expect(problems.filter(({ file }) => file === secret)).toEqual([]);
      expect(problems).toContainEqual(
        expect.objectContaining({ message: expect.stringMatching(/^Can't resolve \$ref/) }),
      );
    } finally {
      server.close();
    }
  });
});

describe('a relative file: URL', () => {
  it('names the file from the folder of the file it is written in, as loadApi reads it', async () => {
    const directory = join(folder, 'relative-file-url');
    mkdirSync(join(directory, 'schemas'), { recursive: true });
    writeFileSync(join(directory, 'schemas', 'limit.yaml'), 'type: integer\n');
    const spec = join(directory, 'api.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: relative, version: "1" }',
        'paths: {}',
        'components:',
        '  schemas:',
        '    Limit: { $ref: "file:schemas/limit.yaml" }',
        '',
      ].join('\n'),
    );
    const problems = await lintSpec(spec);
    expect(problems.filter(({ message }) => message.includes("Can't resolve"))).toEqual([]);
  });
});
