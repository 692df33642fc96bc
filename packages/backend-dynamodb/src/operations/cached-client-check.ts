import { BackendError } from '@macaron/core';

// Clients found fit to send the backend's requests (the answer holds for a client's life).
const fitClients = new WeakSet<object>();

/** Whether `client` was found fit already (the check is then not awaited again). */
export function cachedClientChecked(client: object): boolean {
  return fitClients.has(client);
}

/**
 * Refuses, before its first request is sent, a client made with `cacheMiddleware: true` and a
 * deprecated retry strategy (one with `retry(next, args)`: `@smithy/middleware-retry`'s). Such
 * a strategy adds its mode to the handler context's user agent on every request, and a cached
 * client shares one context between every request of a command class: the header grows by
 * about 24 bytes a request until the endpoint refuses every request of the class (dynalite:
 * HTTP 431 from the 651st). Checked once a client; only a refused client is checked again.
 */
export async function checkCachedClient(client: object): Promise<void> {
  const config = (client as { config?: { cacheMiddleware?: unknown; retryStrategy?: unknown } })
    .config;
  if (config?.cacheMiddleware === true) {
    const given = config.retryStrategy;
    let strategy: { retry?: unknown; acquireInitialRetryToken?: unknown } | undefined;
    try {
      strategy = (typeof given === 'function' ? await given() : given) as typeof strategy;
    } catch {
      // A provider that fails: the SDK meets it too, and the request fails as the SDK says.
      return;
    }
    if (
      typeof strategy?.retry === 'function' &&
      typeof strategy.acquireInitialRetryToken !== 'function'
    )
      throw new BackendError(
        "The DynamoDB client is made with cacheMiddleware: true and a deprecated retry strategy (one with retry(next, args), of @smithy/middleware-retry): the AWS SDK would add to the user agent its requests share at every request, until the endpoint refuses them all. Give it the SDK's default retry strategy, retryMode, or a strategy of @smithy/util-retry (the request was not sent)",
        { notSent: true },
      );
  }
  fitClients.add(client);
}
