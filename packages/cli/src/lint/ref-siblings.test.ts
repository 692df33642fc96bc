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
    },
  },
};

describe('ref-siblings', () => {
  it('warns of readOnly, writeOnly and nullable beside $ref before OpenAPI 3.1', () => {
    const findings = refSiblingFindings(document, 'oas3.0');
    expect(findings.map((finding) => [finding.rule, finding.pointer])).toEqual([
      ['ref-siblings', '/components/schemas/Account/properties/password/writeOnly'],
      ['ref-siblings', '/components/schemas/Account/properties/id/readOnly'],
    ]);
    expect(findings[0]!.message).toContain('allOf');
  });

  it('says nothing for OpenAPI 3.1, where siblings of $ref apply', () => {
    expect(refSiblingFindings(document, 'oas3.1')).toEqual([]);
  });
});
