import { describe, expect, it } from 'vitest';
import { UnsupportedContentCodingError, UnsupportedMediaTypeError } from './http-errors.js';

describe('UnsupportedContentCodingError', () => {
  it('matches the errors of another copy of the package, and no other 415', async () => {
    // A second instance of the module, as Jest's resetModules or a second install loads it.
    const specifier = './http-errors.js?another-copy';
    const other = (await import(/* @vite-ignore */ specifier)) as typeof import('./http-errors.js');
    expect(other.UnsupportedContentCodingError).not.toBe(UnsupportedContentCodingError);
    const theirs = new other.UnsupportedContentCodingError('gzip is not decoded');
    expect(theirs instanceof UnsupportedContentCodingError).toBe(true);
    expect(UnsupportedContentCodingError.isInstance(theirs)).toBe(true);
    expect(theirs instanceof UnsupportedMediaTypeError).toBe(true);
    const mediaType = new other.UnsupportedMediaTypeError('text/csv is not read');
    expect(mediaType instanceof UnsupportedContentCodingError).toBe(false);
    expect(new UnsupportedMediaTypeError('x') instanceof other.UnsupportedContentCodingError).toBe(
      false,
    );
  });
});
