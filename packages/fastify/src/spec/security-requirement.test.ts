import { describe, expect, it } from 'vitest';
import { bearerRequirement } from './security-requirement.js';

const document = {
  openapi: '3.0.3',
  components: {
    securitySchemes: {
      jwt: { type: 'http', scheme: 'Bearer' },
      shared: { $ref: '#/components/securitySchemes/jwt' },
      basic: { type: 'http', scheme: 'basic' },
      key: { type: 'apiKey', in: 'header', name: 'Authorization' },
    },
  },
};

describe('bearerRequirement', () => {
  it('requires a token when every alternative names a bearer scheme', () => {
    expect(bearerRequirement(document, { security: [{ jwt: [] }] })).toBe('required');
    expect(bearerRequirement(document, { security: [{ jwt: [], key: [] }, { shared: [] }] })).toBe(
      'required',
    );
  });

  it('falls back to the document security, which an operation can clear', () => {
    const secured = { ...document, security: [{ jwt: [] }] };
    expect(bearerRequirement(secured, {})).toBe('required');
    expect(bearerRequirement(secured, { security: [] })).toBe('none');
  });

  it('makes the token optional when another alternative satisfies the operation', () => {
    expect(bearerRequirement(document, { security: [{}, { jwt: [] }] })).toBe('optional');
    expect(bearerRequirement(document, { security: [{ key: [] }, { jwt: [] }] })).toBe('optional');
  });

  it('asks for nothing with only other schemes, an apiKey in Authorization included', () => {
    expect(bearerRequirement(document, { security: [{ basic: [] }] })).toBe('none');
    expect(bearerRequirement(document, { security: [{ key: [] }] })).toBe('none');
    const swagger = {
      swagger: '2.0',
      securityDefinitions: { key: { type: 'apiKey', in: 'header', name: 'Authorization' } },
    };
    expect(bearerRequirement(swagger, { security: [{ key: [] }] })).toBe('none');
  });

  it("requires a token for PyMacaron's x-decorate-server: pymacaron.auth.requires_auth", () => {
    const decorated = { 'x-decorate-server': 'pymacaron.auth.requires_auth' };
    expect(bearerRequirement({ swagger: '2.0' }, decorated)).toBe('required');
    expect(bearerRequirement({ swagger: '2.0' }, { 'x-decorate-server': 'myserver.log_it' })).toBe(
      'none',
    );
  });
});
