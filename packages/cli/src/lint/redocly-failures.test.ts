import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSpec } from './lint-spec.js';

const folder = mkdtempSync(join(tmpdir(), 'macaron-lint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// @redocly/openapi-core 2.64.0's OpenAPI 3.2 types fail on this spec; a release that reads it
// fails this test, which then has served its purpose.
describe('lint of a spec @redocly/openapi-core fails to read', () => {
  it('is one problem of the spec (an OAuth2 deviceAuthorization flow with scopes), not a failure of the command', async () => {
    const spec = join(folder, 'device-flow.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.2.0',
        'info: { title: device flow, version: "1" }',
        'paths: {}',
        'components:',
        '  securitySchemes:',
        '    device:',
        '      type: oauth2',
        '      flows:',
        '        deviceAuthorization:',
        '          deviceAuthorizationUrl: https://auth.example/device',
        '          tokenUrl: https://auth.example/token',
        '          scopes: { read: read pets }',
        '',
      ].join('\n'),
    );
    const problems = await lintSpec(spec);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', pointer: '' });
    expect(problems[0]?.message).toContain('@redocly/openapi-core cannot read this spec');
  });
});

describe('lint of a spec whose $refs lead @redocly/openapi-core past the stack', () => {
  it('is one problem of the spec saying how to run it with more stack, not a failure of the command', async () => {
    const length = 5_000;
    const schemas: Record<string, unknown> = {};
    for (let index = 0; index < length; index++)
      schemas[`M${index}`] = {
        type: 'object',
        properties: { next: { $ref: `#/components/schemas/M${index + 1}` } },
      };
    schemas[`M${length}`] = { type: 'object' };
    const spec = join(folder, 'chain.json');
    writeFileSync(
      spec,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'chain', version: '1' },
        paths: {},
        components: { schemas },
      }),
    );
    const problems = await lintSpec(spec);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', rule: 'spec', pointer: '' });
    expect(problems[0]?.message).toContain('--stack-size=7000');
  });
});
