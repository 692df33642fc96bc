import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection, thrown } from '../../test/support/specs.js';
import { SpecError } from '../errors/spec-error.js';
import { loadApi } from '../index.js';
import { maxSpecFileBytes, readSpecFileSync } from './spec-file-read.js';

// A spec whose one schema is a $ref to `target`.
const specReferring = (target: string) =>
  [
    'openapi: 3.0.3',
    'info: { title: t, version: "1" }',
    'paths: {}',
    'components:',
    '  schemas:',
    `    Note: { $ref: "${target}" }`,
    '',
  ].join('\n');

async function loadRefused(file: string): Promise<SpecError> {
  // Refused before reading: a FIFO no one writes to waits for ever (the test's timeout fails
  // that), /dev/zero never ends; the message says what was refused.
  const error = await rejection(loadApi(file));
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

describe('what is not a regular file of a sane size is refused before it is read', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'macaron-read-'));
    execFileSync('mkfifo', [join(directory, 'fifo.yaml'), join(directory, 'fifo.json')]);
    await mkdir(join(directory, 'folder.yaml'));
    // Sparse: one byte over the bound, written in no time and taking no room.
    await writeFile(join(directory, 'huge.yaml'), '');
    await truncate(join(directory, 'huge.yaml'), maxSpecFileBytes + 1);
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it.each([
    ['a FIFO no one writes to', 'fifo.yaml', 'is a FIFO (named pipe), not a file'],
    ['a FIFO named as a compiled spec', 'fifo.json', 'is a FIFO (named pipe), not a file'],
    ['a folder', 'folder.yaml', 'is a folder, not a file'],
    ['a file over the bound', 'huge.yaml', `is ${maxSpecFileBytes + 1} bytes, more than the`],
  ])('as the spec: %s', async (_label, name, says) => {
    const file = join(directory, name);
    const error = await loadRefused(file);
    expect(error.problems).toEqual([
      { file, pointer: '', message: expect.stringContaining(`${file} ${says}`) },
    ]);
  });

  it.each([
    ['a FIFO no one writes to', 'fifo.yaml', 'is a FIFO (named pipe), not a file'],
    ['/dev/zero, which never ends', '/dev/zero', 'is a character device, not a file'],
    ['/dev/urandom', '/dev/urandom', 'is a character device, not a file'],
    [
      'a file over the bound',
      'huge.yaml',
      'more than the 134217728 (128 MiB) a spec file may have',
    ],
  ])('named by a $ref: %s, reported at the $ref', async (_label, target, says) => {
    const file = join(directory, `refers-${target.replaceAll('/', '-')}.yaml`);
    await writeFile(file, specReferring(target));
    const error = await loadRefused(file);
    expect(error.problems).toEqual([
      expect.objectContaining({
        file,
        pointer: expect.stringMatching(/^\/components\/schemas\/Note/),
        message: expect.stringContaining(says),
      }),
    ]);
  });

  it('readSpecFileSync refuses the same (the CLI reads the files of a spec with it)', () => {
    const error = thrown(() => readSpecFileSync(join(directory, 'fifo.yaml')));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toContain('is a FIFO (named pipe), not a file');
  });
});
