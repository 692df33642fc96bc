/**
 * What Macaron's middleware knows of one request it sent, found on the command's input under a
 * registered symbol. On the input itself, not found by its identity: a user's middleware may
 * pass on a copy (`{ ...args.input, … }`, which copies symbol-keyed properties), and another
 * copy of this package on the same client (whose middleware, installed under the same names,
 * replaces these) reads the same key. The key and the middleware names carry the revision of
 * what the two expect of each other (`protocolRevision`): a copy of another revision installs
 * its own middleware beside these, and each acts on its own requests only. Never kept in the handler context: a client made with
 * `cacheMiddleware: true` shares one context between every call of a command class, and
 * resolves the stack of the first command for all of them. The SDK serialises only the
 * members a command declares: the symbol never reaches the wire.
 */
export interface RequestState {
  /**
   * When an attempt fails after it may have been applied: `refuse` a retry (a write that
   * must not be applied twice), or `report` the outcome as unknown if the retries fail too
   * (a write the SDK may repeat); undefined for reads.
   */
  readonly ambiguity: 'refuse' | 'report' | undefined;
  /**
   * An attempt failed after it may have been applied: a `refuse` write sends no further
   * attempt, a `report` write is reported unknown if the retries fail too.
   */
  ambiguousAttempt: boolean;
  /**
   * The SDK got as far as its retry loop, where requests are sent; false when it failed before
   * (no region, an endpoint it cannot resolve, input it cannot serialise): nothing was sent.
   */
  attempted: boolean;
  /** The answer, parsed here instead of by the SDK (see `keepAnswer`). */
  parsedAnswer: Record<string, unknown> | undefined;
}

/**
 * Raised whenever the middleware and the backend change what they expect of each other (2:
 * answers parsed by the middleware, bytes as base64 text).
 */
export const protocolRevision = 2;

const stateKey = Symbol.for(`@macaron/backend-dynamodb request state ${protocolRevision}`);

/** Marks a command input as Macaron's own request, with how an ambiguous failure is handled. */
export function trackRequest(input: object, ambiguity: RequestState['ambiguity']): RequestState {
  const state: RequestState = {
    ambiguity,
    ambiguousAttempt: false,
    attempted: false,
    parsedAnswer: undefined,
  };
  (input as Record<symbol, unknown>)[stateKey] = state;
  return state;
}

/** The state of one of Macaron's requests; undefined for every other command on the client. */
export function requestState(input: unknown): RequestState | undefined {
  return typeof input === 'object' && input !== null
    ? ((input as Record<symbol, RequestState | undefined>)[stateKey] ?? undefined)
    : undefined;
}
