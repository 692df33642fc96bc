import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixturePath } from '../../test/support/specs.js';

// Every read of a spec file, counted by path: the real reader, watched.
const reads = vi.hoisted(() => new Map<string, number>());
vi.mock('./spec-file-read.js', async (original) => {
  const actual = await original<typeof import('./spec-file-read.js')>();
  return {
    ...actual,
    readSpecFile: (file: string, ...rest: unknown[]) => {
      reads.set(file, (reads.get(file) ?? 0) + 1);
      return (actual.readSpecFile as (...args: unknown[]) => Promise<string>)(file, ...rest);
    },
  };
});

// Core's test files share their modules (isolate: false): imported afresh, with the watched reader.
vi.resetModules();
const { compileSpec, loadApi } = await import('../index.js');

const folder = await mkdtemp(join(tmpdir(), 'macaron-reads-'));
afterAll(() => rm(folder, { recursive: true, force: true }));
beforeEach(() => reads.clear());

const spec = {
  openapi: '3.0.3',
  info: { title: 'Reads', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' }, text: { type: 'string' } },
        'x-persist': { table: 'notes', key: 'id' },
      },
    },
  },
};

describe('loadApi reads each spec file once', () => {
  it('a JSON spec (read to look for the compiled marker, then bundled from that text)', async () => {
    const file = join(folder, 'openapi.json');
    await writeFile(file, JSON.stringify(spec));
    const api = await loadApi(file);
    expect(api.model('Note')).toBeDefined();
    expect([...reads]).toEqual([[file, 1]]);
  });

  it('a compiled JSON spec', async () => {
    const file = join(folder, 'compiled.json');
    await writeFile(file, JSON.stringify(await compileSpec(spec)));
    await loadApi(file);
    expect([...reads]).toEqual([[file, 1]]);
  });

  it('the root of a spec in several files (read again as written, after bundling, from its text)', async () => {
    await loadApi(fixturePath('multi-file/api.yaml'));
    expect(reads.size).toBeGreaterThan(1);
    for (const [file, count] of reads) expect({ file, count }).toEqual({ file, count: 1 });
  });
});
