import { describe, expect, it } from 'vitest';
import { schemaNode } from '../../test/support/specs.js';
import { repeatedItems } from './repeated-items.js';
import { TextSet } from './text-set.js';
import { validateValue } from './validate-value.js';

// V8 hashes strings over 16,383 characters by their length alone: a native Set of many such
// strings of one length compares each new one with all the others (quadratic: minutes here).

describe('TextSet', () => {
  it('tells short and long texts apart by their content', () => {
    const texts = new TextSet();
    const long = 'x'.repeat(20_000);
    expect(texts.add('a')).toBe(true);
    expect(texts.add('a')).toBe(false);
    expect(texts.add(long)).toBe(true);
    expect(texts.add(`${long.slice(1)}y`)).toBe(true);
    expect(texts.add('x'.repeat(20_000))).toBe(false);
  });

  it('holds many long texts of one length in linear time', () => {
    const texts = new TextSet();
    const stem = 'k'.repeat(16_400);
    // 5,000 texts of 16 KB (82 MB): a set comparing each with the others of its length would
    // compare 200 GB of text, far past the time-out.
    for (let index = 0; index < 5_000; index++)
      expect(texts.add(`${stem}${String(index).padStart(5, '0')}`)).toBe(true);
    expect(texts.add(`${stem}00042`)).toBe(false);
  });
});

describe('long texts a client sends', () => {
  it('problems under a 16 KB property name, each reported once (the first 1,000)', () => {
    const name = 'n'.repeat(16_400);
    const node = schemaNode({ type: 'object' });
    const problems = validateValue(node, { [name]: Array.from({ length: 20_000 }, () => -0) });
    expect(problems).toHaveLength(1_000);
    expect(new Set(problems.map((problem) => problem.pointer)).size).toBe(1_000);
    expect(problems[999]!.pointer).toBe(`/${name}/999`);
  });

  it('uniqueItems over lists whose keys are longer than 16 KB', () => {
    const item = (index: number) => [...Array.from({ length: 130 }, () => 10n ** 125n), index];
    const items = Array.from({ length: 2_000 }, (_, index) => item(index));
    expect(repeatedItems(items, 32)).toEqual([]);
    expect(repeatedItems([...items, item(7)], 32)).toEqual([2_000]);
  });
});
