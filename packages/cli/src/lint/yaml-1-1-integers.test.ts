import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSpec } from './lint-spec.js';
import { yaml11IntegerReading } from './yaml-1-1-integers.js';

const folder = mkdtempSync(join(tmpdir(), 'macaron-lint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('macaron/yaml-1-1: integer literals PyYAML read otherwise', () => {
  it('reads each literal as PyYAML 6 did (checked with it)', () => {
    // yaml.safe_load('[010, 08, -010, 0o10, 0010, +010, 019, 07, 10, 0]') in PyYAML 6:
    // [8, '08', -8, '0o10', 8, 8, '019', 7, 10, 0]
    expect(['010', '08', '-010', '0o10', '0010', '+010', '019'].map(yaml11IntegerReading)).toEqual([
      '8 (octal)',
      'the text "08"',
      '-8 (octal)',
      'the text "0o10"',
      '8 (octal)',
      '8 (octal)',
      'the text "019"',
    ]);
    for (const same of ['10', '0', '-7', '07', '-00', '"010"', "'010'", '10.5', '0x10', '1e3'])
      expect(yaml11IntegerReading(same), same).toBeUndefined();
  });

  it('reports them where the spec wrote them, in other files too, but not in examples nor quoted', async () => {
    writeFileSync(
      join(folder, 'limits.yaml'),
      ['Limit:', '  type: integer', '  maximum: 0100', '  example: 010', ''].join('\n'),
    );
    const spec = join(folder, 'api.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: codes, version: "1" }',
        'paths: {}',
        'components:',
        '  schemas:',
        '    Code:',
        '      type: object',
        '      properties:',
        '        month: { type: integer, enum: [01, 07, 08, 09, 10, 11, 12] }',
        '        mode: { type: integer, default: 0755, minimum: 010 }',
        '        quoted: { type: string, enum: ["010", \'08\'] }',
        '        plain: { type: integer, maximum: 100, example: 010 }',
        '        example: { type: integer, minimum: 011 }',
        '        limit: { $ref: "limits.yaml#/Limit" }',
        '',
      ].join('\n'),
    );
    const problems = await lintSpec(spec);
    expect(
      problems
        .filter(({ rule }) => rule === 'macaron/yaml-1-1')
        .map(({ file, line, severity, pointer, message }) => ({
          file: file.split('/').pop(),
          line,
          severity,
          pointer,
          message,
        })),
    ).toEqual(
      [
        [
          'api.yaml',
          9,
          '/components/schemas/Code/properties/month/enum/2',
          '08',
          8,
          'the text "08"',
        ],
        [
          'api.yaml',
          9,
          '/components/schemas/Code/properties/month/enum/3',
          '09',
          9,
          'the text "09"',
        ],
        [
          'api.yaml',
          10,
          '/components/schemas/Code/properties/mode/default',
          '0755',
          755,
          '493 (octal)',
        ],
        [
          'api.yaml',
          10,
          '/components/schemas/Code/properties/mode/minimum',
          '010',
          10,
          '8 (octal)',
        ],
        [
          'api.yaml',
          13,
          '/components/schemas/Code/properties/example/minimum',
          '011',
          11,
          '9 (octal)',
        ],
        ['limits.yaml', 3, '/Limit/maximum', '0100', 100, '64 (octal)'],
      ].map(([file, line, pointer, text, value, reading]) => ({
        file,
        line,
        severity: 'warn',
        pointer,
        message: `${text} is ${value} in YAML 1.2, which Macaron reads specs with, and was ${reading} to YAML 1.1, which PyMacaron read them with: write the number as meant, without leading zeros`,
      })),
    );
  });
  it('reports a literal after a comma with no space in a flow sequence ([1,010] was [1, 8] to PyYAML)', async () => {
    // yaml.safe_load('[1,010]') and yaml.safe_load('[010,011]') in PyYAML 6: [1, 8] and [8, 9].
    const spec = join(folder, 'flow.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: flow, version: "1" }',
        'paths: {}',
        'components:',
        '  schemas:',
        '    A: { type: integer, enum: [1,010] }',
        '    B: { type: integer, enum: [010,011] }',
        '',
      ].join('\n'),
    );
    const problems = await lintSpec(spec);
    expect(
      problems.filter(({ rule }) => rule === 'macaron/yaml-1-1').map(({ pointer }) => pointer),
    ).toEqual([
      '/components/schemas/A/enum/1',
      '/components/schemas/B/enum/0',
      '/components/schemas/B/enum/1',
    ]);
  });
});
