import { describe, expect, it } from 'vitest';
import { pythonNumberText } from './python-number-text.js';

describe('pythonNumberText', () => {
  it("takes the spaces around a number and the underscores between its digits, as Python's int() and float()", () => {
    expect(pythonNumberText(' 1 ')).toBe('1');
    expect(pythonNumberText(' +1')).toBe('+1');
    expect(pythonNumberText('1_000')).toBe('1000');
    expect(pythonNumberText('-1_0_0')).toBe('-100');
    expect(pythonNumberText('1_000.000_5e1_0')).toBe('1000.0005e10');
  });

  it('leaves a text with an underscore Python refuses as it is, and any other whitespace', () => {
    for (const text of ['1__0', '_1', '1_', '+_1', '1_.5', '1._5', '1_e5', ' 1__0 ', '_'])
      expect(pythonNumberText(text)).toBe(text);
    expect(pythonNumberText('\t1\n')).toBe('\t1\n');
    expect(pythonNumberText('1 000')).toBe('1 000');
  });

  it('walks a long run of spaces inside a text once', () => {
    const text = `1${' '.repeat(400_000)}2`;
    expect(pythonNumberText(`  ${text} `)).toBe(text);
  });
});
