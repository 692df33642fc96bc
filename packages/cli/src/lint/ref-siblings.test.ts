import { describe, expect, it } from 'vitest';
import { refSiblingFindings } from './ref-siblings.js';

const document = {
  components: {
    schemas: {
      Password: { type: 'string' },
      Account: {
        type: 'object',
        properties: {
          password: { $ref: '#/components/schemas/Password', writeOnly: true },
          id: { $ref: '#/components/schemas/Password', readOnly: true, description: 'kept' },
          safe: { allOf: [{ $ref: '#/components/schemas/Password' }], writeOnly: true },
          // A property named like a keyword is a name.
          $ref: { type: 'string', nullable: true },
        },
      },
      // A table that is not one: core reads no x-persist beside $ref before 3.1.
      User: { $ref: '#/components/schemas/Account', 'x-persist': { table: 'users', key: 'id' } },
    },
  },
};

describe('ref-siblings', () => {
  it('warns of readOnly, writeOnly, nullable and x-persist beside $ref before OpenAPI 3.1', () => {
    const findings = refSiblingFindings(document, 'oas3.0');
    expect(findings.map((finding) => [finding.rule, finding.pointer])).toEqual([
      ['ref-siblings', '/components/schemas/Account/properties/password/writeOnly'],
      ['ref-siblings', '/components/schemas/Account/properties/id/readOnly'],
      ['ref-siblings', '/components/schemas/User/x-persist'],
    ]);
    expect(findings[0]!.message).toContain('allOf');
    expect(findings[2]!.message).toBe(
      'x-persist beside $ref is ignored before OpenAPI 3.1: write allOf: [{ $ref: "#/components/schemas/Account" }] beside it',
    );
  });

  it('says when to apply its advice for x-nullable (Swagger 2.0): pymacaron-dynamodb cannot load a property written with allOf', () => {
    const swagger = {
      definitions: {
        Address: { type: 'object' },
        Item: {
          type: 'object',
          properties: { home: { $ref: '#/definitions/Address', 'x-nullable': true } },
        },
      },
    };
    const [finding] = refSiblingFindings(swagger, 'swagger2');
    expect(finding?.pointer).toBe('/definitions/Item/properties/home/x-nullable');
    expect(finding?.message).toContain(
      "once no PyMacaron service loads these items: pymacaron-dynamodb's load_from_db fails",
    );
  });

  it('says nothing for OpenAPI 3.1, where siblings of $ref apply', () => {
    expect(refSiblingFindings(document, 'oas3.1')).toEqual([]);
  });
});
