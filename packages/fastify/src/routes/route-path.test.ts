import { describe, expect, it } from 'vitest';
import { encodedPathReader, toRoutePath, unservablePath } from './route-path.js';

describe('toRoutePath', () => {
  it('turns path templates into fastify parameters', () => {
    expect(toRoutePath('/profiles/{profile_id}/friends/{friend}')).toEqual({
      url: '/profiles/:profile_id/friends/:friend',
      parameters: new Map([
        ['profile_id', 'profile_id'],
        ['friend', 'friend'],
      ]),
    });
  });

  it('puts routes under a Swagger basePath, with or without its trailing slash', () => {
    expect(toRoutePath('/ping', '/v1').url).toBe('/v1/ping');
    expect(toRoutePath('/ping', '/v1/').url).toBe('/v1/ping');
    expect(toRoutePath('/ping', '/').url).toBe('/ping');
    expect(toRoutePath('/ping', 'api').url).toBe('/api/ping');
  });

  it('renames variables fastify cannot name and ends in-segment variables with a pattern', () => {
    const route = toRoutePath('/counters/{counter-id}:increment');
    expect(route.url).toBe('/counters/:param0(^[^/]+?)::increment');
    expect(route.parameters.get('counter-id')).toBe('param0');
    expect(toRoutePath('/files/{name}.json').url).toBe('/files/:name(^[^/]+?).json');
  });

  it('writes a literal * as a parameter whose pattern is that *, named apart from the spec', () => {
    expect(toRoutePath('/a*b').url).toBe('/a:star0(^\\*)b');
    expect(toRoutePath('/s/**/{id}').url).toBe('/s/:star0(^\\*\\*)/:id');
    // Names given by the route skip the spec's own: `param0` and `star1` are taken.
    const route = toRoutePath('/{a-b}/{param0}/{star1}*');
    expect(route.url).toBe('/:param1/:param0/:star1(^[^/]+?):star2(^\\*)');
    expect(route.parameters.get('a-b')).toBe('param1');
  });

  it('refuses literal ? and # only', () => {
    expect(unservablePath('/a?b')).toContain('"?"');
    expect(unservablePath('/a#b')).toContain('"#"');
    expect(unservablePath('/a*(b);c:d/{id}')).toBeUndefined();
  });
});

describe('encodedPathReader', () => {
  it('reads the variables as sent, from the end of the path', () => {
    const read = encodedPathReader('/items/{id}/files/{name}.json');
    expect(read('/v1/items/a%2Cb/files/x%20y.json?q=1')).toEqual(
      new Map([
        ['id', 'a%2Cb'],
        ['name', 'x%20y'],
      ]),
    );
    expect(read('/items/a/files/b.json/')).toEqual(
      new Map([
        ['id', 'a'],
        ['name', 'b'],
      ]),
    );
    expect(read('/b.json')).toEqual(new Map());
  });
});
