import { describe, expect, it } from 'vitest';
import type { SpecParameter } from '../spec/spec-operations.js';
import { objectFromText } from './parameter-styles.js';

const exploded: SpecParameter = {
  name: 'color',
  in: 'header',
  required: false,
  schemaPointer: undefined,
  json: false,
  separator: ',',
  itemSeparators: [],
  style: 'simple',
  explode: true,
  splitEncoded: true,
  allowReserved: false,
  takesOtherNames: false,
  defaultValue: undefined,
};

describe('objectFromText', () => {
  it('reads a name repeated many times in linear time (hostile input)', () => {
    const text = Array.from({ length: 200_000 }, (_, index) => `R=${index}`).join(',');
    const read = objectFromText(exploded, text, (part) => part);
    expect('entries' in read && read.entries.get('R')?.length).toBe(200_000);
  }, 10_000);
});
