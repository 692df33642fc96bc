import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/support/specs.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { checkOptionNames, optionNames, unknownOption } from './option-names.js';

describe('checkOptionNames', () => {
  const known = optionNames('condition', 'limit');

  it('names the first own key it does not know and the keys it takes', () => {
    const error = thrown(() => checkOptionNames({ limit: 1, conditon: {} }, known, 'update()'));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toBe(
      'update() has no option "conditon" (options: condition, limit)',
    );
  });

  it('throws the error class it is given, for configuration', () => {
    expect(thrown(() => checkOptionNames({ x: 1 }, known, 'loadApi', TypeError))).toBeInstanceOf(
      TypeError,
    );
  });

  it('takes known keys, keys holding undefined, and what an options object inherits', () => {
    expect(unknownOption({ condition: {}, limit: 2 }, known)).toBeUndefined();
    expect(unknownOption({ conditon: undefined }, known)).toBeUndefined();
    expect(unknownOption(Object.create({ inherited: true }), known)).toBeUndefined();
    expect(unknownOption({ Limit: null }, known)).toBe('Limit');
    expect(unknownOption({ conditon: false }, known)).toBe('conditon');
  });
});
