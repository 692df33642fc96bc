import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { compileUsesOfGeneratedTypes } from './typescript-project.js';

// `required` only constrains objects (JSON Schema): beside members that take strings, lists or
// null, those values pass it, and validation takes them. The `{ id: unknown } &` that
// `required` beside members now adds must not refuse them (review 306).
const ref = { $ref: '#/components/schemas/Obj' };
const document = {
  openapi: '3.1.0',
  info: { title: 't', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Obj: { type: 'object', properties: { id: { type: 'string' } } },
      StrOrObj: { required: ['id'], oneOf: [{ type: 'string' }, ref] },
      ListOrObj: { required: ['id'], anyOf: [{ type: 'array', items: { type: 'string' } }, ref] },
      NullOrObj: { required: ['id'], anyOf: [{ type: 'null' }, ref] },
    },
  },
};
// JSON is YAML: the file macaron generate reads.
const spec = JSON.stringify(document);

const uses = [
  "import type { ListOrObj, NullOrObj, StrOrObj } from './api.generated.js';",
  // Each of these is a value validation takes (asserted below).
  "export const text: StrOrObj = 'abc';",
  "export const list: ListOrObj = ['a'];",
  'export const none: NullOrObj = null;',
  "export const object: StrOrObj = { id: 'x' };",
  '// @ts-expect-error: an object without id is refused',
  'export const noId: StrOrObj = {};',
].join('\n');

describe('generate: required beside members that take other values than objects', () => {
  it('validation takes a string, a list and null there', async () => {
    const api = await loadApi(structuredClone(document));
    expect(api.validate('StrOrObj', 'abc')).toEqual([]);
    expect(api.validate('ListOrObj', ['a'])).toEqual([]);
    expect(api.validate('NullOrObj', null)).toEqual([]);
    expect(api.validate('StrOrObj', {}).map((problem) => problem.keyword)).toEqual(['required']);
  });

  it('so do the generated types', async () => {
    const compiled = await compileUsesOfGeneratedTypes(spec, uses);
    expect(compiled).toEqual({ generated: 0, code: 0, output: '' });
  });
});
