import { BackendError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { cachedClientChecked, checkCachedClient } from './cached-client-check.js';

const deprecated = { mode: 'standard', retry: () => Promise.resolve() };
const current = { mode: 'standard', acquireInitialRetryToken: () => Promise.resolve({}) };

describe('checkCachedClient', () => {
  it('refuses a cacheMiddleware client whose retry strategy is of the deprecated interface', async () => {
    const client = { config: { cacheMiddleware: true, retryStrategy: async () => deprecated } };
    const error = await checkCachedClient(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).notSent).toBe(true);
    expect(cachedClientChecked(client)).toBe(false);
  });

  it('takes any other client once, and remembers it', async () => {
    for (const config of [
      { cacheMiddleware: true, retryStrategy: async () => current },
      { cacheMiddleware: true, retryStrategy: current },
      { cacheMiddleware: false, retryStrategy: async () => deprecated },
      undefined,
    ]) {
      const client = { config };
      await checkCachedClient(client);
      expect(cachedClientChecked(client)).toBe(true);
    }
  });

  it('leaves a strategy provider that fails to the SDK, which meets it too', async () => {
    const client = {
      config: { cacheMiddleware: true, retryStrategy: () => Promise.reject(new Error('no')) },
    };
    await expect(checkCachedClient(client)).resolves.toBeUndefined();
    expect(cachedClientChecked(client)).toBe(false);
  });
});
