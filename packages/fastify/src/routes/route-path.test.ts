import { describe, expect, it } from 'vitest';
import { toRoutePath } from './route-path.js';

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
});
