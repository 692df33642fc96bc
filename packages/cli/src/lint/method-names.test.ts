import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { methodNameFindings } from './method-names.js';

describe('methodNameFindings', () => {
  it('warns at each property that hides a method of its objects, persistent ones or not', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'methods', version: '1' },
      paths: {},
      components: {
        schemas: {
          Base: { type: 'object', properties: { key: { type: 'string' } } },
          Note: {
            'x-persist': { table: 'notes', key: 'id' },
            allOf: [{ $ref: '#/components/schemas/Base' }],
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string' }, save: { type: 'boolean' } },
          },
          Plain: {
            type: 'object',
            properties: { save: { type: 'string' }, toJSON: { type: 'string' } },
          },
        },
      },
    });
    const findings = methodNameFindings(api);
    expect(findings.map((finding) => [finding.rule, finding.pointer])).toEqual([
      ['method-names', '/components/schemas/Note/properties/save'],
      ['method-names', '/components/schemas/Base/properties/key'],
      ['method-names', '/components/schemas/Plain/properties/toJSON'],
    ]);
    expect(findings[0]?.message).toBe(
      'the property save of Note hides the method save() of its objects: their TypeScript type still offers the method, and calling it fails at run time. Rename the property, or call the method through the class (Note.prototype.save.call(object))',
    );
  });
});
