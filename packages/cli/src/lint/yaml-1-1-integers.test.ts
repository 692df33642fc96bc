import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSpec } from './lint-spec.js';
import { yaml11IntegerReading, yaml11TaggedIntegerReading } from './yaml-1-1-integers.js';

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

  it('reads a tagged literal as PyYAML 6 did (checked with it)', () => {
    // yaml.safe_load('[!!int 010, !!int "010", !!int -010, !!int 0755, !!int 0o10, !!int 07]') in
    // PyYAML 6: [8, 8, -8, 493, 8, 7]; yaml.safe_load('a: !!int 08') raises ValueError.
    expect(['010', '"010"', '-010', '0755'].map(yaml11TaggedIntegerReading)).toEqual([
      '8 (octal)',
      '8 (octal)',
      '-8 (octal)',
      '493 (octal)',
    ]);
    expect(yaml11TaggedIntegerReading('08')).toMatch(
      /^an error \(8 and 9 are no octal digits: PyYAML refused the spec\)$/,
    );
    for (const same of ['0o10', '07', '10', '0', "'7'"])
      expect(yaml11TaggedIntegerReading(same), same).toBeUndefined();
  });

  const findings = async (name: string, lines: string[]) => {
    const spec = join(folder, `${name}.yaml`);
    writeFileSync(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: keys, version: "1" }',
        'paths:',
        '  /a:',
        '    get:',
        '      responses:',
        '        "200": { description: ok }',
        'components:',
        '  schemas:',
        '    A:',
        '      type: object',
        '      properties:',
        ...lines,
        '',
      ].join('\n'),
    );
    return (await lintSpec(spec))
      .filter(({ rule }) => rule === 'macaron/yaml-1-1')
      .map(({ line, pointer, message }) => [
        line,
        pointer,
        message.replace(/ in YAML 1\.2, .*/, ''),
      ]);
  };

  it('reports keys of integer form PyYAML read otherwise (010: was the key 8, 08: the text "08")', async () => {
    // yaml.safe_load('{010: a, 08: b, 0o10: c, -010: d, 07: e, "011": f}') in PyYAML 6:
    // {8: 'a', '08': 'b', '0o10': 'c', -8: 'd', 7: 'e', '011': 'f'}; YAML 1.2 (js-yaml) reads
    // the keys "10", "8", "8", "-10", "7", "011".
    expect(
      await findings('keys', [
        '        010:',
        '          type: integer',
        '          maximum: 011',
        '        08: { type: integer }',
        '        -010: { type: integer }',
        '        07: { type: integer }',
        '        "012": { type: integer }',
        "        '013': { type: integer }",
        '        e: { type: string, x-names: { 0o10: a, b: c } }',
        '        f: { type: string, description: "014: x, 015", example: { 016: x } }',
        '        g:',
        '          type: string',
        '          description: |',
        '            017: x',
        '        # 018: x',
        '      example: { 021: x }',
      ]),
    ).toEqual([
      [13, '/components/schemas/A/properties/010', 'the key 010 is "10"'],
      [15, '/components/schemas/A/properties/010/maximum', '011 is 11'],
      [16, '/components/schemas/A/properties/08', 'the key 08 is "8"'],
      [17, '/components/schemas/A/properties/-010', 'the key -010 is "-10"'],
      [21, '/components/schemas/A/properties/e/x-names/0o10', 'the key 0o10 is "8"'],
    ]);
  });

  it('reports a literal after an integer tag as PyYAML read it (!!int 010 was 8, !!int 08 refused)', async () => {
    expect(
      await findings('tags', [
        '        a:',
        '          type: integer',
        '          maximum: !!int 010',
        '          enum:',
        '          - !!int "011"',
        '          - !!int 0o10',
        '          - !!int 07',
        '        b: { type: integer, minimum: !!int 012 }',
        '        c: { type: integer, maximum: !<tag:yaml.org,2002:int> 013, minimum: 1 }',
        '        d: { type: string, description: "!!int 014" }',
        '        e: { type: integer, maximum: !!int 08 }',
      ]),
    ).toEqual([
      [15, '/components/schemas/A/properties/a/maximum', '!!int 010 is 10'],
      // Past the first tag the tree redocly locates with goes wrong: found in the text.
      [17, '/', '!!int "011" is 11'],
      [20, '/', '!!int 012 is 12'],
      [21, '/', '!<tag:yaml.org,2002:int> 013 is 13'],
      [23, '/', '!!int 08 is 8'],
    ]);
  });
});
