import { describe, expect, it } from 'vitest';
import { bodyMediaType } from './body-media-type.js';

const declared = (...mediaTypes: string[]) => mediaTypes.map((mediaType) => ({ mediaType }));
const chosen = (mediaTypes: string[], contentType: string | undefined) =>
  bodyMediaType(declared(...mediaTypes), contentType)?.mediaType;

describe('bodyMediaType', () => {
  it('takes the exact media type, then application/*+json, application/*, */*', () => {
    const all = ['*/*', 'application/*', 'application/*+json', 'application/json'];
    expect(chosen(all, 'application/json')).toBe('application/json');
    expect(chosen(all, 'application/merge-patch+json')).toBe('application/*+json');
    expect(chosen(all.slice(0, 2), 'application/merge-patch+json')).toBe('application/*');
    expect(chosen(['application/json', '*/*'], 'application/merge-patch+json')).toBe('*/*');
  });

  it('takes none for a media type nothing declared covers, the first for no Content-Type', () => {
    expect(chosen(['application/json', 'application/x+json'], 'application/y+json')).toBe(
      undefined,
    );
    expect(chosen(['application/x+json'], 'application/json')).toBe(undefined);
    expect(chosen(['application/*+json'], 'application/json')).toBe(undefined);
    expect(chosen(['application/x+json', 'application/json'], undefined)).toBe(
      'application/x+json',
    );
  });

  it('compares in lower case, parameters aside', () => {
    expect(
      chosen(['application/json', 'Application/X+JSON; v=1'], ' application/x+json ;charset=utf-8'),
    ).toBe('Application/X+JSON; v=1');
  });
});
